// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/records.h"

#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

#include "agent/json_text.h"
#include "util/structured.h"

namespace nokv::agent {
namespace {

constexpr size_t kSamples = 3;
constexpr size_t kSchemaRecords = 50;  // records whose keys make up the schema
constexpr size_t kMaxSchemaKeys = 64;
constexpr int kMaxFlattenDepth = 3;
constexpr int kMaxStructuredDepth = 64;
constexpr size_t kMaxSampleString = 120;
constexpr size_t kMaxSampleItems = 8;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

std::string TypeOf(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "bool";
  if (v.is_number_integer()) return "int";
  if (v.is_number()) return "float";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

// Collects dotted keys and their types over sampled records.
class SchemaBuilder {
 public:
  void Add(const json& record) {
    if (!record.is_object()) {
      Note("", record);
      return;
    }
    Flatten("", record, 0);
  }
  json ToJson() const {
    json out = json::object();
    for (const auto& [key, types] : types_) {
      std::string joined;
      for (const std::string& t : types) joined += (joined.empty() ? "" : "|") + t;
      out[key.empty() ? "value" : key] = joined;
    }
    return out;
  }

 private:
  void Flatten(const std::string& prefix, const json& obj, int depth) {
    for (const auto& [key, value] : obj.items()) {
      std::string name = prefix.empty() ? key : prefix + "." + key;
      if (value.is_object() && depth + 1 < kMaxFlattenDepth && !value.empty()) {
        Flatten(name, value, depth + 1);
      } else {
        Note(name, value);
      }
    }
  }
  void Note(const std::string& key, const json& value) {
    auto it = types_.find(key);
    if (it == types_.end()) {
      if (types_.size() >= kMaxSchemaKeys) return;
      it = types_.emplace(key, std::set<std::string>()).first;
    }
    it->second.insert(TypeOf(value));
  }
  std::map<std::string, std::set<std::string>> types_;
};

json Describe(const char* format, const std::vector<json>& records, bool all_seen) {
  SchemaBuilder schema;
  json samples = json::array();
  for (size_t i = 0; i < records.size(); ++i) {
    if (i < kSchemaRecords) schema.Add(records[i]);
    if (i < kSamples) samples.push_back(CompactValue(records[i]));
  }
  json out = {{"format", format}, {"schema", schema.ToJson()}, {"samples", samples}};
  if (all_seen) out["records"] = records.size();
  return out;
}

// Splits `head` into lines; a last line cut by the end of `head` is dropped
// unless the head is the whole body.
std::vector<std::string_view> HeadLines(std::string_view head, bool complete, size_t max) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < head.size() && lines.size() < max) {
    size_t nl = head.find('\n', pos);
    if (nl == std::string_view::npos) {
      if (complete) lines.push_back(head.substr(pos));
      break;
    }
    std::string_view line = head.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = nl + 1;
  }
  return lines;
}

struct EnoughRecords {};

// Elements of a top-level JSON array, read from a head that may be cut.
std::vector<json> JsonArrayElements(std::string_view head, size_t max) {
  std::vector<json> out;
  json::parser_callback_t collect = [&](int depth, json::parse_event_t ev, json& parsed) {
    if (depth > kMaxStructuredDepth) throw EnoughRecords();
    if (depth == 1 && (ev == json::parse_event_t::object_end ||
                       ev == json::parse_event_t::array_end || ev == json::parse_event_t::value)) {
      out.push_back(parsed);
      if (out.size() >= max) throw EnoughRecords();
    }
    return true;
  };
  try {
    json ignored = json::parse(head, collect);
    (void)ignored;
  } catch (const EnoughRecords&) {
  } catch (const json::exception&) {
    // The head ends inside an element; the ones before it are complete.
  }
  return out;
}

json DescribeJson(std::string_view head, bool complete) {
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && head[first] == '[') {
    std::vector<json> elements = JsonArrayElements(head, kSchemaRecords + 1);
    bool all = complete && elements.size() <= kSchemaRecords;
    return Describe("json", elements, all);
  }
  if (!complete) return {{"format", "json"}, {"note", "too large to sample; use read"}};
  Outcome<json> doc = ParseJson(head, kMaxStructuredDepth);
  if (!doc.ok()) return {{"format", "json"}, {"note", "not valid JSON: " + doc.error().message}};
  return Describe("json", {doc.value()}, true);
}

json DescribeJsonl(std::string_view head, bool complete) {
  std::vector<json> records;
  for (std::string_view line : HeadLines(head, complete, kSchemaRecords)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    Outcome<json> r = ParseJson(line, kMaxStructuredDepth);
    if (r.ok()) records.push_back(std::move(r).value());
  }
  return Describe("jsonl", records, false);
}

json DescribeCsv(std::string_view head, bool complete) {
  std::vector<std::string_view> lines = HeadLines(head, complete, kSchemaRecords + 1);
  if (lines.empty()) return {{"format", "csv"}};
  LineRecords parser(BodyFormat::kCsv);
  parser.SetHeader(lines[0]);
  std::vector<json> records;
  for (size_t i = 1; i < lines.size(); ++i) records.push_back(parser.Parse(lines[i]));
  return Describe("csv", records, false);
}

