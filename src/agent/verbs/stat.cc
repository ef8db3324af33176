// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// stat {path}: a compact card of one path. For a file with a structured
// body it adds the record format, a schema and up to 3 sample records,
// taken from the first kHeadBytes of the body only.
#include "agent/fields.h"
#include "agent/records.h"
#include "agent/verbs/verbs.h"
#include "index/index_records.h"
#include "util/path.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kHeadBytes = 64 * 1024;

// The row of the nearest index that covers `path` (the row itself or a
// path inside it): {"index", "row", "fields"}.
Check AddIndexedValues(const VerbContext& ctx, const std::string& path, json* out) {
  AGENT_ASSIGN_OR_RETURN(const FieldSet fields, FieldSet::ForPath(ctx.ns(), path));
  if (!fields.index() || !IsSameOrBelow(path, fields.index()->dir) || path == fields.index()->dir) {
    return {};
  }
  const IndexInfo& index = *fields.index();
  // Dir rows are the child directories of the index dir; file rows are files.
  std::string row = path;
  if (index.rows == "dirs") {
    const std::string rel = path.substr(index.dir == "/" ? 1 : index.dir.size() + 1);
    row = JoinPath(index.dir, rel.substr(0, rel.find('/')));
  }
  Result<std::optional<IndexRow>> r = ctx.ns().GetIndexRow(index.name, row, ctx.version());
  if (!r.ok()) return r.status();
  if (!r->has_value()) return {};
  json values = json::object();
  for (const auto& [name, value] : (*r)->values) values[name] = IndexValueToJson(value);
  (*out)["index"] = {{"name", index.name}, {"row", row}, {"fields", std::move(values)}};
  return {};
}

class StatVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    AGENT_ASSIGN_OR_RETURN(std::string path, args.Path());
    AGENT_ASSIGN_OR_RETURN(FileInfo info, ctx.ns().Stat(path, ctx.at()));
    json out = {{"path", path},
                {"kind", KindLabel(info.kind)},
                {"version", ctx.version()},
                {"changed_at_version", info.version},
                {"mtime", IsoTime(info.mtime_ns)}};
    AGENT_RETURN_IF_ERROR(AddIndexedValues(ctx, path, &out));
    if (info.kind == FileKind::kDirectory) {
      out["child_count"] = info.child_count;
      return out;
    }
    out["size"] = info.size;
    out["generation"] = info.generation;
    out["content_type"] = info.content_type;
    AGENT_ASSIGN_OR_RETURN(std::unique_ptr<FileReader> reader, ctx.ns().OpenFile(path, ctx.at()));
    std::string head;
    AGENT_RETURN_IF_ERROR(Check(reader->ReadAt(0, kHeadBytes, &head)));
    const BodyFormat format = DetectFormat(path, info.content_type, head);
    json records = DescribeRecords(format, head, head.size() >= info.size);
    for (auto& [key, value] : records.items()) out[key] = value;
    return out;
  }
};

}  // namespace

std::unique_ptr<Verb> NewStatVerb() { return std::make_unique<StatVerb>(); }

}  // namespace nokv::agent
