// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Evidence references: `nokv://PATH@gen:N#L12` names line 12 of generation
// N of the file at PATH, `nokv://PATH@gen:N` the whole generation. grep gives
// each file with matches its reference (an agent cites a line by appending
// "#L12"); read accepts one in place of a path and shows that exact line (or
// file) of that exact generation, also after the file was replaced, as long
// as the namespace keeps the history of that version.
#ifndef NOKV_AGENT_EVIDENCE_H_
#define NOKV_AGENT_EVIDENCE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::agent {

inline constexpr std::string_view kEvidenceScheme = "nokv://";

struct EvidenceRef {
  std::string path;
  uint64_t generation = 0;
  uint64_t line = 0;
};

// With `line` 0 the reference names the whole generation (no "#L").
std::string FormatEvidenceRef(std::string_view path, uint64_t generation, uint64_t line);
bool IsEvidenceRef(std::string_view text);
Outcome<EvidenceRef> ParseEvidenceRef(std::string_view text);

// The newest version at or below `version` at which `path` was a file of
// generation `generation`. Walks back one change of the file at a time, at
// most kMaxHops changes.
Outcome<uint64_t> VersionOfGeneration(Namespace& ns, const std::string& path, uint64_t generation,
                                      uint64_t version);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_EVIDENCE_H_
