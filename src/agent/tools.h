// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The tool definitions of the agent verbs, defined once: name, a short
// description, the input JSON Schema (shared pieces live in one `$defs`
// table; each tool carries only the definitions it references), a small
// output schema and the read-only annotation. Every token here is paid on
// every model request, so descriptions stay short.
#ifndef NOKV_AGENT_TOOLS_H_
#define NOKV_AGENT_TOOLS_H_

#include <string>
#include <vector>

#include "agent/outcome.h"

namespace nokv::agent {

// The MCP `tools` array: [{name, description, inputSchema, outputSchema,
// annotations}], in a stable order.
const json& ToolDefinitions();

// The definition of one tool, or nullptr.
const json* FindTool(std::string_view name);

// The argument names a tool accepts (its inputSchema properties).
std::vector<std::string> ToolArgumentNames(const json& tool);

// The tool names, in order.
std::vector<std::string> ToolNames();

}  // namespace nokv::agent

#endif  // NOKV_AGENT_TOOLS_H_
