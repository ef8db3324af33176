// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// stat {path}: a compact card of one path. For a file with a structured
// body it adds the record format, a schema and up to 3 sample records,
// taken from the first kHeadBytes of the body only.
#include "agent/records.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kHeadBytes = 64 * 1024;

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
    if (info.kind == FileKind::kDirectory) {
      out["children"] = info.child_count;
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
