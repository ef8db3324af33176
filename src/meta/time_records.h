// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Records of the time features: the commit log, the event log (watch),
// snapshots, body reference counts and the history-pruning queue. All live
// in plain (unversioned) families; every value starts with kFormatV1.
//
//   commits   [version BE]                          -> CommitRecord
//   events    [version BE][seq BE32]                -> EventRecord
//   snapshots [name]                                -> SnapshotRecord
//   refs      [body id BE]                          -> reference count
//   gc        'Q'[superseded at BE][family][prefix] -> GcEntry (queued)
//             'P'[pin BE][superseded at BE][family][prefix]
//                                                   -> GcEntry (parked: a snapshot
//                                                      at version `pin` needs it)
//             'B'[body id BE]                       -> empty (unreferenced body)
#ifndef NOKV_META_TIME_RECORDS_H_
#define NOKV_META_TIME_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "meta/records.h"
#include "nokv/status.h"
#include "nokv/types.h"

namespace nokv {

// ---- commit log ----
std::string CommitKey(uint64_t version);
bool DecodeCommitKey(std::string_view key, uint64_t* version);
struct CommitRecord {
  int64_t time_ns = 0;
  uint32_t events = 0;
};
std::string EncodeCommit(const CommitRecord& r);
Status DecodeCommit(std::string_view v, CommitRecord* r);

// ---- event log ----
std::string EventKey(uint64_t version, uint32_t seq);
bool DecodeEventKey(std::string_view key, uint64_t* version, uint32_t* seq);

// Persisted event types; the numbers are part of the format.
enum class EventType : uint8_t {
  kCreate = 1,
  kReplace = 2,
  kMkdir = 3,
  kRemove = 4,
  kRename = 5,
  kClone = 6,
  kRollback = 7,
  kCheckpoint = 8,
  kSnapshotCreate = 9,
  kSnapshotDrop = 10,
  kPublish = 11,
};
const char* EventTypeName(EventType t);
// True for events that concern a whole subtree rooted at their path(s).
bool IsSubtreeEvent(EventType t, FileKind kind);

struct EventRecord {
  EventType type = EventType::kCreate;
  int64_t time_ns = 0;
  std::string path;       // the subject (destination of a rename or clone)
  std::string from_path;  // rename and clone source
  uint64_t ino = 0;
  FileKind kind = FileKind::kFile;
  uint64_t generation = 0;
  uint64_t size = 0;
  std::string sha256;  // 32 raw bytes or empty
  std::string detail;  // snapshot name, checkpoint step, file count
};
std::string EncodeEvent(const EventRecord& r);
Status DecodeEvent(std::string_view v, EventRecord* r);

// ---- snapshots ----
struct SnapshotRecord {
  std::string name;
  std::string path;  // root of the pinned subtree, as it was named then
  uint64_t version = 0;
  FileKind kind = FileKind::kDirectory;
  uint64_t root_ino = 0;
  int64_t created_ns = 0;
  int64_t expires_ns = 0;  // 0: until dropped
};
std::string EncodeSnapshot(const SnapshotRecord& r);
Status DecodeSnapshot(std::string_view v, SnapshotRecord* r);

// ---- reference counts ----
std::string EncodeCount(uint64_t n);
Status DecodeCount(std::string_view v, uint64_t* n);

// ---- history pruning queue ----
// A versioned record superseded at `superseded_at`: its previous version
// `prior` (0: none) may be pruned once no reader can need it.
struct GcEntry {
  uint64_t prior = 0;
  bool tombstone = false;  // the superseding write was a deletion
};
std::string EncodeGcEntry(const GcEntry& e);
Status DecodeGcEntry(std::string_view v, GcEntry* e);

inline constexpr char kGcQueueTag = 'Q';
inline constexpr char kGcParkTag = 'P';
inline constexpr char kGcDeadBodyTag = 'B';

struct GcTarget {
  uint64_t superseded_at = 0;
  Family family = Family::kSys;
  std::string prefix;  // versioned key prefix
};
std::string GcQueueKey(const GcTarget& t);
std::string GcParkKey(uint64_t pin, const GcTarget& t);
// Parses a queue or park key; `pin` is set for park keys.
bool DecodeGcKey(std::string_view key, GcTarget* t, uint64_t* pin);
std::string DeadBodyKey(uint64_t body_id);
bool DecodeDeadBodyKey(std::string_view key, uint64_t* body_id);

}  // namespace nokv

#endif  // NOKV_META_TIME_RECORDS_H_
