// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/json_text.h"

#include "util/structured.h"
#include "util/utf8.h"

namespace nokv::agent {
Outcome<json> ParseJson(std::string_view text, int max_depth) {
  Result<json> value = ParseJsonText(text, max_depth);
  if (!value.ok()) return BadArgument(value.status().message());
  return std::move(value).value();
}

std::string DumpJson(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool IsValidUtf8(std::string_view s) { return nokv::IsValidUtf8(s); }

std::string Shorten(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\u2026";
}

}  // namespace nokv::agent
