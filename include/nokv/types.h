// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Plain value types shared by the Namespace interface and its front doors.
#ifndef NOKV_TYPES_H_
#define NOKV_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace nokv {

// Inode numbers, body ids and commit versions are 64-bit. The high kShardBits
// are reserved for a shard id so a distributed metadata backend can be added
// later without renumbering; the embedded engine always uses shard 0.
inline constexpr int kShardBits = 8;
inline constexpr uint64_t kLocalIdMask = (uint64_t{1} << (64 - kShardBits)) - 1;
inline constexpr uint64_t MakeId(uint64_t shard, uint64_t local) {
  return (shard << (64 - kShardBits)) | (local & kLocalIdMask);
}
inline constexpr uint64_t ShardOf(uint64_t id) { return id >> (64 - kShardBits); }

inline constexpr uint64_t kRootInode = 1;

enum class FileKind : uint8_t { kFile = 1, kDirectory = 2 };

// Everything `stat` reports about one path at one version.
struct FileInfo {
  std::string path;  // normalized absolute path
  uint64_t ino = 0;
  FileKind kind = FileKind::kFile;
  uint64_t size = 0;         // bytes of the body; 0 for directories
  uint64_t generation = 0;   // 1 for the first body, +1 per replace; 0 for dirs
  uint64_t version = 0;      // commit version that last changed this inode
  int64_t ctime_ns = 0;      // creation time of the inode (unix ns)
  int64_t mtime_ns = 0;      // last body/entry change (unix ns)
  uint64_t child_count = 0;  // directories only
  // File bodies only (filled when the body descriptor is loaded):
  uint64_t body_id = 0;
  std::string sha256_hex;
  std::string content_type;
  uint64_t block_count = 0;
  bool is_inline = false;
};

// One directory entry as returned by List.
struct DirEntry {
  std::string name;
  FileKind kind = FileKind::kFile;
  uint64_t ino = 0;
  // Filled only when ListOptions::with_attrs is set.
  uint64_t size = 0;
  uint64_t generation = 0;
  int64_t mtime_ns = 0;
  uint64_t child_count = 0;
};

struct ListPage {
  std::vector<DirEntry> entries;
  // Opaque; empty when the listing is complete. Pinned to the version the
  // first page was read at, so pages never mix versions.
  std::string next_cursor;
  uint64_t version = 0;  // the version this page was read at
};

// A problem found by fsck.
struct FsckIssue {
  std::string kind;    // stable identifier, e.g. "missing_block", "orphan_block"
  std::string detail;  // human-readable description naming the path/object
};

struct FsckReport {
  uint64_t directories = 0;
  uint64_t files = 0;
  uint64_t inline_bodies = 0;
  uint64_t blocks_checked = 0;
  uint64_t bytes_verified = 0;
  uint64_t pending_intents = 0;  // uploads in flight or left by a crash
  uint64_t orphan_objects = 0;   // objects no body and no intent references
  // Uploads left by writers that are gone (a killed publish). Not damage:
  // CleanupIntents (`fsck --repair`, `gc`, the next writer) reclaims them.
  uint64_t abandoned_intents = 0;
  uint64_t abandoned_objects = 0;  // their objects in the block store
  uint64_t abandoned_bytes = 0;    // and those objects' bytes
  // Corruption, missing blocks, orphans, invariant violations. Pending
  // intents (of a live writer or abandoned) are not issues.
  std::vector<FsckIssue> issues;
  bool clean() const { return issues.empty(); }
};

struct IntentCleanupReport {
  uint64_t intents_removed = 0;
  uint64_t objects_removed = 0;
  uint64_t bytes_removed = 0;
};

}  // namespace nokv

#endif  // NOKV_TYPES_H_
