// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Glob matching for grep's `glob`: `*` matches any run of bytes including
// '/', `?` one byte, `[abc]`, `[a-z]` and `[!x]` one byte of a set. Runs in
// O(pattern x text) time whatever the pattern, unlike backtracking fnmatch.
#ifndef NOKV_AGENT_GLOB_H_
#define NOKV_AGENT_GLOB_H_

#include <string_view>

namespace nokv::agent {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_GLOB_H_
