// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// aggregate {path, measures, where?, group_by?, sort?, limit?}: count,
// count_distinct, sum, avg, min and max over the rows below `path` that
// satisfy `where`, optionally per group, as a column table (group fields
// first, then one column per measure). `sort` names result columns.
#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_set>

#include "agent/args.h"
#include "agent/predicate.h"
#include "agent/query.h"
#include "agent/row_source.h"
#include "agent/suggest.h"
#include "agent/verbs/verbs.h"

namespace nokv::agent {
namespace {

constexpr uint64_t kDefaultLimit = 20;
constexpr uint64_t kMaxLimit = 100;
constexpr size_t kMaxGroups = 10000;
constexpr size_t kMaxMeasures = 16;
constexpr size_t kMaxDistinct = 100000;

enum class MeasureOp { kCount, kCountDistinct, kSum, kAvg, kMin, kMax };

struct Measure {
  MeasureOp op;
  std::string field;  // empty: count rows
  std::string name;   // the result column
};

// One measure's running state for one group.
class Accumulator {
 public:
  explicit Accumulator(MeasureOp op) : op_(op) {}

  void Add(const json& v, bool row_counts) {
    if (op_ == MeasureOp::kCount) {
      count_ += row_counts || !v.is_null();
      return;
    }
    if (v.is_null()) return;
    switch (op_) {
      case MeasureOp::kCountDistinct:
        if (distinct_.size() < kMaxDistinct) distinct_.insert(v.dump());
        break;
      case MeasureOp::kSum:
      case MeasureOp::kAvg:
        if (!v.is_number()) break;
        ++count_;
        sum_ += v.get<double>();
        if (v.is_number_integer() && all_int_) {
          int_sum_ += v.get<int64_t>();
        } else {
          all_int_ = false;
        }
        break;
      case MeasureOp::kMin:
        if (min_.is_null() || (Comparable(v, min_) && CompareValues(v, min_) < 0)) min_ = v;
        break;
      case MeasureOp::kMax:
        if (max_.is_null() || (Comparable(v, max_) && CompareValues(v, max_) > 0)) max_ = v;
        break;
      case MeasureOp::kCount:
        break;
    }
  }

  json Value() const {
    switch (op_) {
      case MeasureOp::kCount:
        return count_;
      case MeasureOp::kCountDistinct:
        return distinct_.size();
      case MeasureOp::kSum:
        if (count_ == 0) return nullptr;
        return all_int_ ? json(int_sum_) : json(sum_);
      case MeasureOp::kAvg:
        return count_ == 0 ? json(nullptr) : json(sum_ / static_cast<double>(count_));
      case MeasureOp::kMin:
        return min_;
      case MeasureOp::kMax:
        return max_;
    }
    return nullptr;
  }

