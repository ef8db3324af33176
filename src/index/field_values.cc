// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/field_values.h"

#include <charconv>
#include <cmath>

#include "index/index_records.h"
#include "util/iso_time.h"
#include "util/structured.h"

namespace nokv {
namespace {

using json = nlohmann::json;

constexpr int kMaxFlattenDepth = 16;
constexpr size_t kMaxFlattenKeys = 1024;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.push_back(line);
    start = end + 1;
  }
  return out;
}

json ParseCsv(std::string_view text) {
  json rows = json::array();
  std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return rows;
  std::vector<std::string> header = SplitCsvLine(lines[0]);
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> cells = SplitCsvLine(lines[i]);
    json row = json::object();
    for (size_t c = 0; c < header.size() && c < cells.size(); ++c) {
      json v = ScalarFromText(cells[c]);
      if (v.is_string()) {
        const std::string& s = v.get_ref<const std::string&>();
        if (s == "nan" || s == "NaN" || s == "inf" || s == "-inf" || s == "Infinity" ||
            s == "-Infinity") {
          v = std::string(kNonFiniteMarker) + s;
        }
      }
      row[header[c]] = std::move(v);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

json ParseJsonLines(std::string_view text) {
  json rows = json::array();
  for (std::string_view line : Lines(text)) {
    Result<json> r = ParseJsonText(line, kMaxDocumentDepth, /*allow_nonfinite=*/true);
    if (r.ok()) rows.push_back(std::move(r).value());
  }
  return rows;
}

std::optional<IndexValue> ToTimestamp(const json& v) {
  if (v.is_string()) {
    std::optional<int64_t> ns = ParseIsoTime(v.get_ref<const std::string&>());
    if (!ns) return std::nullopt;
    return IndexValue::String(FormatIsoTime(*ns));
  }
  if (v.is_number()) {
    // Epoch seconds, milliseconds or nanoseconds, told apart by magnitude.
    const double d = v.get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    int64_t ns;
    if (std::fabs(d) < 1e11) {
      ns = static_cast<int64_t>(d * 1e9);
    } else if (std::fabs(d) < 1e14) {
      ns = static_cast<int64_t>(d * 1e6);
    } else {
      ns = static_cast<int64_t>(d);
    }
    return IndexValue::String(FormatIsoTime(ns));
  }
  return std::nullopt;
}

std::optional<IndexValue> ToNumber(const json& v, bool want_int) {
  json n = v;
  if (v.is_string()) n = ScalarFromText(v.get_ref<const std::string&>());
  if (n.is_boolean()) n = n.get<bool>() ? 1 : 0;
  if (!n.is_number()) return std::nullopt;
  IndexValue x = IndexValueFromJson(n);
  if (want_int && x.type == IndexValue::Type::kFloat) {
    if (x.f != std::floor(x.f) || std::fabs(x.f) > 9.2e18) return std::nullopt;
    return IndexValue::Int(static_cast<int64_t>(x.f));
  }
  if (!want_int && x.type == IndexValue::Type::kInt) return IndexValue::Float(double(x.i));
  return x;
}

std::optional<IndexValue> ToBool(const json& v) {
  if (v.is_boolean()) return IndexValue::Bool(v.get<bool>());
  if (v.is_number_integer()) return IndexValue::Bool(v.get<int64_t>() != 0);
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    if (s == "true" || s == "True" || s == "yes" || s == "1") return IndexValue::Bool(true);
    if (s == "false" || s == "False" || s == "no" || s == "0") return IndexValue::Bool(false);
  }
  return std::nullopt;
}

IndexValue CutString(std::string s) {
  if (s.size() > kMaxIndexedString) {
    size_t cut = kMaxIndexedString;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
  }
  return IndexValue::String(std::move(s));
}

bool MatchesWhere(const json& record, const FieldSource& f) {
  for (const auto& [path, expected] : f.where) {
    const json* v = LookupKeyPath(record, path);
    if (v == nullptr || *v != expected) return false;
  }
  return true;
}

void Flatten(const json& node, const std::string& key, const FlattenSource& f, int depth,
             std::map<std::string, IndexValue>* out, uint64_t* nonfinite) {
  if (out->size() >= kMaxFlattenKeys || depth > kMaxFlattenDepth) return;
  if (node.is_object()) {
    for (const auto& [k, v] : node.items()) {
      Flatten(v, key.empty() ? k : key + "." + k, f, depth + 1, out, nonfinite);
    }
    return;
  }
  if (node.is_array() || node.is_null() || key.empty()) return;
  const std::string name = f.prefix + key;
  if (!ValidFieldName(name) || IsBuiltinFieldName(name)) return;
  bool nf = false;
  std::string error;
  std::optional<IndexValue> v = ConvertValue(node, FieldType::kAuto, &nf, &error);
  if (nf) ++*nonfinite;
  if (v) (*out)[name] = std::move(*v);
}

}  // namespace

