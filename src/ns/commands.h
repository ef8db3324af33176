// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Helpers for building namespace commands for the engine's commit pipeline.
#ifndef NOKV_NS_COMMANDS_H_
#define NOKV_NS_COMMANDS_H_

#include <string>
#include <vector>

#include "meta/engine.h"
#include "ns/tree_writer.h"

namespace nokv {

// A digest of an operation and its arguments, so an idempotency key reused
// for a different request is told apart from a retry.
std::string RequestDigest(const std::vector<std::string>& parts);

// A command that runs one tree operation and then settles directory counts.
template <typename Op>
Command TreeCommand(MetaEngine* engine, int64_t now, Op op) {
  return [engine, now, op](Txn& txn) -> Status {
    TreeWriter writer(&txn, engine, now);
    NOKV_RETURN_IF_ERROR(op(writer));
    return writer.Finish();
  };
}

}  // namespace nokv

#endif  // NOKV_NS_COMMANDS_H_
