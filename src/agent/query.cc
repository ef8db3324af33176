// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/query.h"

#include "agent/args.h"

namespace nokv::agent {

Outcome<std::vector<std::string>> ParseNameList(const json* value, std::string_view key,
                                                const std::function<Check(std::string_view)>& check,
                                                size_t max) {
  std::vector<std::string> out;
  if (value == nullptr) return out;
  json list = value->is_string() ? json::array({*value}) : *value;
  if (!list.is_array() || list.size() > max) {
    return BadArgument("`" + std::string(key) + "` must be an array of at most " +
                       std::to_string(max) + " field names");
  }
  for (const json& name : list) {
    if (!name.is_string()) {
      return BadArgument("`" + std::string(key) + "` holds a " + JsonTypeName(name) +
                         "; field names are strings");
    }
    AGENT_RETURN_IF_ERROR(check(name.get_ref<const std::string&>()));
    out.push_back(name.get<std::string>());
  }
  return out;
}

Outcome<std::vector<SortKey>> ParseSort(const json* value,
                                        const std::function<Check(std::string_view)>& check) {
  std::vector<SortKey> keys;
  if (value == nullptr) return keys;
  json list = value->is_object() || value->is_string() ? json::array({*value}) : *value;
  if (!list.is_array() || list.size() > 8) {
    return BadArgument("`sort` must be a field name, -name for descending, or a list of at most 8",
                       R"(example: ["-size", "path"])");
  }
  for (const json& k : list) {
    SortKey key;
    if (k.is_string()) {
      key.field = k.get<std::string>();
      key.descending = !key.field.empty() && key.field.front() == '-';
      if (key.descending) key.field.erase(0, 1);
    } else {
      AGENT_RETURN_IF_ERROR(CheckArgumentNames("a sort key", k, {"field", "direction"}));
      Args a(k);
      AGENT_ASSIGN_OR_RETURN(key.field, a.String("field"));
      AGENT_ASSIGN_OR_RETURN(std::string direction, a.String("direction", "asc"));
      if (direction != "asc" && direction != "desc") {
        return BadArgument("sort direction must be `asc` or `desc`, not `" + direction + "`");
      }
      key.descending = direction == "desc";
    }
    AGENT_RETURN_IF_ERROR(check(key.field));
    keys.push_back(std::move(key));
  }
  return keys;
}

int CompareBy(const std::vector<SortKey>& keys,
              const std::function<json(size_t item, std::string_view field)>& get, size_t a,
              size_t b) {
  for (const SortKey& k : keys) {
    json x = get(a, k.field), y = get(b, k.field);
    if (x.is_null() != y.is_null()) return x.is_null() ? 1 : -1;
    int c = CompareValues(x, y);
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

}  // namespace nokv::agent
