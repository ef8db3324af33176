// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/engine.h"

#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <limits>
#include <random>

#include "meta/db_options.h"
#include "meta/time_records.h"
#include "meta/upkeep.h"
#include "util/clock.h"
#include "util/coding.h"

namespace nokv {

namespace {

constexpr char kSysFormat[] = "format";
constexpr char kSysLastVersion[] = "last_version";
constexpr char kSysEventsTotal[] = "events_total";
constexpr char kSysDirId[] = "dir_id";
constexpr char kFormatTag[] = "nokv-meta-1";
constexpr size_t kMaxGroupSize = 1024;
constexpr uint64_t kIdReserveStep = 4096;

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::OK();
  std::string msg = std::string(what) + ": " + s.ToString();
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg + " (run `nokv fsck`)");
  if (s.IsNoSpace()) return Status::NoSpace(msg + " (free disk space, then retry)");
  if (s.IsIOError()) return Status::IOError(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  return Status::Internal(msg);
}

std::string IdHighWaterKey(IdKind kind) {
  return std::string("idhw/") + std::to_string(static_cast<int>(kind));
}

std::string EncodeU64Value(uint64_t v) {
  std::string out(1, static_cast<char>(kFormatV1));
  PutFixed64BE(&out, v);
  return out;
}

bool DecodeU64Value(std::string_view in, uint64_t* v) {
  if (in.size() != 9 || static_cast<uint8_t>(in[0]) != kFormatV1) return false;
  *v = DecodeFixed64BE(in.data() + 1);
  return true;
}

// Smallest key greater than every key starting with `prefix`; empty if none.
std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    auto& c = reinterpret_cast<unsigned char&>(s.back());
    if (c != 0xff) {
      ++c;
      return s;
    }
    s.pop_back();
  }
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

// State shared by the commands of one commit group.
struct CommitGroup {
  struct Pending {
    uint64_t version = 0;
    std::optional<std::string> value;
  };
  std::map<std::string, Pending, std::less<>> overlay[static_cast<int>(Family::kCount)];
  rocksdb::WriteBatch batch;
  uint64_t events = 0;  // appended to the event log by this group
};

struct MetaEngine::Writer {
  const Command* cmd = nullptr;
  bool maintenance = false;
  const std::string* idempotency_key = nullptr;
  const std::string* request_digest = nullptr;
  Status status;
  CommitResult result;
  bool done = false;
  std::condition_variable cv;
};

// ---------------------------------------------------------------- Txn

void Txn::NotePrior(int family, std::string_view key, uint64_t version) {
  if (prior_[family].find(key) == prior_[family].end()) prior_[family].emplace(key, version);
}

Result<std::optional<std::string>> Txn::Get(Family f, std::string_view key) {
  const int i = static_cast<int>(f);
  if (auto it = local_[i].find(key); it != local_[i].end()) return it->second;
  if (auto it = group_->overlay[i].find(key); it != group_->overlay[i].end()) {
    if (IsVersioned(f)) NotePrior(i, key, it->second.version);
    return it->second.value;
  }
  if (IsVersioned(f)) {
    // Commands mostly probe names about to be created: do not let them
    // evict what readers cache.
    NOKV_ASSIGN_OR_RETURN(VersionedValue v,
                          engine_->ReadAt(f, key, engine_->committed_, /*fill_cache=*/false));
    NotePrior(i, key, v.version);
    return std::move(v.value);
  }
  return engine_->GetPlain(f, key);
}

std::optional<std::optional<std::string>> Txn::GetPending(Family f, std::string_view key) const {
  const int i = static_cast<int>(f);
  if (auto it = local_[i].find(key); it != local_[i].end()) return it->second;
  if (auto it = group_->overlay[i].find(key); it != group_->overlay[i].end()) {
    return it->second.value;
  }
  return std::nullopt;
}

void Txn::Put(Family f, std::string_view key, std::string value) {
  local_[static_cast<int>(f)][std::string(key)] = std::move(value);
}

void Txn::PutNew(Family f, std::string_view key, std::string value) {
  const int i = static_cast<int>(f);
  if (IsVersioned(f)) NotePrior(i, key, 0);
  local_[i][std::string(key)] = std::move(value);
}

