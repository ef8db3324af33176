// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Value types of declarative indexes. An index, declared over a directory by
// a YAML spec, turns each row (a child directory, or a file matching a glob)
// into typed field values read from the row's files. The engine keeps the
// rows and their postings current in the same commit as every change to the
// data, so a query never sees an index older than the data it describes.
#ifndef NOKV_INDEX_TYPES_H_
#define NOKV_INDEX_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nokv {

// One field value. Numbers of int and float fields order together by value;
// timestamps are normalized ISO-8601 UTC strings (millisecond precision), so
// they order as text. Types order bool < number < string.
struct IndexValue {
  enum class Type : uint8_t { kNull = 0, kBool, kInt, kFloat, kString };
  Type type = Type::kNull;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string s;

  static IndexValue Bool(bool v) {
    IndexValue x;
    x.type = Type::kBool;
    x.b = v;
    return x;
  }
  static IndexValue Int(int64_t v) {
    IndexValue x;
    x.type = Type::kInt;
    x.i = v;
    return x;
  }
  static IndexValue Float(double v) {
    IndexValue x;
    x.type = Type::kFloat;
    x.f = v;
    return x;
  }
  static IndexValue String(std::string v) {
    IndexValue x;
    x.type = Type::kString;
    x.s = std::move(v);
    return x;
  }
  bool is_null() const { return type == Type::kNull; }
  bool is_number() const { return type == Type::kInt || type == Type::kFloat; }
  double number() const { return type == Type::kInt ? static_cast<double>(i) : f; }
};

struct IndexFieldInfo {
  std::string name;
  // "string", "int", "float", "bool", "time", "mixed" when rows disagree, "none" before any row has
  // a value.
  std::string type;
  uint64_t rows = 0;               // rows that have a value
  uint64_t nonfinite_skipped = 0;  // reducer inputs skipped as NaN/Infinity
};

struct IndexInfo {
  std::string name;
  std::string dir;   // the indexed directory
  std::string rows;  // "dirs" or the file glob
  std::string spec;  // the YAML spec as given
  uint64_t row_count = 0;
  uint64_t defined_version = 0;
  // The last commit that changed any row of this index.
  uint64_t changed_version = 0;
  std::vector<IndexFieldInfo> fields;  // by name
  // Problems met while extracting (an unreadable or malformed source file);
  // the affected fields are absent in those rows. Counted since the last
  // rebuild.
  uint64_t extraction_errors = 0;
  std::string last_error;
};

// The indexed values of one row.
struct IndexRow {
  std::string path;
  std::map<std::string, IndexValue> values;  // fields without a value are absent
};

// A range scan over the postings of one field, in value order (ties by row
// path). Bounds are optional; an open bound excludes its value.
struct IndexScan {
  std::string index;
  std::string field;
  std::optional<IndexValue> lower, upper;
  bool lower_open = false, upper_open = false;
  bool descending = false;
  // Only rows whose path is `under` or below it ("" or "/": all).
  std::string under;
  // The version the caller reads at: postings are used only when no commit
  // after it changed the index.
  uint64_t version = 0;
};

}  // namespace nokv

#endif  // NOKV_INDEX_TYPES_H_
