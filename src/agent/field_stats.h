// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// FieldStats: what catalog and facets report about one field over a set of
// rows: how many rows have it, min/max for ordered types, the number of
// distinct values and the most frequent ones. Memory is bounded: at most
// kMaxTracked distinct values are counted, after which `distinct` is a lower
// bound and the result says so.
#ifndef NOKV_AGENT_FIELD_STATS_H_
#define NOKV_AGENT_FIELD_STATS_H_

#include <cstdint>
#include <string>
#include <unordered_map>

#include "agent/outcome.h"

namespace nokv::agent {

class FieldStats {
 public:
  static constexpr size_t kMaxTracked = 10000;

  // `ordered`: report min and max (numbers, times).
  explicit FieldStats(bool ordered) : ordered_(ordered) {}

  // Adds one row's value; null (the row has no value) is not counted.
  void Add(const json& value);

  uint64_t count() const { return count_; }
  // {"count", "distinct", "min", "max"}; with `top` > 0 also "top":
  // [[value, count], ...] most frequent first (ties by value).
  json ToJson(size_t top) const;
  // Just the top values.
  json Top(size_t top) const;

 private:
  const bool ordered_;
  uint64_t count_ = 0;
  json min_;
  json max_;
  std::unordered_map<std::string, uint64_t> counts_;  // dumped value -> rows
  bool capped_ = false;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_FIELD_STATS_H_
