// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Parsing of structured text bodies shared by the index extractor and the
// agent verbs: whole JSON and YAML documents with bounded nesting, CSV
// lines, and the typed value of a bare scalar. Nothing here recurses deeper
// than the depth it is given.
#ifndef NOKV_UTIL_STRUCTURED_H_
#define NOKV_UTIL_STRUCTURED_H_

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"

namespace nokv {

inline constexpr int kMaxDocumentDepth = 64;

// A marker string standing for a non-finite number (NaN, Infinity,
// -Infinity) in a document parsed with `allow_nonfinite`. JSON has no such
// numbers, but Python's json module writes them as bare words.
inline constexpr std::string_view kNonFiniteMarker = "\x01nonfinite:";
bool IsNonFiniteMarker(const nlohmann::json& value);

// One JSON value nested at most `max_depth` deep. With `allow_nonfinite`,
// the bare words NaN, Infinity and -Infinity outside strings become
// kNonFiniteMarker strings. InvalidArgument says where parsing failed.
Result<nlohmann::json> ParseJsonText(std::string_view text, int max_depth = kMaxDocumentDepth,
                                     bool allow_nonfinite = false);

// One YAML document as JSON (maps, sequences, typed scalars; a quoted
// scalar stays a string). Deeply nested input is refused before parsing.
Result<nlohmann::json> ParseYamlText(std::string_view text, int max_depth = kMaxDocumentDepth);

// The value a CSV cell or YAML scalar stands for: integer, float, boolean,
// null (empty) or string.
nlohmann::json ScalarFromText(std::string_view text);

// One CSV line split into cells (RFC 4180 quoting within the line).
std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace nokv

#endif  // NOKV_UTIL_STRUCTURED_H_
