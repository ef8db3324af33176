// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/index_spec.h"

#include <set>

#include "nokv/namespace.h"
#include "util/path.h"
#include "util/structured.h"

namespace nokv {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxSpecBytes = 64 << 10;
constexpr size_t kMaxFields = 256;

Status Bad(const std::string& msg) { return Status::InvalidArgument("index spec: " + msg); }

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

Status CheckKeys(const json& obj, const std::string& where, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : obj.items()) {
    if (allowed.count(key) == 0) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return Bad(where + ": unknown key `" + key + "` (allowed: " + list + ")");
    }
  }
  return Status::OK();
}

Result<KeyPath> ParseKeyPath(const json& v, const std::string& where) {
  std::string text = Text(v);
  if (text.empty()) return Bad(where + " must be a key path such as `a.b` or `/a/b`");
  KeyPath out;
  const bool pointer = text.front() == '/';
  const char sep = pointer ? '/' : '.';
  size_t start = pointer ? 1 : 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    if (pointer) {  // RFC 6901 escapes
      for (size_t p; (p = part.find("~1")) != std::string::npos;) part.replace(p, 2, "/");
      for (size_t p; (p = part.find("~0")) != std::string::npos;) part.replace(p, 2, "~");
    } else if (part.empty()) {
      return Bad(where + " `" + text + "` has an empty key");
    }
    out.push_back(std::move(part));
    start = end + 1;
  }
  return out;
}

Result<std::string> ParseFrom(const json& v, const std::string& where, bool file_rows) {
  if (v.is_null()) {
    if (file_rows) return std::string();
    return Bad(where + ": `from` (a file path relative to the row directory) is required");
  }
  std::string from = Text(v);
  if (file_rows && (from.empty() || from == ".")) return std::string();
  if (file_rows) return Bad(where + ": rows are files, so `from` must be omitted or `.`");
  if (from.empty() || from.front() == '/') return Bad(where + ": `from` must be a relative path");
  Result<std::string> norm = NormalizePath("/" + from);
  if (!norm.ok()) return Bad(where + ": `from`: " + norm.status().message());
  return norm->substr(1);
}

Result<FieldType> ParseType(const json& v, const std::string& where) {
  const std::string t = Text(v);
  if (t.empty()) return FieldType::kAuto;
  if (t == "string") return FieldType::kString;
  if (t == "int") return FieldType::kInt;
  if (t == "float") return FieldType::kFloat;
  if (t == "bool") return FieldType::kBool;
  if (t == "timestamp") return FieldType::kTimestamp;
  return Bad(where + ": type `" + t + "` (allowed: string, int, float, bool, timestamp)");
}

Result<Reducer> ParseReducer(const std::string& r, const std::string& where) {
  if (r == "min") return Reducer::kMin;
  if (r == "max") return Reducer::kMax;
  if (r == "first") return Reducer::kFirst;
  if (r == "latest") return Reducer::kLatest;
  if (r == "count") return Reducer::kCount;
  return Bad(where + ": reduce `" + r + "` (allowed: min, max, first, latest, count)");
}

bool IsTrue(const json& v) { return v.is_boolean() && v.get<bool>(); }

Result<FieldSource> ParseField(const std::string& name, const json& def, bool file_rows) {
  const std::string where = "field `" + name + "`";
  if (!ValidFieldName(name)) {
    return Bad(where + ": names use letters, digits, `_`, `.`, `:` and `-` (1..128 bytes)");
  }
  if (IsBuiltinFieldName(name)) return Bad(where + ": that is a built-in field name");
  if (!def.is_object()) return Bad(where + " must be a map such as {from: f.json, at: key}");
  NOKV_RETURN_IF_ERROR(CheckKeys(
      def, where,
      {"from", "at", "reduce", "value", "column", "step", "where", "size", "exists", "type"}));
  FieldSource f;
  f.name = name;
  NOKV_ASSIGN_OR_RETURN(f.from,
                        ParseFrom(def.contains("from") ? def["from"] : json(), where, file_rows));
  NOKV_ASSIGN_OR_RETURN(f.type, ParseType(def.value("type", json()), where));
  const int kinds =
      int(def.contains("at")) + int(def.contains("reduce") || def.contains("column")) +
      int(IsTrue(def.value("size", json()))) + int(IsTrue(def.value("exists", json())));
  if (kinds != 1) {
    return Bad(where +
               ": give exactly one of `at`, `reduce` (with `value` or `column`), "
               "`size: true`, `exists: true`");
  }
  if (IsTrue(def.value("size", json()))) {
    f.kind = FieldSource::Kind::kSize;
    if (f.type == FieldType::kAuto) f.type = FieldType::kInt;
  } else if (IsTrue(def.value("exists", json()))) {
    f.kind = FieldSource::Kind::kExists;
    if (f.type == FieldType::kAuto) f.type = FieldType::kBool;
  } else if (def.contains("at")) {
    f.kind = FieldSource::Kind::kValue;
    NOKV_ASSIGN_OR_RETURN(f.at, ParseKeyPath(def["at"], where + " `at`"));
  } else {
    f.kind = FieldSource::Kind::kReduce;
    NOKV_ASSIGN_OR_RETURN(f.reducer,
                          ParseReducer(Text(def.value("reduce", json("latest"))), where));
    const json& value = def.contains("value") ? def["value"] : def.value("column", json());
    if (value.is_null() && f.reducer != Reducer::kCount) {
      return Bad(where + ": reduce needs `value` (the key in each record) or `column`");
    }
    if (!value.is_null()) {
      if (def.contains("column")) {
        f.value = {Text(value)};  // CSV column names may hold dots
      } else {
        NOKV_ASSIGN_OR_RETURN(f.value, ParseKeyPath(value, where + " `value`"));
      }
    }
    if (def.contains("step")) {
      NOKV_ASSIGN_OR_RETURN(f.step, ParseKeyPath(def["step"], where + " `step`"));
    }
    if (def.contains("where")) {
      const json& w = def["where"];
      if (!w.is_object() || w.empty()) {
        return Bad(where + ": `where` must map record keys to values, e.g. {key: fidelity}");
      }
      for (const auto& [key, expected] : w.items()) {
        NOKV_ASSIGN_OR_RETURN(KeyPath path, ParseKeyPath(json(key), where + " `where`"));
        f.where.emplace_back(std::move(path), expected);
      }
    }
    if (f.reducer == Reducer::kCount && f.type == FieldType::kAuto) f.type = FieldType::kInt;
  }
  return f;
}

}  // namespace

