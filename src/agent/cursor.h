// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Opaque page cursors. A cursor pins the version the first page was read at
// and records where the next page starts, so pages never mix versions. It
// also carries the verb and a fingerprint of the query, so a cursor handed to
// another query is rejected instead of silently skipping rows.
#ifndef NOKV_AGENT_CURSOR_H_
#define NOKV_AGENT_CURSOR_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/outcome.h"

namespace nokv::agent {

struct CursorState {
  std::string verb;
  uint64_t version = 0;
  uint64_t query = 0;  // QueryFingerprint of the arguments
  json position;       // verb-specific resume point
};

std::string EncodeCursor(const CursorState& state);
Outcome<CursorState> DecodeCursor(std::string_view text);

// A hash of the arguments that define a result set: everything except
// `cursor`, the page sizes `limit` and `length`, and `at` (which the cursor
// itself pins).
uint64_t QueryFingerprint(const json& args);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_CURSOR_H_
