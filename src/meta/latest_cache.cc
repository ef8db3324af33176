// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/latest_cache.h"

#include <functional>

namespace nokv {

namespace {
constexpr size_t kShards = 64;
}

LatestCache::LatestCache(size_t capacity) {
  if (capacity == 0) return;
  size_t per_shard = std::max<size_t>(1, capacity / kShards);
  for (size_t i = 0; i < kShards; ++i) {
    auto shard = std::make_unique<Shard>();
    shard->capacity = per_shard;
    shards_.push_back(std::move(shard));
  }
}

LatestCache::Shard& LatestCache::ShardFor(std::string_view key) {
  return *shards_[std::hash<std::string_view>{}(key) % shards_.size()];
}

std::optional<VersionedValue> LatestCache::Lookup(std::string_view key) {
  if (!enabled()) return std::nullopt;
  Shard& s = ShardFor(key);
  std::lock_guard<std::mutex> l(s.mu);
  auto it = s.index.find(key);
  if (it == s.index.end()) return std::nullopt;
  s.lru.splice(s.lru.begin(), s.lru, it->second);
  return it->second->value;
}

uint64_t LatestCache::Epoch(std::string_view key) {
  if (!enabled()) return 0;
  Shard& s = ShardFor(key);
  std::lock_guard<std::mutex> l(s.mu);
  return s.epoch;
}

void LatestCache::FillIfUnchanged(std::string_view key, VersionedValue v, uint64_t epoch) {
  if (!enabled()) return;
  Shard& s = ShardFor(key);
  std::lock_guard<std::mutex> l(s.mu);
  if (s.epoch != epoch) return;
  s.PutLocked(key, std::move(v));
}

void LatestCache::Update(std::string_view key, VersionedValue v) {
  if (!enabled()) return;
  Shard& s = ShardFor(key);
  std::lock_guard<std::mutex> l(s.mu);
  ++s.epoch;
  auto it = s.index.find(key);
  if (it != s.index.end()) it->second->value = std::move(v);
}

void LatestCache::Clear() {
  for (auto& s : shards_) {
    std::lock_guard<std::mutex> l(s->mu);
    ++s->epoch;
    s->index.clear();
    s->lru.clear();
  }
}

void LatestCache::Shard::PutLocked(std::string_view key, VersionedValue v) {
  auto it = index.find(key);
  if (it != index.end()) {
    it->second->value = std::move(v);
    lru.splice(lru.begin(), lru, it->second);
    return;
  }
  lru.push_front(Entry{std::string(key), std::move(v)});
  index.emplace(lru.front().key, lru.begin());
  while (lru.size() > capacity) {
    index.erase(lru.back().key);
    lru.pop_back();
  }
}

}  // namespace nokv
