// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/index_records.h"

#include <cstring>

namespace nokv {
namespace {

using json = nlohmann::json;

constexpr char kTagDef = 'D', kTagField = 'F', kTagRow = 'R', kTagPosting = 'P';
constexpr uint8_t kSortBool = 0x01, kSortNumber = 0x02, kSortString = 0x03;

int TypeRank(const IndexValue& v) {
  switch (v.type) {
    case IndexValue::Type::kNull:
      return 0;
    case IndexValue::Type::kBool:
      return 1;
    case IndexValue::Type::kInt:
    case IndexValue::Type::kFloat:
      return 2;
    case IndexValue::Type::kString:
      return 3;
  }
  return 0;
}

std::string Tagged(char tag, std::string_view index) {
  std::string k(1, tag);
  k.append(index);
  return k;
}

Result<json> FromMsgpack(std::string_view v, const char* what) {
  try {
    return json::from_msgpack(v.begin(), v.end());
  } catch (const json::exception&) {
    return Status::Corruption(std::string("undecodable ") + what + " record");
  }
}

std::string ToMsgpack(const json& j) {
  std::vector<uint8_t> bytes = json::to_msgpack(j);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

json IndexValueToJson(const IndexValue& v) {
  switch (v.type) {
    case IndexValue::Type::kNull:
      return nullptr;
    case IndexValue::Type::kBool:
      return v.b;
    case IndexValue::Type::kInt:
      return v.i;
    case IndexValue::Type::kFloat:
      return v.f;
    case IndexValue::Type::kString:
      return v.s;
  }
  return nullptr;
}

IndexValue IndexValueFromJson(const json& j) {
  if (j.is_boolean()) return IndexValue::Bool(j.get<bool>());
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    if (u <= uint64_t(INT64_MAX)) return IndexValue::Int(static_cast<int64_t>(u));
    return IndexValue::Float(static_cast<double>(u));
  }
  if (j.is_number_integer()) return IndexValue::Int(j.get<int64_t>());
  if (j.is_number_float()) return IndexValue::Float(j.get<double>());
  if (j.is_string()) return IndexValue::String(j.get<std::string>());
  return IndexValue();
}

int CompareIndexValues(const IndexValue& a, const IndexValue& b) {
  const int ra = TypeRank(a), rb = TypeRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 1:
      return int(a.b) - int(b.b);
    case 2: {
      if (a.type == IndexValue::Type::kInt && b.type == IndexValue::Type::kInt) {
        return a.i < b.i ? -1 : (a.i > b.i ? 1 : 0);
      }
      const double x = a.number(), y = b.number();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case 3: {
      const int c = a.s.compare(b.s);
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default:
      return 0;
  }
}

bool operator==(const IndexValue& a, const IndexValue& b) {
  return a.type == b.type && CompareIndexValues(a, b) == 0;
}

void AppendSortable(std::string* out, const IndexValue& v) {
  switch (v.type) {
    case IndexValue::Type::kNull:
      return;
    case IndexValue::Type::kBool:
      out->push_back(char(kSortBool));
      out->push_back(v.b ? 1 : 0);
      return;
    case IndexValue::Type::kInt:
    case IndexValue::Type::kFloat: {
      out->push_back(char(kSortNumber));
      double d = v.number();
      if (d == 0) d = 0;  // -0.0 sorts with 0.0
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      bits = (bits >> 63) ? ~bits : (bits | (uint64_t(1) << 63));
      for (int i = 7; i >= 0; --i) out->push_back(char((bits >> (8 * i)) & 0xff));
      return;
    }
    case IndexValue::Type::kString:
      out->push_back(char(kSortString));
      for (char c : v.s) {
        out->push_back(c);
        if (c == '\0') out->push_back(char(0xff));
      }
      out->push_back('\0');
      out->push_back(char(0x01));
      return;
  }
}

bool ConsumeSortable(std::string_view* in, IndexValue* v) {
  if (in->empty()) return false;
  const uint8_t tag = static_cast<uint8_t>(in->front());
  in->remove_prefix(1);
  if (tag == kSortBool) {
    if (in->empty()) return false;
    *v = IndexValue::Bool(in->front() != 0);
    in->remove_prefix(1);
    return true;
  }
  if (tag == kSortNumber) {
    if (in->size() < 8) return false;
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<uint8_t>((*in)[i]);
    bits = (bits >> 63) ? (bits & ~(uint64_t(1) << 63)) : ~bits;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    in->remove_prefix(8);
    *v = IndexValue::Float(d);
    return true;
  }
  if (tag == kSortString) {
    std::string s;
    for (size_t i = 0; i + 1 < in->size(); ++i) {
      const char c = (*in)[i];
      if (c != '\0') {
        s.push_back(c);
        continue;
      }
      const uint8_t next = static_cast<uint8_t>((*in)[i + 1]);
      if (next == 0x01) {
        in->remove_prefix(i + 2);
        *v = IndexValue::String(std::move(s));
        return true;
      }
      if (next != 0xff) return false;
      s.push_back('\0');
      ++i;
    }
    return false;
  }
  return false;
}

std::string IndexDefKey(std::string_view index) { return Tagged(kTagDef, index); }
std::string IndexDefPrefix() { return std::string(1, kTagDef); }

std::string FieldStatKey(std::string_view index, std::string_view field) {
  std::string k = FieldStatPrefix(index);
  k.append(field);
  return k;
}
std::string FieldStatPrefix(std::string_view index) {
  std::string k = Tagged(kTagField, index);
  k.push_back('\0');
  return k;
}

std::string RowKey(std::string_view index, std::string_view row) {
  std::string k = RowPrefix(index);
  k.append(row);
  return k;
}
std::string RowPrefix(std::string_view index) {
  std::string k = Tagged(kTagRow, index);
  k.push_back('\0');
  return k;
}

std::string PostingIndexPrefix(std::string_view index) {
  std::string k = Tagged(kTagPosting, index);
  k.push_back('\0');
  return k;
}
std::string PostingFieldPrefix(std::string_view index, std::string_view field) {
  std::string k = PostingIndexPrefix(index);
  k.append(field);
  k.push_back('\0');
  return k;
}
std::string PostingKey(std::string_view index, std::string_view field, const IndexValue& value,
                       std::string_view row) {
  std::string k = PostingFieldPrefix(index, field);
  AppendSortable(&k, value);
  k.append(row);
  return k;
}

bool DecodePostingTail(std::string_view tail, IndexValue* value, std::string_view* row) {
  if (!ConsumeSortable(&tail, value)) return false;
  if (tail.empty() || tail.front() != '/') return false;
  *row = tail;
  return true;
}

std::string EncodeIndexDef(const IndexDefRecord& r) {
  return ToMsgpack({{"name", r.name},
                    {"dir", r.dir},
                    {"spec", r.spec},
                    {"defined", r.defined_version},
                    {"changed", r.changed_version},
                    {"rows", r.rows},
                    {"errors", r.errors},
                    {"last_error", r.last_error}});
}

Status DecodeIndexDef(std::string_view v, IndexDefRecord* r) {
  NOKV_ASSIGN_OR_RETURN(json j, FromMsgpack(v, "index definition"));
  try {
    r->name = j.at("name").get<std::string>();
    r->dir = j.at("dir").get<std::string>();
    r->spec = j.at("spec").get<std::string>();
    r->defined_version = j.at("defined").get<uint64_t>();
    r->changed_version = j.at("changed").get<uint64_t>();
    r->rows = j.at("rows").get<uint64_t>();
    r->errors = j.value("errors", uint64_t(0));
    r->last_error = j.value("last_error", std::string());
  } catch (const json::exception&) {
    return Status::Corruption("index definition record lacks a member");
  }
  return Status::OK();
}

std::string EncodeFieldStat(const FieldStatRecord& r) {
  return ToMsgpack({{"rows", r.rows}, {"types", r.types}, {"nonfinite", r.nonfinite}});
}

Status DecodeFieldStat(std::string_view v, FieldStatRecord* r) {
  NOKV_ASSIGN_OR_RETURN(json j, FromMsgpack(v, "index field"));
  try {
    r->rows = j.at("rows").get<uint64_t>();
    r->types = j.at("types").get<std::map<std::string, uint64_t>>();
    r->nonfinite = j.value("nonfinite", uint64_t(0));
  } catch (const json::exception&) {
    return Status::Corruption("index field record lacks a member");
  }
  return Status::OK();
}

std::string FieldStatType(const FieldStatRecord& r) {
  std::string type;
  for (const auto& [name, n] : r.types) {
    if (n == 0) continue;
    if (type.empty()) {
      type = name;
    } else if ((type == "int" && name == "float") || (type == "float" && name == "int")) {
      type = "float";
    } else if (type != name) {
      return "mixed";
    }
  }
  return type.empty() ? "string" : type;
}

std::string IndexValueTypeName(const IndexValue& v, bool timestamp) {
  switch (v.type) {
    case IndexValue::Type::kBool:
      return "bool";
    case IndexValue::Type::kInt:
      return "int";
    case IndexValue::Type::kFloat:
      return "float";
    case IndexValue::Type::kString:
      return timestamp ? "time" : "string";
    default:
      return "null";
  }
}

std::map<std::string, IndexValue> RowDoc::Flat() const {
  std::map<std::string, IndexValue> out;
  for (const auto& [source, fields] : values) {
    for (const auto& [name, value] : fields) out[name] = value;
  }
  return out;
}

bool RowDoc::operator==(const RowDoc& o) const {
  return sources == o.sources && values == o.values && nonfinite == o.nonfinite && error == o.error;
}

std::string EncodeRowDoc(const RowDoc& d) {
  json values = json::object();
  for (const auto& [source, fields] : d.values) {
    json f = json::object();
    for (const auto& [name, value] : fields) f[name] = IndexValueToJson(value);
    values[source] = std::move(f);
  }
  json j = {{"s", d.sources}, {"v", std::move(values)}};
  if (!d.nonfinite.empty()) j["n"] = d.nonfinite;
  if (!d.error.empty()) j["e"] = d.error;
  return ToMsgpack(j);
}

Status DecodeRowDoc(std::string_view v, RowDoc* d) {
  NOKV_ASSIGN_OR_RETURN(json j, FromMsgpack(v, "index row"));
  try {
    d->sources = j.at("s").get<std::map<std::string, uint64_t>>();
    d->values.clear();
    for (const auto& [source, fields] : j.at("v").items()) {
      auto& out = d->values[source];
      for (const auto& [name, value] : fields.items()) out[name] = IndexValueFromJson(value);
    }
    d->nonfinite = j.value("n", std::map<std::string, uint64_t>());
    d->error = j.value("e", std::string());
  } catch (const json::exception&) {
    return Status::Corruption("index row record lacks a member");
  }
  return Status::OK();
}

}  // namespace nokv
