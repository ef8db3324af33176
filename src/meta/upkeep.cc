// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/upkeep.h"

#include <rocksdb/metadata.h>
#include <rocksdb/transaction_log.h>

#include <thread>

namespace nokv {

namespace {

constexpr std::chrono::milliseconds kPollInterval{2};
constexpr std::chrono::milliseconds kIdleGiveUp{250};
// Tables below this size count as small. Families whose keys only grow
// (events, commits, new inodes) flush tables whose key ranges never overlap,
// and RocksDB moves such tables down a level as they are instead of merging
// them, so one-shot writers would pile up tiny tables without end.
constexpr uint64_t kSmallTableBytes = 4 << 20;
constexpr size_t kMaxSmallTables = 8;

uint64_t IntProperty(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const std::string& name) {
  uint64_t value = 0;
  if (cf != nullptr) {
    db->GetIntProperty(cf, name, &value);
  } else {
    db->GetIntProperty(name, &value);
  }
  return value;
}

}  // namespace

bool MetaUpkeep::JobsRunning() const {
  return IntProperty(db_, nullptr, rocksdb::DB::Properties::kNumRunningCompactions) > 0 ||
         IntProperty(db_, nullptr, rocksdb::DB::Properties::kNumRunningFlushes) > 0;
}

bool MetaUpkeep::JobsDue() const {
  for (rocksdb::ColumnFamilyHandle* cf : families_) {
    if (IntProperty(db_, cf, rocksdb::DB::Properties::kCompactionPending) > 0 ||
        IntProperty(db_, cf, rocksdb::DB::Properties::kMemTableFlushPending) > 0) {
      return true;
    }
  }
  return false;
}

Result<int> MetaUpkeep::MergeSmallTables() {
  int merged = 0;
  for (rocksdb::ColumnFamilyHandle* cf : families_) {
    rocksdb::ColumnFamilyMetaData meta;
    db_->GetColumnFamilyMetaData(cf, &meta);
    size_t small = 0;
    std::string smallest, largest;
    for (const rocksdb::LevelMetaData& level : meta.levels) {
      for (const rocksdb::SstFileMetaData& file : level.files) {
        if (file.size >= kSmallTableBytes) continue;
        if (small == 0 || file.smallestkey < smallest) smallest = file.smallestkey;
        if (small == 0 || file.largestkey > largest) largest = file.largestkey;
        ++small;
      }
    }
    if (small <= kMaxSmallTables) continue;
    // Rewrite the key range the small tables span into one sorted run; the
    // range is small by construction (at most a few MiB per table).
    rocksdb::CompactRangeOptions options;
    options.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    options.exclusive_manual_compaction = false;
    const rocksdb::Slice begin(smallest), end(largest);
    rocksdb::Status s = db_->CompactRange(options, cf, &begin, &end);
    if (!s.ok()) return Status::IOError("merge small metadata tables: " + s.ToString());
    ++merged;
  }
  return merged;
}

Result<UpkeepReport> MetaUpkeep::Settle() {
  UpkeepReport report;
  rocksdb::VectorLogPtr wals;
  rocksdb::Status s = db_->GetSortedWalFiles(wals);
  if (!s.ok()) return Status::IOError("list write-ahead logs: " + s.ToString());
  for (const auto& wal : wals) {
    if (wal->Type() != rocksdb::kAliveLogFile) continue;
    ++report.wal_files;
    report.wal_bytes += wal->SizeFileBytes();
  }
  if (report.wal_files > limits_.max_wal_files || report.wal_bytes > limits_.max_wal_bytes) {
    rocksdb::FlushOptions flush;
    flush.wait = true;
    flush.allow_write_stall = true;
    s = db_->Flush(flush, families_);
    if (!s.ok()) return Status::IOError("flush metadata memtables: " + s.ToString());
    report.flushed = true;
  }
  NOKV_ASSIGN_OR_RETURN(report.families_merged, MergeSmallTables());
  // Wait while jobs run or are due. A job that is due but never starts
  // (RocksDB found nothing it may pick now) must not hold the exit: give up
  // after a short idle spell and leave it to the next writer.
  const auto start = std::chrono::steady_clock::now();
  auto idle_since = start;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (JobsRunning()) {
      idle_since = now;
    } else if (!JobsDue()) {
      break;
    } else if (now - idle_since >= kIdleGiveUp) {
      report.compactions_settled = false;
      break;
    }
    if (now - start >= limits_.compaction_budget) {
      report.compactions_settled = false;
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  return report;
}

}  // namespace nokv
