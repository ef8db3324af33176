// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/field_stats.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "agent/fields.h"

namespace nokv::agent {

void FieldStats::Add(const json& value) {
  if (value.is_null()) return;
  ++count_;
  if (ordered_) {
    if (min_.is_null() || CompareValues(value, min_) < 0) min_ = value;
    if (max_.is_null() || CompareValues(value, max_) > 0) max_ = value;
  }
  std::string key = value.dump(-1, ' ', false, json::error_handler_t::replace);
  auto it = counts_.find(key);
  if (it != counts_.end()) {
    ++it->second;
  } else if (counts_.size() < kMaxTracked) {
    counts_.emplace(std::move(key), 1);
  } else {
    capped_ = true;
  }
}

json FieldStats::Top(size_t top) const {
  std::vector<std::pair<const std::string*, uint64_t>> all;
  all.reserve(counts_.size());
  for (const auto& [key, n] : counts_) all.emplace_back(&key, n);
  const size_t k = std::min(top, all.size());
  auto by_count = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : *a.first < *b.first;
  };
  std::partial_sort(all.begin(), all.begin() + k, all.end(), by_count);
  json out = json::array();
  for (size_t i = 0; i < k; ++i) out.push_back({json::parse(*all[i].first), all[i].second});
  return out;
}

json FieldStats::ToJson(size_t top) const {
  json out = {{"count", count_}, {"distinct", counts_.size()}};
  if (capped_) out["distinct_capped"] = true;
  if (ordered_ && count_ > 0) {
    out["min"] = min_;
    out["max"] = max_;
  }
  if (top > 0) out["top"] = Top(top);
  return out;
}

}  // namespace nokv::agent
