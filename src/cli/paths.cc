// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/paths.h"

#include <limits.h>
#include <stdlib.h>

#include <memory>

#include "cli/output.h"
#include "nokv/namespace.h"

namespace nokv::cli {

Result<std::string> ParsePath(const std::string& arg) {
  if (arg.empty()) {
    return Status::InvalidArgument("empty path; namespace paths look like /runs/exp1/model.bin");
  }
  if (arg.front() != '/') {
    // The namespace has no working directory; guessing one would put data
    // where the user did not look for it.
    return Status::InvalidArgument("namespace path " + HumanName(arg) +
                                   " is relative; namespace paths are absolute: use " +
                                   HumanName("/" + arg));
  }
  return NormalizePath(arg);
}

bool EndsWithSlash(std::string_view arg) { return !arg.empty() && arg.back() == '/'; }

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string JoinLocal(std::string_view dir, std::string_view name) {
  std::string out(dir);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out.empty()) return std::string(name);
  if (out.back() != '/') out += '/';
  out += name;
  return out;
}

std::string LocalBaseName(const std::string& local_path) {
  std::string_view p = local_path;
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  std::string base = BaseName(p);
  if (!base.empty() && base != "." && base != "..") return base;
  if (p == "/") return "";
  std::unique_ptr<char, decltype(&::free)> real(::realpath(local_path.c_str(), nullptr), &::free);
  if (real == nullptr) return base;
  return BaseName(real.get());
}

}  // namespace nokv::cli
