// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/changes.h"

#include "cli/output.h"

namespace nokv::cli {

nlohmann::json ChangeJson(const WatchEvent& e) {
  auto optional = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  return {{"type", e.type},
          {"path", e.path},
          {"from_path", optional(e.from_path)},
          {"ino", e.ino},
          {"kind", KindName(e.kind)},
          {"generation", e.generation},
          {"size", e.size},
          {"sha256", optional(e.sha256_hex)},
          {"detail", optional(e.detail)}};
}

nlohmann::json MutationJson(const MutationResult& r) {
  nlohmann::json changes = nlohmann::json::array();
  for (const WatchEvent& e : r.changes) changes.push_back(ChangeJson(e));
  return {{"version", r.version}, {"replayed", r.replayed}, {"changes", std::move(changes)}};
}

}  // namespace nokv::cli
