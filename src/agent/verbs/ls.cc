// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// ls {path, cursor?, limit?}: the direct children of a directory in name
// order, one page at a time.
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kDefaultLimit = 50;
constexpr uint64_t kMaxLimit = 100;

json EntryJson(const DirEntry& e) {
  json out = {{"name", e.name}, {"kind", KindLabel(e.kind)}};
  if (e.kind == FileKind::kDirectory) {
    out["child_count"] = e.child_count;
  } else {
    out["size"] = e.size;
  }
  return out;
}

class LsVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    AGENT_ASSIGN_OR_RETURN(std::string path, args.Path());
    AGENT_ASSIGN_OR_RETURN(uint64_t limit, args.Uint("limit", kDefaultLimit, 1, kMaxLimit));
    AGENT_ASSIGN_OR_RETURN(FileInfo info, ctx.ns().Stat(path, ctx.at()));
    if (info.kind != FileKind::kDirectory) {
      return AgentError{"not_directory", path + " is a file",
                        "use stat for its card or read for its content", Code::kNotDirectory};
    }
    ListOptions options;
    options.version = ctx.version();
    options.limit = limit;
    options.with_attrs = true;
    if (ctx.position().is_string()) options.cursor = ctx.position().get<std::string>();
    AGENT_ASSIGN_OR_RETURN(ListPage page, ctx.ns().List(path, options));
    json entries = json::array();
    for (const DirEntry& e : page.entries) entries.push_back(EntryJson(e));
    json out = {{"path", path},
                {"version", ctx.version()},
                {"total", info.child_count},
                {"entries", std::move(entries)}};
    if (!page.next_cursor.empty()) out["next_cursor"] = ctx.NextCursor(page.next_cursor);
    return out;
  }
};

}  // namespace

std::unique_ptr<Verb> NewLsVerb() { return std::make_unique<LsVerb>(); }

}  // namespace nokv::agent