void Txn::EraseVersion(Family f, std::string_view prefix, uint64_t version) {
  erased_.emplace_back(f, VersionedKey(prefix, version));
}

void Txn::Delete(Family f, std::string_view key) {
  local_[static_cast<int>(f)][std::string(key)] = std::nullopt;
}

bool Txn::empty() const {
  for (const auto& m : local_) {
    if (!m.empty()) return false;
  }
  return erased_.empty();
}

Status Txn::Scan(Family f, std::string_view prefix,
                 const std::function<bool(std::string_view, std::string_view)>& fn) {
  std::map<std::string, std::string, std::less<>> merged;
  auto collect = [&merged](std::string_view k, std::string_view v) {
    merged.emplace(std::string(k), std::string(v));
    return true;
  };
  if (IsVersioned(f)) {
    NOKV_RETURN_IF_ERROR(engine_->ScanAt(f, prefix, engine_->committed_, "", collect));
  } else {
    NOKV_RETURN_IF_ERROR(engine_->ScanPlain(f, prefix, collect));
  }
  auto apply = [&](std::string_view k, const std::optional<std::string>& v) {
    if (!StartsWith(k, prefix)) return;
    if (v.has_value()) {
      merged[std::string(k)] = *v;
    } else {
      merged.erase(std::string(k));
    }
  };
  const int i = static_cast<int>(f);
  for (auto it = group_->overlay[i].lower_bound(prefix); it != group_->overlay[i].end(); ++it) {
    if (!StartsWith(it->first, prefix)) break;
    apply(it->first, it->second.value);
  }
  for (auto it = local_[i].lower_bound(prefix); it != local_[i].end(); ++it) {
    if (!StartsWith(it->first, prefix)) break;
    apply(it->first, it->second);
  }
  for (const auto& [k, v] : merged) {
    if (!fn(k, v)) break;
  }
  return Status::OK();
}

// ---------------------------------------------------------------- open

MetaEngine::MetaEngine(const EngineOptions& options)
    : options_(options), cache_(options.cache_entries) {}

MetaEngine::~MetaEngine() {
  if (db_) {
    // Best effort: what Settle does not finish, the next writer does; the
    // write-ahead log holds every acknowledged commit either way.
    if (!options_.read_only) (void)MetaUpkeep(db_.get(), handles_).Settle();
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    handles_.clear();
    if (!options_.read_only) db_->Close();
    db_.reset();
  }
}

Result<std::unique_ptr<MetaEngine>> MetaEngine::Open(const EngineOptions& options) {
  std::unique_ptr<MetaEngine> engine(new MetaEngine(options));
  NOKV_RETURN_IF_ERROR(engine->OpenDb());
  NOKV_RETURN_IF_ERROR(engine->LoadState());
  return engine;
}

Status MetaEngine::OpenDb() {
  DbTuningInputs inputs;
  inputs.read_only = options_.read_only;
  inputs.block_cache_bytes = options_.block_cache_bytes;
  DbTuning tuning = MakeDbTuning(inputs);
  const rocksdb::Options& opts = tuning.db;
  const std::vector<rocksdb::ColumnFamilyDescriptor>& cfds = tuning.families;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options_.read_only) {
    s = rocksdb::DB::OpenAsSecondary(opts, options_.db_path, options_.secondary_path, cfds,
                                     &handles_, &raw);
    if (s.ok()) s = raw->TryCatchUpWithPrimary();
  } else {
    s = rocksdb::DB::Open(opts, options_.db_path, cfds, &handles_, &raw);
  }
  db_.reset(raw);
  return FromRocks(s, "open metadata store at " + options_.db_path);
}

