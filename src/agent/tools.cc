// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/tools.h"

#include <set>

namespace nokv::agent {
namespace {

json Ref(const char* def) { return {{"$ref", std::string("#/$defs/") + def}}; }

json Int(const char* description, int max) {
  return {{"type", "integer"}, {"minimum", 1}, {"maximum", max}, {"description", description}};
}

json Str(const char* description) { return {{"type", "string"}, {"description", description}}; }

json Bool(const char* description) { return {{"type", "boolean"}, {"description", description}}; }

// The shared definitions; a tool includes the ones it references.
const json& Defs() {
  static const json defs = {
      {"path", Str("namespace path, e.g. /runs/r1")},
      {"at",
       {{"type", {"integer", "string"}},
        {"description", "version or snapshot name; default newest"}}},
      {"cursor", Str("next_cursor from the previous page")},
      {"fields", {{"type", "array"}, {"items", {{"type", "string"}}}}},
      {"where",
       {{"type", "array"},
        {"description", "predicates that must all hold"},
        {"items",
         {{"type", "object"},
          {"properties",
           {{"field", {{"type", "string"}}},
            {"op",
             {{"enum",
               {"eq", "ne", "in", "prefix", "suffix", "contains", "gt", "gte", "lt", "lte",
                "exists", "not_exists"}}}},
            {"value", json::object()}}},
          {"required", {"field", "op"}}}}}},
      {"sort",
       {{"type", "array"},
        {"items",
         {{"type", "object"},
          {"properties",
           {{"field", {{"type", "string"}}}, {"direction", {{"enum", {"asc", "desc"}}}}}},
          {"required", {"field"}}}}}},
  };
  return defs;
}

void CollectRefs(const json& node, std::set<std::string>* refs) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" && value.is_string()) {
        refs->insert(value.get<std::string>().substr(sizeof("#/$defs/") - 1));
      } else {
        CollectRefs(value, refs);
      }
    }
  } else if (node.is_array()) {
    for (const json& v : node) CollectRefs(v, refs);
  }
}

// An object schema; `at` is added to every tool.
json Input(json properties, std::vector<std::string> required) {
  properties["at"] = Ref("at");
  json schema = {{"type", "object"},
                 {"properties", std::move(properties)},
                 {"required", std::move(required)},
                 {"additionalProperties", false}};
  std::set<std::string> refs;
  CollectRefs(schema, &refs);
  json defs = json::object();
  for (const std::string& r : refs) defs[r] = Defs().at(r);
  schema["$defs"] = std::move(defs);
  return schema;
}

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
  tools.push_back(Tool(
      "ls", "List a directory's children in name order.",
      Input({{"path", Ref("path")}, {"cursor", Ref("cursor")}, {"limit", Int("default 50", 100)}},
            {"path"}),
      Output({{"entries", "array"}, {"next_cursor", "string"}, {"version", "integer"}})));
  tools.push_back(Tool("stat",
                       "One path's card: kind, size, generation, content type; for JSON, JSONL, "
                       "YAML, CSV and text files a record schema and up to 3 samples.",
                       Input({{"path", Ref("path")}}, {"path"}),
                       Output({{"kind", "string"}, {"size", "integer"}, {"schema", "object"}})));
  tools.push_back(Tool(
      "catalog",
      "Fields usable in find/aggregate under a path: type, count, min/max, distinct, top values "
      "with facets.",
      Input({{"path", Ref("path")},
             {"prefix", Str("only fields starting with this")},
             {"facets", {{"type", {"boolean", "array"}}, {"description", "true or field names"}}}},
            {"path"}),
      Output({{"fields", "object"}, {"rows", "integer"}, {"complete", "boolean"}})));
  tools.push_back(Tool(
      "find", "Paths under a path matching predicates, sorted and projected. Fields: see catalog.",
      Input({{"path", Ref("path")},
             {"where", Ref("where")},
             {"sort", Ref("sort")},
             {"fields", Ref("fields")},
             {"facets", Ref("fields")},
             {"cursor", Ref("cursor")},
             {"limit", Int("default 20", 50)}},
            {"path"}),
      Output({{"columns", "array"},
              {"rows", "array"},
              {"matches", "integer"},
              {"next_cursor", "string"}})));
  tools.push_back(
      Tool("aggregate", "count, count_distinct, sum, avg, min, max over paths, optionally grouped.",
           Input({{"path", Ref("path")},
                  {"measures",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"properties",
                       {{"op", {{"enum", {"count", "count_distinct", "sum", "avg", "min", "max"}}}},
                        {"field", {{"type", "string"}}},
                        {"as", {{"type", "string"}}}}},
                      {"required", {"op"}}}}}},
                  {"where", Ref("where")},
                  {"group_by", Ref("fields")},
                  {"sort", Ref("sort")},
                  {"limit", Int("groups, default 20", 100)}},
                 {"path", "measures"}),
           Output({{"columns", "array"}, {"rows", "array"}, {"groups", "integer"}})));
  tools.push_back(
      Tool("read",
           "Read a file by line range, records or bytes, within a byte budget; path may be a grep "
           "ref nokv://PATH@gen:N#L12.",
           Input({{"path", Ref("path")},
                  {"lines",
                   {{"type", "array"},
                    {"items", {{"type", "integer"}}},
                    {"minItems", 2},
                    {"maxItems", 2},
                    {"description", "[from, to], 1-based, inclusive"}}},
                  {"offset", {{"type", "integer"}, {"minimum", 0}}},
                  {"length", Int("byte budget, default 8192", 262144)},
                  {"format", {{"enum", {"text", "records", "bytes"}}}},
                  {"cursor", Ref("cursor")}},
                 {"path"}),
           Output({{"text", "string"},
                   {"records", "array"},
                   {"next_cursor", "string"},
                   {"remaining_bytes", "integer"}})));
  tools.push_back(
      Tool("grep", "Search file lines under a path. Each match has a ref for read.",
           Input({{"path", Ref("path")},
                  {"pattern", Str("literal text, or RE2 regex with regex:true")},
                  {"regex", Bool("pattern is a regex")},
                  {"ignore_case", Bool("case-insensitive")},
                  {"glob", Str("files to search, relative to path, e.g. */logs/*.txt")},
                  {"mode", {{"enum", {"lines", "count", "files", "last"}}}},
                  {"context", {{"type", "integer"}, {"minimum", 0}, {"maximum", 5}}},
                  {"limit", Int("matches or files, default 20", 100)},
                  {"cursor", Ref("cursor")}},
                 {"path", "pattern"}),
           Output({{"matches", "array"}, {"files", "array"}, {"next_cursor", "string"}})));
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
  return names;
}

std::vector<std::string> ToolNames() {
  std::vector<std::string> names;
  for (const json& t : ToolDefinitions()) names.push_back(t["name"].get<std::string>());
  return names;
}

}  // namespace nokv::agent
