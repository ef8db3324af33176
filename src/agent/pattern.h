// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Line search patterns, shared by grep and find's grep option: `pattern` is
// literal text unless `regex` is true, `ignore_case` folds case. Patterns are
// compiled with RE2, which matches in linear time within a bounded program
// size, so no pattern can make a search run away.
#ifndef NOKV_AGENT_PATTERN_H_
#define NOKV_AGENT_PATTERN_H_

#include <re2/re2.h>

#include <memory>
#include <string>
#include <string_view>

#include "agent/args.h"
#include "agent/outcome.h"

namespace nokv::agent {

// Compiles the `pattern`, `regex` and `ignore_case` members of `args`.
// Errors: invalid_pattern (empty, too long, not UTF-8, bad regex).
Outcome<std::unique_ptr<RE2>> CompilePattern(const Args& args);

// Whether `line` holds a match; sets *at to the first match's byte offset.
bool FindMatch(const RE2& re, std::string_view line, size_t* at);

// A line as results show it: at most 200 bytes, a window around `match_at`
// when the line is longer.
std::string ShowLine(std::string_view line, size_t match_at);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_PATTERN_H_
