// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Pieces of find/aggregate/catalog queries shared by the verbs: field name
// lists (fields, facets, group_by) and multi-key sort orders.
#ifndef NOKV_AGENT_QUERY_H_
#define NOKV_AGENT_QUERY_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/fields.h"
#include "agent/outcome.h"

namespace nokv::agent {

// A list of field names given as `key`: an array of strings (or one string),
// each checked by `check`. Absent is an empty list.
Outcome<std::vector<std::string>> ParseNameList(const json* value, std::string_view key,
                                                const std::function<Check(std::string_view)>& check,
                                                size_t max = 16);

struct SortKey {
  std::string field;
  bool descending = false;
};

// `sort`: a field name, "-name" for descending, or a list of those; the
// object form {field, direction: asc|desc} is accepted too.
Outcome<std::vector<SortKey>> ParseSort(const json* value,
                                        const std::function<Check(std::string_view)>& check);

// Orders two items by `keys`, reading values through `get`; nulls sort last
// in either direction. Returns <0, 0 or >0.
int CompareBy(const std::vector<SortKey>& keys,
              const std::function<json(size_t item, std::string_view field)>& get, size_t a,
              size_t b);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_QUERY_H_
