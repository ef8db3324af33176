// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The nokv side of each workload, through the public Namespace interface only.
// Each function does its own untimed setup and returns the timed part.
#ifndef NOKV_BENCH_NOKV_OPS_H_
#define NOKV_BENCH_NOKV_OPS_H_

#include <memory>
#include <string>
#include <vector>

#include "baselines.h"
#include "harness.h"
#include "nokv/namespace.h"

namespace nokv::bench {

// A new namespace in `data_dir` with default options except `sync`.
std::unique_ptr<Namespace> OpenFresh(const std::string& data_dir, bool sync = true);
// A new namespace with `options` (data_dir must be set).
std::unique_ptr<Namespace> OpenFresh(const Options& options);

// Publishes files FileName(0..spec.files) with spec.body under `dir` (made
// first, untimed), spec.batch files per Publish call.
Measurement NokvCreate(Namespace& ns, const std::string& dir, const CreateSpec& spec);

// Stat of every path, in the given order, reading the state `at` selects.
Measurement NokvStat(Namespace& ns, const std::vector<std::string>& paths,
                     const ReadOptions& at = {});

// OpenFile + ReadAll of every path (into a sink that discards), in the given
// order, reading the state `at` selects; ops = files.
Measurement NokvReadFiles(Namespace& ns, const std::vector<std::string>& paths,
                          const ReadOptions& at = {});

// `passes` full listings of `dir` via List pages of `limit`; fails unless
// each pass sees `expected` entries.
Measurement NokvListAll(Namespace& ns, const std::string& dir, size_t limit, int passes,
                        uint64_t expected);

// Lists `dir` with pages of `limit` and returns the cursor of every page after
// the first (the positions one can resume at). Timed: entries listed.
Measurement NokvCursors(Namespace& ns, const std::string& dir, size_t limit,
                        std::vector<std::string>* cursors);

// One List call of `limit` per cursor ("" is the first page); ops = pages.
Measurement NokvPages(Namespace& ns, const std::string& dir,
                      const std::vector<std::string>& cursors, size_t limit);

// Publishes the local file at `local` to `path` via FileSource; ops = MiB.
Measurement NokvPublishFile(Namespace& ns, const std::string& path, const std::string& local);

// OpenFile + ReadAll into a sink that discards; ops = MiB.
Measurement NokvReadAll(Namespace& ns, const std::string& path);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_NOKV_OPS_H_
