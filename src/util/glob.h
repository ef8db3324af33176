// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Glob matching for grep globs and index row globs: `*` matches any run of bytes including
// '/', `?` one byte, `[abc]`, `[a-z]` and `[!x]` one byte of a set. Runs in
// O(pattern x text) time whatever the pattern, unlike backtracking fnmatch.
#ifndef NOKV_UTIL_GLOB_H_
#define NOKV_UTIL_GLOB_H_

#include <string_view>

namespace nokv {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace nokv

#endif  // NOKV_UTIL_GLOB_H_
