// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Path helpers for command-line arguments: namespace paths (validated by
// nokv::NormalizePath) and local filesystem paths.
#ifndef NOKV_CLI_PATHS_H_
#define NOKV_CLI_PATHS_H_

#include <string>
#include <string_view>

#include "nokv/status.h"

namespace nokv::cli {

// Validates and normalizes a namespace path typed by the user. The namespace
// has no working directory, so a relative path ("runs/a") is refused with
// InvalidArgument (exit 2) that suggests the absolute form ("/runs/a");
// InvalidArgument also names any other rule that was broken.
Result<std::string> ParsePath(const std::string& arg);

// True when the argument ends with '/', i.e. the user means "into this
// directory" (`nokv put f /dir/`).
bool EndsWithSlash(std::string_view arg);

// Joins a normalized namespace directory and one component.
std::string JoinPath(std::string_view dir, std::string_view name);
// The last component of a normalized namespace path; empty for "/".
std::string BaseName(std::string_view path);

// Joins local path pieces with exactly one '/' between them.
std::string JoinLocal(std::string_view dir, std::string_view name);
// The name a local file or directory gets when copied into a directory:
// its last component ("data/" gives "data"); for ".", ".." and the like, the
// last component of its real path. Empty for "/".
std::string LocalBaseName(const std::string& local_path);

}  // namespace nokv::cli

#endif  // NOKV_CLI_PATHS_H_