 private:
  MeasureOp op_;
  uint64_t count_ = 0;
  double sum_ = 0;
  int64_t int_sum_ = 0;
  bool all_int_ = true;
  json min_;
  json max_;
  std::unordered_set<std::string> distinct_;
};

struct Group {
  json key;  // array of group_by values
  std::vector<Accumulator> acc;
};

// A measure written as text, "count" or "op(field)", in its object form.
Outcome<json> MeasureObject(const json& m) {
  if (!m.is_string()) return m;
  const std::string& text = m.get_ref<const std::string&>();
  const size_t open = text.find('(');
  if (open == std::string::npos) return json{{"op", text}};
  if (text.back() != ')' || open + 2 >= text.size()) {
    return BadArgument("measure `" + text + "` is not op or op(field)",
                       R"x(example: ["count", "avg(size)"])x");
  }
  return json{{"op", text.substr(0, open)},
              {"field", text.substr(open + 1, text.size() - open - 2)}};
}

Outcome<std::vector<Measure>> ParseMeasures(const json* value, const FieldSet& fields) {
  static const std::vector<std::pair<std::string, MeasureOp>> kOps = {
      {"count", MeasureOp::kCount}, {"count_distinct", MeasureOp::kCountDistinct},
      {"sum", MeasureOp::kSum},     {"avg", MeasureOp::kAvg},
      {"min", MeasureOp::kMin},     {"max", MeasureOp::kMax}};
  if (value == nullptr || !value->is_array() || value->empty() || value->size() > kMaxMeasures) {
    return BadArgument("`measures` must be an array of 1.." + std::to_string(kMaxMeasures) +
                           " measures, each op or op(field)",
                       R"x(example: ["count", "sum(size)"])x");
  }
  std::vector<Measure> out;
  for (const json& given : *value) {
    AGENT_ASSIGN_OR_RETURN(json m, MeasureObject(given));
    AGENT_RETURN_IF_ERROR(CheckArgumentNames("a measure", m, {"op", "field", "as"}));
    Args a(m);
    AGENT_ASSIGN_OR_RETURN(std::string op, a.String("op"));
    Measure measure{MeasureOp::kCount, "", ""};
    bool known = false;
    std::vector<std::string> names;
    for (const auto& [name, o] : kOps) {
      names.push_back(name);
      if (name == op) {
        measure.op = o;
        known = true;
      }
    }
    if (!known) return BadArgument("unknown measure op `" + op + "`", "ops: " + QuotedList(names));
    AGENT_ASSIGN_OR_RETURN(measure.field, a.String("field", ""));
    if (!measure.field.empty()) AGENT_RETURN_IF_ERROR(fields.Require(measure.field));
    if (measure.field.empty() && measure.op != MeasureOp::kCount) {
      return BadArgument("measure `" + op + "` needs a field");
    }
    AGENT_ASSIGN_OR_RETURN(measure.name,
                           a.String("as", measure.field.empty() ? op : op + "_" + measure.field));
    out.push_back(std::move(measure));
  }
  return out;
}

class AggregateVerb final : public Verb {
 public:
  Outcome<json> Run(const Args& args, const VerbContext& ctx) const override {
    AGENT_ASSIGN_OR_RETURN(std::string path, args.Path());
    AGENT_ASSIGN_OR_RETURN(const FieldSet fields, FieldSet::ForPath(ctx.ns(), path));
    auto check_field = [&](std::string_view f) { return fields.Require(f); };
    AGENT_ASSIGN_OR_RETURN(uint64_t limit, args.Uint("limit", kDefaultLimit, 1, kMaxLimit));
    AGENT_ASSIGN_OR_RETURN(std::vector<Measure> measures,
                           ParseMeasures(args.Find("measures"), fields));
    AGENT_ASSIGN_OR_RETURN(Where where, Where::Parse(args.Find("where"), fields));
    AGENT_ASSIGN_OR_RETURN(std::vector<std::string> group_by,
                           ParseNameList(args.Find("group_by"), "group_by", check_field, 4));
    std::vector<std::string> columns = group_by;
    for (const Measure& m : measures) columns.push_back(m.name);
    auto check_column = [&](std::string_view c) -> Check {
      if (std::find(columns.begin(), columns.end(), c) != columns.end()) return {};
      return AgentError{"unknown_field", "`" + std::string(c) + "` is not a result column",
                        "sort by one of " + QuotedList(columns), Code::kInvalidArgument};
    };
    AGENT_ASSIGN_OR_RETURN(std::vector<SortKey> sort, ParseSort(args.Find("sort"), check_column));

    RowQuery query;
    query.path = path;
    query.where = &where;
    query.fields = group_by;
    for (const Measure& m : measures) {
      if (!m.field.empty()) query.fields.push_back(m.field);
    }
    for (const Predicate& p : where.predicates()) query.fields.push_back(p.field);
    std::map<std::string, Group> groups;
    bool groups_capped = false;
    AGENT_ASSIGN_OR_RETURN(
        RowSourceResult source,
        ForEachRow(ctx, fields, query, [&](const Row& row) -> Outcome<bool> {
          if (!where.Matches(row, fields)) return true;
          json key = json::array();
          for (const std::string& g : group_by) key.push_back(fields.Value(row, g));
          std::string id = key.dump(-1, ' ', false, json::error_handler_t::replace);
          auto it = groups.find(id);
          if (it == groups.end()) {
            if (groups.size() >= kMaxGroups) {
              groups_capped = true;
              return true;
            }
            Group g{key, {}};
            for (const Measure& m : measures) g.acc.emplace_back(m.op);
            it = groups.emplace(std::move(id), std::move(g)).first;
          }
          for (size_t i = 0; i < measures.size(); ++i) {
            const Measure& m = measures[i];
            it->second.acc[i].Add(m.field.empty() ? json(nullptr) : fields.Value(row, m.field),
                                  m.field.empty());
          }
          return true;
        }));
    if (groups.empty() && group_by.empty()) {  // no rows: one row of empty measures
      Group g{json::array(), {}};
      for (const Measure& m : measures) g.acc.emplace_back(m.op);
      groups.emplace("[]", std::move(g));
    }

    std::vector<json> table;
    for (const auto& [id, g] : groups) {
      json row = g.key;
      for (const Accumulator& a : g.acc) row.push_back(a.Value());
      table.push_back(std::move(row));
    }
    if (!sort.empty()) {
      auto index_of = [&](std::string_view c) {
        return static_cast<size_t>(std::find(columns.begin(), columns.end(), c) - columns.begin());
      };
      auto get = [&](size_t i, std::string_view c) { return table[i][index_of(c)]; };
      std::vector<size_t> order(table.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return CompareBy(sort, get, a, b) < 0; });
      std::vector<json> sorted;
      for (size_t i : order) sorted.push_back(std::move(table[i]));
      table = std::move(sorted);
    }
    const size_t total = table.size();
    if (table.size() > limit) table.resize(limit);
    json out = {
        {"version", ctx.version()}, {"columns", columns}, {"rows", table}, {"groups", total}};
    if (groups_capped) out["groups_capped"] = true;
    out.update(source.report);
    if (total > limit) out["hint"] = "more groups than limit; raise limit or add where";
    if (!source.report.value("complete", true))
      out["hint"] = "walk budget reached: partial result; narrow path";
    return out;
  }
};

}  // namespace

std::unique_ptr<Verb> NewAggregateVerb() { return std::make_unique<AggregateVerb>(); }

}  // namespace nokv::agent
