// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Durations on the command line: "90s", "15m", "2h", "7d", "1w" or plain
// seconds ("3600").
#ifndef NOKV_CLI_DURATION_H_
#define NOKV_CLI_DURATION_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "nokv/status.h"

namespace nokv::cli {

// Seconds in `text`. InvalidArgument names `flag` and the accepted forms.
Result<int64_t> ParseDuration(std::string_view text, std::string_view flag);

// "45s", "15m", "2h30m", "7d", "3w2d": the largest units, at most two.
std::string FormatDuration(int64_t seconds);

}  // namespace nokv::cli

#endif  // NOKV_CLI_DURATION_H_
