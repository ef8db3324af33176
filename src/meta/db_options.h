// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// How nokv configures RocksDB: one place for every tuning decision, so the
// engine only opens what this builds. See docs/design.md ("Short-lived
// processes") for why each choice is made.
#ifndef NOKV_META_DB_OPTIONS_H_
#define NOKV_META_DB_OPTIONS_H_

#include <rocksdb/options.h>

#include <cstddef>
#include <vector>

namespace nokv {

struct DbTuningInputs {
  bool read_only = false;  // a secondary instance (must keep every file open)
  size_t block_cache_bytes = 64 << 20;
};

struct DbTuning {
  rocksdb::Options db;
  // One descriptor per Family, in Family order.
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
};

// Builds the options for the metadata store at one open.
DbTuning MakeDbTuning(const DbTuningInputs& inputs);

// The number of table files the writer may keep open, derived from the
// process's file descriptor limit so RocksDB never exhausts it.
int WriterMaxOpenFiles();

}  // namespace nokv

#endif  // NOKV_META_DB_OPTIONS_H_
