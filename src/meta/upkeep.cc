// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/upkeep.h"

#include <rocksdb/transaction_log.h>

#include <thread>

namespace nokv {

namespace {

constexpr std::chrono::milliseconds kPollInterval{2};
constexpr std::chrono::milliseconds kIdleGiveUp{250};

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
