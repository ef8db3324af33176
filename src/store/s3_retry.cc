// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "store/s3_retry.h"

#include <algorithm>
#include <random>

namespace nokv {

bool IsRetryable(const HttpResponse& response, std::string_view error_code) {
  if (response.status == 0) return true;
  if (response.status >= 500 || response.status == 429) return true;
  return error_code == "SlowDown" || error_code == "RequestTimeout" || error_code == "Throttling" ||
         error_code == "ThrottlingException" || error_code == "RequestTimeTooSkewed" ||
         error_code == "InternalError";
}

int BackoffDelayMs(int attempt, int base_ms, int max_ms) {
  thread_local std::mt19937_64 rng(std::random_device{}());
  const int shift = std::clamp(attempt - 1, 0, 20);
  const long long cap = std::min<long long>(std::max(1, max_ms),
                                            static_cast<long long>(std::max(1, base_ms)) << shift);
  std::uniform_int_distribution<long long> dist(0, cap);
  return static_cast<int>(std::max<long long>(1, dist(rng)));
}

}  // namespace nokv
