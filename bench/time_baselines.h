// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Baselines of the time-feature workloads that raw RocksDB and plain files
// offer: RocksDB snapshots, a scan over an ordered log of records, and a
// JSON-lines log file. Tree copies and removals run coreutils (RunProgram).
#ifndef NOKV_BENCH_TIME_BASELINES_H_
#define NOKV_BENCH_TIME_BASELINES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "baselines.h"
#include "harness.h"

namespace nokv::bench {

// `count` times: GetSnapshot, then a synced Put of a 64-byte record naming
// it (what a durable, named snapshot costs at least on raw RocksDB). The
// snapshots are released after the timed part; ops = snapshots.
Measurement RocksSnapshots(rocksdb::DB& db, uint64_t count);

// Writes `records` as values under increasing 9-byte keys, 1000 per
// WriteBatch, unsynced (setup).
void RocksAppendLog(rocksdb::DB& db, const std::vector<std::string>& records);

// One iterator pass over every key of `db`, touching each key and value;
// fails unless it sees `expected` keys. ops = keys.
Measurement RocksScan(rocksdb::DB& db, uint64_t expected);

// Writes every record followed by '\n' to `path` and fsyncs it (setup).
void WriteLines(const std::string& path, const std::vector<std::string>& records);

// Reads `path` line by line (std::getline); fails unless it has `expected`
// lines. ops = lines.
Measurement ReadLines(const std::string& path, uint64_t expected);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_TIME_BASELINES_H_
