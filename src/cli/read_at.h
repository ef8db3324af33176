// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Which state of the namespace a read command sees: the live namespace, a
// commit version (--version V) or a named snapshot (--snapshot NAME), and
// the "state reference" syntax `nokv diff` uses for the same choice.
#ifndef NOKV_CLI_READ_AT_H_
#define NOKV_CLI_READ_AT_H_

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "nokv/namespace.h"
#include "nokv/status.h"

namespace nokv::cli {

struct ReadAtArgs {
  std::string snapshot;
  uint64_t version = 0;
  uint64_t generation = 0;
  CLI::Option* snapshot_opt = nullptr;
  CLI::Option* version_opt = nullptr;
  CLI::Option* generation_opt = nullptr;  // only for commands that read one file
};

// Adds --snapshot NAME and --version N to `cmd`; giving both is a usage
// error reported by the parser.
void AddReadAtOptions(CLI::App* cmd, ReadAtArgs* args);
// Also adds --generation N: one retained generation of a file (see
// `nokv history`), looked up in the state the other flags select.
void AddGenerationOption(CLI::App* cmd, ReadAtArgs* args);

// The ReadOptions the flags ask for. InvalidArgument for --version 0 or
// --generation 0.
Result<ReadOptions> ReadOptionsFrom(const ReadAtArgs& args);

// True when the read sees the live namespace.
inline bool IsLive(const ReadOptions& at) { return at.version == 0 && at.snapshot.empty(); }

// A live read pinned at the newest version, so that a command issuing many
// calls (tree, get -r) reads one consistent cut; other reads unchanged.
ReadOptions PinLive(Namespace* ns, ReadOptions at);

// The commit version `at` reads: its version, its snapshot's, or the newest.
Result<uint64_t> VersionOf(Namespace* ns, const ReadOptions& at);

// The ListOptions reading at the same state as `at`.
ListOptions ListOptionsAt(const ReadOptions& at);

// Describes a non-live state for messages: "version 12", "snapshot nightly".
std::string DescribeState(const ReadOptions& at);

// Parses a state reference of `nokv diff`:
//   "now"     the newest committed version
//   "42"      commit version 42 (digits only)
//   "@NAME"   snapshot NAME (the '@' forces a snapshot, e.g. "@2024")
//   "NAME"    snapshot NAME (anything else)
Result<ReadOptions> ParseStateRef(const std::string& ref);

}  // namespace nokv::cli

#endif  // NOKV_CLI_READ_AT_H_
