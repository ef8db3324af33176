// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/time_records.h"

#include "util/coding.h"

namespace nokv {

namespace {

Status Bad(const char* what) {
  return Status::Corruption(std::string("undecodable ") + what +
                            " record; run `nokv fsck` and restore the data dir from a backup");
}

std::string Header() { return std::string(1, static_cast<char>(kFormatV1)); }

bool ReadHeader(std::string_view* v) {
  if (v->empty() || static_cast<uint8_t>((*v)[0]) != kFormatV1) return false;
  v->remove_prefix(1);
  return true;
}

void PutFixed32BE(std::string* dst, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) dst->push_back(static_cast<char>(v >> shift));
}

uint32_t DecodeFixed32BE(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

bool GetString(std::string_view* in, std::string* out) {
  std::string_view s;
  if (!GetLengthPrefixed(in, &s)) return false;
  out->assign(s);
  return true;
}

bool ValidKind(uint64_t k) {
  return k == static_cast<uint64_t>(FileKind::kFile) ||
         k == static_cast<uint64_t>(FileKind::kDirectory);
}

}  // namespace

std::string CommitKey(uint64_t version) {
  std::string k;
  PutFixed64BE(&k, version);
  return k;
}

bool DecodeCommitKey(std::string_view key, uint64_t* version) {
  if (key.size() != 8) return false;
  *version = DecodeFixed64BE(key.data());
  return true;
}

std::string EncodeCommit(const CommitRecord& r) {
  std::string out = Header();
  PutVarsint64(&out, r.time_ns);
  PutVarint64(&out, r.events);
  return out;
}

Status DecodeCommit(std::string_view v, CommitRecord* r) {
  uint64_t events = 0;
  if (!ReadHeader(&v) || !GetVarsint64(&v, &r->time_ns) || !GetVarint64(&v, &events) ||
      !v.empty()) {
    return Bad("commit");
  }
  r->events = static_cast<uint32_t>(events);
  return Status::OK();
}

std::string EventKey(uint64_t version, uint32_t seq) {
  std::string k;
  PutFixed64BE(&k, version);
  PutFixed32BE(&k, seq);
  return k;
}

bool DecodeEventKey(std::string_view key, uint64_t* version, uint32_t* seq) {
  if (key.size() != 12) return false;
  *version = DecodeFixed64BE(key.data());
  *seq = DecodeFixed32BE(key.data() + 8);
  return true;
}

const char* EventTypeName(EventType t) {
  switch (t) {
    case EventType::kCreate:
      return "create";
    case EventType::kReplace:
      return "replace";
    case EventType::kMkdir:
      return "mkdir";
    case EventType::kRemove:
      return "remove";
    case EventType::kRename:
      return "rename";
    case EventType::kClone:
      return "clone";
    case EventType::kRollback:
      return "rollback";
    case EventType::kCheckpoint:
      return "checkpoint";
    case EventType::kSnapshotCreate:
      return "snapshot-create";
    case EventType::kSnapshotDrop:
      return "snapshot-drop";
    case EventType::kPublish:
      return "publish";
  }
  return "unknown";
}

bool IsSubtreeEvent(EventType t, FileKind kind) {
  switch (t) {
    case EventType::kRemove:
    case EventType::kRename:
    case EventType::kClone:
      return kind == FileKind::kDirectory;
    case EventType::kRollback:
      return true;
    default:
      return false;
  }
}

std::string EncodeEvent(const EventRecord& r) {
  std::string out = Header();
  out.push_back(static_cast<char>(r.type));
  PutVarsint64(&out, r.time_ns);
  PutLengthPrefixed(&out, r.path);
  PutLengthPrefixed(&out, r.from_path);
  PutVarint64(&out, r.ino);
  PutVarint64(&out, static_cast<uint64_t>(r.kind));
  PutVarint64(&out, r.generation);
  PutVarint64(&out, r.size);
  PutLengthPrefixed(&out, r.sha256);
  PutLengthPrefixed(&out, r.detail);
  return out;
}

Status DecodeEvent(std::string_view v, EventRecord* r) {
  if (!ReadHeader(&v) || v.empty()) return Bad("event");
  const auto type = static_cast<uint8_t>(v[0]);
  if (type < 1 || type > static_cast<uint8_t>(EventType::kPublish)) return Bad("event");
  r->type = static_cast<EventType>(type);
  v.remove_prefix(1);
  uint64_t kind = 0;
  if (!GetVarsint64(&v, &r->time_ns) || !GetString(&v, &r->path) || !GetString(&v, &r->from_path) ||
      !GetVarint64(&v, &r->ino) || !GetVarint64(&v, &kind) || !ValidKind(kind) ||
      !GetVarint64(&v, &r->generation) || !GetVarint64(&v, &r->size) ||
      !GetString(&v, &r->sha256) || !GetString(&v, &r->detail) || !v.empty()) {
    return Bad("event");
  }
  r->kind = static_cast<FileKind>(kind);
  return Status::OK();
}

std::string EncodeSnapshot(const SnapshotRecord& r) {
  std::string out = Header();
  PutLengthPrefixed(&out, r.name);
  PutLengthPrefixed(&out, r.path);
  PutVarint64(&out, r.version);
  PutVarint64(&out, static_cast<uint64_t>(r.kind));
  PutVarint64(&out, r.root_ino);
  PutVarsint64(&out, r.created_ns);
  PutVarsint64(&out, r.expires_ns);
  return out;
}

Status DecodeSnapshot(std::string_view v, SnapshotRecord* r) {
  uint64_t kind = 0;
  if (!ReadHeader(&v) || !GetString(&v, &r->name) || !GetString(&v, &r->path) ||
      !GetVarint64(&v, &r->version) || !GetVarint64(&v, &kind) || !ValidKind(kind) ||
      !GetVarint64(&v, &r->root_ino) || !GetVarsint64(&v, &r->created_ns) ||
      !GetVarsint64(&v, &r->expires_ns) || !v.empty()) {
    return Bad("snapshot");
  }
  r->kind = static_cast<FileKind>(kind);
  return Status::OK();
}

std::string EncodeCount(uint64_t n) {
  std::string out = Header();
  PutVarint64(&out, n);
  return out;
}

Status DecodeCount(std::string_view v, uint64_t* n) {
  if (!ReadHeader(&v) || !GetVarint64(&v, n) || !v.empty()) return Bad("reference count");
  return Status::OK();
}

std::string EncodeGcEntry(const GcEntry& e) {
  std::string out = Header();
  PutVarint64(&out, e.prior);
  out.push_back(e.tombstone ? 1 : 0);
  return out;
}

Status DecodeGcEntry(std::string_view v, GcEntry* e) {
  if (!ReadHeader(&v) || !GetVarint64(&v, &e->prior) || v.size() != 1) return Bad("gc queue");
  e->tombstone = v[0] != 0;
  return Status::OK();
}

namespace {
void AppendTarget(std::string* k, const GcTarget& t) {
  PutFixed64BE(k, t.superseded_at);
  k->push_back(static_cast<char>(t.family));
  k->append(t.prefix);
}
}  // namespace

std::string GcQueueKey(const GcTarget& t) {
  std::string k(1, kGcQueueTag);
  AppendTarget(&k, t);
  return k;
}

std::string GcParkKey(uint64_t pin, const GcTarget& t) {
  std::string k(1, kGcParkTag);
  PutFixed64BE(&k, pin);
  AppendTarget(&k, t);
  return k;
}

bool DecodeGcKey(std::string_view key, GcTarget* t, uint64_t* pin) {
  if (key.empty()) return false;
  const char tag = key[0];
  key.remove_prefix(1);
  *pin = 0;
  if (tag == kGcParkTag) {
    if (key.size() < 8) return false;
    *pin = DecodeFixed64BE(key.data());
    key.remove_prefix(8);
  } else if (tag != kGcQueueTag) {
    return false;
  }
  if (key.size() < 9) return false;
  t->superseded_at = DecodeFixed64BE(key.data());
  const auto family = static_cast<uint8_t>(key[8]);
  if (family >= static_cast<uint8_t>(Family::kCount) || !IsVersioned(static_cast<Family>(family))) {
    return false;
  }
  t->family = static_cast<Family>(family);
  t->prefix.assign(key.substr(9));
  return true;
}

std::string DeadBodyKey(uint64_t body_id) {
  std::string k(1, kGcDeadBodyTag);
  PutFixed64BE(&k, body_id);
  return k;
}

bool DecodeDeadBodyKey(std::string_view key, uint64_t* body_id) {
  if (key.size() != 9 || key[0] != kGcDeadBodyTag) return false;
  *body_id = DecodeFixed64BE(key.data() + 1);
  return true;
}

}  // namespace nokv
