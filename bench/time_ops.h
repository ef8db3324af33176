// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The nokv side of the time-feature workloads (snapshots, watch replay, GC,
// clone), through the public Namespace interface only. Each function does
// its own untimed setup and returns the timed part.
#ifndef NOKV_BENCH_TIME_OPS_H_
#define NOKV_BENCH_TIME_OPS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "harness.h"
#include "inputs.h"
#include "nokv/namespace.h"

namespace nokv::bench {

// Publishes the tree `shape` below `root` with `body` in every file, one
// Publish per directory; over an existing tree every file gets a new
// generation. ops = files.
Measurement NokvCreateTree(Namespace& ns, const std::string& root, const TreeShape& shape,
                           const std::string& body);

// `count` CreateSnapshot calls on `path`, named `prefix` + "-<i>"; ops =
// snapshots.
Measurement NokvSnapshots(Namespace& ns, const std::string& path, uint64_t count,
                          const std::string& prefix);

// Replays every retained event of the subtree at `path`, from the oldest
// one, with Watch pages of `limit`; ops = events. Keeps the events in *out
// when given.
Measurement NokvReplay(Namespace& ns, const std::string& path, size_t limit,
                       std::vector<WatchEvent>* out = nullptr);

// One event as a line of JSON (without the newline).
std::string EventJson(const WatchEvent& e);

struct GcRun {
  GcReport report;
  double seconds = 0;
};

// CollectGarbage until no work is left, with a history retention of 0: every
// version below the newest is prunable unless a snapshot pins it.
GcRun NokvCollectGarbage(Namespace& ns);

// Clones the tree `shape` at `src` (live) to `dst` in one commit; ops =
// shape.entries() (the copy's shape is checked afterwards).
Measurement NokvClone(Namespace& ns, const std::string& src, const std::string& dst,
                      const TreeShape& shape);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_TIME_OPS_H_
