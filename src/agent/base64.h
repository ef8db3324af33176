// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Base64 (RFC 4648): the standard alphabet with padding for bytes returned to
// agents, the URL-safe alphabet without padding for opaque cursors.
#ifndef NOKV_AGENT_BASE64_H_
#define NOKV_AGENT_BASE64_H_

#include <optional>
#include <string>
#include <string_view>

namespace nokv::agent {

std::string Base64Encode(std::string_view bytes, bool url_safe = false);
// Accepts either alphabet, with or without padding; nullopt on bad input.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_BASE64_H_
