// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// RowGrep: find's `grep` option, {file?, pattern, regex?, ignore_case?,
// limit?}. For each result row it lists the matching lines of one file
// under the row (`file`, a path relative to the row; absent when the row is
// itself a file) as [[line, text], ...], ending in "…" when more lines
// match than `limit`, so one call answers "which runs, and what do their
// logs say". A row whose file does not exist, or is binary, gets null.
// One call scans at most kScanBudget bytes; rows past the budget get null
// and budget_hit() turns true. Not thread-safe.
#ifndef NOKV_AGENT_ROW_GREP_H_
#define NOKV_AGENT_ROW_GREP_H_

#include <re2/re2.h>

#include <memory>
#include <optional>
#include <string>

#include "agent/outcome.h"
#include "agent/verb.h"

namespace nokv::agent {

class RowGrep {
 public:
  static constexpr uint64_t kScanBudget = 32 << 20;
  static constexpr uint64_t kDefaultLimit = 10;
  static constexpr uint64_t kMaxLimit = 50;

  // Parses the option; nullopt when `spec` is null.
  static Outcome<std::optional<RowGrep>> Parse(const json* spec);

  // The matching lines for the row at `row_path` (the first `limit`), or
  // null when the file is absent or binary, or the budget is spent.
  Outcome<json> Lines(const VerbContext& ctx, const std::string& row_path);

  bool budget_hit() const { return budget_hit_; }

 private:
  RowGrep() = default;

  std::string file_;
  std::shared_ptr<RE2> re_;
  uint64_t limit_ = kDefaultLimit;
  uint64_t bytes_scanned_ = 0;
  bool budget_hit_ = false;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_ROW_GREP_H_
