// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/row_source.h"

#include <algorithm>
#include <set>

#include "agent/walker.h"
#include "index/index_records.h"
#include "util/path.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kWalkBudget = 20000;
// Rows named by postings are read this many at a time.
constexpr size_t kRowBatch = 128;

bool NeedsStat(const std::vector<std::string>& fields) {
  for (const std::string& f : fields) {
    if (f == "size" || f == "mtime" || f == "generation" || f == "content_type") return true;
  }
  return false;
}

class IndexRows {
 public:
  IndexRows(const VerbContext& ctx, const FieldSet& fields, const RowQuery& query)
      : ctx_(ctx),
        index_(*fields.index()),
        query_(query),
        need_stat_(NeedsStat(query.fields)),
        under_(IsSameOrBelow(query.path, index_.dir) ? query.path : std::string()) {}

  Outcome<Row> Load(const IndexRow& r) const {
    Row row;
    row.path = r.path;
    row.name = std::string(BaseName(r.path));
    row.kind = index_.rows == "dirs" ? FileKind::kDirectory : FileKind::kFile;
    for (const auto& [name, value] : r.values) row.indexed[name] = IndexValueToJson(value);
    row.stat_loaded = !need_stat_;
    if (need_stat_) {
      AGENT_ASSIGN_OR_RETURN(FileInfo info, ctx_.ns().Stat(r.path, ctx_.at()));
      row.kind = info.kind;
      row.size = info.size;
      row.generation = info.generation;
      row.mtime_ns = info.mtime_ns;
      if (info.kind == FileKind::kFile) row.content_type = info.content_type;
    }
    return row;
  }

  // Rows named by postings, loaded one by one. nullopt: postings stale.
  Outcome<std::optional<std::vector<std::string>>> Postings(IndexScan scan, uint64_t top) const {
    scan.index = index_.name;
    scan.under = under_;
    scan.version = ctx_.version();
    std::vector<std::string> rows;
    std::optional<IndexValue> last;
    Result<bool> ok = ctx_.ns().ScanIndex(scan, [&](const IndexValue& v, const std::string& row) {
      // With a top-k, finish the group of rows tied with the last one kept.
      if (top != 0 && rows.size() >= top && !(last && CompareIndexValues(v, *last) == 0)) {
        return false;
      }
      rows.push_back(row);
      last = v;
      return true;
    });
    if (!ok.ok()) return ok.status();
    if (!*ok) return std::optional<std::vector<std::string>>();
    return std::optional<std::vector<std::string>>(std::move(rows));
  }

  // Loads the rows at `paths` in batches (one index lookup per batch) and
  // visits them in the order given.
  Check VisitPaths(const std::vector<std::string>& paths,
                   const std::function<Outcome<bool>(const Row&)>& visit) const {
    for (size_t start = 0; start < paths.size(); start += kRowBatch) {
      const std::vector<std::string> batch(
          paths.begin() + start, paths.begin() + std::min(paths.size(), start + kRowBatch));
      Result<std::vector<std::optional<IndexRow>>> rows =
          ctx_.ns().GetIndexRows(index_.name, batch, ctx_.version());
      if (!rows.ok()) return rows.status();
      for (const std::optional<IndexRow>& r : *rows) {
        if (!r.has_value()) continue;
        AGENT_ASSIGN_OR_RETURN(Row row, Load(*r));
        AGENT_ASSIGN_OR_RETURN(bool more, visit(row));
        if (!more) return {};
      }
    }
    return {};
  }

  Check VisitAll(const std::function<Outcome<bool>(const Row&)>& visit) const {
    std::optional<AgentError> failed;
    Status s = ctx_.ns().ScanIndexRows(index_.name, under_, ctx_.version(), [&](const IndexRow& r) {
      Outcome<Row> row = Load(r);
      if (!row.ok()) {
        failed = row.error();
        return false;
      }
      Outcome<bool> more = visit(row.value());
      if (!more.ok()) {
        failed = more.error();
        return false;
      }
      return more.value();
    });
    if (failed) return *failed;
    return s;
  }

  Outcome<RowSourceResult> Run(const FieldSet& fields,
                               const std::function<Outcome<bool>(const Row&)>& visit) const {
    RowSourceResult result;
    result.index_rows = index_.row_count;
    bool done = false;
    // An equality on an index field: read only the postings of its values.
    for (const Predicate& p :
         query_.where ? query_.where->predicates() : std::vector<Predicate>()) {
      if (done || !fields.IsIndexField(p.field)) continue;
      if (p.op != Predicate::Op::kEq && p.op != Predicate::Op::kIn) continue;
      const json values = p.op == Predicate::Op::kIn ? p.value : json::array({p.value});
      std::set<std::string> paths;
      bool stale = false;
      for (const json& v : values) {
        IndexValue value = IndexValueFromJson(v);
        if (value.is_null()) continue;
        IndexScan scan;
        scan.field = p.field;
        scan.lower = scan.upper = value;
        AGENT_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> rows, Postings(scan, 0));
        if (!rows) {
          stale = true;
          break;
        }
        paths.insert(rows->begin(), rows->end());
      }
      if (stale) break;
      AGENT_RETURN_IF_ERROR(VisitPaths({paths.begin(), paths.end()}, visit));
      done = true;
    }
    // No predicate and a sort on an index field over the whole index: top-k.
    const bool whole = under_.empty() || under_ == index_.dir;
    if (!done && query_.top != 0 && whole && (query_.where == nullptr || query_.where->empty()) &&
        !query_.sort.empty() && fields.IsIndexField(query_.sort[0].field)) {
      IndexScan scan;
      scan.field = query_.sort[0].field;
      scan.descending = query_.sort[0].descending;
      AGENT_ASSIGN_OR_RETURN(std::optional<std::vector<std::string>> rows,
                             Postings(scan, query_.top));
      // Rows without the field sort last; postings alone serve the page only
      // when they fill it.
      if (rows && rows->size() >= query_.top) {
        AGENT_RETURN_IF_ERROR(VisitPaths(*rows, visit));
        result.all_matches = rows->size() >= index_.row_count;
        done = true;
      }
    }
    if (!done) AGENT_RETURN_IF_ERROR(VisitAll(visit));
    result.report = {{"index", index_.name}};
    return result;
  }

 private:
  const VerbContext& ctx_;
  const IndexInfo& index_;
  const RowQuery& query_;
  const bool need_stat_;
  const std::string under_;  // rows at or below this path ("" all)
};

}  // namespace

Outcome<RowSourceResult> ForEachRow(const VerbContext& ctx, const FieldSet& fields,
                                    const RowQuery& query,
                                    const std::function<Outcome<bool>(const Row&)>& visit) {
  bool indexed = false;
  for (const std::string& f : query.fields) indexed = indexed || fields.IsIndexField(f);
  if (indexed) return IndexRows(ctx, fields, query).Run(fields, visit);

  bool need_body = false;
  for (const std::string& f : query.fields) need_body = need_body || FieldSet::NeedsBody(f);
  WalkOptions wo;
  wo.version = ctx.version();
  wo.budget = kWalkBudget;
  wo.load_content_type = need_body;
  SubtreeWalker walker(ctx.ns(), wo);
  AGENT_RETURN_IF_ERROR(walker.Walk(query.path, visit));
  RowSourceResult result;
  result.report = walker.Report();
  return result;
}

}  // namespace nokv::agent