Status MetaEngine::LoadState() {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> format, GetPlain(Family::kSys, kSysFormat));
  if (!format.has_value()) {
    if (options_.read_only) {
      return Status::NotFound("the metadata store at " + options_.db_path +
                              " is not initialised yet; publish something first");
    }
    NOKV_RETURN_IF_ERROR(Bootstrap());
    return LoadState();
  }
  if (*format != kFormatTag) {
    return Status::Corruption("metadata store at " + options_.db_path + " has format \"" + *format +
                              "\", this nokv understands \"" + kFormatTag + "\"");
  }
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> last, GetPlain(Family::kSys, kSysLastVersion));
  uint64_t version = 0;
  if (!last.has_value() || !DecodeU64Value(*last, &version)) {
    return Status::Corruption("metadata store has no valid last_version record");
  }
  committed_ = version;
  visible_.store(version, std::memory_order_release);
  for (IdKind kind : {IdKind::kInode, IdKind::kBody}) {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> hw,
                          GetPlain(Family::kSys, IdHighWaterKey(kind)));
    uint64_t limit = 0;
    if (!hw.has_value() || !DecodeU64Value(*hw, &limit)) {
      return Status::Corruption("metadata store has no valid id high-water record");
    }
    id_next_[static_cast<int>(kind)] = id_limit_[static_cast<int>(kind)] = limit;
  }
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> total, GetPlain(Family::kSys, kSysEventsTotal));
  uint64_t events = 0;
  if (total.has_value() && !DecodeU64Value(*total, &events)) {
    return Status::Corruption("metadata store has an invalid events_total record");
  }
  events_total_.store(events, std::memory_order_release);
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> id, GetPlain(Family::kSys, kSysDirId));
  if (!id.has_value() && !options_.read_only) {
    std::random_device rd;
    const uint64_t fresh = (uint64_t{rd()} << 32) ^ rd() ^ static_cast<uint64_t>(NowUnixNanos());
    id = EncodeU64Value(fresh == 0 ? 1 : fresh);
    NOKV_RETURN_IF_ERROR(PutPlainDirect(Family::kSys, kSysDirId, *id));
  }
  if (id.has_value() && !DecodeU64Value(*id, &dir_id_)) {
    return Status::Corruption("metadata store has an invalid dir_id record");
  }
  return Status::OK();
}

Status MetaEngine::Bootstrap() {
  // Version 1 creates the root directory.
  rocksdb::WriteBatch batch;
  InodeRecord root;
  root.kind = FileKind::kDirectory;
  root.ctime_ns = root.mtime_ns = NowUnixNanos();
  batch.Put(cf(Family::kInodes), VersionedKey(InodePrefix(kRootInode), 1), EncodeInode(root));
  batch.Put(cf(Family::kSys), kSysLastVersion, EncodeU64Value(1));
  batch.Put(cf(Family::kSys), IdHighWaterKey(IdKind::kInode), EncodeU64Value(kRootInode + 1));
  batch.Put(cf(Family::kSys), IdHighWaterKey(IdKind::kBody), EncodeU64Value(1));
  batch.Put(cf(Family::kSys), kSysFormat, kFormatTag);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Write(wo, &batch), "initialise metadata store");
}

Status MetaEngine::CatchUp() {
  if (!options_.read_only) return Status::OK();
  NOKV_RETURN_IF_ERROR(FromRocks(db_->TryCatchUpWithPrimary(), "catch up with the writer"));
  cache_.Clear();
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> last, GetPlain(Family::kSys, kSysLastVersion));
  uint64_t version = 0;
  if (last.has_value() && DecodeU64Value(*last, &version)) {
    visible_.store(version, std::memory_order_release);
  }
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> total, GetPlain(Family::kSys, kSysEventsTotal));
  uint64_t events = 0;
  if (total.has_value() && DecodeU64Value(*total, &events)) {
    events_total_.store(events, std::memory_order_release);
  }
  if (dir_id_ == 0) {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> id, GetPlain(Family::kSys, kSysDirId));
    if (id.has_value()) DecodeU64Value(*id, &dir_id_);
  }
  return Status::OK();
}

// ---------------------------------------------------------------- reads

std::string MetaEngine::CacheKey(Family f, std::string_view prefix) {
  std::string k;
  k.reserve(prefix.size() + 1);
  k.push_back(static_cast<char>(f));
  k.append(prefix);
  return k;
}

