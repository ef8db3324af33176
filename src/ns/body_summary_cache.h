// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// BodySummaryCache: a bounded LRU of what `stat` needs from a body descriptor
// (digest, content type, block count, inline flag). Body records are
// immutable, so entries never go stale and need no invalidation.
//
// Thread-safe. Memory is bounded by `capacity` entries (~150 bytes each).
#ifndef NOKV_NS_BODY_SUMMARY_CACHE_H_
#define NOKV_NS_BODY_SUMMARY_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nokv {

struct BodySummary {
  std::string sha256_hex;
  std::string content_type;
  uint64_t block_count = 0;
  bool is_inline = false;
};

class BodySummaryCache {
 public:
  explicit BodySummaryCache(size_t capacity);
  std::optional<BodySummary> Lookup(uint64_t body_id);
  void Insert(uint64_t body_id, BodySummary summary);

 private:
  struct Shard {
    std::mutex mu;
    std::list<std::pair<uint64_t, BodySummary>> lru;  // front = most recent
    std::unordered_map<uint64_t, std::list<std::pair<uint64_t, BodySummary>>::iterator> index;
  };
  Shard& ShardFor(uint64_t body_id) { return *shards_[body_id % shards_.size()]; }

  size_t per_shard_;
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace nokv

#endif  // NOKV_NS_BODY_SUMMARY_CACHE_H_