Outcome<json> ParseYaml(std::string_view text) {
  Result<json> value = ParseYamlText(text, kMaxStructuredDepth);
  if (!value.ok()) return BadArgument(value.status().message());
  return std::move(value).value();
}

json DescribeYaml(std::string_view head, bool complete) {
  if (!complete) return {{"format", "yaml"}, {"note", "too large to sample; use read"}};
  Outcome<json> value = ParseYaml(head);
  if (!value.ok()) return {{"format", "yaml"}, {"note", value.error().message}};
  if (value->is_array()) {
    std::vector<json> items(value->begin(), value->end());
    return Describe("yaml", items, true);
  }
  return Describe("yaml", {value.value()}, true);
}

json DescribeText(std::string_view head, bool complete) {
  json samples = json::array();
  for (std::string_view line : HeadLines(head, complete, kSamples)) {
    samples.push_back(Shorten(line, kMaxSampleString));
  }
  return {{"format", "text"}, {"samples", samples}};
}

}  // namespace

const char* BodyFormatName(BodyFormat f) {
  switch (f) {
    case BodyFormat::kBinary:
      return "binary";
    case BodyFormat::kText:
      return "text";
    case BodyFormat::kJson:
      return "json";
    case BodyFormat::kJsonl:
      return "jsonl";
    case BodyFormat::kYaml:
      return "yaml";
    case BodyFormat::kCsv:
      return "csv";
  }
  return "binary";
}

BodyFormat DetectFormat(std::string_view name, std::string_view content_type,
                        std::string_view head) {
  if (head.find('\0') != std::string_view::npos) return BodyFormat::kBinary;
  // A head may end inside a multi-byte character; ignore its last 3 bytes.
  std::string_view checked = head.size() > 3 ? head.substr(0, head.size() - 3) : head;
  if (!IsValidUtf8(checked)) return BodyFormat::kBinary;
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson") || Contains(content_type, "ndjson") ||
      Contains(content_type, "jsonl")) {
    return BodyFormat::kJsonl;
  }
  if (EndsWith(name, ".json") || Contains(content_type, "json")) return BodyFormat::kJson;
  if (EndsWith(name, ".yaml") || EndsWith(name, ".yml") || Contains(content_type, "yaml")) {
    return BodyFormat::kYaml;
  }
  if (EndsWith(name, ".csv") || Contains(content_type, "csv")) return BodyFormat::kCsv;
  return BodyFormat::kText;
}

json DescribeRecords(BodyFormat format, std::string_view head, bool complete) {
  switch (format) {
    case BodyFormat::kJson:
      return DescribeJson(head, complete);
    case BodyFormat::kJsonl:
      return DescribeJsonl(head, complete);
    case BodyFormat::kCsv:
      return DescribeCsv(head, complete);
    case BodyFormat::kYaml:
      return DescribeYaml(head, complete);
    case BodyFormat::kText:
      return DescribeText(head, complete);
    case BodyFormat::kBinary:
      break;
  }
  return {{"format", "binary"}};
}

Outcome<json> ParseDocument(BodyFormat format, std::string_view body) {
  if (format == BodyFormat::kYaml) return ParseYaml(body);
  return ParseJson(body, kMaxStructuredDepth);
}

json CompactValue(const json& value, int depth) {
  if (value.is_string()) return Shorten(value.get_ref<const std::string&>(), kMaxSampleString);
  if (!value.is_structured()) return value;
  if (depth >= 3) return value.is_array() ? "[…]" : "{…}";
  json out = value.is_array() ? json::array() : json::object();
  size_t n = 0;
  for (auto it = value.begin(); it != value.end(); ++it, ++n) {
    if (n == kMaxSampleItems) {
      std::string more = "+" + std::to_string(value.size() - n) + " more";
      if (value.is_array()) {
        out.push_back(more);
      } else {
        out["…"] = more;
      }
      break;
    }
    if (value.is_array()) {
      out.push_back(CompactValue(*it, depth + 1));
    } else {
      out[it.key()] = CompactValue(*it, depth + 1);
    }
  }
  return out;
}

void LineRecords::SetHeader(std::string_view line) { columns_ = SplitCsvLine(line); }

json LineRecords::Parse(std::string_view line) const {
  switch (format_) {
    case BodyFormat::kJsonl: {
      Outcome<json> r = ParseJson(line, kMaxStructuredDepth);
      if (r.ok()) return std::move(r).value();
      return {{"_error", "not JSON"}, {"_text", Shorten(line, kMaxSampleString)}};
    }
    case BodyFormat::kCsv: {
      std::vector<std::string> cells = SplitCsvLine(line);
      json out = json::object();
      for (size_t i = 0; i < cells.size(); ++i) {
        std::string key = i < columns_.size() ? columns_[i] : "col" + std::to_string(i + 1);
        out[key] = ScalarFromText(cells[i]);
      }
      return out;
    }
    default:
      return std::string(line);
  }
}

}  // namespace nokv::agent