Result<VersionedValue> MetaEngine::ReadNewestFromDb(Family f, std::string_view prefix,
                                                    uint64_t at) {
  store_reads_.fetch_add(1, std::memory_order_relaxed);
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;  // stay within this key's versions; use prefix blooms
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(f)));
  it->Seek(VersionedKey(prefix, at));
  VersionedValue out;
  if (it->Valid()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view kp;
    uint64_t version;
    if (key.size() == prefix.size() + 8 && SplitVersionedKey(key, &kp, &version) && kp == prefix) {
      out.version = version;
      std::string_view value(it->value().data(), it->value().size());
      if (!IsTombstone(value)) out.value.emplace(value);
    }
  }
  NOKV_RETURN_IF_ERROR(FromRocks(it->status(), "read metadata"));
  return out;
}

Result<VersionedValue> MetaEngine::ReadAt(Family f, std::string_view prefix, uint64_t at,
                                          bool fill_cache) {
  if (!cache_.enabled()) return ReadNewestFromDb(f, prefix, at);
  const std::string key = CacheKey(f, prefix);
  if (auto hit = cache_.Lookup(key); hit.has_value() && hit->version <= at) return *hit;
  if (!fill_cache) return ReadNewestFromDb(f, prefix, at);
  const uint64_t epoch = cache_.Epoch(key);
  NOKV_ASSIGN_OR_RETURN(VersionedValue newest,
                        ReadNewestFromDb(f, prefix, std::numeric_limits<uint64_t>::max()));
  cache_.FillIfUnchanged(key, newest, epoch);
  if (newest.version <= at) return newest;
  return ReadNewestFromDb(f, prefix, at);
}

Status MetaEngine::ScanAt(Family f, std::string_view prefix, uint64_t at,
                          std::string_view start_after,
                          const std::function<bool(std::string_view, std::string_view)>& fn) {
  store_reads_.fetch_add(1, std::memory_order_relaxed);
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;  // a range of keys, not one prefix
  std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(f)));
  std::string decided(start_after);
  if (start_after.empty()) {
    it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  } else {
    it->Seek(VersionedKey(start_after, 0));  // the oldest possible version of start_after
  }
  for (; it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view kp;
    uint64_t version;
    if (!SplitVersionedKey(key, &kp, &version) || !StartsWith(kp, prefix)) continue;
    if (kp == decided || version > at) continue;
    decided.assign(kp);
    std::string_view value(it->value().data(), it->value().size());
    if (IsTombstone(value)) continue;
    if (!fn(kp, value)) break;
  }
  return FromRocks(it->status(), "scan metadata");
}

Status MetaEngine::Versions(
    Family f, std::string_view prefix,
    const std::function<bool(uint64_t, std::optional<std::string_view>)>& fn) {
  store_reads_.fetch_add(1, std::memory_order_relaxed);
  rocksdb::ReadOptions ro;
  ro.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(f)));
  for (it->Seek(VersionedKey(prefix, std::numeric_limits<uint64_t>::max())); it->Valid();
       it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view kp;
    uint64_t version;
    if (key.size() != prefix.size() + 8 || !SplitVersionedKey(key, &kp, &version) || kp != prefix) {
      break;
    }
    std::string_view value(it->value().data(), it->value().size());
    std::optional<std::string_view> v;
    if (!IsTombstone(value)) v = value;
    if (!fn(version, v)) break;
  }
  return FromRocks(it->status(), "read metadata history");
}

Status MetaEngine::ScanAllVersions(
    Family f,
    const std::function<bool(std::string_view, uint64_t, std::optional<std::string_view>)>& fn) {
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(f)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    std::string_view key(it->key().data(), it->key().size());
    std::string_view prefix;
    uint64_t version;
    if (!SplitVersionedKey(key, &prefix, &version)) continue;
    std::string_view value(it->value().data(), it->value().size());
    std::optional<std::string_view> v;
    if (!IsTombstone(value)) v = value;
    if (!fn(prefix, version, v)) break;
  }
  return FromRocks(it->status(), "scan metadata history");
}

Result<std::optional<std::string>> MetaEngine::GetPlain(Family f, std::string_view key) {
  store_reads_.fetch_add(1, std::memory_order_relaxed);
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf(f), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  NOKV_RETURN_IF_ERROR(FromRocks(s, "read metadata"));
  return std::optional<std::string>(std::move(value));
}

