// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Rows and fields. A row is one path of a subtree walk; its built-in fields
// (path, name, kind, size, content_type, mtime, generation) exist for every
// namespace. A field a row does not have (the size of a directory) is null.
// Fields of a declared index join the built-in ones through FieldSet.
#ifndef NOKV_AGENT_FIELDS_H_
#define NOKV_AGENT_FIELDS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/outcome.h"
#include "nokv/namespace.h"
#include "nokv/types.h"

namespace nokv::agent {

struct Row {
  std::string path;  // absolute, normalized
  std::string name;
  FileKind kind = FileKind::kFile;
  uint64_t size = 0;
  uint64_t generation = 0;
  uint64_t child_count = 0;
  int64_t mtime_ns = 0;
  std::optional<std::string> content_type;  // files; loaded only when asked for
  std::map<std::string, json> indexed;      // values of index fields (rows of an index)
  bool stat_loaded = true;                  // false: size/mtime/generation not loaded
};

// The fields every row has, in a stable order.
const std::vector<std::string>& BuiltinFields();

// "file" or "directory", the words the CLI's --json output uses.
const char* KindLabel(FileKind kind);
// ISO-8601 UTC with milliseconds: "2026-03-01T12:00:05.123Z".
std::string IsoTime(int64_t unix_ns);

// The fields a query may name, and how to read them from a row.
class FieldSet {
 public:
  FieldSet();  // the built-in fields
  // The built-in fields plus those of the index nearest to `path`: the
  // index whose directory holds `path`, else one below `path`.
  static Outcome<FieldSet> ForPath(Namespace& ns, const std::string& path);

  // The index whose fields joined, if any.
  const std::optional<IndexInfo>& index() const { return index_; }
  bool IsIndexField(std::string_view field) const;

  const std::vector<std::string>& names() const { return names_; }
  bool Has(std::string_view field) const;
  // "string", "int" or "time" (ISO-8601 strings that order by time).
  std::string Type(std::string_view field) const;
  // An unknown_field error listing the closest names unless `field` exists.
  Check Require(std::string_view field) const;
  // The value of `field` in `row`; null when the row has no such value.
  json Value(const Row& row, std::string_view field) const;
  // Whether reading `field` needs the body descriptor (content_type).
  static bool NeedsBody(std::string_view field) { return field == "content_type"; }

 private:
  std::vector<std::string> names_;
  std::optional<IndexInfo> index_;
  std::map<std::string, std::string, std::less<>> index_types_;
};

// Compares two JSON scalars for sorting and range predicates: numbers by
// value, strings bytewise, booleans false < true. Values of different types
// order by type (null < boolean < number < string < other).
int CompareValues(const json& a, const json& b);
// True when both are numbers or both are strings or both booleans.
bool Comparable(const json& a, const json& b);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_FIELDS_H_
