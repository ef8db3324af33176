// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/at.h"

#include <charconv>
#include <string>

namespace nokv::agent {
namespace {

Outcome<uint64_t> ParseVersion(const json& at) {
  if (at.is_number_unsigned() || (at.is_number_integer() && at.get<int64_t>() > 0)) {
    return at.get<uint64_t>();
  }
  if (at.is_string()) {
    const std::string s = at.get<std::string>();
    uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (!s.empty() && ec == std::errc() && end == s.data() + s.size() && v > 0) return v;
    return BadArgument("`at` names no known version: " + at.dump(),
                       "give a commit version number such as the `version` of an earlier result "
                       "(snapshot names are not available yet)");
  }
  return BadArgument("`at` must be a positive version number, not " + at.dump());
}

}  // namespace

Outcome<uint64_t> ResolveAt(Namespace& ns, const json* at) {
  const uint64_t newest = ns.LastVersion();
  if (at == nullptr) return newest;
  AGENT_ASSIGN_OR_RETURN(uint64_t v, ParseVersion(*at));
  if (v > newest) {
    return AgentError{"invalid_version",
                      "version " + std::to_string(v) + " has not been committed yet",
                      "the newest version is " + std::to_string(newest), Code::kInvalidArgument};
  }
  return v;
}

}  // namespace nokv::agent
