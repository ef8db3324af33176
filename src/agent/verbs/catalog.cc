// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// catalog {path, prefix?, facets?}: the fields that can be filtered, sorted
// and faceted under a path, as a column table [field, type, count, distinct,
// min, max] (min/max for ordered fields), plus a `top` column of the most
// frequent values with facets; `count` is the number of rows catalogued. Without indexes the
// numbers come from a budgeted walk of the subtree, which the result reports.
#include <map>

#include "agent/field_stats.h"
#include "agent/query.h"
#include "agent/row_source.h"
#include "agent/suggest.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr size_t kTopValues = 5;

class CatalogVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    AGENT_ASSIGN_OR_RETURN(std::string path, args.Path());
    AGENT_ASSIGN_OR_RETURN(const FieldSet fields, FieldSet::ForPath(ctx.ns(), path));
    AGENT_ASSIGN_OR_RETURN(std::string prefix, args.String("prefix", ""));
    std::vector<std::string> selected;
    for (const std::string& f : fields.names()) {
      // Over an index, the per-file built-ins would cost a stat per row.
      const bool costly = fields.index() && !fields.IsIndexField(f) && f != "path" && f != "name" &&
                          f != "kind" && prefix.empty();
      if (!costly && f.compare(0, prefix.size(), prefix) == 0) selected.push_back(f);
    }
    if (selected.empty()) {
      return AgentError{"unknown_field", "no field starts with `" + prefix + "`",
                        "fields: " + QuotedList(fields.names()), Code::kInvalidArgument};
    }
    std::vector<std::string> faceted;
    if (const json* facets = args.Find("facets"); facets != nullptr && facets->is_boolean()) {
      if (facets->get<bool>()) faceted = selected;
    } else {
      auto check = [&](std::string_view f) { return fields.Require(f); };
      AGENT_ASSIGN_OR_RETURN(faceted, ParseNameList(facets, "facets", check));
    }

    std::map<std::string, FieldStats> stats;
    for (const std::string& f : selected) {
      const std::string type = fields.Type(f);
      stats.emplace(f, FieldStats(type == "int" || type == "float" || type == "time"));
    }
    RowQuery query;
    query.path = path;
    query.fields = selected;
    uint64_t rows = 0;
    AGENT_ASSIGN_OR_RETURN(RowSourceResult source,
                           ForEachRow(ctx, fields, query, [&](const Row& row) -> Outcome<bool> {
                             ++rows;
                             for (auto& [name, s] : stats) s.Add(fields.Value(row, name));
                             return true;
                           }));

    json table = json::array();
    const bool any_facets = !faceted.empty();
    for (const std::string& f : selected) {
      const json card = stats.at(f).ToJson(0);
      json distinct = card["distinct"];
      if (card.contains("distinct_capped")) distinct = distinct.dump() + "+";
      json row = {f,
                  fields.Type(f),
                  card["count"],
                  distinct,
                  card.value("min", json()),
                  card.value("max", json())};
      if (any_facets) {
        const bool facet = std::find(faceted.begin(), faceted.end(), f) != faceted.end();
        row.push_back(facet ? stats.at(f).Top(kTopValues) : json());
      }
      table.push_back(std::move(row));
    }
    json columns = {"field", "type", "count", "distinct", "min", "max"};
    if (any_facets) columns.push_back("top");
    json out = {{"path", path},
                {"version", ctx.version()},
                {"count", rows},
                {"columns", std::move(columns)},
                {"rows", std::move(table)}};
    out.update(source.report);
    if (!source.report.value("complete", true))
      out["hint"] = "the subtree is larger than one walk; catalog a subdirectory";
    return out;
  }
};

}  // namespace

std::unique_ptr<Verb> NewCatalogVerb() { return std::make_unique<CatalogVerb>(); }

}  // namespace nokv::agent
