// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/row_grep.h"

#include "agent/line_scanner.h"
#include "agent/pattern.h"

namespace nokv::agent {

Outcome<std::optional<RowGrep>> RowGrep::Parse(const json* spec) {
  if (spec == nullptr) return std::optional<RowGrep>();
  if (!spec->is_object()) {
    return BadArgument("`grep` must be an object {file, pattern, regex?, ignore_case?, limit?}",
                       R"(example: {"file":"logs/stdout.txt","pattern":"error"})");
  }
  AGENT_RETURN_IF_ERROR(CheckArgumentNames("find's grep", *spec,
                                           {"file", "pattern", "regex", "ignore_case", "limit"}));
  Args args(*spec);
  RowGrep g;
  AGENT_ASSIGN_OR_RETURN(g.file_, args.String("file", ""));
  while (!g.file_.empty() && g.file_.front() == '/') g.file_.erase(0, 1);
  if (!g.file_.empty()) {
    // The file must be a plain relative path: no `.`/`..` steps.
    AGENT_ASSIGN_OR_RETURN(std::string normal, NormalizeAgentPath("/" + g.file_));
    g.file_ = normal.substr(1);
  }
  AGENT_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, CompilePattern(args));
  g.re_ = std::move(re);
  AGENT_ASSIGN_OR_RETURN(g.limit_, args.Uint("limit", kDefaultLimit, 1, kMaxLimit));
  return std::optional<RowGrep>(std::move(g));
}

Outcome<json> RowGrep::Lines(const VerbContext& ctx, const std::string& row_path) {
  if (bytes_scanned_ >= kScanBudget) {
    budget_hit_ = true;
    return json();
  }
  std::string path = row_path;
  if (!file_.empty()) path += (path == "/" ? "" : "/") + file_;
  Result<std::unique_ptr<FileReader>> reader = ctx.ns().OpenFile(path, ctx.at());
  if (!reader.ok() && reader.status().IsNotFound()) return json();
  if (!reader.ok()) return ErrorFromStatus(reader.status());
  std::string head;
  AGENT_RETURN_IF_ERROR(Check(reader.value()->ReadAt(0, 4096, &head)));
  if (head.find('\0') != std::string::npos) return json();  // binary
  json lines = json::array();
  LineScanner scan(reader.value().get());
  while (true) {
    if (bytes_scanned_ + scan.bytes_read() >= kScanBudget) {
      budget_hit_ = true;
      break;
    }
    AGENT_ASSIGN_OR_RETURN(bool any, scan.Next());
    if (!any) break;
    size_t at = 0;
    if (!FindMatch(*re_, scan.line(), &at)) continue;
    if (lines.size() == limit_) {
      lines.push_back("\u2026");  // more matches follow
      break;
    }
    lines.push_back({scan.number(), ShowLine(scan.line(), at)});
  }
  bytes_scanned_ += scan.bytes_read();
  return lines;
}

}  // namespace nokv::agent
