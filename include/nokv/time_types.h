// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Value types of the time features of a Namespace: snapshots, file history,
// diffs, checkpoints, the watch log and garbage collection.
#ifndef NOKV_TIME_TYPES_H_
#define NOKV_TIME_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nokv/types.h"

namespace nokv {

// A named, consistent cut of a subtree (or one file) at one commit version.
// A snapshot pins what its version needs against garbage collection until it
// is dropped or its TTL passes; it costs O(1) to create at any tree size.
struct SnapshotInfo {
  std::string name;
  std::string path;  // the pinned root, named as it was at `version`
  FileKind kind = FileKind::kDirectory;
  uint64_t version = 0;
  int64_t created_ns = 0;
  int64_t expires_ns = 0;  // 0: lives until dropped
};

struct SnapshotOptions {
  std::string name;         // empty: "snap-<version>"
  int64_t ttl_seconds = 0;  // 0: no expiry
};

// One retained version of the contents of a path (see Namespace::History).
struct FileGeneration {
  uint64_t generation = 0;  // generation of the file `ino` (counts per file)
  // The first commit version at which the path held these contents (for
  // contents renamed into place: the rename). `--version` reads them there.
  uint64_t version = 0;
  int64_t mtime_ns = 0;
  uint64_t size = 0;
  std::string sha256_hex;
  bool current = false;  // the generation the read version sees
  uint64_t ino = 0;      // the file that held the path then
  // The contents arrived by a rename from this path (empty: written here,
  // or the event log no longer says).
  std::string from_path;
};

struct DiffEntry {
  enum class Type : uint8_t { kAdded, kRemoved, kModified, kRenamed };
  Type type = Type::kAdded;
  std::string path;      // the path at the newer side (older side for removals)
  std::string old_path;  // renames only
  FileKind kind = FileKind::kFile;
  uint64_t ino = 0;
  uint64_t old_size = 0, new_size = 0;
  uint64_t old_generation = 0, new_generation = 0;
  std::string old_sha256_hex, new_sha256_hex;
};
const char* DiffTypeName(DiffEntry::Type t);

struct DiffReport {
  uint64_t from_version = 0;
  uint64_t to_version = 0;
  // "events": derived from the event log (cost follows what changed);
  // "walk": both trees walked (the log no longer covers the range).
  std::string method;
  uint64_t paths_examined = 0;
  std::vector<DiffEntry> entries;  // sorted by path
};

struct CheckpointShard {
  std::string path;
  uint64_t generation = 0;
  uint64_t size = 0;
  std::string sha256_hex;
};

struct CheckpointInfo {
  std::string run_dir;
  uint64_t step = 0;
  std::string path;           // the step directory
  std::string manifest_path;  // path + "/MANIFEST.json"
  uint64_t version = 0;       // commit that published it
  int64_t created_ns = 0;
  uint64_t total_bytes = 0;
  std::vector<CheckpointShard> shards;
  // A shard later removed or replaced makes a checkpoint incomplete;
  // `problem` says which.
  bool complete = true;
  std::string problem;
};

struct WatchEvent {
  std::string type;  // create, replace, mkdir, remove, rename, clone, rollback,
                     // checkpoint, snapshot-create, snapshot-drop, publish
  uint64_t version = 0;
  std::string cursor;  // resume after this event
  int64_t time_ns = 0;
  std::string path;
  std::string from_path;  // rename and clone
  uint64_t ino = 0;
  FileKind kind = FileKind::kFile;
  uint64_t generation = 0;
  uint64_t size = 0;
  std::string sha256_hex;
  std::string detail;  // snapshot name, checkpoint step, file count
};

struct WatchOptions {
  // Resume after this cursor. Empty: from the oldest retained event.
  std::string cursor;
  // Ignore `cursor` and start after the newest event.
  bool from_now = false;
  size_t limit = 1000;  // events per page, 1..100000
};

struct WatchPage {
  std::vector<WatchEvent> events;
  // Resume here (also when no event matched: events of other paths are
  // skipped, not replayed again).
  std::string next_cursor;
  bool more = false;  // the page stopped at `limit`
};

struct GcOptions {
  bool dry_run = false;
  // Versions committed within this window stay readable with --version.
  int64_t history_retention_seconds = 3600;
  // Watch log retention: by age and by number of events.
  int64_t event_retention_seconds = 7 * 24 * 3600;
  uint64_t event_retention_count = 10'000'000;
  // Idempotency keys are remembered this long; a retry after that window
  // commits again instead of returning the first attempt's result.
  int64_t idempotency_retention_seconds = 24 * 3600;
  // Work done per step (queue entries examined); each step is one batch.
  size_t step_budget = 10000;
  size_t max_steps = 0;  // 0: run until no work is left
};

// What a collection could not free, and why. Each figure is what releasing
// that one hold alone would free; bytes shared by several holds are counted
// in none of them. Computed from the gc queue and the parked entries (the
// retained versions), never by walking the namespace.
struct GcHold {
  uint64_t versions = 0;  // retained record versions
  uint64_t bodies = 0;    // bodies only they keep
  uint64_t bytes = 0;     // those bodies' bytes
};

struct GcSnapshotHold {
  std::string name;
  uint64_t version = 0;  // the version it pins
  GcHold hold;
};

struct GcHeld {
  // Versions superseded within the history retention window (younger than
  // the floor); --keep-history releases them.
  GcHold history;
  int64_t history_retention_seconds = 0;
  // Versions kept for snapshots, one row per live snapshot that keeps any.
  std::vector<GcSnapshotHold> snapshots;
  // Kept by several of the holds above together (e.g. history inside the
  // window that a snapshot also pins): released only when all of them are.
  GcHold jointly;
  // Bodies of versions pruned by this run that stay because a live file, a
  // clone or fork, or a retained version still names them.
  GcHold shared;
  // False when a figure stopped at the examination budget (a lower bound).
  bool exact = true;
};

struct GcReport {
  uint64_t floor_version = 0;  // versions below are no longer readable
  uint64_t snapshots_expired = 0;
  uint64_t versions_pruned = 0;
  uint64_t versions_pinned = 0;  // kept for a snapshot
  uint64_t bodies_freed = 0;
  uint64_t blocks_deleted = 0;
  uint64_t bytes_freed = 0;
  uint64_t intents_removed = 0;
  uint64_t events_trimmed = 0;
  uint64_t idempotency_trimmed = 0;  // records older than the window
  uint64_t steps = 0;
  bool finished = true;  // false when max_steps stopped it with work left
  // Objects the store failed to delete; their records are kept for a retry.
  uint64_t delete_failures = 0;
  std::string last_error;
  GcHeld held;
};

}  // namespace nokv

#endif  // NOKV_TIME_TYPES_H_
