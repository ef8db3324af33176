// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Records of the index family (Family::kIndex, plain keys). Every key starts
// with a tag byte and the index name; names and field names never hold a
// NUL byte, so 0x00 separates them.
//
//   'D' name                                 -> IndexDefRecord
//   'F' name 0x00 field                      -> FieldStatRecord
//   'R' name 0x00 row-path                   -> RowDoc
//   'P' name 0x00 field 0x00 value row-path  -> "" (a posting)
//
// A posting's value is order-preserving: a type byte (bool < number <
// string), then 1 byte (bool), 8 bytes (a number as an order-preserving
// double) or the string with 0x00 escaped as 0x00 0xFF and ended by
// 0x00 0x01. Row paths start with '/', so the key of (field, value) ranges
// is a prefix range. Values are msgpack documents.
#ifndef NOKV_INDEX_INDEX_RECORDS_H_
#define NOKV_INDEX_INDEX_RECORDS_H_

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "nokv/index_types.h"
#include "nokv/status.h"

namespace nokv {

// ---- values ----
nlohmann::json IndexValueToJson(const IndexValue& v);
// Scalars only (null for anything else).
IndexValue IndexValueFromJson(const nlohmann::json& j);
// Numbers by value, strings bytewise, false < true; bool < number < string.
int CompareIndexValues(const IndexValue& a, const IndexValue& b);
bool operator==(const IndexValue& a, const IndexValue& b);
// Appends the order-preserving encoding of a non-null value.
void AppendSortable(std::string* out, const IndexValue& v);
// Decodes one value from the front of `in` and advances it.
bool ConsumeSortable(std::string_view* in, IndexValue* v);

// ---- keys ----
std::string IndexDefKey(std::string_view index);
std::string IndexDefPrefix();
std::string FieldStatKey(std::string_view index, std::string_view field);
std::string FieldStatPrefix(std::string_view index);
std::string RowKey(std::string_view index, std::string_view row);
std::string RowPrefix(std::string_view index);
std::string PostingKey(std::string_view index, std::string_view field, const IndexValue& value,
                       std::string_view row);
std::string PostingFieldPrefix(std::string_view index, std::string_view field);
std::string PostingIndexPrefix(std::string_view index);
// Splits the part of a posting key after PostingFieldPrefix.
bool DecodePostingTail(std::string_view tail, IndexValue* value, std::string_view* row);

// ---- records ----
struct IndexDefRecord {
  std::string name;
  std::string dir;
  std::string spec;
  uint64_t defined_version = 0;
  uint64_t changed_version = 0;
  uint64_t rows = 0;
  uint64_t errors = 0;
  std::string last_error;
};
std::string EncodeIndexDef(const IndexDefRecord& r);
Status DecodeIndexDef(std::string_view v, IndexDefRecord* r);

struct FieldStatRecord {
  uint64_t rows = 0;
  std::map<std::string, uint64_t> types;  // type name -> rows
  uint64_t nonfinite = 0;
};
std::string EncodeFieldStat(const FieldStatRecord& r);
Status DecodeFieldStat(std::string_view v, FieldStatRecord* r);
// "mixed" when rows disagree, except int+float, which is "float".
std::string FieldStatType(const FieldStatRecord& r);

// What one row holds: per source file the body it was extracted from (0:
// absent) and the values read from it, so a later change to another file
// of the row reuses them.
struct RowDoc {
  std::map<std::string, uint64_t> sources;
  std::map<std::string, std::map<std::string, IndexValue>> values;  // source -> field -> value
  std::map<std::string, uint64_t> nonfinite;                        // field -> skipped inputs
  std::string error;  // the first extraction problem, if any
  // All fields of the row (later sources win on a name clash).
  std::map<std::string, IndexValue> Flat() const;
  bool operator==(const RowDoc& o) const;
};
std::string EncodeRowDoc(const RowDoc& d);
Status DecodeRowDoc(std::string_view v, RowDoc* d);

// The type name a value counts as in field statistics.
std::string IndexValueTypeName(const IndexValue& v, bool timestamp);

}  // namespace nokv

#endif  // NOKV_INDEX_INDEX_RECORDS_H_
