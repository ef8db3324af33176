// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// grep {path, pattern, regex?, ignore_case?, glob?, mode?, context?, limit?,
// cursor?}: searches the lines of the files below `path` (or of one file).
// Patterns are literal text unless `regex` is set; regexes are RE2, which
// matches in linear time, so no pattern can make a search run away. Matches
// are grouped by file: {path, ref, lines: [[line, text], ...]}, where `ref`
// (nokv://PATH@gen:N) plus "#L<line>" is an evidence reference read accepts.
// A call scans at most kScanBudget bytes; the result then carries a cursor
// to continue.
#include <deque>
#include <optional>

#include "agent/evidence.h"
#include "agent/json_text.h"
#include "agent/line_scanner.h"
#include "agent/pattern.h"
#include "agent/verbs/verbs.h"
#include "agent/walker.h"
#include "util/glob.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kWalkBudget = 100000;
constexpr uint64_t kScanBudget = 32 << 20;
constexpr uint64_t kDefaultLimit = 20;
constexpr uint64_t kMaxLimit = 100;
constexpr size_t kMaxGlob = 512;

enum class Mode { kLines, kCount, kFiles, kLast };

std::string Relative(const std::string& root, const std::string& path) {
  if (path == root) return path.substr(path.rfind('/') + 1);
  return path.substr(root == "/" ? 1 : root.size() + 1);
}

struct Options {
  std::string root;
  std::optional<std::string> glob;
  Mode mode = Mode::kLines;
  uint64_t context = 0;
  uint64_t limit = kDefaultLimit;
};

// One grep call: walks the files, scans their lines, collects results.
class Search {
 public:
  Search(const VerbContext& ctx, const RE2& re, const Options& o) : ctx_(ctx), re_(re), o_(o) {}

  Outcome<json> Run() {
    const json& pos = ctx_.position();
    if (pos.contains("f")) {
      resume_file_ = pos["f"].get<uint64_t>();
      resume_offset_ = pos["o"].get<uint64_t>();
      resume_line_ = pos["l"].get<uint64_t>();
    }
    WalkOptions wo;
    wo.version = ctx_.version();
    wo.budget = kWalkBudget;
    SubtreeWalker walker(ctx_.ns(), wo);
    AGENT_RETURN_IF_ERROR(walker.Walk(o_.root, [&](const Row& row) -> Outcome<bool> {
      if (row.kind != FileKind::kFile) return true;
      if (o_.glob && !GlobMatch(*o_.glob, Relative(o_.root, row.path))) return true;
      const uint64_t index = file_index_++;
      if (index < resume_file_) return true;
      const bool resuming = index == resume_file_;
      AGENT_RETURN_IF_ERROR(
          ScanFile(row, index, resuming ? resume_offset_ : 0, resuming ? resume_line_ : 1));
      return !stopped_;
    }));
    json out = {{"version", ctx_.version()}, {"files", std::move(results_)}};
    if (o_.mode == Mode::kCount) out["total"] = total_;
    out["files_searched"] = files_searched_;
    out["bytes_scanned"] = bytes_scanned_;
    if (skipped_binary_ > 0) out["skipped_binary"] = skipped_binary_;
    if (!next_.is_null()) {
      out["next_cursor"] = ctx_.NextCursor(next_);
      if (budget_hit_) out["hint"] = "scan budget reached; pass next_cursor to go on";
    }
    if (!walker.complete()) {
      out["complete"] = false;
      out["hint"] = "too many files under one path; narrow path or glob";
    }
    return out;
  }

 private:
  // The group of `row`'s matches: the last one when it is this file's.
  json& GroupOf(const Row& row) {
    if (results_.empty() || results_.back()["path"] != row.path) {
      results_.push_back({{"path", row.path},
                          {"ref", FormatEvidenceRef(row.path, row.generation, 0)},
                          {"lines", json::array()}});
    }
    return results_.back()["lines"];
  }

