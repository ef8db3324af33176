// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// MetaEngine: MVCC records over RocksDB with one commit pipeline.
//
// Writes: a Command runs against a Txn inside the pipeline. Commands queued
// concurrently form a group; the leader runs them one after another (each sees
// the effects of the ones before it), gives each successful command the next
// version, and writes the whole group as one RocksDB WriteBatch (WAL synced
// when Options::sync). Only then is the cache updated and the group's last
// version published as visible, so versions form a total order with no holes
// visible to readers. A command that fails leaves no trace.
//
// Reads: at any version V <= VisibleVersion(), lock-free with respect to
// writers. Latest-version point reads go through LatestCache.
//
// Thread safety: all public methods are thread-safe.
#ifndef NOKV_META_ENGINE_H_
#define NOKV_META_ENGINE_H_

#include <rocksdb/db.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meta/latest_cache.h"
#include "meta/records.h"
#include "nokv/status.h"

namespace nokv {

class MetaEngine;
struct CommitGroup;

struct EngineOptions {
  std::string db_path;
  bool read_only = false;      // open as a RocksDB secondary instance
  std::string secondary_path;  // scratch dir for a secondary instance
  bool sync = true;
  size_t cache_entries = 1 << 18;
  size_t block_cache_bytes = 64 << 20;
};

// A transaction inside the commit pipeline. Reads see the newest committed
// state plus earlier commands of the same group plus this command's writes.
//
// Every versioned write supersedes the key's previous version; the engine
// queues that version for history pruning (family kGc) in the same batch.
// Keys read through Get before being written cost nothing extra; others are
// looked up at commit time, unless written with PutNew.
class Txn {
 public:
  // Version this command commits at if it succeeds (0 for maintenance).
  uint64_t version() const { return version_; }
  // Commit timestamp shared by the group (unix ns).
  int64_t time_ns() const { return time_ns_; }

  // Versioned families: the newest live value (nullopt if absent/deleted).
  // Plain families: the stored value.
  Result<std::optional<std::string>> Get(Family f, std::string_view key);
  // Like Get but consults only writes of this group (no store read); nullopt
  // when the key was not written in this group.
  std::optional<std::optional<std::string>> GetPending(Family f, std::string_view key) const;
  // Versioned families write a new version; plain families overwrite.
  void Put(Family f, std::string_view key, std::string value);
  // A versioned key that has never existed (a freshly allocated id).
  void PutNew(Family f, std::string_view key, std::string value);
  // Versioned families write a tombstone; plain families delete.
  void Delete(Family f, std::string_view key);
  // Calls fn(key, value) for every live key starting with `prefix`, in key
  // order (versioned keys without their version suffix).
  Status Scan(Family f, std::string_view prefix,
              const std::function<bool(std::string_view, std::string_view)>& fn);

  // Appends an encoded event to the event log at this command's version.
  void Emit(std::string event) { events_.push_back(std::move(event)); }

  // Maintenance commands only: physically removes one stored version of a
  // versioned key (history pruning). Readers at versions that could see it
  // must already be excluded by the caller.
  void EraseVersion(Family f, std::string_view prefix, uint64_t version);

  bool empty() const;

 private:
  friend class MetaEngine;
  Txn(MetaEngine* engine, CommitGroup* group, uint64_t version, int64_t time_ns)
      : engine_(engine), group_(group), version_(version), time_ns_(time_ns) {}
  void NotePrior(int family, std::string_view key, uint64_t version);

  using Overlay = std::map<std::string, std::optional<std::string>, std::less<>>;
  MetaEngine* engine_;
  CommitGroup* group_;
  uint64_t version_;
  int64_t time_ns_;
  Overlay local_[static_cast<int>(Family::kCount)];
  // Versioned keys: the version each key had before this command (0: none).
  std::map<std::string, uint64_t, std::less<>> prior_[static_cast<int>(Family::kCount)];
  std::vector<std::string> events_;
  std::vector<std::pair<Family, std::string>> erased_;  // full versioned keys
};

using Command = std::function<Status(Txn&)>;

struct CommitResult {
  uint64_t version = 0;   // the version the command became visible at
  bool replayed = false;  // idempotency key matched an earlier commit
};

// Kinds of ids handed out by the engine's allocator.
enum class IdKind : uint8_t { kInode = 0, kBody = 1 };

// A consistent read view of the plain families: a RocksDB snapshot on the
// writer; on a secondary, its state as of the last CatchUp (which a caller
// must not run concurrently). Counts the entries it reads. Not thread-safe.
class PlainView {
 public:
  ~PlainView();
  PlainView(const PlainView&) = delete;
  PlainView& operator=(const PlainView&) = delete;

  Result<std::optional<std::string>> Get(Family f, std::string_view key);
  // The values of `keys` (nullopt where absent), in the order given: one
  // batched lookup instead of a Get per key.
  Result<std::vector<std::optional<std::string>>> MultiGet(Family f,
                                                           const std::vector<std::string>& keys);
  // Keys beginning with `prefix` in [from, to) (empty: unbounded), forward
  // or backward; fn(key, value) returns false to stop.
  Status Scan(Family f, std::string_view prefix, std::string_view from, std::string_view to,
              bool reverse, const std::function<bool(std::string_view, std::string_view)>& fn);
  uint64_t entries_read() const { return entries_read_; }

