// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// MetaUpkeep: keeps the metadata store healthy when most writers live for one
// CLI command. Such a process recovers the write-ahead log into memory, adds a
// few records and exits; RocksDB's own triggers (a full memtable, a
// background compaction) rarely fire inside that lifetime, and a compaction
// still running at exit is abandoned. Before the writer closes, Settle()
// flushes once the logs have grown past a bound, merges the small tables of
// a family once it has more than a few (RocksDB moves non-overlapping tables
// down a level without merging them), and then lets the compactions that are
// due finish, so the number of files stays bounded while each command pays
// only for the work it is due.
//
// Thread safety: call from the closing thread after all commits finished.
#ifndef NOKV_META_UPKEEP_H_
#define NOKV_META_UPKEEP_H_

#include <rocksdb/db.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "nokv/status.h"

namespace nokv {

struct UpkeepLimits {
  // Flush the memtables when the live write-ahead logs exceed either bound:
  // every open (the writer and each reader) replays them.
  uint64_t max_wal_files = 32;
  uint64_t max_wal_bytes = 4 << 20;
  // How long a closing writer waits for due compactions before leaving the
  // rest to the next writer.
  std::chrono::milliseconds compaction_budget{30000};
};

struct UpkeepReport {
  uint64_t wal_files = 0;
  uint64_t wal_bytes = 0;
  bool flushed = false;
  int families_merged = 0;          // families whose small tables were merged
  bool compactions_settled = true;  // false: the budget ran out first
};

class MetaUpkeep {
 public:
  MetaUpkeep(rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> families,
             UpkeepLimits limits = UpkeepLimits())
      : db_(db), families_(std::move(families)), limits_(limits) {}

  // Flushes if the logs are over their bounds, then waits (within the
  // budget) until no flush or compaction is pending or running.
  Result<UpkeepReport> Settle();

 private:
  // Merges the small tables of every family that has more than a few into
  // one run; returns how many families it merged.
  Result<int> MergeSmallTables();
  bool JobsRunning() const;  // a flush or compaction is executing
  bool JobsDue() const;      // a flush or compaction is wanted

  rocksdb::DB* db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  UpkeepLimits limits_;
};

}  // namespace nokv

#endif  // NOKV_META_UPKEEP_H_
