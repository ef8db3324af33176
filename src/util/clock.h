// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#ifndef NOKV_UTIL_CLOCK_H_
#define NOKV_UTIL_CLOCK_H_

#include <chrono>
#include <cstdint>

namespace nokv {

// Wall-clock time in unix nanoseconds.
inline int64_t NowUnixNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace nokv

#endif  // NOKV_UTIL_CLOCK_H_
