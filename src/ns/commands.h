// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Helpers for building namespace commands for the engine's commit pipeline.
#ifndef NOKV_NS_COMMANDS_H_
#define NOKV_NS_COMMANDS_H_

#include <string>
#include <vector>

#include "index/maintainer.h"
#include "meta/engine.h"
#include "ns/tree_writer.h"

namespace nokv {

// A digest of an operation and its arguments, so an idempotency key reused
// for a different request is told apart from a retry.
std::string RequestDigest(const std::vector<std::string>& parts);

// Ends a tree command: settles directory counts, then brings the declared
// indexes up to date with what the command changed, in the same commit.
inline Status FinishTreeCommand(Txn& txn, TreeWriter& writer, IndexMaintainer* indexes) {
  NOKV_RETURN_IF_ERROR(writer.Finish());
  if (indexes == nullptr) return Status::OK();
  return indexes->AfterTreeCommand(txn, writer, writer.emitted());
}

// A command that runs one tree operation and ends it with FinishTreeCommand.
template <typename Op>
Command TreeCommand(MetaEngine* engine, IndexMaintainer* indexes, int64_t now, Op op) {
  return [engine, indexes, now, op](Txn& txn) -> Status {
    TreeWriter writer(&txn, engine, now);
    NOKV_RETURN_IF_ERROR(op(writer));
    return FinishTreeCommand(txn, writer, indexes);
  };
}

}  // namespace nokv

#endif  // NOKV_NS_COMMANDS_H_
