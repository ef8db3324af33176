// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/gc.h"

#include <algorithm>
#include <set>

#include "ns/event_log.h"
#include "util/clock.h"
#include "util/coding.h"

namespace nokv {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr size_t kBodiesPerStep = 256;  // each costs object-store deletes
// Retained entries (and bodies) examined to say what is held; beyond this
// the figures are lower bounds.
constexpr size_t kHeldBudget = 200000;

std::string EncodeU64(uint64_t v) { return EncodeCount(v); }

Result<uint64_t> LoadU64(MetaEngine* engine, const char* key) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw, engine->GetPlain(Family::kSys, key));
  uint64_t v = 0;
  if (raw.has_value()) NOKV_RETURN_IF_ERROR(DecodeCount(*raw, &v));
  return v;
}

std::string KeyAfter(std::string_view key) {
  std::string next(key);
  next.push_back('\0');
  return next;
}

int64_t CutoffFor(int64_t now_ns, int64_t retention_seconds) {
  if (retention_seconds <= 0) return now_ns;
  if (retention_seconds > now_ns / kNanosPerSecond) return 0;
  return now_ns - retention_seconds * kNanosPerSecond;
}

}  // namespace

Result<uint64_t> LoadGcFloor(MetaEngine* engine) { return LoadU64(engine, kSysGcFloor); }

bool GarbageCollector::HaveBudget() const {
  return options_.max_steps == 0 || report_.steps < options_.max_steps;
}

uint64_t GarbageCollector::PinIn(uint64_t lo, uint64_t hi) const {
  auto it = std::lower_bound(pins_.begin(), pins_.end(), hi);  // first pin >= hi
  if (it == pins_.begin()) return 0;
  --it;
  return *it >= lo ? *it : 0;
}

Status GarbageCollector::ExpireSnapshots() {
  NOKV_ASSIGN_OR_RETURN(std::vector<SnapshotRecord> all, snapshots_->List());
  const int64_t now = NowUnixNanos();
  pins_.clear();
  for (const SnapshotRecord& s : all) {
    if (s.expires_ns != 0 && s.expires_ns < now) {
      ++report_.snapshots_expired;
      if (!options_.dry_run) {
        auto dropped = snapshots_->Drop(s.name, /*expired=*/true);
        if (!dropped.ok() && !dropped.status().IsNotFound()) return dropped.status();
      }
      continue;
    }
    pins_.push_back(s.version);
  }
  for (const SnapshotRecord& s : all) {
    if (s.expires_ns == 0 || s.expires_ns >= now) live_snapshots_.emplace_back(s.name, s.version);
  }
  std::sort(pins_.begin(), pins_.end());
  pins_.erase(std::unique(pins_.begin(), pins_.end()), pins_.end());
  return Status::OK();
}

size_t GarbageCollector::PinsIn(uint64_t lo, uint64_t hi) const {
  if (lo >= hi) return 0;
  return std::lower_bound(pins_.begin(), pins_.end(), hi) -
         std::lower_bound(pins_.begin(), pins_.end(), lo);
}

void GarbageCollector::NoteRelease(uint64_t body_id, bool freed) {
  if (freed) {
    still_named_.erase(body_id);
  } else if (still_named_.size() < kHeldBudget || still_named_.count(body_id) != 0) {
    ++still_named_[body_id];
  } else {
    report_.held.exact = false;
  }
}

Result<uint64_t> GarbageCollector::ComputeFloor(int64_t cutoff_ns) {
  const uint64_t visible = engine_->VisibleVersion();
  uint64_t floor = visible;
  Status status;
  NOKV_RETURN_IF_ERROR(
      engine_->ScanPlain(Family::kCommits, "", [&](std::string_view key, std::string_view value) {
        uint64_t version = 0;
        CommitRecord c;
        if (!DecodeCommitKey(key, &version)) {
          status = Status::Corruption("undecodable commit log key; run `nokv fsck`");
          return false;
        }
        status = DecodeCommit(value, &c);
        if (!status.ok()) return false;
        if (c.time_ns < cutoff_ns) return true;
        floor = std::min(version, visible);
        return false;
      }));
  NOKV_RETURN_IF_ERROR(status);
  NOKV_ASSIGN_OR_RETURN(uint64_t previous, LoadGcFloor(engine_));
  return std::max(floor, previous);
}

