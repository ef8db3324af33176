// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/fields.h"

#include "agent/suggest.h"
#include "index/index_spec.h"
#include "util/iso_time.h"
#include "util/path.h"

namespace nokv::agent {

const std::vector<std::string>& BuiltinFields() {
  static const std::vector<std::string> kFields = {"path",         "name",  "kind",      "size",
                                                   "content_type", "mtime", "generation"};
  return kFields;
}

const char* KindLabel(FileKind kind) { return kind == FileKind::kDirectory ? "directory" : "file"; }

std::string IsoTime(int64_t unix_ns) { return FormatIsoTime(unix_ns); }

FieldSet::FieldSet() : names_(BuiltinFields()) {}

Outcome<FieldSet> FieldSet::ForPath(Namespace& ns, const std::string& path) {
  FieldSet set;
  Result<std::vector<IndexInfo>> all = ns.ListIndexes();
  if (!all.ok()) return all.status();
  const IndexInfo* best = nullptr;
  for (const IndexInfo& i : *all) {  // an index whose dir holds path: the deepest
    if (IsSameOrBelow(path, i.dir) && (best == nullptr || i.dir.size() > best->dir.size())) {
      best = &i;
    }
  }
  for (const IndexInfo& i : *all) {  // else one below path: the shallowest
    if (best == nullptr || !IsSameOrBelow(path, best->dir)) {
      if (IsSameOrBelow(i.dir, path) && (best == nullptr || i.dir.size() < best->dir.size())) {
        best = &i;
      }
    }
  }
  if (best == nullptr) return set;
  set.index_ = *best;
  for (const IndexFieldInfo& f : best->fields) {
    if (IsBuiltinFieldName(f.name)) continue;
    set.names_.push_back(f.name);
    set.index_types_[f.name] = f.type;
  }
  return set;
}

bool FieldSet::IsIndexField(std::string_view field) const {
  return index_types_.find(field) != index_types_.end();
}

bool FieldSet::Has(std::string_view field) const {
  if (IsIndexField(field)) return true;
  for (const std::string& n : names_) {
    if (n == field) return true;
  }
  return false;
}

std::string FieldSet::Type(std::string_view field) const {
  if (auto it = index_types_.find(field); it != index_types_.end()) return it->second;
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
  if (!row.indexed.empty() || IsIndexField(field)) {
    auto it = row.indexed.find(std::string(field));
    if (it != row.indexed.end()) return it->second;
    if (IsIndexField(field)) return nullptr;
  }
  if (!row.stat_loaded && (field == "size" || field == "generation" || field == "mtime")) {
    return nullptr;
  }
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
