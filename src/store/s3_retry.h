// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// When and how long an S3 request waits before trying again.
#ifndef NOKV_STORE_S3_RETRY_H_
#define NOKV_STORE_S3_RETRY_H_

#include <string_view>

#include "store/http_client.h"

namespace nokv {

// True for failures that a later attempt may not see: transport errors
// (refused, reset, timed out), 5xx, 429, and the throttling and timeout codes
// S3 sends with other statuses (SlowDown, RequestTimeout, ...).
bool IsRetryable(const HttpResponse& response, std::string_view error_code);

// "Full jitter" exponential backoff: a uniformly random delay in
// [0, min(max_ms, base_ms * 2^(attempt-1))], at least 1 ms. `attempt` counts
// from 1 (the delay after the first failure). Thread-safe.
int BackoffDelayMs(int attempt, int base_ms, int max_ms);

}  // namespace nokv

#endif  // NOKV_STORE_S3_RETRY_H_
