// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Structured bodies: recognising JSON, JSONL, YAML, CSV and plain text,
// turning their first bytes into a record schema and a few samples for stat,
// and turning lines into records for read. All parsing here is bounded by
// the bytes it is given; callers pass a small head of the body.
#ifndef NOKV_AGENT_RECORDS_H_
#define NOKV_AGENT_RECORDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/outcome.h"

namespace nokv::agent {

enum class BodyFormat { kBinary, kText, kJson, kJsonl, kYaml, kCsv };

const char* BodyFormatName(BodyFormat f);

// Guesses the format from the name's extension, the content type and the
// first bytes of the body (NUL bytes or broken UTF-8 mean binary).
BodyFormat DetectFormat(std::string_view name, std::string_view content_type,
                        std::string_view head);

// {"format", "schema"?, "samples"?} from the first bytes of a body.
// `complete` says `head` is the whole body. The schema maps each (dotted)
// key of the sampled records to its types, e.g. {"loss": "float"}.
json DescribeRecords(BodyFormat format, std::string_view head, bool complete);

// Parses a whole JSON or YAML document (nesting bounded).
Outcome<json> ParseDocument(BodyFormat format, std::string_view body);

// A smaller copy of `value` for display: long strings cut, long arrays and
// objects elided, nesting bounded.
json CompactValue(const json& value, int depth = 0);

// Turns the lines of a JSONL, CSV or text body into records.
class LineRecords {
 public:
  explicit LineRecords(BodyFormat format) : format_(format) {}
  // CSV: the header line naming the columns (line 1 of the body).
  void SetHeader(std::string_view line);
  // The record of one line: a JSON value (JSONL; unparsable lines become
  // {"_error", "_line"}), an object by column (CSV) or the string (text).
  json Parse(std::string_view line) const;

 private:
  BodyFormat format_;
  std::vector<std::string> columns_;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_RECORDS_H_
