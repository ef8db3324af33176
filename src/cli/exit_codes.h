// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Process exit codes of the `nokv` tool. Scripts rely on these; never
// renumber an existing code.
#ifndef NOKV_CLI_EXIT_CODES_H_
#define NOKV_CLI_EXIT_CODES_H_

#include "nokv/status.h"

namespace nokv::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,    // a bug in nokv
  kExitUsage = 2,       // bad command line, invalid path or argument
  kExitNotFound = 3,    // a path or the data dir does not exist
  kExitConflict = 4,    // exists, precondition failed, wrong kind, not empty
  kExitCorruption = 5,  // checksum mismatch, or fsck found problems
  kExitIOError = 6,     // the disk or block store failed or is full
  kExitBusy = 7,        // another process holds the data dir for writing
  kExitExpired = 8,     // cursor, version or snapshot no longer retained
};

inline ExitCode ExitCodeFor(Code code) {
  switch (code) {
    case Code::kOk:
      return kExitOk;
    case Code::kInvalidArgument:
      return kExitUsage;
    case Code::kNotFound:
      return kExitNotFound;
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kNotDirectory:
    case Code::kIsDirectory:
    case Code::kNotEmpty:
      return kExitConflict;
    case Code::kCorruption:
      return kExitCorruption;
    case Code::kIOError:
    case Code::kNoSpace:
      return kExitIOError;
    case Code::kBusy:
      return kExitBusy;
    case Code::kInternal:
      return kExitInternal;
    case Code::kExpired:
      return kExitExpired;
  }
  return kExitInternal;
}

// The table shown at the end of `nokv --help`.
inline constexpr const char* kExitCodesHelp =
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal error (a bug in nokv)\n"
    "  2  usage error or invalid argument (bad option, malformed path)\n"
    "  3  not found (path or data dir does not exist)\n"
    "  4  conflict (already exists, precondition failed, not a directory,\n"
    "     is a directory, directory not empty)\n"
    "  5  corruption (checksum mismatch; fsck found problems)\n"
    "  6  I/O error or no space left\n"
    "  7  busy (another process holds the data dir for writing)\n"
    "  8  expired (a watch cursor, version or snapshot is no longer retained)\n";

}  // namespace nokv::cli

#endif  // NOKV_CLI_EXIT_CODES_H_
