// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// UTF-8 well-formedness, shared by path validation and the agent verbs.
#ifndef NOKV_UTIL_UTF8_H_
#define NOKV_UTIL_UTF8_H_

#include <cstddef>
#include <string_view>

namespace nokv {

// The offset of the first byte of `s` that does not begin a well-formed
// UTF-8 sequence (a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate or a code point past U+10FFFF), or
// std::string_view::npos when all of `s` is well-formed.
size_t InvalidUtf8Offset(std::string_view s);

inline bool IsValidUtf8(std::string_view s) {
  return InvalidUtf8Offset(s) == std::string_view::npos;
}

// The byte length of the well-formed sequence starting at s[i], or 0 when
// none starts there.
size_t Utf8SequenceLength(std::string_view s, size_t i);

}  // namespace nokv

#endif  // NOKV_UTIL_UTF8_H_
