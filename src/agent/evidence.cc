// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/evidence.h"

#include <charconv>

#include "agent/args.h"

namespace nokv::agent {
namespace {

constexpr int kMaxHops = 256;
constexpr std::string_view kGen = "@gen:";
constexpr std::string_view kLine = "#L";

bool ParseNumber(std::string_view s, uint64_t* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

AgentError BadRef(std::string_view text) {
  return BadArgument("malformed evidence reference: " + std::string(text),
                     "refs look like nokv://runs/r1/log.txt@gen:3#L12");
}

AgentError Gone(const std::string& path, uint64_t generation, std::string why) {
  return AgentError{"generation_unavailable",
                    path + " generation " + std::to_string(generation) + " " + why,
                    "grep again to get refs to the current generation", Code::kConflict};
}

}  // namespace

std::string FormatEvidenceRef(std::string_view path, uint64_t generation, uint64_t line) {
  // Paths are absolute, so the reference reads nokv:///runs/...; drop one '/'.
  std::string_view p = path.empty() ? path : path.substr(1);
  std::string ref = std::string(kEvidenceScheme) + std::string(p) + std::string(kGen) +
                    std::to_string(generation);
  if (line > 0) ref += std::string(kLine) + std::to_string(line);
  return ref;
}

bool IsEvidenceRef(std::string_view text) {
  return text.substr(0, kEvidenceScheme.size()) == kEvidenceScheme;
}

Outcome<EvidenceRef> ParseEvidenceRef(std::string_view text) {
  if (!IsEvidenceRef(text)) return BadRef(text);
  std::string_view rest = text.substr(kEvidenceScheme.size());
  EvidenceRef ref;
  size_t hash = rest.rfind(kLine);
  if (hash != std::string_view::npos) {
    if (!ParseNumber(rest.substr(hash + kLine.size()), &ref.line) || ref.line == 0) {
      return BadRef(text);
    }
    rest = rest.substr(0, hash);
  }
  size_t at = rest.rfind(kGen);
  if (at == std::string_view::npos ||
      !ParseNumber(rest.substr(at + kGen.size()), &ref.generation) || ref.generation == 0) {
    return BadRef(text);
  }
  AGENT_ASSIGN_OR_RETURN(ref.path, NormalizeAgentPath(std::string(rest.substr(0, at))));
  return ref;
}

Outcome<uint64_t> VersionOfGeneration(Namespace& ns, const std::string& path, uint64_t generation,
                                      uint64_t version) {
  for (int hop = 0; hop < kMaxHops && version > 0; ++hop) {
    ReadOptions at;
    at.version = version;
    Result<FileInfo> info = ns.Stat(path, at);
    if (!info.ok()) {
      if (info.status().IsNotFound() && hop > 0) return Gone(path, generation, "no longer exists");
      return info.status();
    }
    if (info->kind != FileKind::kFile) return Gone(path, generation, "is now a directory");
    if (info->generation == generation) return version;
    if (info->generation < generation) {
      return Gone(path, generation,
                  "does not exist (newest is " + std::to_string(info->generation) + ")");
    }
    if (info->version == 0) break;
    version = info->version - 1;  // the state just before this generation
  }
  return Gone(path, generation, "is too far back in history to find");
}

}  // namespace nokv::agent