Status GarbageCollector::RaiseFloor(uint64_t floor) {
  NOKV_RETURN_IF_ERROR(engine_->Maintain([&](Txn& txn) -> Status {
    txn.Put(Family::kSys, kSysGcFloor, EncodeU64(floor));
    return Status::OK();
  }));
  floor_->store(floor, std::memory_order_release);
  return Status::OK();
}

Status GarbageCollector::ReleaseBody(Txn& txn, uint64_t body_id) {
  if (options_.dry_run) {
    auto it = simulated_refs_.find(body_id);
    if (it == simulated_refs_.end()) {
      NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                            engine_->GetPlain(Family::kRefs, IdKey(body_id)));
      if (!raw.has_value()) return Status::OK();
      uint64_t count = 0;
      NOKV_RETURN_IF_ERROR(DecodeCount(*raw, &count));
      it = simulated_refs_.emplace(body_id, count).first;
    }
    if (it->second == 0) return Status::OK();
    NoteRelease(body_id, it->second == 1);
    if (--it->second == 0) {
      ++report_.bodies_freed;
      NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                            engine_->GetPlain(Family::kBodies, IdKey(body_id)));
      BodyDescriptor body;
      if (raw.has_value() && DecodeBody(*raw, &body).ok()) {
        report_.bytes_freed += body.size;
        report_.blocks_deleted += body.block_crc32c.size();
      }
    }
    return Status::OK();
  }
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw, txn.Get(Family::kRefs, IdKey(body_id)));
  // No count: a body from before reference counting. Keeping it is safe.
  if (!raw.has_value()) return Status::OK();
  uint64_t count = 0;
  NOKV_RETURN_IF_ERROR(DecodeCount(*raw, &count));
  NoteRelease(body_id, count <= 1);
  if (count > 1) {
    txn.Put(Family::kRefs, IdKey(body_id), EncodeCount(count - 1));
    return Status::OK();
  }
  txn.Delete(Family::kRefs, IdKey(body_id));
  txn.Put(Family::kGc, DeadBodyKey(body_id), EncodeCount(0));
  return Status::OK();
}

Status GarbageCollector::PruneEntry(Txn& txn, std::string_view key, const GcTarget& target,
                                    const GcEntry& entry, std::unordered_set<std::string>* erased) {
  const uint64_t pin = PinIn(entry.prior, target.superseded_at);
  if (pin != 0) {
    ++report_.versions_pinned;
    if (!options_.dry_run) {
      txn.Delete(Family::kGc, key);
      txn.Put(Family::kGc, GcParkKey(pin, target), EncodeGcEntry(entry));
    }
    return Status::OK();
  }
  auto is_erased = [&](uint64_t version) {
    const std::string full = VersionedKey(target.prefix, version);
    return erased->count(full) != 0;
  };
  if (entry.prior != 0 && !is_erased(entry.prior)) {
    NOKV_ASSIGN_OR_RETURN(VersionedValue old, engine_->ReadAt(target.family, target.prefix,
                                                              entry.prior, /*fill_cache=*/false));
    if (old.version == entry.prior) {
      if (target.family == Family::kInodes && old.value.has_value()) {
        InodeRecord inode;
        NOKV_RETURN_IF_ERROR(DecodeInode(*old.value, &inode));
        if (inode.kind == FileKind::kFile) NOKV_RETURN_IF_ERROR(ReleaseBody(txn, inode.body_id));
      }
      ++report_.versions_pruned;
      if (!options_.dry_run) txn.EraseVersion(target.family, target.prefix, entry.prior);
      erased->insert(VersionedKey(target.prefix, entry.prior));
    }
  }
  if (entry.tombstone) {
    // A key whose remaining versions are all deletions reads as absent at
    // every version without them: drop them too.
    std::vector<uint64_t> tombstones;
    bool only_tombstones = true;
    NOKV_RETURN_IF_ERROR(engine_->Versions(
        target.family, target.prefix, [&](uint64_t version, std::optional<std::string_view> v) {
          if (is_erased(version)) return true;
          if (v.has_value()) {
            only_tombstones = false;
            return false;
          }
          tombstones.push_back(version);
          return true;
        }));
    if (only_tombstones) {
      for (uint64_t version : tombstones) {
        ++report_.versions_pruned;
        if (!options_.dry_run) txn.EraseVersion(target.family, target.prefix, version);
        erased->insert(VersionedKey(target.prefix, version));
      }
    }
  }
  if (!options_.dry_run) txn.Delete(Family::kGc, key);
  return Status::OK();
}

