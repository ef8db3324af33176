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
#include "util/path.h"

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

// Creates the missing parents of `dst` (normalized) in the same commit when
// `options` ask for it (mv -p, cp -p, clone -p).
inline Status MakeParentsOf(TreeWriter& w, const std::string& dst, const MutationOptions& options) {
  if (!options.make_parents) return Status::OK();
  const std::string_view parent = ParentPath(dst);
  if (parent == "/") return Status::OK();
  return w.MakeDirectory(parent, /*make_parents=*/true, /*exist_ok=*/true);
}

// The request digest parts of a move or copy; unchanged when no parents are made.
inline std::vector<std::string> WithParentsFlag(std::vector<std::string> request,
                                                const MutationOptions& options) {
  if (options.make_parents) request.push_back("p");
  return request;
}

// A command that runs one tree operation and ends it with FinishTreeCommand.
// With `emitted`, a successful run leaves there the events it logged.
template <typename Op>
Command TreeCommand(MetaEngine* engine, IndexMaintainer* indexes, int64_t now, Op op,
                    std::vector<EventRecord>* emitted = nullptr) {
  return [engine, indexes, now, op, emitted](Txn& txn) -> Status {
    TreeWriter writer(&txn, engine, now);
    NOKV_RETURN_IF_ERROR(op(writer));
    NOKV_RETURN_IF_ERROR(FinishTreeCommand(txn, writer, indexes));
    // A command that wrote nothing does not commit: its events are dropped.
    if (emitted != nullptr && !txn.empty()) *emitted = writer.emitted();
    return Status::OK();
  };
}

}  // namespace nokv

#endif  // NOKV_NS_COMMANDS_H_
