// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/tools.h"

namespace nokv::agent {
namespace {

// Schema pieces. Every token here is paid on every model request, so each
// tool states its schema inline (no `$defs`) and properties carry no types:
// names say what plain ones hold, the description shows the shape of the
// structured ones, and the verb checks every argument, answering a wrong one
// with a clear error. What every tool takes (path, at) is stated once in the
// server instructions instead of a `required` list per tool.
json Any() { return json::object(); }

json Input(json properties) { return {{"type", "object"}, {"properties", std::move(properties)}}; }

// Output schemas name the main result members; results may carry more.
json Output(std::vector<std::pair<const char*, const char*>> members) {
  json props = json::object();
  for (const auto& [name, type] : members) props[name] = {{"type", type}};
  return {{"type", "object"}, {"properties", std::move(props)}};
}

json Tool(const char* name, const char* description, json input, json output) {
  return {{"name", name},
          {"description", description},
          {"inputSchema", std::move(input)},
          {"outputSchema", std::move(output)},
          {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

json Build() {
  json tools = json::array();
  tools.push_back(Tool("ls", "List a directory.", Input({{"path", Any()}, {"limit", Any()}}),
                       Output({{"entries", "array"}, {"next_cursor", "string"}})));
  tools.push_back(Tool("stat", "Kind, size; data files: schema, samples.", Input({{"path", Any()}}),
                       Output({{"kind", "string"}, {"size", "integer"}, {"schema", "object"}})));
  tools.push_back(Tool("catalog", "Fields under path: type, count, distinct, min, max.",
                       Input({{"path", Any()}, {"prefix", Any()}, {"facets", Any()}}),
                       Output({{"columns", "array"}, {"rows", "array"}})));
  tools.push_back(
      Tool("find",
           "Rows under path. where {f: v, f: {op: v}}, op: ne in gt gte lt lte prefix contains "
           "exists; sort f or -f or list (ties by path); grep {file, pattern, regex?}: per row, "
           "matching [line, text] in file.",
           Input({{"path", Any()},
                  {"where", Any()},
                  {"sort", Any()},
                  {"fields", Any()},
                  {"grep", Any()},
                  {"facets", Any()},
                  {"limit", Any()}}),
           Output({{"columns", "array"}, {"rows", "array"}, {"next_cursor", "string"}})));
  tools.push_back(Tool("aggregate",
                       "measures e.g. count, avg(f) (sum min max count_distinct); where, "
                       "sort as in find.",
                       Input({{"path", Any()},
                              {"measures", Any()},
                              {"where", Any()},
                              {"group_by", Any()},
                              {"sort", Any()},
                              {"limit", Any()}}),
                       Output({{"columns", "array"}, {"rows", "array"}})));
  tools.push_back(
      Tool("read", "Read a file: lines [from, to], byte offset/length; format text|records|bytes.",
           Input({{"path", Any()},
                  {"lines", Any()},
                  {"offset", Any()},
                  {"length", Any()},
                  {"format", Any()}}),
           Output({{"text", "string"}, {"records", "array"}, {"next_cursor", "string"}})));
  tools.push_back(Tool("grep",
                       "Search lines of files under path; regex: RE2; mode lines|count|files|last.",
                       Input({{"path", Any()},
                              {"pattern", Any()},
                              {"regex", Any()},
                              {"ignore_case", Any()},
                              {"glob", Any()},
                              {"mode", Any()},
                              {"context", Any()},
                              {"limit", Any()}}),
                       Output({{"files", "array"}})));
  return tools;
}

}  // namespace

const json& ToolDefinitions() {
  static const json tools = Build();
  return tools;
}

const json* FindTool(std::string_view name) {
  for (const json& t : ToolDefinitions()) {
    if (t["name"].get_ref<const std::string&>() == name) return &t;
  }
  return nullptr;
}

std::vector<std::string> ToolArgumentNames(const json& tool) {
  std::vector<std::string> names;
  for (const auto& [key, value] : tool["inputSchema"]["properties"].items()) names.push_back(key);
  // Every tool reads at a version and pages with a cursor; the instructions
  // say so once instead of every schema.
  names.push_back("at");
  names.push_back("cursor");
  return names;
}

std::vector<std::string> ToolNames() {
  std::vector<std::string> names;
  for (const json& t : ToolDefinitions()) names.push_back(t["name"].get<std::string>());
  return names;
}

}  // namespace nokv::agent
