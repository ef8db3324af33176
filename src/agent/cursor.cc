// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/cursor.h"

#include "agent/base64.h"

namespace nokv::agent {
namespace {

// Format version of the encoding below: base64url of the MessagePack array
// [verb, version, query fingerprint, position].
constexpr char kCursorTag = 'd';

AgentError BadCursor(std::string why) {
  return AgentError{"invalid_cursor", "the cursor is not valid: " + why,
                    "pass next_cursor of the previous page unchanged, with the same arguments",
                    Code::kInvalidArgument};
}

}  // namespace

std::string EncodeCursor(const CursorState& state) {
  const json j = json::array({state.verb, state.version, state.query, state.position});
  const std::vector<uint8_t> packed = json::to_msgpack(j);
  return std::string(1, kCursorTag) +
         Base64Encode(std::string(packed.begin(), packed.end()), /*url_safe=*/true);
}

Outcome<CursorState> DecodeCursor(std::string_view text) {
  if (text.empty() || text.front() != kCursorTag) return BadCursor("unknown format");
  std::optional<std::string> raw = Base64Decode(text.substr(1));
  if (!raw.has_value()) return BadCursor("not base64");
  json j = json::from_msgpack(*raw, /*strict=*/true, /*allow_exceptions=*/false);
  if (!j.is_array() || j.size() != 4 || !j[0].is_string() || !j[1].is_number_unsigned() ||
      !j[2].is_number_unsigned()) {
    return BadCursor("damaged");
  }
  CursorState state;
  state.verb = j[0].get<std::string>();
  state.version = j[1].get<uint64_t>();
  state.query = j[2].get<uint64_t>();
  state.position = j[3];
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
