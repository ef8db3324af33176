// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// SubtreeWalker: the rows below a path at one version, depth-first with the
// children of each directory in name order, within a budget of visited
// entries. Without an index this is how find, catalog, aggregate and grep
// see a subtree; the budget keeps one call's work bounded and the result
// reports whether the walk was complete.
#ifndef NOKV_AGENT_WALKER_H_
#define NOKV_AGENT_WALKER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "agent/fields.h"
#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::agent {

struct WalkOptions {
  uint64_t version = 0;
  uint64_t budget = 10000;         // entries visited at most
  bool load_content_type = false;  // one Stat per file
};

class SubtreeWalker {
 public:
  // `visit` returns false to stop the walk early (not an error).
  using Visitor = std::function<Outcome<bool>(const Row& row)>;

  SubtreeWalker(Namespace& ns, WalkOptions options) : ns_(ns), options_(options) {}

  // Visits the entries below `root` (not `root` itself); if `root` is a file,
  // visits just that file.
  Check Walk(const std::string& root, const Visitor& visit);

  uint64_t visited() const { return visited_; }
  // False when the budget ran out before the subtree was done.
  bool complete() const { return complete_; }
  // {"scanned": N, "complete": bool}: what a result reports about the walk.
  json Report() const;

 private:
  Outcome<bool> Emit(Row row, const Visitor& visit);

  Namespace& ns_;
  const WalkOptions options_;
  uint64_t visited_ = 0;
  bool complete_ = true;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_WALKER_H_
