// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "mcp/stdio_transport.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace nokv::mcp {
namespace {

// Writes all of `data`; false when the reader went away.
Result<bool> WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) return false;
      return Status::IOError(std::string("write to the MCP client: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool Blank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

}  // namespace

Status ServeStdio(McpServer& server, int in_fd, int out_fd) {
  std::string pending;     // bytes of the line being assembled
  bool oversized = false;  // the current line passed kMaxMessageBytes
  char buf[64 * 1024];
  auto finish_line = [&](std::string_view line) -> Result<bool> {
    std::optional<std::string> reply;
    if (oversized) {
      reply =
          R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: message larger than )" +
          std::to_string(kMaxMessageBytes) + R"( bytes"}})";
    } else if (!Blank(line)) {
      reply = server.HandleLine(line);
    }
    oversized = false;
    if (!reply.has_value()) return true;
    reply->push_back('\n');
    return WriteAll(out_fd, *reply);
  };
  while (true) {
    ssize_t n = ::read(in_fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::IOError(std::string("read from the MCP client: ") + std::strerror(errno));
    }
    if (n == 0) break;
    std::string_view chunk(buf, static_cast<size_t>(n));
    while (!chunk.empty()) {
      size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (!oversized) {
        if (pending.size() + piece.size() > kMaxMessageBytes) {
          oversized = true;
          pending.clear();
          pending.shrink_to_fit();
        } else {
          pending.append(piece);
        }
      }
      if (nl == std::string_view::npos) break;
      chunk.remove_prefix(nl + 1);
      NOKV_ASSIGN_OR_RETURN(bool open, finish_line(pending));
      pending.clear();
      if (!open) return Status::OK();
    }
  }
  if (!pending.empty() || oversized) {
    NOKV_RETURN_IF_ERROR(finish_line(pending).status());
  }
  return Status::OK();
}

}  // namespace nokv::mcp
