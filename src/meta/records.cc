// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/records.h"

#include <cstdio>

#include "util/coding.h"

namespace nokv {

namespace {

constexpr uint8_t kTombstoneTag = 0;
constexpr uint8_t kRecordTag = 1;

Status Bad(const char* what) {
  return Status::Corruption(std::string("undecodable ") + what +
                            " record; run `nokv fsck` and restore the data dir from a backup");
}

// Checks the format byte and the record tag; leaves `v` at the payload.
bool ReadHeader(std::string_view* v) {
  if (v->size() < 2 || static_cast<uint8_t>((*v)[0]) != kFormatV1) return false;
  if (static_cast<uint8_t>((*v)[1]) != kRecordTag) return false;
  v->remove_prefix(2);
  return true;
}

std::string Header() {
  std::string out;
  out.push_back(static_cast<char>(kFormatV1));
  out.push_back(static_cast<char>(kRecordTag));
  return out;
}

bool ValidKind(uint64_t k) {
  return k == static_cast<uint64_t>(FileKind::kFile) ||
         k == static_cast<uint64_t>(FileKind::kDirectory);
}

}  // namespace

const char* FamilyName(Family f) {
  switch (f) {
    case Family::kSys:
      return "default";
    case Family::kDentries:
      return "dentries";
    case Family::kInodes:
      return "inodes";
    case Family::kBodies:
      return "bodies";
    case Family::kIntents:
      return "intents";
    case Family::kIdem:
      return "idempotency";
    case Family::kCommits:
      return "commits";
    case Family::kEvents:
      return "events";
    case Family::kSnapshots:
      return "snapshots";
    case Family::kRefs:
      return "refs";
    case Family::kGc:
      return "gc";
    case Family::kIndex:
      return "indexes";
    case Family::kCount:
      break;
  }
  return "?";
}

bool IsVersioned(Family f) { return f == Family::kDentries || f == Family::kInodes; }

std::string DentryPrefix(uint64_t parent, std::string_view name) {
  std::string k;
  k.reserve(8 + name.size() + 1 + 8);
  PutFixed64BE(&k, parent);
  k.append(name);
  k.push_back('\0');
  return k;
}

std::string DirPrefix(uint64_t parent) {
  std::string k;
  PutFixed64BE(&k, parent);
  return k;
}

std::string InodePrefix(uint64_t ino) { return DirPrefix(ino); }
std::string IdKey(uint64_t id) { return DirPrefix(id); }

std::string VersionedKey(std::string_view prefix, uint64_t version) {
  std::string k;
  k.reserve(prefix.size() + 8);
  k.append(prefix);
  PutFixed64BE(&k, ~version);
  return k;
}

bool SplitVersionedKey(std::string_view key, std::string_view* prefix, uint64_t* version) {
  if (key.size() < 8) return false;
  *prefix = key.substr(0, key.size() - 8);
  *version = ~DecodeFixed64BE(key.data() + key.size() - 8);
  return true;
}

std::string_view DentryName(std::string_view dentry_prefix) {
  // [8 parent][name][0]
  if (dentry_prefix.size() < 9) return {};
  return dentry_prefix.substr(8, dentry_prefix.size() - 9);
}

std::string TombstoneValue() {
  std::string out;
  out.push_back(static_cast<char>(kFormatV1));
  out.push_back(static_cast<char>(kTombstoneTag));
  return out;
}

bool IsTombstone(std::string_view value) {
  return value.size() >= 2 && static_cast<uint8_t>(value[1]) == kTombstoneTag;
}

std::string EncodeDentry(const DentryRecord& r) {
  std::string out = Header();
  out.push_back(static_cast<char>(r.kind));
  PutVarint64(&out, r.ino);
  return out;
}

Status DecodeDentry(std::string_view v, DentryRecord* r) {
  uint64_t ino;
  if (!ReadHeader(&v) || v.empty() || !ValidKind(static_cast<uint8_t>(v[0]))) return Bad("dentry");
  r->kind = static_cast<FileKind>(v[0]);
  v.remove_prefix(1);
  if (!GetVarint64(&v, &ino)) return Bad("dentry");
  r->ino = ino;
  return Status::OK();
}

std::string EncodeInode(const InodeRecord& r) {
  std::string out = Header();
  out.push_back(static_cast<char>(r.kind));
  PutVarint64(&out, r.generation);
  PutVarint64(&out, r.size);
  PutVarint64(&out, r.body_id);
  PutVarsint64(&out, r.ctime_ns);
  PutVarsint64(&out, r.mtime_ns);
  PutVarint64(&out, r.child_count);
  return out;
}

Status DecodeInode(std::string_view v, InodeRecord* r) {
  if (!ReadHeader(&v) || v.empty() || !ValidKind(static_cast<uint8_t>(v[0]))) return Bad("inode");
  r->kind = static_cast<FileKind>(v[0]);
  v.remove_prefix(1);
  if (!GetVarint64(&v, &r->generation) || !GetVarint64(&v, &r->size) ||
      !GetVarint64(&v, &r->body_id) || !GetVarsint64(&v, &r->ctime_ns) ||
      !GetVarsint64(&v, &r->mtime_ns) || !GetVarint64(&v, &r->child_count)) {
    return Bad("inode");
  }
  return Status::OK();
}

uint64_t BodyDescriptor::BlockLength(size_t i) const {
  uint64_t start = i * block_size;
  if (start >= size) return 0;
  return std::min(block_size, size - start);
}

std::string EncodeBody(const BodyDescriptor& b) {
  std::string out = Header();
  PutVarint64(&out, b.size);
  PutLengthPrefixed(&out, b.sha256);
  PutLengthPrefixed(&out, b.content_type);
  PutVarint64(&out, b.generation);
  PutVarint64(&out, b.writer_ino);
  out.push_back(b.is_inline ? 1 : 0);
  if (b.is_inline) {
    PutLengthPrefixed(&out, b.inline_data);
  } else {
    PutVarint64(&out, b.upload_id);
    PutVarint64(&out, b.block_size);
    PutVarint64(&out, b.block_crc32c.size());
    for (uint32_t crc : b.block_crc32c) PutFixed32LE(&out, crc);
  }
  return out;
}

Status DecodeBody(std::string_view v, BodyDescriptor* b) {
  std::string_view sha, ctype, data;
  if (!ReadHeader(&v) || !GetVarint64(&v, &b->size) || !GetLengthPrefixed(&v, &sha) ||
      !GetLengthPrefixed(&v, &ctype) || !GetVarint64(&v, &b->generation) ||
      !GetVarint64(&v, &b->writer_ino) || v.empty()) {
    return Bad("body");
  }
  b->sha256.assign(sha);
  b->content_type.assign(ctype);
  b->is_inline = v[0] != 0;
  v.remove_prefix(1);
  b->block_crc32c.clear();
  if (b->is_inline) {
    if (!GetLengthPrefixed(&v, &data) || data.size() != b->size) return Bad("body");
    b->inline_data.assign(data);
    return Status::OK();
  }
  uint64_t count;
  if (!GetVarint64(&v, &b->upload_id) || !GetVarint64(&v, &b->block_size) ||
      !GetVarint64(&v, &count) || b->block_size == 0 || count > v.size() / 4) {
    return Bad("body");
  }
  b->block_crc32c.resize(count);
  for (auto& crc : b->block_crc32c) {
    if (!GetFixed32LE(&v, &crc)) return Bad("body");
  }
  if ((b->size + b->block_size - 1) / b->block_size != count) return Bad("body");
  return Status::OK();
}

std::string UploadPrefix(uint64_t upload_id) {
  char buf[40];
  // Fan out by the low byte so no directory of a local store grows huge.
  std::snprintf(buf, sizeof(buf), "u/%02x/%016llx/", static_cast<unsigned>(upload_id & 0xff),
                static_cast<unsigned long long>(upload_id));
  return buf;
}

std::string BlockKey(uint64_t upload_id, uint64_t index) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%08llu", static_cast<unsigned long long>(index));
  return UploadPrefix(upload_id) + buf;
}

