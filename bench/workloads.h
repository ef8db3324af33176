// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The workload groups of nokv-bench (selectable with --only). Each group
// builds its inputs in fresh directories below the work root, runs nokv and
// its baselines in the same process and adds rows to the report.
#ifndef NOKV_BENCH_WORKLOADS_H_
#define NOKV_BENCH_WORKLOADS_H_

#include <functional>
#include <string>
#include <vector>

#include "harness.h"

namespace nokv::bench {

// Sizes per --scale.
struct Params {
  uint64_t batched_files = 0;  // create workloads, batched
  uint64_t batch = 0;          // files per Publish / WriteBatch
  uint64_t single_files = 0;   // create workloads, one file per commit
  uint64_t stat_files = 0;
  uint64_t stat_ops = 0;
  uint64_t list_entries = 0;
  int list_passes = 0;
  uint64_t page_entries = 0;  // the "1M-entry" directory
  uint64_t page_samples = 0;
  uint64_t big_bytes = 0;  // the "1 GiB" file
  // Time features: snapshots, watch replay, clone, GC.
  uint64_t snapshot_small_tree = 0;  // files in the smaller snapshotted tree
  uint64_t snapshot_large_tree = 0;  // files in the larger one
  uint64_t snapshots = 0;            // snapshots created per run
  uint64_t snapshot_read_files = 0;  // the tree read at a snapshot and live
  uint64_t snapshot_read_stats = 0;
  uint64_t watch_events = 0;  // events in the replayed log (about)
  uint64_t clone_files = 0;
  uint64_t gc_files = 0;          // inline files replaced, removed, collected
  uint64_t gc_block_files = 0;    // the same with one block per body
  uint64_t gc_removed_files = 0;  // files in the rm -rf baseline's tree (at most)
  uint64_t index_rows = 0;        // rows of the indexed directory (and of the SQLite table)
  int index_reps = 0;             // queries per shape and side
  uint64_t grep_files = 0;        // 1 MiB logs grepped
  int reps = 1;                   // runs per side; the best one counts
  // The "s3" group (empty endpoint: skipped).
  std::string s3_endpoint;
  std::string s3_bucket;
  uint64_t s3_checkpoint_bytes = 0;
  uint64_t s3_samples = 0;
  // The "cli" group: a tree of cli_dirs x cli_files_per_dir files, and
  // cli_commands one-shot commands per measured side.
  uint64_t cli_dirs = 0;
  uint64_t cli_files_per_dir = 0;
  uint64_t cli_commands = 0;
};

Params ParamsFor(Scale scale);

// Batch size for building large directories (untimed setup).
inline constexpr uint64_t kSetupBatch = 10'000;

struct Group {
  std::string name;
  std::function<void(const Params&, WorkRoot&, Report*)> run;
};

const std::vector<Group>& Groups();
std::vector<std::string> GroupNames();

}  // namespace nokv::bench

#endif  // NOKV_BENCH_WORKLOADS_H_
