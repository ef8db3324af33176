// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/snapshots.h"

#include "ns/record_view.h"
#include "ns/tree_writer.h"
#include "util/clock.h"

namespace nokv {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kMaxTtlSeconds = int64_t{100} * 365 * 24 * 3600;

Result<int64_t> ExpiryFrom(int64_t now_ns, int64_t ttl_seconds) {
  if (ttl_seconds < 0 || ttl_seconds > kMaxTtlSeconds) {
    return Status::InvalidArgument("a snapshot TTL must be between 0 (no expiry) and 100 years");
  }
  return ttl_seconds == 0 ? 0 : now_ns + ttl_seconds * kNanosPerSecond;
}

EventRecord SnapshotEvent(EventType type, const SnapshotRecord& r) {
  EventRecord e;
  e.type = type;
  e.path = r.path;
  e.ino = r.root_ino;
  e.kind = r.kind;
  e.detail = r.name;
  return e;
}

}  // namespace

Status SnapshotCatalog::ValidateName(const std::string& name) {
  if (name.empty() || name.size() > 128) {
    return Status::InvalidArgument("a snapshot name needs 1 to 128 characters");
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '@' || c == ':';
    if (!ok) {
      return Status::InvalidArgument("snapshot name \"" + name +
                                     "\" may only use letters, digits and - _ . @ :");
    }
  }
  return Status::OK();
}

SnapshotInfo SnapshotCatalog::ToInfo(const SnapshotRecord& r) {
  SnapshotInfo info;
  info.name = r.name;
  info.path = r.path;
  info.kind = r.kind;
  info.version = r.version;
  info.created_ns = r.created_ns;
  info.expires_ns = r.expires_ns;
  return info;
}

Result<SnapshotRecord> SnapshotCatalog::Create(const std::string& path,
                                               const SnapshotOptions& options) {
  if (!options.name.empty()) NOKV_RETURN_IF_ERROR(ValidateName(options.name));
  SnapshotRecord record;
  NOKV_RETURN_IF_ERROR(
      engine_
          ->Commit([&](Txn& txn) -> Status {
            TxnView view(&txn);
            NOKV_ASSIGN_OR_RETURN(Resolved root, ResolvePath(view, path));
            record = SnapshotRecord{};
            record.name =
                options.name.empty() ? "snap-" + std::to_string(txn.version()) : options.name;
            NOKV_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                                  txn.Get(Family::kSnapshots, record.name));
            if (existing.has_value()) {
              return Status::AlreadyExists("a snapshot named " + record.name +
                                           " exists; drop it first or pick another name");
            }
            record.path = path;
            record.version = txn.version();
            record.kind = root.kind;
            record.root_ino = root.ino;
            record.created_ns = txn.time_ns();
            NOKV_ASSIGN_OR_RETURN(record.expires_ns,
                                  ExpiryFrom(txn.time_ns(), options.ttl_seconds));
            txn.Put(Family::kSnapshots, record.name, EncodeSnapshot(record));
            EventRecord e = SnapshotEvent(EventType::kSnapshotCreate, record);
            e.time_ns = txn.time_ns();
            txn.Emit(EncodeEvent(e));
            return Status::OK();
          })
          .status());
  return record;
}

Result<SnapshotRecord> SnapshotCatalog::Renew(const std::string& name, int64_t ttl_seconds) {
  SnapshotRecord record;
  NOKV_RETURN_IF_ERROR(
      engine_
          ->Commit([&](Txn& txn) -> Status {
            NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                                  txn.Get(Family::kSnapshots, name));
            if (!raw.has_value()) return Status::NotFound("no snapshot named " + name);
            NOKV_RETURN_IF_ERROR(DecodeSnapshot(*raw, &record));
            if (record.expires_ns != 0 && record.expires_ns < txn.time_ns()) {
              return Status::Expired("snapshot " + name +
                                     " already expired and cannot be renewed; create a new one");
            }
            NOKV_ASSIGN_OR_RETURN(record.expires_ns, ExpiryFrom(txn.time_ns(), ttl_seconds));
            txn.Put(Family::kSnapshots, name, EncodeSnapshot(record));
            return Status::OK();
          })
          .status());
  return record;
}

Result<uint64_t> SnapshotCatalog::Drop(const std::string& name, bool expired) {
  NOKV_ASSIGN_OR_RETURN(CommitResult r, engine_->Commit([&](Txn& txn) -> Status {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw, txn.Get(Family::kSnapshots, name));
    if (!raw.has_value()) return Status::NotFound("no snapshot named " + name);
    SnapshotRecord record;
    NOKV_RETURN_IF_ERROR(DecodeSnapshot(*raw, &record));
    txn.Delete(Family::kSnapshots, name);
    EventRecord e = SnapshotEvent(EventType::kSnapshotDrop, record);
    e.time_ns = txn.time_ns();
    if (expired) e.detail += " (expired)";
    txn.Emit(EncodeEvent(e));
    return Status::OK();
  }));
  return r.version;
}

Result<SnapshotRecord> SnapshotCatalog::Get(const std::string& name, int64_t now_ns) {
  NOKV_RETURN_IF_ERROR(ValidateName(name));
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        engine_->GetPlain(Family::kSnapshots, name));
  if (!raw.has_value()) {
    return Status::NotFound("no snapshot named " + name + "; `nokv snapshot list` shows them");
  }
  SnapshotRecord record;
  NOKV_RETURN_IF_ERROR(DecodeSnapshot(*raw, &record));
  if (record.expires_ns != 0 && record.expires_ns < now_ns) {
    return Status::Expired("snapshot " + name +
                           " has expired; renew snapshots before their TTL passes");
  }
  return record;
}

Result<std::vector<SnapshotRecord>> SnapshotCatalog::List() {
  std::vector<SnapshotRecord> out;
  Status decode_status;
  NOKV_RETURN_IF_ERROR(
      engine_->ScanPlain(Family::kSnapshots, "", [&](std::string_view, std::string_view value) {
        SnapshotRecord r;
        decode_status = DecodeSnapshot(value, &r);
        if (!decode_status.ok()) return false;
        out.push_back(std::move(r));
        return true;
      }));
  NOKV_RETURN_IF_ERROR(decode_status);
  return out;
}

}  // namespace nokv
