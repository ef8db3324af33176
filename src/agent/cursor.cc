// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/cursor.h"

#include "agent/base64.h"

namespace nokv::agent {
namespace {

constexpr char kCursorTag = 'c';  // format version of the encoding below

AgentError BadCursor(std::string why) {
  return AgentError{"invalid_cursor", "the cursor is not valid: " + why,
                    "pass next_cursor of the previous page unchanged, with the same arguments",
                    Code::kInvalidArgument};
}

}  // namespace

std::string EncodeCursor(const CursorState& state) {
  json j = {{"t", state.verb}, {"v", state.version}, {"q", state.query}, {"p", state.position}};
  return std::string(1, kCursorTag) +
         Base64Encode(j.dump(-1, ' ', false, json::error_handler_t::replace), /*url_safe=*/true);
}

Outcome<CursorState> DecodeCursor(std::string_view text) {
  if (text.empty() || text.front() != kCursorTag) return BadCursor("unknown format");
  std::optional<std::string> raw = Base64Decode(text.substr(1));
  if (!raw.has_value()) return BadCursor("not base64");
  json j = json::parse(*raw, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["t"].is_string() || !j["v"].is_number_unsigned() ||
      !j["q"].is_number_unsigned() || !j.contains("p")) {
    return BadCursor("damaged");
  }
  CursorState state;
  state.verb = j["t"].get<std::string>();
  state.version = j["v"].get<uint64_t>();
  state.query = j["q"].get<uint64_t>();
  state.position = j["p"];
  return state;
}

uint64_t QueryFingerprint(const json& args) {
  json copy = args;
  if (copy.is_object()) {
    copy.erase("cursor");
    copy.erase("limit");
    copy.erase("length");
    copy.erase("at");
  }
  // Keys of an object dump in sorted order; invalid UTF-8 must not throw.
  const std::string text = copy.dump(-1, ' ', false, json::error_handler_t::replace);
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace nokv::agent
