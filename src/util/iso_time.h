// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// ISO-8601 UTC timestamps as nokv shows and indexes them:
// "2026-03-01T12:00:05.123Z" (millisecond precision), which orders as text
// in time order for years 0000..9999.
#ifndef NOKV_UTIL_ISO_TIME_H_
#define NOKV_UTIL_ISO_TIME_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nokv {

std::string FormatIsoTime(int64_t unix_ns);

// Accepts "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]" with an
// optional "Z" or "+HH:MM"/"-HH:MM" offset (none means UTC). nullopt for
// anything else.
std::optional<int64_t> ParseIsoTime(std::string_view text);

}  // namespace nokv

#endif  // NOKV_UTIL_ISO_TIME_H_
