// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/args.h"

#include "agent/suggest.h"
#include "nokv/namespace.h"

namespace nokv::agent {

std::string JsonTypeName(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "value";
  }
}

const json* Args::Find(std::string_view key) const {
  auto it = args_.find(key);
  if (it == args_.end() || it->is_null()) return nullptr;
  return &*it;
}

Outcome<std::string> Args::String(std::string_view key) const {
  const json* v = Find(key);
  if (v == nullptr) return BadArgument("missing required argument `" + std::string(key) + "`");
  if (!v->is_string()) {
    return BadArgument("`" + std::string(key) + "` must be a string, not " + JsonTypeName(*v));
  }
  return v->get<std::string>();
}

Outcome<std::string> Args::String(std::string_view key, std::string dflt) const {
  if (!Has(key)) return dflt;
  return String(key);
}

Outcome<uint64_t> Args::Uint(std::string_view key, uint64_t dflt, uint64_t min,
                             uint64_t max) const {
  const json* v = Find(key);
  if (v == nullptr) return dflt;
  const std::string range = std::to_string(min) + ".." + std::to_string(max);
  if (!v->is_number_integer()) {
    return BadArgument("`" + std::string(key) + "` must be an integer in " + range + ", not " +
                       JsonTypeName(*v));
  }
  if (v->is_number_unsigned() || v->get<int64_t>() >= 0) {
    uint64_t n = v->get<uint64_t>();
    if (n >= min && n <= max) return n;
  }
  std::string hint;
  if (key == "limit") hint = "use limit <= " + std::to_string(max) + " and follow next_cursor";
  return BadArgument("`" + std::string(key) + "` must be in " + range + ", got " + v->dump(), hint);
}

Outcome<bool> Args::Bool(std::string_view key, bool dflt) const {
  const json* v = Find(key);
  if (v == nullptr) return dflt;
  if (!v->is_boolean()) {
    return BadArgument("`" + std::string(key) + "` must be true or false, not " + JsonTypeName(*v));
  }
  return v->get<bool>();
}

Outcome<std::string> Args::Path(std::string_view key) const {
  AGENT_ASSIGN_OR_RETURN(std::string raw, String(key));
  return NormalizeAgentPath(raw);
}

Outcome<std::string> NormalizeAgentPath(const std::string& path) {
  if (path.empty()) return BadArgument("empty path", "paths look like /runs/exp1/metrics.json");
  Result<std::string> p = NormalizePath(path.front() == '/' ? path : "/" + path);
  if (!p.ok()) {
    return BadArgument(p.status().message(),
                       "paths are absolute inside the namespace, like /runs/exp1; "
                       "`.` and `..` are not allowed");
  }
  return std::move(p).value();
}

Check CheckArgumentNames(std::string_view verb, const json& args,
                         const std::vector<std::string>& allowed) {
  if (!args.is_object()) {
    return BadArgument(std::string(verb) + " takes a JSON object of arguments, not " +
                       JsonTypeName(args));
  }
  for (const auto& [key, value] : args.items()) {
    bool known = false;
    for (const std::string& a : allowed) known = known || a == key;
    if (known) continue;
    std::string hint = DidYouMean(key, allowed);
    if (hint.empty()) hint = "accepted: " + QuotedList(allowed);
    return BadArgument("unknown argument `" + key + "` for " + std::string(verb), hint);
  }
  return {};
}

}  // namespace nokv::agent
