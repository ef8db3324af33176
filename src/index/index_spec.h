// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// IndexSpec: the parsed form of an index's YAML spec (docs/indexes.md).
//
//   name: runs                      # default: the last component of DIR
//   rows: dirs                      # or {files: "GLOB"} (relative to DIR)
//   fields:
//     status: {from: metadata.json, at: status}          # key path or /json/pointer
//     lr:     {from: params.yaml, at: optim.lr, type: float}
//     best:   {from: metrics.json, reduce: min, value: val_loss}
//     last:   {from: metrics.json, reduce: latest, value: value, step: step,
//              where: {key: fidelity}}
//     acc:    {from: results.csv, column: acc, reduce: max}
//     bytes:  {from: artifacts/stdout.txt, size: true}
//     patch:  {from: changes.patch, exists: true}
//   flatten:
//     - {from: params.yaml, prefix: "params."}
#ifndef NOKV_INDEX_INDEX_SPEC_H_
#define NOKV_INDEX_INDEX_SPEC_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nokv/status.h"

namespace nokv {

// A path of object keys into a document ("a.b" or "/a/b"); array elements
// are addressed by their decimal index.
using KeyPath = std::vector<std::string>;

enum class Reducer : uint8_t { kMin, kMax, kFirst, kLatest, kCount };
// Declared field types; kAuto takes each value's own type.
enum class FieldType : uint8_t { kAuto, kString, kInt, kFloat, kBool, kTimestamp };

struct FieldSource {
  enum class Kind : uint8_t { kValue, kReduce, kSize, kExists };
  std::string name;
  std::string from;  // relative to the row directory; "" is the row file itself
  Kind kind = Kind::kValue;
  KeyPath at;  // kValue
  Reducer reducer = Reducer::kLatest;
  KeyPath value;  // kReduce: the key of each record (or CSV column)
  KeyPath step;   // kReduce: orders first/latest; empty is record order
  std::vector<std::pair<KeyPath, nlohmann::json>> where;  // record filter
  FieldType type = FieldType::kAuto;
};

struct FlattenSource {
  std::string from;
  std::string prefix;
  KeyPath under;  // flatten only this sub-object
};

struct IndexSpec {
  std::string name;
  std::string dir;
  std::string rows_glob;  // empty: one row per child directory
  std::vector<FieldSource> fields;
  std::vector<FlattenSource> flatten;
  std::string text;  // the YAML as given

  bool file_rows() const { return !rows_glob.empty(); }
  // The distinct source files named by fields and flatten entries.
  std::vector<std::string> Sources() const;
  // "dirs" or the glob, for display.
  std::string RowsLabel() const { return file_rows() ? rows_glob : "dirs"; }
};

// Parses and checks a spec for the normalized directory `dir`.
// InvalidArgument names the offending key and what is allowed.
Result<IndexSpec> ParseIndexSpec(std::string_view yaml, const std::string& dir);

// Valid index and field names: [A-Za-z0-9_.:-], 1..128 bytes; an index name
// must not contain '.' or ':'.
bool ValidIndexName(std::string_view name);
bool ValidFieldName(std::string_view name);
// The built-in fields every row has; index fields may not reuse them.
bool IsBuiltinFieldName(std::string_view name);

const char* FieldTypeName(FieldType t);

}  // namespace nokv

#endif  // NOKV_INDEX_INDEX_SPEC_H_
