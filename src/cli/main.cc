// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The `nokv` command-line tool: a thin layer over nokv::Namespace.
#include <csignal>

#include "cli/app.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  // A closed pipe shows up as EPIPE on write, which Stdout turns into a
  // quiet stop; the default SIGPIPE action would kill us mid-command.
  std::signal(SIGPIPE, SIG_IGN);

  nokv::cli::App app;
  nokv::cli::RegisterPutCommand(app);
  nokv::cli::RegisterGetCommand(app);
  nokv::cli::RegisterReadCommands(app);
  nokv::cli::RegisterMutateCommands(app);
  nokv::cli::RegisterCheckpointCommands(app);
  nokv::cli::RegisterSnapshotCommands(app);
  nokv::cli::RegisterTimeCommands(app);
  nokv::cli::RegisterWatchCommand(app);
  nokv::cli::RegisterFsckCommand(app);
  nokv::cli::RegisterGcCommand(app);
  nokv::cli::RegisterAgentCommands(app);
  nokv::cli::RegisterIndexCommands(app);
  return app.Run(argc, argv);
}
