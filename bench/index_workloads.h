// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The "index" group: find and aggregate through the agent verbs over an
// indexed directory, against SQLite holding the same rows with equivalent
// indexes (latency p50/p99 per query shape); and the grep verb against
// `grep -rn` over the same files on the local disk (MiB/s).
#ifndef NOKV_BENCH_INDEX_WORKLOADS_H_
#define NOKV_BENCH_INDEX_WORKLOADS_H_

#include "harness.h"
#include "workloads.h"

namespace nokv::bench {

void IndexQueries(const Params& p, WorkRoot& root, Report* report);
void GrepThroughput(const Params& p, WorkRoot& root, Report* report);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_INDEX_WORKLOADS_H_