 private:
  friend class MetaEngine;
  PlainView(MetaEngine* engine, const rocksdb::Snapshot* snapshot)
      : engine_(engine), snapshot_(snapshot) {}
  MetaEngine* engine_;
  const rocksdb::Snapshot* snapshot_;  // null on a secondary
  uint64_t entries_read_ = 0;
};

class MetaEngine {
 public:
  static Result<std::unique_ptr<MetaEngine>> Open(const EngineOptions& options);
  ~MetaEngine();
  MetaEngine(const MetaEngine&) = delete;
  MetaEngine& operator=(const MetaEngine&) = delete;

  bool read_only() const { return options_.read_only; }

  // Runs `cmd` in the commit pipeline. With a non-empty idempotency key, a
  // key that already committed the same request (equal `request_digest`)
  // returns that commit's version (replayed) and does not run `cmd` again; a
  // key that committed a different request is a Conflict. A command that
  // writes nothing returns the current version without creating a new one.
  Result<CommitResult> Commit(const Command& cmd, const std::string& idempotency_key = "",
                              const std::string& request_digest = "");

  // Runs a maintenance command in the pipeline (serialized with commits). It
  // gets no version and may only write plain families and EraseVersion; it
  // emits no events. Used by GC and upload-intent cleanup.
  Status Maintain(const Command& cmd);

  uint64_t VisibleVersion() const { return visible_.load(std::memory_order_acquire); }

  // Newest value of a versioned prefix at version <= at (nullopt value if it
  // is absent or deleted there). A miss fills the cache when `fill_cache`.
  Result<VersionedValue> ReadAt(Family f, std::string_view prefix, uint64_t at,
                                bool fill_cache = true);

  // Streams live versioned records under `prefix` at version `at`, starting
  // strictly after `start_after` (a full key prefix) when non-empty.
  // fn(key_prefix, value) returns false to stop.
  Status ScanAt(Family f, std::string_view prefix, uint64_t at, std::string_view start_after,
                const std::function<bool(std::string_view, std::string_view)>& fn);

  // Every stored version of a versioned prefix, newest first:
  // fn(version, value or nullopt for a tombstone) returns false to stop.
  Status Versions(Family f, std::string_view prefix,
                  const std::function<bool(uint64_t, std::optional<std::string_view>)>& fn);

  // Every stored version of every key of a versioned family (fsck):
  // fn(prefix, version, value or nullopt) returns false to stop.
  Status ScanAllVersions(
      Family f,
      const std::function<bool(std::string_view, uint64_t, std::optional<std::string_view>)>& fn);

  // Plain families.
  Result<std::optional<std::string>> GetPlain(Family f, std::string_view key);
  Status ScanPlain(Family f, std::string_view prefix,
                   const std::function<bool(std::string_view, std::string_view)>& fn);
  // Keys >= `start` that begin with `prefix`, in order.
  Status ScanPlainFrom(Family f, std::string_view prefix, std::string_view start,
                       const std::function<bool(std::string_view, std::string_view)>& fn);
  // A random id chosen when the data dir was created; cursors carry it so a
  // cursor from another data dir is recognised.
  uint64_t dir_id() const { return dir_id_; }
  // Number of events appended to the event log since the data dir was made.
  uint64_t EventsAppended() const { return events_total_.load(std::memory_order_acquire); }
  // A durable write outside the pipeline, for records no command races on
  // (upload intents). Synced regardless of Options::sync.
  Status PutPlainDirect(Family f, std::string_view key, std::string_view value);
  Status DeletePlainDirect(Family f, std::string_view key);

  // A consistent view for several related plain reads (see PlainView).
  std::unique_ptr<PlainView> OpenPlainView();

  // Hands out a unique id, never reused even across crashes.
  Result<uint64_t> AllocateId(IdKind kind);

  // Secondary instances: pick up what the primary committed since.
  Status CatchUp();

  // Number of RocksDB point/seek reads issued (a cost counter for tests).
  uint64_t store_reads() const { return store_reads_.load(std::memory_order_relaxed); }

 private:
  friend class Txn;
  friend class PlainView;
  struct Writer;

  explicit MetaEngine(const EngineOptions& options);
  Status OpenDb();
  Status LoadState();
  Status Bootstrap();
  void RunGroup(std::vector<Writer*>& group);
  // Adds a successful command's writes to the group's batch.
  Status ApplyCommand(CommitGroup& g, Txn& txn, uint64_t version);
  Status ApplyMaintenance(CommitGroup& g, Txn& txn);
  Result<CommitResult> Enqueue(const Command& cmd, const std::string& idempotency_key,
                               const std::string& request_digest, bool maintenance);
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles_[static_cast<int>(f)]; }
  // Newest record of a versioned prefix in RocksDB, ignoring visibility.
  Result<VersionedValue> ReadNewestFromDb(Family f, std::string_view prefix, uint64_t at);
  static std::string CacheKey(Family f, std::string_view prefix);

  const EngineOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  LatestCache cache_;
  std::atomic<uint64_t> visible_{0};
  std::atomic<uint64_t> store_reads_{0};
  std::atomic<uint64_t> events_total_{0};
  uint64_t dir_id_ = 0;  // random identity of this data dir

  std::mutex queue_mu_;
  std::deque<Writer*> writers_;
  uint64_t committed_ = 0;  // guarded by the pipeline leadership

  std::mutex id_mu_;
  uint64_t id_next_[2] = {0, 0};
  uint64_t id_limit_[2] = {0, 0};
};

}  // namespace nokv

#endif  // NOKV_META_ENGINE_H_
