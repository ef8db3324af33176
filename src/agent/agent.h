// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Agent: runs the seven read-only agent verbs (ls, stat, catalog, find,
// aggregate, read, grep) over a Namespace. It checks argument names against
// the tool definitions, resolves `at` and page cursors to one pinned version,
// and turns every failure, including a bug surfacing as an exception, into
// an AgentError. Thread-safe if the Namespace is; holds no per-call state.
#ifndef NOKV_AGENT_AGENT_H_
#define NOKV_AGENT_AGENT_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "agent/outcome.h"
#include "agent/verb.h"
#include "nokv/namespace.h"

namespace nokv::agent {

class Agent {
 public:
  // `ns` is not owned and must outlive the Agent.
  explicit Agent(Namespace* ns);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // The MCP tool definitions (see tools.h).
  static const json& Tools();

  // Runs `verb` with the argument object `args`.
  Outcome<json> Call(std::string_view verb, const json& args) const;

 private:
  Outcome<json> Dispatch(const Verb& verb, std::string_view name, const json& args) const;

  Namespace* ns_;
  std::map<std::string, std::unique_ptr<Verb>, std::less<>> verbs_;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_AGENT_H_