Result<json> ParseSourceDocument(std::string_view name, std::string_view text) {
  if (EndsWith(name, ".jsonl") || EndsWith(name, ".ndjson")) return ParseJsonLines(text);
  if (EndsWith(name, ".csv")) return ParseCsv(text);
  if (EndsWith(name, ".yaml") || EndsWith(name, ".yml")) return ParseYamlText(text);
  Result<json> doc = ParseJsonText(text, kMaxDocumentDepth, /*allow_nonfinite=*/true);
  if (doc.ok() || EndsWith(name, ".json")) return doc;
  return ParseYamlText(text);
}

const json* LookupKeyPath(const json& doc, const KeyPath& path) {
  const json* node = &doc;
  for (const std::string& key : path) {
    if (node->is_object()) {
      auto it = node->find(key);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      size_t i = 0;
      auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), i);
      if (ec != std::errc() || end != key.data() + key.size() || i >= node->size()) return nullptr;
      node = &(*node)[i];
    } else {
      return nullptr;
    }
  }
  return node;
}

std::optional<IndexValue> ConvertValue(const json& v, FieldType type, bool* nonfinite,
                                       std::string* error) {
  if (v.is_null()) return std::nullopt;
  if (IsNonFiniteMarker(v)) {
    *nonfinite = true;
    return std::nullopt;
  }
  std::optional<IndexValue> out;
  switch (type) {
    case FieldType::kAuto:
      if (v.is_object() || v.is_array()) return CutString(v.dump());
      if (v.is_string()) return CutString(v.get<std::string>());
      out = IndexValueFromJson(v);
      if (out->type == IndexValue::Type::kFloat && !std::isfinite(out->f)) {
        *nonfinite = true;
        return std::nullopt;
      }
      return out;
    case FieldType::kString:
      return CutString(v.is_string() ? v.get<std::string>() : v.dump());
    case FieldType::kInt:
      out = ToNumber(v, true);
      break;
    case FieldType::kFloat:
      out = ToNumber(v, false);
      if (out && !std::isfinite(out->f)) {
        *nonfinite = true;
        return std::nullopt;
      }
      break;
    case FieldType::kBool:
      out = ToBool(v);
      break;
    case FieldType::kTimestamp:
      out = ToTimestamp(v);
      break;
  }
  if (!out) {
    std::string shown = v.dump();
    if (shown.size() > 40) shown = shown.substr(0, 40) + "...";
    *error = "value " + shown + " is not a " + FieldTypeName(type);
  }
  return out;
}

std::optional<IndexValue> ReduceRecords(const json& doc, const FieldSource& f, uint64_t* nonfinite,
                                        std::string* error) {
  static const json kNoRecords = json::array();
  const json single = json::array({doc});
  const json& records = doc.is_array() ? doc : (doc.is_null() ? kNoRecords : single);
  std::optional<IndexValue> best;
  std::optional<IndexValue> best_step;
  int64_t count = 0;
  for (const json& record : records) {
    if (!MatchesWhere(record, f)) continue;
    if (f.value.empty()) {  // count of matching records
      ++count;
      continue;
    }
    const json* raw = LookupKeyPath(record, f.value);
    if (raw == nullptr || raw->is_null()) continue;
    bool nf = false;
    std::string conversion_error;
    std::optional<IndexValue> v = ConvertValue(*raw, f.type, &nf, &conversion_error);
    if (nf) {
      ++*nonfinite;
      continue;
    }
    if (!v) {
      if (error->empty()) *error = conversion_error;
      continue;
    }
    ++count;
    if (f.reducer == Reducer::kMin || f.reducer == Reducer::kMax) {
      const int c = best ? CompareIndexValues(*v, *best) : 0;
      if (!best || (f.reducer == Reducer::kMin ? c < 0 : c > 0)) best = std::move(v);
      continue;
    }
    if (f.reducer == Reducer::kCount) continue;
    std::optional<IndexValue> step;
    if (!f.step.empty()) {
      const json* s = LookupKeyPath(record, f.step);
      bool snf = false;
      std::string serr;
      if (s != nullptr) step = ConvertValue(*s, FieldType::kAuto, &snf, &serr);
      if (!step) continue;  // a record without a step cannot be ordered
    }
    bool take = !best;
    if (best) {
      const int c = step ? CompareIndexValues(*step, *best_step) : 0;
      // first: the smallest step, earliest record; latest: the greatest
      // step, later record on ties (and plain record order without steps).
      take = f.reducer == Reducer::kFirst ? c < 0 : c >= 0;
    }
    if (take) {
      best = std::move(v);
      best_step = std::move(step);
    }
  }
  if (f.reducer == Reducer::kCount) return IndexValue::Int(count);
  return best;
}

void FlattenDocument(const json& doc, const FlattenSource& f,
                     std::map<std::string, IndexValue>* out, uint64_t* nonfinite) {
  const json* root = f.under.empty() ? &doc : LookupKeyPath(doc, f.under);
  if (root == nullptr || !root->is_object()) return;
  Flatten(*root, "", f, 0, out, nonfinite);
}

}  // namespace nokv
