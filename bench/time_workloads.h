// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The workload groups of the time features: snapshot creation and reads at a
// snapshot, watch replay, clone and snapshot-aware GC.
#ifndef NOKV_BENCH_TIME_WORKLOADS_H_
#define NOKV_BENCH_TIME_WORKLOADS_H_

#include "harness.h"
#include "workloads.h"

namespace nokv::bench {

void SnapshotCreate(const Params& p, WorkRoot& root, Report* report);
void SnapshotRead(const Params& p, WorkRoot& root, Report* report);
void WatchReplay(const Params& p, WorkRoot& root, Report* report);
void CloneTree(const Params& p, WorkRoot& root, Report* report);
void CollectGarbage(const Params& p, WorkRoot& root, Report* report);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_TIME_WORKLOADS_H_
