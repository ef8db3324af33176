// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Namespace path handling. A normalized path is "/" or "/a/b" (no trailing
// slash, no empty, "." or ".." components).
#ifndef NOKV_UTIL_PATH_H_
#define NOKV_UTIL_PATH_H_

#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"

namespace nokv {

inline constexpr size_t kMaxNameBytes = 255;
inline constexpr size_t kMaxPathBytes = 4096;

// Validates one component (used for names that arrive without a path).
Status ValidateName(std::string_view name);

// Splits a normalized path into components ("/" has none).
std::vector<std::string_view> SplitPath(std::string_view normalized);

// Parent of a normalized path ("/a/b" -> "/a", "/a" -> "/"); "/" for "/".
std::string_view ParentPath(std::string_view normalized);
// Last component ("/a/b" -> "b"); empty for "/".
std::string_view BaseName(std::string_view normalized);
// Joins a normalized directory path and a valid name.
std::string JoinPath(std::string_view dir, std::string_view name);
// True if `path` equals `ancestor` or lies below it (both normalized).
bool IsSameOrBelow(std::string_view path, std::string_view ancestor);
// The deepest directory that contains the parents of all `paths` ("/" if
// they share none). `paths` are normalized and non-empty.
std::string CommonDirectory(const std::vector<std::string>& paths);

}  // namespace nokv

#endif  // NOKV_UTIL_PATH_H_
