// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/fields.h"

#include <ctime>

#include "agent/suggest.h"

namespace nokv::agent {

const std::vector<std::string>& BuiltinFields() {
  static const std::vector<std::string> kFields = {"path",         "name",  "kind",      "size",
                                                   "content_type", "mtime", "generation"};
  return kFields;
}

const char* KindLabel(FileKind kind) { return kind == FileKind::kDirectory ? "dir" : "file"; }

std::string IsoTime(int64_t unix_ns) {
  int64_t secs = unix_ns / 1000000000;
  int64_t millis = (unix_ns % 1000000000) / 1000000;
  if (millis < 0) {
    millis += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

FieldSet::FieldSet() : names_(BuiltinFields()) {}

bool FieldSet::Has(std::string_view field) const {
  for (const std::string& n : names_) {
    if (n == field) return true;
  }
  return false;
}

std::string FieldSet::Type(std::string_view field) const {
  if (field == "size" || field == "generation") return "int";
  if (field == "mtime") return "time";
  return "string";
}

Check FieldSet::Require(std::string_view field) const {
  if (Has(field)) return {};
  std::vector<std::string> close = ClosestNames(field, names_, 3, /*always=*/true);
  return AgentError{"unknown_field", "no field `" + std::string(field) + "` here",
                    "did you mean " + QuotedList(close) + "? fields: " + QuotedList(names_),
                    Code::kInvalidArgument};
}

json FieldSet::Value(const Row& row, std::string_view field) const {
  const bool file = row.kind == FileKind::kFile;
  if (field == "path") return row.path;
  if (field == "name") return row.name;
  if (field == "kind") return KindLabel(row.kind);
  if (field == "size") return file ? json(row.size) : json(nullptr);
  if (field == "generation") return file ? json(row.generation) : json(nullptr);
  if (field == "mtime") return IsoTime(row.mtime_ns);
  if (field == "content_type") {
    return file && row.content_type.has_value() ? json(*row.content_type) : json(nullptr);
  }
  return nullptr;
}

namespace {

int TypeRank(const json& v) {
  if (v.is_null()) return 0;
  if (v.is_boolean()) return 1;
  if (v.is_number()) return 2;
  if (v.is_string()) return 3;
  return 4;
}

}  // namespace

bool Comparable(const json& a, const json& b) {
  const int ra = TypeRank(a);
  return ra == TypeRank(b) && ra >= 1 && ra <= 3;
}

int CompareValues(const json& a, const json& b) {
  const int ra = TypeRank(a), rb = TypeRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (a.is_number()) {
    if (a.is_number_float() || b.is_number_float()) {
      double x = a.get<double>(), y = b.get<double>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    if (a.is_number_unsigned() && b.is_number_unsigned()) {
      uint64_t x = a.get<uint64_t>(), y = b.get<uint64_t>();
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    int64_t x = a.get<int64_t>(), y = b.get<int64_t>();
    if (a.is_number_unsigned() && a.get<uint64_t>() > uint64_t(INT64_MAX)) return 1;
    if (b.is_number_unsigned() && b.get<uint64_t>() > uint64_t(INT64_MAX)) return -1;
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.is_string()) {
    const std::string& x = a.get_ref<const std::string&>();
    const std::string& y = b.get_ref<const std::string&>();
    int c = x.compare(y);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.is_boolean()) return int(a.get<bool>()) - int(b.get<bool>());
  return 0;
}

}  // namespace nokv::agent