Status GarbageCollector::PruneStep(char tag, bool* done) {
  std::string& resume = tag == kGcQueueTag ? resume_queue_ : resume_parked_;
  if (resume.empty()) resume.assign(1, tag);
  const std::string prefix(1, tag);
  size_t examined = 0;
  bool reached_end = true;
  std::string skip_to;
  std::string last_key;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->Maintain([&](Txn& txn) -> Status {
    std::unordered_set<std::string> erased;
    NOKV_RETURN_IF_ERROR(engine_->ScanPlainFrom(
        Family::kGc, prefix, resume, [&](std::string_view key, std::string_view value) {
          if (examined == options_.step_budget) {
            reached_end = false;
            return false;
          }
          GcTarget target;
          uint64_t pin = 0;
          GcEntry entry;
          if (!DecodeGcKey(key, &target, &pin)) {
            status = Status::Corruption("undecodable gc queue key; run `nokv fsck`");
            return false;
          }
          if (tag == kGcQueueTag && target.superseded_at > floor_version_) return false;
          if (tag == kGcParkTag && std::binary_search(pins_.begin(), pins_.end(), pin)) {
            // Still pinned: skip every entry of this snapshot version.
            skip_to = prefix;
            PutFixed64BE(&skip_to, pin + 1);
            reached_end = false;
            return false;
          }
          status = DecodeGcEntry(value, &entry);
          if (status.ok()) status = PruneEntry(txn, key, target, entry, &erased);
          if (!status.ok()) return false;
          ++examined;
          last_key.assign(key);
          return true;
        }));
    return status;
  }));
  // Only steps that did work count against max_steps, so repeated bounded
  // runs always progress (an empty phase or a skipped pinned range is free).
  if (examined > 0) ++report_.steps;
  if (!skip_to.empty()) {
    resume = skip_to;
  } else if (!last_key.empty()) {
    resume = KeyAfter(last_key);
  }
  *done = reached_end && skip_to.empty();
  return Status::OK();
}

Status GarbageCollector::ReclaimBodiesStep(bool* done) {
  const std::string prefix(1, kGcDeadBodyTag);
  if (resume_bodies_.empty()) resume_bodies_ = prefix;
  std::vector<std::pair<std::string, uint64_t>> batch;  // key, body id
  bool reached_end = true;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->ScanPlainFrom(
      Family::kGc, prefix, resume_bodies_, [&](std::string_view key, std::string_view) {
        if (batch.size() == kBodiesPerStep) {
          reached_end = false;
          return false;
        }
        uint64_t body_id = 0;
        if (!DecodeDeadBodyKey(key, &body_id)) {
          status = Status::Corruption("undecodable dead-body key; run `nokv fsck`");
          return false;
        }
        batch.emplace_back(std::string(key), body_id);
        return true;
      }));
  NOKV_RETURN_IF_ERROR(status);
  *done = reached_end;
  if (batch.empty()) return Status::OK();
  ++report_.steps;
  resume_bodies_ = KeyAfter(batch.back().first);
  // Objects first, records last: if the store fails, every record of the
  // step stays for a retry (deleting objects again is harmless).
  std::vector<std::pair<std::string, uint64_t>> reclaimed;
  std::vector<std::string> objects;
  uint64_t bytes = 0;
  for (const auto& [key, body_id] : batch) {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          engine_->GetPlain(Family::kBodies, IdKey(body_id)));
    BodyDescriptor body;
    if (raw.has_value()) NOKV_RETURN_IF_ERROR(DecodeBody(*raw, &body));
    if (raw.has_value() && !body.is_inline) {
      for (uint64_t i = 0; i < body.block_crc32c.size(); ++i) {
        objects.push_back(BlockKey(body.upload_id, i));
      }
    }
    bytes += body.size;
    reclaimed.emplace_back(key, body_id);
  }
  if (!options_.dry_run && !objects.empty()) {
    Status s = store_->DeleteMany(objects);
    if (!s.ok()) {
      report_.delete_failures += objects.size();
      report_.last_error = s.ToString();
      return Status::OK();
    }
  }
  report_.bodies_freed += reclaimed.size();
  report_.blocks_deleted += objects.size();
  report_.bytes_freed += bytes;
  if (options_.dry_run || reclaimed.empty()) return Status::OK();
  return engine_->Maintain([&](Txn& txn) -> Status {
    for (const auto& [key, body_id] : reclaimed) {
      txn.Delete(Family::kBodies, IdKey(body_id));
      txn.Delete(Family::kGc, key);
    }
    return Status::OK();
  });
}

