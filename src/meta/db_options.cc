// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/db_options.h"

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <sys/resource.h>

#include <algorithm>
#include <memory>

#include "meta/records.h"

namespace nokv {

namespace {

// The prefix of a versioned key is the key without its 8-byte version
// suffix. With it, point reads ("newest version of this key at V") consult
// prefix bloom filters and skip every SST and memtable that lacks the key.
class StripVersionTransform final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "nokv.StripVersion"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - 8);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() >= 8; }
};

// The writer's info LOG stays in the data dir, bounded: RocksDB starts a new
// file at every open and keeps only the newest few.
constexpr size_t kInfoLogFileBytes = 1 << 20;
constexpr size_t kInfoLogFilesKept = 4;
constexpr double kWriterMemtableBloomRatio = 0.0;

rocksdb::BlockBasedTableOptions TableOptions(size_t block_cache_bytes) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Partitioned index and filters: the index and filter of an SST are split
  // into ~4 KiB partitions under a small pinned top level. A monolithic index
  // block grows with the file (megabytes for a large SST) and does not fit a
  // shard of the block cache, so every iterator would read and decompress it
  // again; partitions are cached like data blocks.
  table.index_type = rocksdb::BlockBasedTableOptions::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.metadata_block_size = 4096;
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_top_level_index_and_filter = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  return table;
}

}  // namespace

int WriterMaxOpenFiles() {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1024;
  // Half the descriptors for table files, the rest for blocks, sockets and
  // the caller; at least a few so RocksDB can work at all.
  const auto half = static_cast<long long>(limit.rlim_cur / 2);
  return static_cast<int>(std::clamp<long long>(half, 32, 4096));
}

DbTuning MakeDbTuning(const DbTuningInputs& inputs) {
  DbTuning t;
  rocksdb::Options& opts = t.db;
  opts.create_if_missing = !inputs.read_only;
  opts.create_missing_column_families = !inputs.read_only;
  opts.IncreaseParallelism(2);
  opts.max_background_jobs = 2;
  opts.write_buffer_size = 64 << 20;
  // A secondary must hold every table file open (RocksDB requires -1), so
  // what bounds its descriptors is the bounded number of files (see upkeep).
  opts.max_open_files = inputs.read_only ? -1 : WriterMaxOpenFiles();
  // RocksDB opens table files with up to 16 threads per column family and
  // per version change: ~400 threads for one `nokv stat`. The file count is
  // bounded, so one thread opens them faster than spawning the pool does.
  opts.max_file_opening_threads = 1;
  // Most nokv processes are one CLI command long. Flushing the memtables
  // they recover from the write-ahead log would leave one tiny table file per
  // column family per command; the WAL already holds that data durably, so
  // it is replayed instead and flushed by MetaUpkeep once it has grown.
  opts.avoid_flush_during_recovery = true;
  opts.avoid_flush_during_shutdown = true;
  if (inputs.read_only) {
    opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;  // in a scratch dir
  } else {
    opts.info_log_level = rocksdb::InfoLogLevel::INFO_LEVEL;
    opts.max_log_file_size = kInfoLogFileBytes;
    opts.keep_log_file_num = kInfoLogFilesKept;
  }

  const rocksdb::BlockBasedTableOptions table = TableOptions(inputs.block_cache_bytes);
  opts.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

  rocksdb::BlockBasedTableOptions versioned_table = table;
  versioned_table.whole_key_filtering = false;  // versioned keys are only sought by prefix
  rocksdb::ColumnFamilyOptions versioned_cf(opts);
  versioned_cf.prefix_extractor = std::make_shared<StripVersionTransform>();
  // A memtable prefix bloom is allocated and zeroed whole when the memtable
  // is made (write_buffer_size x ratio): 3 MiB per family at 0.05, which cost
  // a one-shot command ~10 ms per family in page faults. The memtables of
  // short-lived processes are small, so readers go without; the writer keeps
  // a small one for long-lived processes whose memtables fill up.
  versioned_cf.memtable_prefix_bloom_size_ratio = inputs.read_only ? 0 : kWriterMemtableBloomRatio;
  versioned_cf.table_factory.reset(rocksdb::NewBlockBasedTableFactory(versioned_table));

  for (int i = 0; i < static_cast<int>(Family::kCount); ++i) {
    const auto family = static_cast<Family>(i);
    t.families.emplace_back(FamilyName(family), IsVersioned(family)
                                                    ? versioned_cf
                                                    : rocksdb::ColumnFamilyOptions(opts));
  }
  return t;
}

}  // namespace nokv