Status MetaEngine::ScanPlain(Family f, std::string_view prefix,
                             const std::function<bool(std::string_view, std::string_view)>& fn) {
  return ScanPlainFrom(f, prefix, prefix, fn);
}

Status MetaEngine::ScanPlainFrom(
    Family f, std::string_view prefix, std::string_view start,
    const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions ro;
  ro.total_order_seek = true;
  std::string upper = PrefixSuccessor(prefix);
  rocksdb::Slice upper_slice(upper);
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(ro, cf(f)));
  const std::string_view seek = start < prefix ? prefix : start;
  for (it->Seek(rocksdb::Slice(seek.data(), seek.size())); it->Valid(); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan metadata");
}

std::unique_ptr<PlainView> MetaEngine::OpenPlainView() {
  const rocksdb::Snapshot* snapshot = options_.read_only ? nullptr : db_->GetSnapshot();
  return std::unique_ptr<PlainView>(new PlainView(this, snapshot));
}

PlainView::~PlainView() {
  if (snapshot_ != nullptr) engine_->db_->ReleaseSnapshot(snapshot_);
}

Result<std::optional<std::string>> PlainView::Get(Family f, std::string_view key) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::string value;
  ++entries_read_;
  engine_->store_reads_.fetch_add(1, std::memory_order_relaxed);
  rocksdb::Status s =
      engine_->db_->Get(ro, engine_->cf(f), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, "read metadata");
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<std::optional<std::string>>> PlainView::MultiGet(
    Family f, const std::vector<std::string>& keys) {
  std::vector<std::optional<std::string>> out(keys.size());
  if (keys.empty()) return out;
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  entries_read_ += keys.size();
  engine_->store_reads_.fetch_add(keys.size(), std::memory_order_relaxed);
  engine_->db_->MultiGet(ro, engine_->cf(f), keys.size(), slices.data(), values.data(),
                         statuses.data());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return FromRocks(statuses[i], "read metadata");
    out[i].emplace(values[i].data(), values[i].size());
  }
  return out;
}

Status PlainView::Scan(Family f, std::string_view prefix, std::string_view from,
                       std::string_view to, bool reverse,
                       const std::function<bool(std::string_view, std::string_view)>& fn) {
  rocksdb::ReadOptions ro;
  ro.snapshot = snapshot_;
  ro.total_order_seek = true;
  std::string lower(from.empty() || from < prefix ? prefix : from);
  std::string upper = PrefixSuccessor(prefix);
  if (!to.empty() && (upper.empty() || std::string_view(upper) > to)) upper = std::string(to);
  rocksdb::Slice lower_slice(lower), upper_slice(upper);
  ro.iterate_lower_bound = &lower_slice;
  if (!upper.empty()) ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(engine_->db_->NewIterator(ro, engine_->cf(f)));
  engine_->store_reads_.fetch_add(1, std::memory_order_relaxed);
  if (reverse) {
    it->SeekToLast();
  } else {
    it->Seek(lower_slice);
  }
  for (; it->Valid(); reverse ? it->Prev() : it->Next()) {
    ++entries_read_;
    if (!fn(std::string_view(it->key().data(), it->key().size()),
            std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), "scan metadata");
}

Status MetaEngine::PutPlainDirect(Family f, std::string_view key, std::string_view value) {
  if (options_.read_only) return Status::InvalidArgument("metadata store opened read-only");
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Put(wo, cf(f), rocksdb::Slice(key.data(), key.size()),
                            rocksdb::Slice(value.data(), value.size())),
                   "write metadata");
}

Status MetaEngine::DeletePlainDirect(Family f, std::string_view key) {
  if (options_.read_only) return Status::InvalidArgument("metadata store opened read-only");
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(db_->Delete(wo, cf(f), rocksdb::Slice(key.data(), key.size())),
                   "delete metadata");
}

