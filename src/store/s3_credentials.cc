// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "store/s3_credentials.h"

#include <cstdlib>
#include <fstream>
#include <map>

namespace nokv {

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// The key = value pairs of section [profile] of an INI file; empty if absent.
std::map<std::string, std::string> ReadProfile(const std::string& path,
                                               const std::string& profile) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      inside = Trim(line.substr(1, line.size() - 2)) == profile;
      continue;
    }
    const size_t eq = line.find('=');
    if (inside && eq != std::string::npos) {
      out[Trim(line.substr(0, eq))] = Trim(line.substr(eq + 1));
    }
  }
  return out;
}

}  // namespace

Result<S3Credentials> ResolveS3Credentials(const S3Options& options) {
  if (!options.access_key_id.empty()) {
    return S3Credentials{options.access_key_id, options.secret_access_key, options.session_token,
                         "the store options"};
  }
  if (!Env("AWS_ACCESS_KEY_ID").empty()) {
    if (Env("AWS_SECRET_ACCESS_KEY").empty()) {
      return Status::InvalidArgument("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    }
    return S3Credentials{Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"),
                         Env("AWS_SESSION_TOKEN"), "the environment"};
  }
  std::string profile = options.profile;
  if (profile.empty()) profile = Env("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  std::string file = Env("AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty() && !Env("HOME").empty()) file = Env("HOME") + "/.aws/credentials";
  if (!file.empty()) {
    auto values = ReadProfile(file, profile);
    if (!values["aws_access_key_id"].empty() && !values["aws_secret_access_key"].empty()) {
      return S3Credentials{values["aws_access_key_id"], values["aws_secret_access_key"],
                           values["aws_session_token"], "profile " + profile + " of " + file};
    }
  }
  return Status::InvalidArgument(
      "no S3 credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE "
      "naming a profile in ~/.aws/credentials (profile '" +
      profile + "' was not found" + (file.empty() ? "" : " in " + file) + ")");
}

}  // namespace nokv
