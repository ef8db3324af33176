// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The "s3" workload group: nokv with its bodies in an S3 server against
// direct S3 clients of the same server in the same run (awscli, curl, and
// plain signed GETs). Runs only when --s3-endpoint is given; credentials come
// from the usual AWS_* environment or profile.
#ifndef NOKV_BENCH_S3_WORKLOADS_H_
#define NOKV_BENCH_S3_WORKLOADS_H_

#include "harness.h"
#include "workloads.h"

namespace nokv::bench {

void S3Workloads(const Params& p, WorkRoot& root, Report* report);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_S3_WORKLOADS_H_
