// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// A one-line transfer progress bar on stderr, shown only when stderr is a
// terminal and the transfer is large enough to be worth watching.
#ifndef NOKV_CLI_PROGRESS_H_
#define NOKV_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace nokv::cli {

class ProgressBar {
 public:
  // Transfers at or below this many bytes never show a bar.
  static constexpr uint64_t kMinBytes = 8 << 20;

  // `total` is the expected byte count, 0 when unknown (e.g. stdin); an
  // unknown-size transfer shows a bar once it passes kMinBytes.
  ProgressBar(std::string label, uint64_t total);
  // Erases the bar, so later output starts on a clean line.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Records progress; redraws at most ~10 times per second. `total` of 0
  // keeps the total given to the constructor.
  void Update(uint64_t done, uint64_t total = 0);

 private:
  using Clock = std::chrono::steady_clock;

  void Draw(uint64_t done);

  const std::string label_;
  const bool tty_;
  uint64_t total_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

}  // namespace nokv::cli

#endif  // NOKV_CLI_PROGRESS_H_
