// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Registration of the subcommand groups with the App.
#ifndef NOKV_CLI_COMMANDS_H_
#define NOKV_CLI_COMMANDS_H_

#include "cli/app.h"

namespace nokv::cli {

void RegisterPutCommand(App& app);          // cmd_put.cc
void RegisterMutateCommands(App& app);      // cmd_mutate.cc: mkdir rm mv cp
void RegisterReadCommands(App& app);        // cmd_read.cc: cat ls tree stat
void RegisterGetCommand(App& app);          // cmd_get.cc
void RegisterFsckCommand(App& app);         // cmd_fsck.cc
void RegisterSnapshotCommands(App& app);    // cmd_snapshot.cc: snapshot create|list|...
void RegisterTimeCommands(App& app);        // cmd_time.cc: history diff clone rollback
void RegisterCheckpointCommands(App& app);  // cmd_checkpoint.cc: checkpoint publish|...
void RegisterWatchCommand(App& app);        // cmd_watch.cc
void RegisterGcCommand(App& app);           // cmd_gc.cc
void RegisterAgentCommands(App& app);       // cmd_agent.cc: agent mcp
void RegisterIndexCommands(App& app);       // cmd_index.cc: index define|list|...

}  // namespace nokv::cli

#endif  // NOKV_CLI_COMMANDS_H_
