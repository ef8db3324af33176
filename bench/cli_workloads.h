// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The "cli" group: one-shot `nokv` commands (a process per command, the way
// people and scripts call a CLI) on a data dir holding many files, against
// git doing the comparable thing on a repository of the same shape.
#ifndef NOKV_BENCH_CLI_WORKLOADS_H_
#define NOKV_BENCH_CLI_WORKLOADS_H_

#include "workloads.h"

namespace nokv::bench {

void CliOneShot(const Params& params, WorkRoot& root, Report* report);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_CLI_WORKLOADS_H_
