// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/body_summary_cache.h"

namespace nokv {

BodySummaryCache::BodySummaryCache(size_t capacity) {
  constexpr size_t kShards = 16;
  per_shard_ = capacity / kShards;
  if (per_shard_ == 0) return;  // disabled
  for (size_t i = 0; i < kShards; ++i) shards_.push_back(std::make_unique<Shard>());
}

std::optional<BodySummary> BodySummaryCache::Lookup(uint64_t body_id) {
  if (shards_.empty()) return std::nullopt;
  Shard& s = ShardFor(body_id);
  std::lock_guard<std::mutex> l(s.mu);
  auto it = s.index.find(body_id);
  if (it == s.index.end()) return std::nullopt;
  s.lru.splice(s.lru.begin(), s.lru, it->second);
  return it->second->second;
}

void BodySummaryCache::Insert(uint64_t body_id, BodySummary summary) {
  if (shards_.empty()) return;
  Shard& s = ShardFor(body_id);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.index.count(body_id) != 0) return;
  s.lru.emplace_front(body_id, std::move(summary));
  s.index.emplace(body_id, s.lru.begin());
  if (s.lru.size() > per_shard_) {
    s.index.erase(s.lru.back().first);
    s.lru.pop_back();
  }
}

}  // namespace nokv
