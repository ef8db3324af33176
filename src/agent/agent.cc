// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/agent.h"

#include <exception>

#include "agent/at.h"
#include "agent/cursor.h"
#include "agent/suggest.h"
#include "agent/tools.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {

Agent::Agent(Namespace* ns) : ns_(ns) {
  verbs_.emplace("ls", NewLsVerb());
  verbs_.emplace("stat", NewStatVerb());
  verbs_.emplace("catalog", NewCatalogVerb());
  verbs_.emplace("find", NewFindVerb());
  verbs_.emplace("aggregate", NewAggregateVerb());
  verbs_.emplace("read", NewReadVerb());
  verbs_.emplace("grep", NewGrepVerb());
}

Agent::~Agent() = default;

const json& Agent::Tools() { return ToolDefinitions(); }

Outcome<json> Agent::Call(std::string_view name, const json& args) const {
  auto it = verbs_.find(name);
  if (it == verbs_.end()) {
    std::string hint = DidYouMean(name, ToolNames());
    if (hint.empty()) hint = "tools: " + QuotedList(ToolNames());
    return AgentError{"unknown_tool", "no tool named `" + std::string(name) + "`", hint,
                      Code::kInvalidArgument};
  }
  try {
    return Dispatch(*it->second, name, args);
  } catch (const std::exception& e) {
    return AgentError{"internal",
                      std::string("unexpected failure in ") + std::string(name) + ": " + e.what(),
                      "this is a bug in nokv; please report the call", Code::kInternal};
  }
}

Outcome<json> Agent::Dispatch(const Verb& verb, std::string_view name, const json& args) const {
  AGENT_RETURN_IF_ERROR(CheckArgumentNames(name, args, ToolArgumentNames(*FindTool(name))));
  Args a(args);
  uint64_t version = 0;
  json position;
  const uint64_t query = QueryFingerprint(args);
  if (const json* cursor = a.Find("cursor")) {
    if (!cursor->is_string()) return BadArgument("`cursor` must be a string");
    AGENT_ASSIGN_OR_RETURN(CursorState state, DecodeCursor(cursor->get<std::string>()));
    if (state.verb != name || state.query != query) {
      return AgentError{"invalid_cursor", "the cursor belongs to a different query",
                        "repeat the call that returned it, changing only cursor, limit or length",
                        Code::kInvalidArgument};
    }
    version = state.version;
    position = std::move(state.position);
  } else {
    AGENT_ASSIGN_OR_RETURN(version, ResolveAt(*ns_, a.Find("at"), a.Find("path")));
  }
  VerbContext ctx(ns_, std::string(name), version, query, std::move(position));
  return verb.Run(a, ctx);
}

}  // namespace nokv::agent