Status GarbageCollector::TrimEventsStep(int64_t cutoff_ns, uint64_t max_events, bool* done) {
  NOKV_ASSIGN_OR_RETURN(uint64_t trimmed_before, LoadU64(engine_, kSysEventsTrimmedCount));
  const uint64_t total = engine_->EventsAppended();
  uint64_t retained = total > trimmed_before ? total - trimmed_before : 0;
  uint64_t trimmed = 0;
  std::string last_key;
  bool reached_end = true;
  Status status;
  NOKV_RETURN_IF_ERROR(
      engine_->ScanPlain(Family::kEvents, "", [&](std::string_view key, std::string_view value) {
        if (trimmed == options_.step_budget) {
          reached_end = false;
          return false;
        }
        EventRecord e;
        status = DecodeEvent(value, &e);
        if (!status.ok()) return false;
        if (retained <= max_events && e.time_ns >= cutoff_ns) return false;
        ++trimmed;
        --retained;
        last_key.assign(key);
        return true;
      }));
  NOKV_RETURN_IF_ERROR(status);
  if (trimmed > 0) ++report_.steps;
  *done = reached_end;
  report_.events_trimmed += trimmed;
  if (options_.dry_run || trimmed == 0) {
    *done = true;  // a dry run cannot advance past what it would trim
    return Status::OK();
  }
  return engine_->Maintain([&](Txn& txn) -> Status {
    NOKV_RETURN_IF_ERROR(
        engine_->ScanPlain(Family::kEvents, "", [&](std::string_view key, std::string_view) {
          if (key > last_key) return false;
          txn.Delete(Family::kEvents, key);
          return true;
        }));
    txn.Put(Family::kSys, kSysEventsTrimmedThrough, last_key);
    txn.Put(Family::kSys, kSysEventsTrimmedCount, EncodeU64(trimmed_before + trimmed));
    return Status::OK();
  });
}

Status GarbageCollector::TrimIdempotencyStep(int64_t cutoff_ns, bool* done) {
  std::vector<std::string> expired;
  size_t examined = 0;
  bool reached_end = true;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->ScanPlainFrom(
      Family::kIdem, "", resume_idempotency_, [&](std::string_view key, std::string_view value) {
        if (examined == options_.step_budget) {
          resume_idempotency_.assign(key);  // the next step starts here
          reached_end = false;
          return false;
        }
        ++examined;
        IdempotencyRecord record;
        status = DecodeIdempotency(value, &record);
        if (!status.ok()) return false;
        if (record.created_ns < cutoff_ns) expired.emplace_back(key);
        resume_idempotency_.assign(key);
        resume_idempotency_.push_back('\0');  // just past this key
        return true;
      }));
  NOKV_RETURN_IF_ERROR(status);
  *done = reached_end;
  report_.idempotency_trimmed += expired.size();
  if (expired.empty()) return Status::OK();
  ++report_.steps;
  if (options_.dry_run) return Status::OK();
  // A commit that replays one of these keys meanwhile only reads the record,
  // so deleting it after the scan loses nothing but the window.
  return engine_->Maintain([&](Txn& txn) -> Status {
    for (const std::string& key : expired) txn.Delete(Family::kIdem, key);
    return Status::OK();
  });
}

Status GarbageCollector::TrimCommits(uint64_t floor) {
  if (options_.dry_run) return Status::OK();
  const std::string end = CommitKey(floor);
  bool more = true;
  while (more && HaveBudget()) {
    more = false;
    size_t n = 0;
    NOKV_RETURN_IF_ERROR(engine_->Maintain([&](Txn& txn) -> Status {
      return engine_->ScanPlain(Family::kCommits, "", [&](std::string_view key, std::string_view) {
        if (key >= end) return false;
        if (n == options_.step_budget) {
          more = true;
          return false;
        }
        txn.Delete(Family::kCommits, key);
        ++n;
        return true;
      });
    }));
    if (n > 0) ++report_.steps;
  }
  return Status::OK();
}

