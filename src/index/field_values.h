// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Reading field values out of one parsed source document: key paths, type
// conversion, reducers over step records and flattening. Pure functions.
#ifndef NOKV_INDEX_FIELD_VALUES_H_
#define NOKV_INDEX_FIELD_VALUES_H_

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "index/index_spec.h"
#include "nokv/index_types.h"
#include "nokv/status.h"

namespace nokv {

// Parses a source body by its file name: .json (NaN/Infinity allowed),
// .jsonl/.ndjson (one value per line; bad lines skipped), .yaml/.yml,
// .csv (an array of objects keyed by the header); anything else as JSON,
// then YAML.
Result<nlohmann::json> ParseSourceDocument(std::string_view name, std::string_view text);

// The value at `path` in `doc` (null when absent).
const nlohmann::json* LookupKeyPath(const nlohmann::json& doc, const KeyPath& path);

// Converts a document value to a field of type `type`. nullopt when the value
// is null, non-finite (*nonfinite set) or does not convert (*error set).
// Objects and arrays become their compact JSON text; strings are cut to
// kMaxIndexedString bytes.
inline constexpr size_t kMaxIndexedString = 1024;
std::optional<IndexValue> ConvertValue(const nlohmann::json& v, FieldType type, bool* nonfinite,
                                       std::string* error);

// Applies the reducer of `field` to the records of `doc` (an array; any
// other document is one record). Counts skipped non-finite inputs.
std::optional<IndexValue> ReduceRecords(const nlohmann::json& doc, const FieldSource& field,
                                        uint64_t* nonfinite, std::string* error);

// Adds every scalar leaf of `doc` (below `f.under`) as prefix + dotted key.
// Keys that do not make valid field names are skipped.
void FlattenDocument(const nlohmann::json& doc, const FlattenSource& f,
                     std::map<std::string, IndexValue>* out, uint64_t* nonfinite);

}  // namespace nokv

#endif  // NOKV_INDEX_FIELD_VALUES_H_
