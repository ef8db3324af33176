// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// JSON text in and out of the agent layer. Parsing is bounded in nesting
// depth (deep documents are rejected, not recursed into); dumping never
// fails on bytes that are not UTF-8 (namespace paths are byte strings).
#ifndef NOKV_AGENT_JSON_TEXT_H_
#define NOKV_AGENT_JSON_TEXT_H_

#include <string>
#include <string_view>

#include "agent/outcome.h"

namespace nokv::agent {

inline constexpr int kMaxInputDepth = 64;

// Parses `text` as one JSON value nested at most `max_depth` deep.
// InvalidArgument says where parsing failed.
Outcome<json> ParseJson(std::string_view text, int max_depth = kMaxInputDepth);

// Compact JSON; invalid UTF-8 in strings becomes U+FFFD.
std::string DumpJson(const json& value);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Cuts `s` to at most `max_bytes` at a UTF-8 character boundary; appends
// "…" when something was cut.
std::string Shorten(std::string_view s, size_t max_bytes);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_JSON_TEXT_H_
