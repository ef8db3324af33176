// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// LatestCache: a bounded, sharded LRU of the newest version of versioned
// records (dentries, inodes), including "absent" entries. It is kept exact by
// the commit pipeline: every commit upserts what it wrote before the commit
// becomes visible. A reader that misses fills the cache only if no commit
// touched the shard in between (per-shard epochs), so a stale fill can never
// overwrite newer state.
//
// Thread-safe. Memory is bounded by `capacity` entries.
#ifndef NOKV_META_LATEST_CACHE_H_
#define NOKV_META_LATEST_CACHE_H_

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nokv {

struct VersionedValue {
  uint64_t version = 0;              // 0 with no value: never existed
  std::optional<std::string> value;  // nullopt: absent or deleted at `version`
};

class LatestCache {
 public:
  explicit LatestCache(size_t capacity);

  bool enabled() const { return !shards_.empty(); }

  std::optional<VersionedValue> Lookup(std::string_view key);
  // The shard epoch to pass to FillIfUnchanged after reading the store.
  uint64_t Epoch(std::string_view key);
  // Inserts `v` unless a commit touched the key's shard since `epoch`.
  void FillIfUnchanged(std::string_view key, VersionedValue v, uint64_t epoch);
  // Called by the commit pipeline for every key it wrote: refreshes an entry
  // that is cached and invalidates concurrent fills. Keys not cached stay
  // uncached, so bulk writes do not evict what readers use.
  void Update(std::string_view key, VersionedValue v);
  // Drops everything (used after a secondary instance catches up).
  void Clear();

 private:
  struct Entry {
    std::string key;
    VersionedValue value;
  };
  struct Shard {
    std::mutex mu;
    uint64_t epoch = 0;
    size_t capacity = 0;
    std::list<Entry> lru;  // front = most recent
    std::unordered_map<std::string_view, std::list<Entry>::iterator> index;
    void PutLocked(std::string_view key, VersionedValue v);
  };
  Shard& ShardFor(std::string_view key);

  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace nokv

#endif  // NOKV_META_LATEST_CACHE_H_