  Check ScanFile(const Row& row, uint64_t index, uint64_t offset, uint64_t line) {
    AGENT_ASSIGN_OR_RETURN(std::unique_ptr<FileReader> reader,
                           ctx_.ns().OpenFile(row.path, ctx_.at()));
    std::string head;
    AGENT_RETURN_IF_ERROR(Check(reader->ReadAt(0, 4096, &head)));
    if (head.find('\0') != std::string::npos) {
      ++skipped_binary_;
      return {};
    }
    ++files_searched_;
    LineScanner scan(reader.get(), offset, line);
    std::deque<std::string> before;  // context lines before the next match
    std::vector<size_t> awaiting;    // entries of this file's group still collecting after-context
    uint64_t count = 0;
    json last;
    uint64_t stop_after = 0;  // lines mode at the limit: finish after-context, then stop
    json stop_at;
    while (true) {
      if (bytes_scanned_ + scan.bytes_read() >= kScanBudget && stop_at.is_null()) {
        next_ = {{"f", index}, {"o", scan.next_offset()}, {"l", scan.number() + 1}};
        if (scan.number() == 0) next_ = {{"f", index}, {"o", offset}, {"l", line}};
        budget_hit_ = stopped_ = true;
        break;
      }
      AGENT_ASSIGN_OR_RETURN(bool any, scan.Next());
      if (!any) break;
      if (!stop_at.is_null() && scan.number() > stop_after) break;
      if (!awaiting.empty()) {
        json& lines = results_.back()["lines"];
        for (size_t i : awaiting) lines[i][3].push_back(ShowLine(scan.line(), 0));
        std::erase_if(awaiting, [&](size_t i) { return lines[i][3].size() >= o_.context; });
      }
      size_t at = 0;
      const bool hit = stop_at.is_null() && FindMatch(re_, scan.line(), &at);
      if (hit) {
        ++count;
        if (o_.mode == Mode::kLines) {
          json entry = {scan.number(), ShowLine(scan.line(), at)};
          if (o_.context > 0) {
            entry.push_back(json(std::vector<std::string>(before.begin(), before.end())));
            entry.push_back(json::array());
          }
          json& lines = GroupOf(row);
          if (o_.context > 0) awaiting.push_back(lines.size());
          lines.push_back(std::move(entry));
          if (++matches_ >= o_.limit) {
            stop_at = {{"f", index}, {"o", scan.next_offset()}, {"l", scan.number() + 1}};
            stop_after = scan.number() + o_.context;
          }
        } else if (o_.mode == Mode::kLast) {
          last = {scan.number(), ShowLine(scan.line(), at)};
        } else if (o_.mode == Mode::kFiles) {
          break;  // one match is enough
        }
      }
      if (o_.context > 0) {
        before.push_back(ShowLine(scan.line(), 0));
        if (before.size() > o_.context) before.pop_front();
      }
    }
    bytes_scanned_ += scan.bytes_read();
    if (!stop_at.is_null()) {
      // Resume at the line after the last match, unless that is the end.
      next_ = stop_at;
      stopped_ = true;
      return {};
    }
    if (budget_hit_) return {};
    total_ += count;
    if (count > 0 && o_.mode != Mode::kLines) {
      if (o_.mode == Mode::kLast) {
        GroupOf(row).push_back(std::move(last));
      } else if (o_.mode == Mode::kCount) {
        results_.push_back({{"path", row.path}, {"count", count}});
      } else {
        results_.push_back(row.path);
      }
      if (results_.size() >= o_.limit) {
        next_ = {{"f", index + 1}, {"o", 0}, {"l", 1}};
        stopped_ = true;
      }
    }
    return {};
  }

  const VerbContext& ctx_;
  const RE2& re_;
  const Options& o_;
  uint64_t resume_file_ = 0, resume_offset_ = 0, resume_line_ = 1;
  uint64_t file_index_ = 0;
  json results_ = json::array();
  json next_;
  bool stopped_ = false;
  bool budget_hit_ = false;
  uint64_t total_ = 0;
  uint64_t matches_ = 0;  // lines mode: match lines returned so far
  uint64_t files_searched_ = 0;
  uint64_t bytes_scanned_ = 0;
  uint64_t skipped_binary_ = 0;
};

Outcome<Mode> ParseMode(const Args& args) {
  AGENT_ASSIGN_OR_RETURN(std::string m, args.String("mode", "lines"));
  if (m == "lines") return Mode::kLines;
  if (m == "count") return Mode::kCount;
  if (m == "files") return Mode::kFiles;
  if (m == "last") return Mode::kLast;
  return BadArgument("`mode` must be lines, count, files or last, not `" + m + "`");
}

class GrepVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    Options o;
    AGENT_ASSIGN_OR_RETURN(o.root, args.Path());
    AGENT_ASSIGN_OR_RETURN(std::unique_ptr<RE2> re, CompilePattern(args));
    AGENT_ASSIGN_OR_RETURN(o.mode, ParseMode(args));
    AGENT_ASSIGN_OR_RETURN(o.context, args.Uint("context", 0, 0, 5));
    AGENT_ASSIGN_OR_RETURN(o.limit, args.Uint("limit", kDefaultLimit, 1, kMaxLimit));
    if (args.Has("glob")) {
      AGENT_ASSIGN_OR_RETURN(std::string glob, args.String("glob"));
      if (glob.size() > kMaxGlob) return BadArgument("`glob` longer than 512 bytes");
      o.glob = std::move(glob);
    }
    return Search(ctx, *re, o).Run();
  }
};

}  // namespace

std::unique_ptr<Verb> NewGrepVerb() { return std::make_unique<GrepVerb>(); }

}  // namespace nokv::agent
