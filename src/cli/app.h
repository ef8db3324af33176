// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The skeleton of the `nokv` tool: global flags, opening the namespace the
// way a command needs it, and dispatching to the chosen subcommand. Commands
// live in cmd_*.cc and register themselves through the functions in
// commands.h.
#ifndef NOKV_CLI_APP_H_
#define NOKV_CLI_APP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/store_flags.h"
#include "nokv/namespace.h"
#include "nokv/status.h"

namespace nokv::cli {

// NOKV_VERSION comes from the CMake project version, so --version, the man
// pages and the packages always agree.
inline constexpr const char* kVersionString = "nokv " NOKV_VERSION;

// Flags accepted before or after the subcommand.
struct GlobalFlags {
  std::string data_dir;  // --data-dir; empty: $NOKV_DATA_DIR, else ./.nokv
  bool json = false;     // --json
  StoreFlags store;      // --store, --s3-*
  std::string wait;      // --wait[=DURATION]; empty: $NOKV_WAIT, else fail at once
  int verbosity = 0;     // -v, repeated
  bool quiet = false;    // -q, --quiet
};

// What a running command gets: the flags, a way to open the namespace, and
// a place to leave advice for when it fails.
class Context {
 public:
  // `lock_wait_ms`: see Options::lock_wait_ms (ResolveLockWait).
  Context(const GlobalFlags& flags, int64_t lock_wait_ms);

  bool json() const { return json_; }
  // The resolved data dir.
  const std::string& data_dir() const { return data_dir_; }
  int verbosity() const { return verbosity_; }

  // Prints `nokv: <message>` to stderr when -v was given at least `level`
  // times.
  void Verbose(int level, const std::string& message) const;

  // Opens the namespace read-only: no writer lock is taken, so this works
  // while another process writes. NotFound when the data dir does not exist.
  Result<std::unique_ptr<Namespace>> OpenReader() const;
  // Opens the namespace for writing, creating the data dir on first use.
  // Waits for the writer lock as long as --wait (or $NOKV_WAIT) says.
  Result<std::unique_ptr<Namespace>> OpenWriter() const;
  // OpenWriter, but uploads abandoned by dead writers are left for the
  // command to reclaim with CleanupIntents (which reports what it freed).
  Result<std::unique_ptr<Namespace>> OpenMaintainer() const;

  // Advice printed after the error message if the command fails; replaces
  // the generic advice for the error code.
  void SetHint(std::string hint) { hint_ = std::move(hint); }
  const std::string& hint() const { return hint_; }

 private:
  Result<std::unique_ptr<Namespace>> Open(bool read_only, bool cleanup_on_open) const;

  std::string data_dir_;
  bool json_;
  StoreFlags store_;
  int64_t lock_wait_ms_;  // see Options::lock_wait_ms
  int verbosity_;
  std::string hint_;
};

// Milliseconds to wait for the writer lock: `flag` (the --wait value) if
// given, else $NOKV_WAIT, else 0. A DURATION is "500ms", "30s", "5m", "1h",
// plain seconds, or "forever" (-1: no limit).
Result<int64_t> ResolveLockWait(const std::string& flag);

using CommandFn = std::function<Status(Context&)>;

// Rejects "-1" and the like for unsigned options (CLI11 would wrap them).
const CLI::Validator& UnsignedNumber();

// Adds an option that takes a non-negative integer, shown as N in --help.
template <typename T>
CLI::Option* AddNumberOption(CLI::App* cmd, const std::string& name, T* value,
                             const std::string& description) {
  return cmd->add_option(name, *value, description)->type_name("N")->check(UnsignedNumber());
}

class App {
 public:
  App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Adds a subcommand listed under `group` in --help. `example` is shown at
  // the end of its --help; `run` is called with the parsed flags when the
  // subcommand is chosen. Every subcommand accepts the global flags.
  CLI::App* AddCommand(const std::string& group, const std::string& name,
                       const std::string& description, const std::string& example, CommandFn run);

  // Adds a command that only groups subcommands (`nokv snapshot create`);
  // one of them must be given. Add them with AddSubcommand.
  CLI::App* AddCommandGroup(const std::string& group, const std::string& name,
                            const std::string& description);
  // Adds a subcommand below a group made by AddCommandGroup; otherwise like
  // AddCommand.
  CLI::App* AddSubcommand(CLI::App* parent, const std::string& name, const std::string& description,
                          const std::string& example, CommandFn run);

  // Parses the command line, runs the chosen command and returns the exit
  // code (see exit_codes.h).
  int Run(int argc, char** argv);

 private:
  void AddGlobalFlags(CLI::App* app);
  CLI::App* AddRunnable(CLI::App* cmd, const std::string& example, CommandFn run);
  int RunCommand(const CommandFn& run, const std::string& name);

  CLI::App root_;
  GlobalFlags flags_;
  std::vector<std::pair<CLI::App*, CommandFn>> commands_;
};

}  // namespace nokv::cli

#endif  // NOKV_CLI_APP_H_