bool ValidFieldName(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool ValidIndexName(std::string_view name) {
  return ValidFieldName(name) && name.find_first_of(".:") == std::string_view::npos;
}

bool IsBuiltinFieldName(std::string_view name) {
  for (std::string_view b :
       {"path", "name", "kind", "size", "content_type", "mtime", "generation"}) {
    if (name == b) return true;
  }
  return false;
}

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case FieldType::kAuto:
      return "auto";
    case FieldType::kString:
      return "string";
    case FieldType::kInt:
      return "int";
    case FieldType::kFloat:
      return "float";
    case FieldType::kBool:
      return "bool";
    case FieldType::kTimestamp:
      return "time";
  }
  return "auto";
}

std::vector<std::string> IndexSpec::Sources() const {
  std::set<std::string> seen;
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (seen.insert(s).second) out.push_back(s);
  };
  for (const FieldSource& f : fields) add(f.from);
  for (const FlattenSource& f : flatten) add(f.from);
  return out;
}

Result<IndexSpec> ParseIndexSpec(std::string_view yaml, const std::string& dir) {
  if (yaml.size() > kMaxSpecBytes) return Bad("larger than 64 KiB");
  Result<json> doc = ParseYamlText(yaml, 16);
  if (!doc.ok()) return Bad(doc.status().message());
  if (!doc->is_object()) return Bad("must be a YAML map with `rows` and `fields`");
  NOKV_RETURN_IF_ERROR(CheckKeys(*doc, "top level", {"name", "rows", "fields", "flatten"}));
  IndexSpec spec;
  spec.dir = dir;
  spec.text = std::string(yaml);
  spec.name = Text(doc->value("name", json()));
  if (spec.name.empty()) {
    spec.name = dir == "/" ? "root" : std::string(BaseName(dir));
  }
  if (!ValidIndexName(spec.name)) {
    return Bad("name `" + spec.name + "`: use letters, digits, `_` and `-` (1..128 bytes)");
  }
  const json rows = doc->value("rows", json("dirs"));
  if (rows.is_object()) {
    NOKV_RETURN_IF_ERROR(CheckKeys(rows, "rows", {"files"}));
    spec.rows_glob = Text(rows.value("files", json()));
    if (spec.rows_glob.empty()) return Bad("rows: {files: GLOB} needs a glob such as \"*.json\"");
  } else if (Text(rows) != "dirs") {
    return Bad("rows must be `dirs` or {files: GLOB}");
  }
  const json fields = doc->value("fields", json::object());
  if (!fields.is_object()) return Bad("fields must map field names to sources");
  for (const auto& [name, def] : fields.items()) {
    NOKV_ASSIGN_OR_RETURN(FieldSource f, ParseField(name, def, spec.file_rows()));
    spec.fields.push_back(std::move(f));
  }
  const json flatten = doc->value("flatten", json::array());
  const json list = flatten.is_object() ? json::array({flatten}) : flatten;
  if (!list.is_array()) return Bad("flatten must be a list of {from, prefix}");
  for (const json& item : list) {
    if (!item.is_object())
      return Bad("flatten entries are maps such as {from: p.yaml, prefix: p.}");
    NOKV_RETURN_IF_ERROR(CheckKeys(item, "flatten", {"from", "prefix", "under"}));
    FlattenSource f;
    NOKV_ASSIGN_OR_RETURN(f.from,
                          ParseFrom(item.value("from", json()), "flatten", spec.file_rows()));
    f.prefix = Text(item.value("prefix", json()));
    if (!f.prefix.empty() && !ValidFieldName(f.prefix)) {
      return Bad("flatten prefix `" + f.prefix + "` must be a valid field name start");
    }
    if (item.contains("under")) {
      NOKV_ASSIGN_OR_RETURN(f.under, ParseKeyPath(item["under"], "flatten `under`"));
    }
    spec.flatten.push_back(std::move(f));
  }
  if (spec.fields.empty() && spec.flatten.empty()) return Bad("declares no fields");
  if (spec.fields.size() > kMaxFields) return Bad("more than 256 fields");
  return spec;
}

}  // namespace nokv
