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
    return uint64_t{0};  // a snapshot name
  }
  return BadArgument("`at` must be a positive version number, not " + at.dump());
}

}  // namespace

bool Inside(const std::string& path, const std::string& root) {
  if (root == "/" || path == root) return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

Outcome<uint64_t> ResolveSnapshot(Namespace& ns, const std::string& name, const json* path) {
  Result<SnapshotInfo> snap = ns.GetSnapshot(name);
  if (!snap.ok()) {
    return ErrorFromStatus(snap.status(),
                           "`at` takes a version number or a snapshot name; "
                           "`nokv snapshot list` shows the snapshots");
  }
  if (path != nullptr && path->is_string()) {
    Result<std::string> p = NormalizePath(path->get<std::string>());
    if (p.ok() && !Inside(*p, snap->path)) {
      return BadArgument(*p + " is outside snapshot " + name + ", which holds " + snap->path,
                         "use a path inside " + snap->path);
    }
  }
  return snap->version;
}

Outcome<uint64_t> ResolveAt(Namespace& ns, const json* at, const json* path) {
  const uint64_t newest = ns.LastVersion();
  if (at == nullptr) return newest;
  AGENT_ASSIGN_OR_RETURN(uint64_t v, ParseVersion(*at));
  if (v == 0) return ResolveSnapshot(ns, at->get<std::string>(), path);
  if (v > newest) {
    return AgentError{
        "invalid_version", "version " + std::to_string(v) + " has not been committed yet",
        "use a version up to " + std::to_string(newest) + ", or leave out `at` to read the newest",
        Code::kInvalidArgument};
  }
  return v;
}

}  // namespace nokv::agent
