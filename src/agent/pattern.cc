// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/pattern.h"

#include "agent/json_text.h"

namespace nokv::agent {
namespace {

constexpr size_t kMaxPattern = 1024;
constexpr size_t kLineWidth = 200;
constexpr size_t kLeadBeforeMatch = 60;

AgentError BadPattern(std::string message) {
  return AgentError{"invalid_pattern", std::move(message),
                    "pass literal text, or set regex:true for RE2 syntax (no backreferences)",
                    Code::kInvalidArgument};
}

}  // namespace

Outcome<std::unique_ptr<RE2>> CompilePattern(const Args& args) {
  AGENT_ASSIGN_OR_RETURN(std::string pattern, args.String("pattern"));
  if (pattern.empty()) return BadPattern("empty pattern");
  if (pattern.size() > kMaxPattern) {
    return BadPattern("pattern longer than " + std::to_string(kMaxPattern) + " bytes");
  }
  if (!IsValidUtf8(pattern)) return BadPattern("pattern is not valid UTF-8");
  AGENT_ASSIGN_OR_RETURN(bool regex, args.Bool("regex", false));
  AGENT_ASSIGN_OR_RETURN(bool ignore_case, args.Bool("ignore_case", false));
  RE2::Options ro;
  ro.set_literal(!regex);
  ro.set_case_sensitive(!ignore_case);
  ro.set_log_errors(false);
  ro.set_max_mem(8 << 20);  // bounds the compiled program; RE2 fails cleanly beyond it
  auto re = std::make_unique<RE2>(pattern, ro);
  if (!re->ok()) return BadPattern("invalid regex: " + re->error());
  return re;
}

bool FindMatch(const RE2& re, std::string_view line, size_t* at) {
  re2::StringPiece m;
  if (!re.Match(re2::StringPiece(line.data(), line.size()), 0, line.size(), RE2::UNANCHORED, &m,
                1)) {
    return false;
  }
  *at = static_cast<size_t>(m.data() - line.data());
  return true;
}

std::string ShowLine(std::string_view line, size_t match_at) {
  if (line.size() <= kLineWidth) return std::string(line);
  size_t start = match_at > kLeadBeforeMatch ? match_at - kLeadBeforeMatch : 0;
  while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
  std::string out = start > 0 ? "\u2026" : "";
  return out + Shorten(line.substr(start), kLineWidth);
}

}  // namespace nokv::agent
