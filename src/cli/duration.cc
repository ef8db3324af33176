// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/duration.h"

#include <charconv>
#include <limits>

namespace nokv::cli {
namespace {

struct Unit {
  char suffix;
  int64_t seconds;
};

constexpr Unit kUnits[] = {{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

}  // namespace

Result<int64_t> ParseDuration(std::string_view text, std::string_view flag) {
  auto invalid = [&] {
    return Status::InvalidArgument(std::string(flag) + " '" + std::string(text) +
                                   "' is not a duration; use e.g. 90s, 15m, 2h, 7d, 1w or "
                                   "plain seconds");
  };
  if (text.empty()) return invalid();
  int64_t multiplier = 1;
  std::string_view digits = text;
  const char last = text.back();
  if (last < '0' || last > '9') {
    bool known = false;
    for (const Unit& u : kUnits) {
      if (u.suffix == last) {
        multiplier = u.seconds;
        known = true;
      }
    }
    if (!known) return invalid();
    digits.remove_suffix(1);
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return invalid();
  }
  int64_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() ||
      n > std::numeric_limits<int64_t>::max() / multiplier) {
    return Status::InvalidArgument(std::string(flag) + " '" + std::string(text) + "' is too long");
  }
  return n * multiplier;
}

std::string FormatDuration(int64_t seconds) {
  if (seconds <= 0) return "0s";
  std::string out;
  int parts = 0;
  for (const Unit& u : kUnits) {
    if (parts == 2) break;
    const int64_t n = seconds / u.seconds;
    if (n == 0) {
      if (parts > 0) break;  // "2h" not "2h0m5s"
      continue;
    }
    out += std::to_string(n) + u.suffix;
    seconds -= n * u.seconds;
    ++parts;
  }
  return out;
}

}  // namespace nokv::cli
