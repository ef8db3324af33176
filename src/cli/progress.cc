// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "cli/output.h"

namespace nokv::cli {
namespace {

constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;

}  // namespace

ProgressBar::ProgressBar(std::string label, uint64_t total)
    : label_(std::move(label)),
      tty_(::isatty(STDERR_FILENO) == 1),
      total_(total),
      start_(Clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
  }
}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!tty_) return;
  if (total != 0) total_ = total;
  if (std::max(total_, done) <= kMinBytes) return;
  Clock::time_point now = Clock::now();
  bool finished = total_ != 0 && done >= total_;
  if (drawn_ && !finished && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  Draw(done);
}

void ProgressBar::Draw(uint64_t done) {
  double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  double mb_per_s = seconds > 0 ? static_cast<double>(done) / 1e6 / seconds : 0;
  std::string line = "\r" + label_ + " ";
  if (total_ != 0) {
    double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    int filled = static_cast<int>(fraction * kBarWidth);
    line += "[" + std::string(filled, '=') + std::string(kBarWidth - filled, ' ') + "]";
    char pct[16];
    std::snprintf(pct, sizeof(pct), " %3d%% ", static_cast<int>(fraction * 100));
    line += pct + FormatSize(done) + " / " + FormatSize(total_);
  } else {
    line += FormatSize(done);
  }
  char rate[32];
  std::snprintf(rate, sizeof(rate), "  %.1f MB/s", mb_per_s);
  line += rate;
  line += "\033[K";  // erase what a longer previous line left behind
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

}  // namespace nokv::cli
