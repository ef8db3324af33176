// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The stdio transport of MCP: newline-delimited JSON-RPC messages read from
// one file descriptor and written to another, nothing else on the output.
#ifndef NOKV_MCP_STDIO_TRANSPORT_H_
#define NOKV_MCP_STDIO_TRANSPORT_H_

#include <cstddef>

#include "mcp/server.h"
#include "nokv/status.h"

namespace nokv::mcp {

// Longest accepted message; a longer line is answered with a parse error and
// skipped without being held in memory.
inline constexpr size_t kMaxMessageBytes = 4 << 20;

// Serves until `in_fd` reaches end of file or `out_fd` is closed by the
// reader (both end the session normally). Each reply is written whole and
// followed by '\n'. Blank lines are ignored.
Status ServeStdio(McpServer& server, int in_fd, int out_fd);

}  // namespace nokv::mcp

#endif  // NOKV_MCP_STDIO_TRANSPORT_H_
