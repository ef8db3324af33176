// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Record families of the metadata engine and their key and value encodings.
// Every value starts with a format version byte (kFormatV1); decoders reject
// unknown versions with Corruption instead of guessing.
//
// Versioned families (MVCC) append ~version (big-endian) to a key prefix, so
// the newest version of a prefix sorts first and a read at version V is one
// seek to prefix+~V.
//
//   dentries  [parent ino BE][name][0x00][~version]  -> DentryRecord
//   inodes    [ino BE][~version]                     -> InodeRecord
//   bodies    [body id BE]                           -> BodyDescriptor (immutable)
//   intents   [upload id BE]                         -> IntentRecord
//   idem      [idempotency key]                      -> IdempotencyRecord
//   sys       [name]                                 -> engine bookkeeping
//   commits, events, snapshots, refs, gc: see meta/time_records.h
//   index: see index/index_records.h
#ifndef NOKV_META_RECORDS_H_
#define NOKV_META_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"
#include "nokv/types.h"

namespace nokv {

inline constexpr uint8_t kFormatV1 = 1;

enum class Family : uint8_t {
  kSys = 0,
  kDentries,
  kInodes,
  kBodies,
  kIntents,
  kIdem,
  kCommits,
  kEvents,
  kSnapshots,
  kRefs,
  kGc,
  kIndex,
  kCount
};
const char* FamilyName(Family f);
bool IsVersioned(Family f);

// ---- keys ----
std::string DentryPrefix(uint64_t parent, std::string_view name);  // without version
std::string DirPrefix(uint64_t parent);                            // all names of a dir
std::string InodePrefix(uint64_t ino);
std::string IdKey(uint64_t id);  // bodies, intents
// Appends ~version to a versioned key prefix.
std::string VersionedKey(std::string_view prefix, uint64_t version);
// Splits a versioned key; false if too short.
bool SplitVersionedKey(std::string_view key, std::string_view* prefix, uint64_t* version);
// Name part of a dentry prefix (after the 8-byte parent).
std::string_view DentryName(std::string_view dentry_prefix);

// ---- values ----
// A versioned value is either a record or a tombstone (deleted at that version).
std::string TombstoneValue();
bool IsTombstone(std::string_view value);

struct DentryRecord {
  FileKind kind = FileKind::kFile;
  uint64_t ino = 0;
};
std::string EncodeDentry(const DentryRecord& r);
Status DecodeDentry(std::string_view v, DentryRecord* r);

struct InodeRecord {
  FileKind kind = FileKind::kFile;
  uint64_t generation = 0;  // files: 1.. ; dirs: 0
  uint64_t size = 0;
  uint64_t body_id = 0;  // files: the current body
  int64_t ctime_ns = 0;
  int64_t mtime_ns = 0;
  uint64_t child_count = 0;  // directories
};
std::string EncodeInode(const InodeRecord& r);
Status DecodeInode(std::string_view v, InodeRecord* r);

struct BodyDescriptor {
  uint64_t size = 0;
  std::string sha256;  // 32 raw bytes
  std::string content_type;
  uint64_t generation = 0;  // generation of the file that first wrote this body
  uint64_t writer_ino = 0;  // inode that first wrote it
  // Inline bodies carry their bytes; blocked bodies name their upload and blocks.
  bool is_inline = true;
  std::string inline_data;
  uint64_t upload_id = 0;
  uint64_t block_size = 0;
  std::vector<uint32_t> block_crc32c;  // one per block; block i covers
                                       // [i*block_size, min(size, (i+1)*block_size))
  uint64_t BlockLength(size_t i) const;
};
std::string EncodeBody(const BodyDescriptor& b);
Status DecodeBody(std::string_view v, BodyDescriptor* b);
// Object key of block `index` of upload `upload_id`.
std::string BlockKey(uint64_t upload_id, uint64_t index);
// Common prefix of every block key of an upload.
std::string UploadPrefix(uint64_t upload_id);

struct IntentRecord {
  uint64_t upload_id = 0;
  std::string session;  // writer session that owns the upload
  int64_t created_ns = 0;
  int64_t deadline_ns = 0;  // considered abandoned after this
  // Set inside a commit before cleanup deletes the upload's objects; a
  // retiring upload can no longer be bound by a publish.
  bool retiring = false;
};
std::string EncodeIntent(const IntentRecord& r);
Status DecodeIntent(std::string_view v, IntentRecord* r);

struct IdempotencyRecord {
  uint64_t version = 0;
  int64_t created_ns = 0;
  std::string request_digest;  // what was asked, so a reused key is detected
};
std::string EncodeIdempotency(const IdempotencyRecord& r);
Status DecodeIdempotency(std::string_view v, IdempotencyRecord* r);

}  // namespace nokv

#endif  // NOKV_META_RECORDS_H_