Result<uint64_t> MetaEngine::AllocateId(IdKind kind) {
  if (options_.read_only) return Status::InvalidArgument("metadata store opened read-only");
  const int i = static_cast<int>(kind);
  std::lock_guard<std::mutex> l(id_mu_);
  if (id_next_[i] == id_limit_[i]) {
    const uint64_t new_limit = id_limit_[i] + kIdReserveStep;
    if (new_limit > kLocalIdMask) return Status::Internal("id space exhausted");
    NOKV_RETURN_IF_ERROR(
        PutPlainDirect(Family::kSys, IdHighWaterKey(kind), EncodeU64Value(new_limit)));
    id_limit_[i] = new_limit;
  }
  return MakeId(0, id_next_[i]++);
}

// ---------------------------------------------------------------- commits

Result<CommitResult> MetaEngine::Commit(const Command& cmd, const std::string& idempotency_key,
                                        const std::string& request_digest) {
  return Enqueue(cmd, idempotency_key, request_digest, /*maintenance=*/false);
}

Status MetaEngine::Maintain(const Command& cmd) {
  static const std::string kNone;
  return Enqueue(cmd, kNone, kNone, /*maintenance=*/true).status();
}

Result<CommitResult> MetaEngine::Enqueue(const Command& cmd, const std::string& idempotency_key,
                                         const std::string& request_digest, bool maintenance) {
  if (options_.read_only) {
    return Status::InvalidArgument("this data dir was opened read-only; mutations need the writer");
  }
  Writer w;
  w.cmd = &cmd;
  w.maintenance = maintenance;
  w.idempotency_key = &idempotency_key;
  w.request_digest = &request_digest;
  std::unique_lock<std::mutex> l(queue_mu_);
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.wait(l);
  if (w.done) {
    if (!w.status.ok()) return w.status;
    return w.result;
  }
  // This thread leads: take every queued writer (up to a cap) as one group.
  std::vector<Writer*> group;
  for (Writer* q : writers_) {
    if (group.size() == kMaxGroupSize) break;
    group.push_back(q);
  }
  l.unlock();
  RunGroup(group);
  l.lock();
  for (Writer* q : group) {
    writers_.pop_front();
    q->done = true;
    if (q != &w) q->cv.notify_one();
  }
  if (!writers_.empty()) writers_.front()->cv.notify_one();
  l.unlock();
  if (!w.status.ok()) return w.status;
  return w.result;
}

Status MetaEngine::ApplyMaintenance(CommitGroup& g, Txn& txn) {
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    if (IsVersioned(static_cast<Family>(f)) && !txn.local_[f].empty()) {
      return Status::Internal("a maintenance command wrote a versioned record");
    }
  }
  if (!txn.events_.empty()) return Status::Internal("a maintenance command emitted events");
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    const auto family = static_cast<Family>(f);
    for (auto& [k, v] : txn.local_[f]) {
      if (v.has_value()) {
        g.batch.Put(cf(family), k, *v);
      } else {
        g.batch.Delete(cf(family), k);
      }
      g.overlay[f][k] = CommitGroup::Pending{0, std::move(v)};
    }
  }
  for (const auto& [family, key] : txn.erased_) g.batch.Delete(cf(family), key);
  return Status::OK();
}

Status MetaEngine::ApplyCommand(CommitGroup& g, Txn& txn, uint64_t version) {
  if (!txn.erased_.empty()) return Status::Internal("a versioned command erased history");
  std::vector<std::pair<std::string, std::string>> queued;
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    const auto family = static_cast<Family>(f);
    if (!IsVersioned(family)) continue;
    for (const auto& [k, v] : txn.local_[f]) {
      // The version this write supersedes goes to the pruning queue.
      uint64_t prior = 0;
      if (auto it = txn.prior_[f].find(k); it != txn.prior_[f].end()) {
        prior = it->second;
      } else if (auto pending = g.overlay[f].find(k); pending != g.overlay[f].end()) {
        prior = pending->second.version;
      } else {
        NOKV_ASSIGN_OR_RETURN(VersionedValue old, ReadAt(family, k, committed_, false));
        prior = old.version;
      }
      if (prior == 0 && v.has_value()) continue;
      queued.emplace_back(GcQueueKey(GcTarget{version, family, k}),
                          EncodeGcEntry(GcEntry{prior, !v.has_value()}));
    }
  }
  for (const auto& [k, v] : queued) g.batch.Put(cf(Family::kGc), k, v);
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    const auto family = static_cast<Family>(f);
    for (auto& [k, v] : txn.local_[f]) {
      if (IsVersioned(family)) {
        g.batch.Put(cf(family), VersionedKey(k, version), v.has_value() ? *v : TombstoneValue());
      } else if (v.has_value()) {
        g.batch.Put(cf(family), k, *v);
      } else {
        g.batch.Delete(cf(family), k);
      }
      g.overlay[f][k] = CommitGroup::Pending{version, std::move(v)};
    }
  }
  for (uint32_t seq = 0; seq < txn.events_.size(); ++seq) {
    g.batch.Put(cf(Family::kEvents), EventKey(version, seq), txn.events_[seq]);
  }
  g.events += txn.events_.size();
  g.batch.Put(cf(Family::kCommits), CommitKey(version),
              EncodeCommit(CommitRecord{txn.time_ns(), static_cast<uint32_t>(txn.events_.size())}));
  return Status::OK();
}