Result<uint64_t> GarbageCollector::BodyOfVersion(const GcTarget& target, uint64_t version) {
  if (target.family != Family::kInodes || version == 0) return uint64_t{0};
  NOKV_ASSIGN_OR_RETURN(VersionedValue old, engine_->ReadAt(target.family, target.prefix, version,
                                                            /*fill_cache=*/false));
  if (old.version != version || !old.value.has_value()) return uint64_t{0};
  InodeRecord inode;
  NOKV_RETURN_IF_ERROR(DecodeInode(*old.value, &inode));
  return inode.kind == FileKind::kFile ? inode.body_id : 0;
}

Result<uint64_t> GarbageCollector::RefCount(uint64_t body_id) {
  if (auto it = simulated_refs_.find(body_id); it != simulated_refs_.end()) return it->second;
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        engine_->GetPlain(Family::kRefs, IdKey(body_id)));
  uint64_t count = 0;
  if (raw.has_value()) NOKV_RETURN_IF_ERROR(DecodeCount(*raw, &count));
  return count;
}

Status GarbageCollector::AddExclusiveBodies(const std::unordered_map<uint64_t, uint64_t>& releases,
                                            GcHold* hold) {
  for (const auto& [body_id, n] : releases) {
    NOKV_ASSIGN_OR_RETURN(uint64_t count, RefCount(body_id));
    if (count == 0 || count > n) continue;  // something else names it too
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          engine_->GetPlain(Family::kBodies, IdKey(body_id)));
    BodyDescriptor body;
    if (!raw.has_value() || !DecodeBody(*raw, &body).ok()) continue;
    ++hold->bodies;
    hold->bytes += body.size;
  }
  return Status::OK();
}

Status GarbageCollector::ComputeHeld() {
  GcHeld& held = report_.held;
  held.history_retention_seconds = options_.history_retention_seconds;
  std::unordered_map<uint64_t, uint64_t> history_releases;
  // Every retained version any hold keeps: what releasing all holds frees.
  std::unordered_map<uint64_t, uint64_t> all_releases;
  // Per pinned version: versions only that pin keeps, and their bodies.
  std::unordered_map<uint64_t, GcHold> pin_holds;
  std::unordered_map<uint64_t, std::unordered_map<uint64_t, uint64_t>> pin_releases;
  size_t examined = 0;
  Status status;
  auto visit = [&](std::string_view key, std::string_view value) {
    if (examined++ == kHeldBudget) {
      held.exact = false;
      return false;
    }
    GcTarget target;
    uint64_t parked_at = 0;
    GcEntry entry;
    if (!DecodeGcKey(key, &target, &parked_at) || !DecodeGcEntry(value, &entry).ok()) return true;
    const size_t pins = PinsIn(entry.prior, target.superseded_at);
    const uint64_t pin = PinIn(entry.prior, target.superseded_at);
    const bool in_window = target.superseded_at > floor_version_;
    // Unpinned entries below the floor are work this run left (max-steps),
    // not something held.
    if (!in_window && pin == 0) return true;
    auto body = BodyOfVersion(target, entry.prior);
    if (!body.ok()) {
      status = body.status();
      return false;
    }
    if (*body != 0) ++all_releases[*body];
    if (in_window) {
      ++held.history.versions;
      // Pinned too: releasing history alone would park it, not free it.
      if (pin == 0 && *body != 0) ++history_releases[*body];
      if (pin != 0) ++held.jointly.versions;
      return true;
    }
    ++pin_holds[pin].versions;
    if (pins == 1 && *body != 0) ++pin_releases[pin][*body];
    if (pins > 1) ++held.jointly.versions;
    return true;
  };
  NOKV_RETURN_IF_ERROR(engine_->ScanPlain(Family::kGc, std::string(1, kGcQueueTag), visit));
  NOKV_RETURN_IF_ERROR(status);
  NOKV_RETURN_IF_ERROR(engine_->ScanPlain(Family::kGc, std::string(1, kGcParkTag), visit));
  NOKV_RETURN_IF_ERROR(status);
  NOKV_RETURN_IF_ERROR(AddExclusiveBodies(history_releases, &held.history));
  std::unordered_map<uint64_t, size_t> names_per_pin;
  for (const auto& [name, version] : live_snapshots_) ++names_per_pin[version];
  for (const auto& [name, version] : live_snapshots_) {
    auto it = pin_holds.find(version);
    if (it == pin_holds.end()) continue;
    GcSnapshotHold row{name, version, it->second};
    // Another snapshot at the same version keeps the same versions.
    if (names_per_pin[version] == 1) {
      NOKV_RETURN_IF_ERROR(AddExclusiveBodies(pin_releases[version], &row.hold));
    }
    held.snapshots.push_back(std::move(row));
  }
  // Jointly: what releasing every hold frees beyond what each frees alone
  // (the exclusive sets are disjoint parts of it).
  GcHold all;
  NOKV_RETURN_IF_ERROR(AddExclusiveBodies(all_releases, &all));
  uint64_t exclusive_bodies = held.history.bodies, exclusive_bytes = held.history.bytes;
  for (const GcSnapshotHold& row : held.snapshots) {
    exclusive_bodies += row.hold.bodies;
    exclusive_bytes += row.hold.bytes;
  }
  held.jointly.bodies = all.bodies - std::min(all.bodies, exclusive_bodies);
  held.jointly.bytes = all.bytes - std::min(all.bytes, exclusive_bytes);
  std::sort(held.snapshots.begin(), held.snapshots.end(),
            [](const GcSnapshotHold& a, const GcSnapshotHold& b) {
              return a.hold.bytes != b.hold.bytes ? a.hold.bytes > b.hold.bytes : a.name < b.name;
            });
  for (const auto& [body_id, versions] : still_named_) {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          engine_->GetPlain(Family::kBodies, IdKey(body_id)));
    BodyDescriptor body;
    if (!raw.has_value() || !DecodeBody(*raw, &body).ok()) continue;
    held.shared.versions += versions;
    ++held.shared.bodies;
    held.shared.bytes += body.size;
  }
  return Status::OK();
}