std::string EncodeIntent(const IntentRecord& r) {
  std::string out = Header();
  PutVarint64(&out, r.upload_id);
  PutLengthPrefixed(&out, r.session);
  PutVarsint64(&out, r.created_ns);
  PutVarsint64(&out, r.deadline_ns);
  out.push_back(r.retiring ? 1 : 0);
  return out;
}

Status DecodeIntent(std::string_view v, IntentRecord* r) {
  std::string_view session;
  if (!ReadHeader(&v) || !GetVarint64(&v, &r->upload_id) || !GetLengthPrefixed(&v, &session) ||
      !GetVarsint64(&v, &r->created_ns) || !GetVarsint64(&v, &r->deadline_ns) || v.empty()) {
    return Bad("intent");
  }
  r->session.assign(session);
  r->retiring = v[0] != 0;
  return Status::OK();
}

std::string EncodeIdempotency(const IdempotencyRecord& r) {
  std::string out = Header();
  PutVarint64(&out, r.version);
  PutVarsint64(&out, r.created_ns);
  PutLengthPrefixed(&out, r.request_digest);
  return out;
}

Status DecodeIdempotency(std::string_view v, IdempotencyRecord* r) {
  std::string_view digest;
  if (!ReadHeader(&v) || !GetVarint64(&v, &r->version) || !GetVarsint64(&v, &r->created_ns) ||
      !GetLengthPrefixed(&v, &digest)) {
    return Bad("idempotency");
  }
  r->request_digest.assign(digest);
  return Status::OK();
}

}  // namespace nokv