void MetaEngine::RunGroup(std::vector<Writer*>& group) {
  CommitGroup g;
  uint64_t next = committed_ + 1;
  const int64_t now = NowUnixNanos();
  std::vector<Writer*> applied;
  const int idem = static_cast<int>(Family::kIdem);
  for (Writer* w : group) {
    if (w->maintenance) {
      Txn txn(this, &g, 0, now);
      w->status = (*w->cmd)(txn);
      if (w->status.ok()) w->status = ApplyMaintenance(g, txn);
      if (!w->status.ok()) continue;
      w->result = CommitResult{next - 1, false};
      applied.push_back(w);
      continue;
    }
    const std::string& key = *w->idempotency_key;
    if (!key.empty()) {
      std::optional<std::string> found;
      if (auto it = g.overlay[idem].find(key); it != g.overlay[idem].end()) {
        found = it->second.value;
      } else {
        auto r = GetPlain(Family::kIdem, key);
        if (!r.ok()) {
          w->status = r.status();
          continue;
        }
        found = std::move(r.value());
      }
      IdempotencyRecord rec;
      if (found.has_value()) {
        w->status = DecodeIdempotency(*found, &rec);
        if (w->status.ok() && rec.request_digest != *w->request_digest) {
          w->status = Status::Conflict("idempotency key \"" + key +
                                       "\" was already used for a different request; use a "
                                       "fresh key for a new operation");
        }
        w->result = CommitResult{rec.version, true};
        continue;
      }
    }
    Txn txn(this, &g, next, now);
    w->status = (*w->cmd)(txn);
    if (!w->status.ok()) continue;
    if (txn.empty()) {
      w->result = CommitResult{next - 1, false};
      continue;
    }
    if (!key.empty()) {
      txn.Put(Family::kIdem, key,
              EncodeIdempotency(IdempotencyRecord{next, now, *w->request_digest}));
    }
    // A failure here (a store read) happens before anything of this command
    // reached the batch.
    w->status = ApplyCommand(g, txn, next);
    if (!w->status.ok()) continue;
    w->result = CommitResult{next, false};
    applied.push_back(w);
    ++next;
  }
  if (applied.empty()) return;
  const uint64_t last = next - 1;
  if (last != committed_) g.batch.Put(cf(Family::kSys), kSysLastVersion, EncodeU64Value(last));
  const uint64_t events_total = events_total_.load(std::memory_order_relaxed) + g.events;
  if (g.events > 0) {
    g.batch.Put(cf(Family::kSys), kSysEventsTotal, EncodeU64Value(events_total));
  }
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  Status s = FromRocks(db_->Write(wo, &g.batch), "commit metadata");
  if (!s.ok()) {
    for (Writer* w : applied) w->status = s;
    return;
  }
  for (int f = 0; f < static_cast<int>(Family::kCount); ++f) {
    if (!IsVersioned(static_cast<Family>(f))) continue;
    for (auto& [k, p] : g.overlay[f]) {
      cache_.Update(CacheKey(static_cast<Family>(f), k),
                    VersionedValue{p.version, std::move(p.value)});
    }
  }
  committed_ = last;
  events_total_.store(events_total, std::memory_order_release);
  visible_.store(last, std::memory_order_release);
}

}  // namespace nokv