Result<GcReport> GarbageCollector::Run(const GcOptions& options) {
  options_ = options;
  if (options_.step_budget == 0) return Status::InvalidArgument("gc step budget must be positive");
  report_ = GcReport{};
  simulated_refs_.clear();
  still_named_.clear();
  live_snapshots_.clear();
  resume_queue_.clear();
  resume_parked_.clear();
  resume_bodies_.clear();
  resume_idempotency_.clear();
  const int64_t now = NowUnixNanos();
  NOKV_RETURN_IF_ERROR(ExpireSnapshots());
  NOKV_ASSIGN_OR_RETURN(floor_version_,
                        ComputeFloor(CutoffFor(now, options_.history_retention_seconds)));
  report_.floor_version = floor_version_;
  if (!options_.dry_run) NOKV_RETURN_IF_ERROR(RaiseFloor(floor_version_));

  bool finished = true;
  auto drain = [&](auto step) -> Status {
    bool done = false;
    while (!done) {
      if (!HaveBudget()) {
        finished = false;
        return Status::OK();
      }
      NOKV_RETURN_IF_ERROR(step(&done));
    }
    return Status::OK();
  };
  NOKV_RETURN_IF_ERROR(drain([&](bool* d) { return PruneStep(kGcQueueTag, d); }));
  NOKV_RETURN_IF_ERROR(drain([&](bool* d) { return PruneStep(kGcParkTag, d); }));
  NOKV_RETURN_IF_ERROR(drain([&](bool* d) { return ReclaimBodiesStep(d); }));
  if (!options_.dry_run && cleanup_intents_) {
    NOKV_ASSIGN_OR_RETURN(IntentCleanupReport intents, cleanup_intents_());
    report_.intents_removed = intents.intents_removed;
    report_.blocks_deleted += intents.objects_removed;
    report_.bytes_freed += intents.bytes_removed;
  }
  const int64_t event_cutoff = CutoffFor(now, options_.event_retention_seconds);
  NOKV_RETURN_IF_ERROR(drain(
      [&](bool* d) { return TrimEventsStep(event_cutoff, options_.event_retention_count, d); }));
  const int64_t idempotency_cutoff = CutoffFor(now, options_.idempotency_retention_seconds);
  NOKV_RETURN_IF_ERROR(drain([&](bool* d) { return TrimIdempotencyStep(idempotency_cutoff, d); }));
  NOKV_RETURN_IF_ERROR(TrimCommits(floor_version_));
  report_.finished = finished && HaveBudget();
  NOKV_RETURN_IF_ERROR(ComputeHeld());
  return report_;
}

}  // namespace nokv
