// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// find {path, where?, sort?, fields?, facets?, grep?, cursor?, limit?}: the
// paths below `path` whose fields satisfy every predicate, sorted by the
// given keys (walk order, i.e. depth-first by name, when none; ties in path
// order), projected to `fields` and returned as a column table; `grep` adds
// a last column with each row's matching lines of one file (RowGrep). Without an index this walks
// the subtree within a budget the result reports; every page re-walks the subtree at the version
// pinned in the cursor, so pages are consistent.
#include <algorithm>
#include <map>
#include <numeric>

#include "agent/field_stats.h"
#include "agent/predicate.h"
#include "agent/query.h"
#include "agent/row_grep.h"
#include "agent/row_source.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kDefaultLimit = 20;
constexpr uint64_t kMaxLimit = 50;
constexpr size_t kTopValues = 10;

class FindVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    AGENT_ASSIGN_OR_RETURN(std::string path, args.Path());
    AGENT_ASSIGN_OR_RETURN(const FieldSet fields, FieldSet::ForPath(ctx.ns(), path));
    auto check = [&](std::string_view f) { return fields.Require(f); };
    AGENT_ASSIGN_OR_RETURN(uint64_t limit, args.Uint("limit", kDefaultLimit, 1, kMaxLimit));
    AGENT_ASSIGN_OR_RETURN(Where where, Where::Parse(args.Find("where"), fields));
    AGENT_ASSIGN_OR_RETURN(std::vector<SortKey> sort, ParseSort(args.Find("sort"), check));
    AGENT_ASSIGN_OR_RETURN(std::vector<std::string> columns,
                           ParseNameList(args.Find("fields"), "fields", check));
    AGENT_ASSIGN_OR_RETURN(std::vector<std::string> facets,
                           ParseNameList(args.Find("facets"), "facets", check));
    AGENT_ASSIGN_OR_RETURN(std::optional<RowGrep> grep, RowGrep::Parse(args.Find("grep")));
    if (columns.empty()) {
      columns = {"path", "kind", "size"};
      for (const SortKey& k : sort) {
        if (std::find(columns.begin(), columns.end(), k.field) == columns.end()) {
          columns.push_back(k.field);
        }
      }
    }
    uint64_t offset = 0;
    if (ctx.position().is_number_unsigned()) offset = ctx.position().get<uint64_t>();

    RowQuery query;
    query.path = path;
    query.where = &where;
    query.sort = sort;
    query.top = facets.empty() ? offset + limit : 0;
    for (const auto* list : {&columns, &facets}) {
      query.fields.insert(query.fields.end(), list->begin(), list->end());
    }
    for (const SortKey& k : sort) query.fields.push_back(k.field);
    for (const Predicate& p : where.predicates()) query.fields.push_back(p.field);

    std::vector<Row> matches;
    std::map<std::string, FieldStats> facet_stats;
    for (const std::string& f : facets) facet_stats.emplace(f, FieldStats(false));
    AGENT_ASSIGN_OR_RETURN(RowSourceResult source,
                           ForEachRow(ctx, fields, query, [&](const Row& row) -> Outcome<bool> {
                             if (!where.Matches(row, fields)) return true;
                             for (auto& [name, s] : facet_stats) s.Add(fields.Value(row, name));
                             matches.push_back(row);
                             return true;
                           }));

    std::vector<size_t> order(matches.size());
    std::iota(order.begin(), order.end(), 0);
    if (!sort.empty()) {
      auto get = [&](size_t i, std::string_view f) { return fields.Value(matches[i], f); };
      // Ties keep path order, whatever order the rows arrived in.
      if (fields.index()) {
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return matches[a].path < matches[b].path; });
      }
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return CompareBy(sort, get, a, b) < 0; });
    }
    json rows = json::array();
    const uint64_t end = std::min<uint64_t>(matches.size(), offset + limit);
    for (uint64_t i = offset; i < end; ++i) {
      json row = json::array();
      for (const std::string& c : columns) row.push_back(fields.Value(matches[order[i]], c));
      if (grep) {
        AGENT_ASSIGN_OR_RETURN(json lines, grep->Lines(ctx, matches[order[i]].path));
        row.push_back(std::move(lines));
      }
      rows.push_back(std::move(row));
    }
    if (grep) columns.push_back("grep");
    const uint64_t total = source.all_matches ? matches.size() : source.index_rows;
    json out = {{"version", ctx.version()},
                {"columns", columns},
                {"rows", std::move(rows)},
                {"matches", total}};
    if (end < total) out["next_cursor"] = ctx.NextCursor(end);
    if (!facets.empty()) {
      json f = json::object();
      for (const auto& [name, s] : facet_stats) f[name] = s.Top(kTopValues);
      out["facets"] = std::move(f);
    }
    out.update(source.report);
    if (grep && grep->budget_hit()) {
      out["hint"] = "grep scan budget reached: later rows show null; lower limit";
    }
    if (!source.report.value("complete", true)) {
      out["hint"] = "walk budget reached: matches cover only the scanned part; narrow path";
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Verb> NewFindVerb() { return std::make_unique<FindVerb>(); }

}  // namespace nokv::agent
