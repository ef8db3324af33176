// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// McpServer: the Model Context Protocol over JSON-RPC 2.0 for the agent
// verbs. It turns one incoming message (a line) into at most one outgoing
// message; the transport (stdio_transport.h) moves the lines. Supported:
// initialize (with protocol version negotiation), ping, tools/list,
// tools/call, and notifications (which never get a reply). Tool failures
// are results with isError; malformed messages are JSON-RPC errors.
// Not thread-safe: one server serves one connection.
#ifndef NOKV_MCP_SERVER_H_
#define NOKV_MCP_SERVER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::mcp {

using agent::json;

// JSON-RPC error codes.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

// Protocol versions this server speaks, newest first.
const std::vector<std::string>& SupportedProtocolVersions();

// The namespace a tool call runs against. Called once per tools/call, so it
// can refresh a read-only view to see commits made by another process.
using NamespaceProvider = std::function<agent::Outcome<Namespace*>()>;

class McpServer {
 public:
  explicit McpServer(NamespaceProvider provider) : provider_(std::move(provider)) {}

  // Handles one message; returns the reply line (no newline), or nullopt
  // when there is nothing to send (notifications).
  std::optional<std::string> HandleLine(std::string_view line);

  // The protocol version agreed at initialize (empty before).
  const std::string& protocol_version() const { return protocol_version_; }

 private:
  // The reply to one request object, or null for a notification.
  json HandleMessage(const json& message);
  json Dispatch(const std::string& method, const json& params);
  json Initialize(const json& params);
  json CallTool(const json& params);

  NamespaceProvider provider_;
  std::string protocol_version_;
};

}  // namespace nokv::mcp

#endif  // NOKV_MCP_SERVER_H_
