// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/predicate.h"

#include <utility>

#include "agent/args.h"
#include "agent/suggest.h"

namespace nokv::agent {
namespace {

using Op = Predicate::Op;

constexpr size_t kMaxPredicates = 32;
constexpr size_t kMaxInValues = 1000;

struct OpName {
  const char* name;
  Op op;
};
constexpr OpName kOps[] = {
    {"eq", Op::kEq},         {"ne", Op::kNe},         {"in", Op::kIn},
    {"prefix", Op::kPrefix}, {"suffix", Op::kSuffix}, {"contains", Op::kContains},
    {"gt", Op::kGt},         {"gte", Op::kGte},       {"lt", Op::kLt},
    {"lte", Op::kLte},       {"exists", Op::kExists}, {"not_exists", Op::kNotExists},
};

bool Equal(const json& a, const json& b) { return Comparable(a, b) && CompareValues(a, b) == 0; }

// `kind` holds only "file" or "directory"; any other value compared with it
// would silently match nothing, so it is an error.
Check CheckKindValues(const Predicate& pred) {
  if (pred.field != "kind" || (pred.op != Op::kEq && pred.op != Op::kNe && pred.op != Op::kIn)) {
    return {};
  }
  const json values = pred.op == Op::kIn ? pred.value : json::array({pred.value});
  for (const json& v : values) {
    if (v != "file" && v != "directory") {
      return BadArgument("`kind` is `file` or `directory`, never " + v.dump(),
                         R"(e.g. {"kind":"directory"})");
    }
  }
  return {};
}

Outcome<Predicate> ParseOne(const json& p, const FieldSet& fields) {
  AGENT_RETURN_IF_ERROR(CheckArgumentNames("a where predicate", p, {"field", "op", "value"}));
  Args args(p);
  Predicate pred;
  AGENT_ASSIGN_OR_RETURN(pred.field, args.String("field"));
  AGENT_RETURN_IF_ERROR(fields.Require(pred.field));
  AGENT_ASSIGN_OR_RETURN(std::string op, args.String("op", "eq"));
  bool known = false;
  std::vector<std::string> names;
  for (const OpName& o : kOps) {
    names.push_back(o.name);
    if (op == o.name) {
      pred.op = o.op;
      known = true;
    }
  }
  if (!known) return BadArgument("unknown op `" + op + "`", "ops: " + QuotedList(names));
  const bool unary = pred.op == Op::kExists || pred.op == Op::kNotExists;
  const json* value = args.Find("value");
  if (unary) return pred;
  if (value == nullptr) {
    return BadArgument("op `" + op + "` on `" + pred.field + "` needs a value");
  }
  pred.value = *value;
  if (pred.op == Op::kIn) {
    if (!value->is_array() || value->size() > kMaxInValues) {
      return BadArgument("op `in` needs an array of at most " + std::to_string(kMaxInValues) +
                         " values");
    }
  } else if (pred.op == Op::kPrefix || pred.op == Op::kSuffix || pred.op == Op::kContains) {
    if (!value->is_string()) return BadArgument("op `" + op + "` needs a string value");
  } else if (!value->is_primitive()) {
    return BadArgument("op `" + op + "` needs a string, number or boolean value");
  }
  AGENT_RETURN_IF_ERROR(CheckKindValues(pred));
  return pred;
}

}  // namespace

bool Predicate::Matches(const json& v) const {
  switch (op) {
    case Op::kExists:
      return !v.is_null();
    case Op::kNotExists:
      return v.is_null();
    case Op::kEq:
      return Equal(v, value);
    case Op::kNe:
      return !v.is_null() && !Equal(v, value);
    case Op::kIn:
      for (const json& candidate : value) {
        if (Equal(v, candidate)) return true;
      }
      return false;
    case Op::kPrefix:
    case Op::kSuffix:
    case Op::kContains: {
      if (!v.is_string()) return false;
      const std::string& s = v.get_ref<const std::string&>();
      const std::string& needle = value.get_ref<const std::string&>();
      if (op == Op::kContains) return s.find(needle) != std::string::npos;
      if (needle.size() > s.size()) return false;
      return op == Op::kPrefix ? s.compare(0, needle.size(), needle) == 0
                               : s.compare(s.size() - needle.size(), needle.size(), needle) == 0;
    }
    case Op::kGt:
    case Op::kGte:
    case Op::kLt:
    case Op::kLte: {
      if (!Comparable(v, value)) return false;
      int c = CompareValues(v, value);
      return op == Op::kGt ? c > 0 : op == Op::kGte ? c >= 0 : op == Op::kLt ? c < 0 : c <= 0;
    }
  }
  return false;
}

namespace {

// The condition map form: {field: value} is equality, {field: [v, ...]} is
// `in`, and {field: {op: value, ...}} applies each op (`exists: false` is
// not_exists).
Check ParseConditionMap(const json& where, const FieldSet& fields, std::vector<Predicate>* out) {
  for (const auto& [field, condition] : where.items()) {
    json list = json::array();
    if (condition.is_object()) {
      if (condition.empty()) return BadArgument("`where." + field + "` names no op");
      for (const auto& [op, value] : condition.items()) {
        if (op == "exists" && value.is_boolean()) {
          list.push_back({{"field", field}, {"op", value.get<bool>() ? "exists" : "not_exists"}});
        } else {
          list.push_back({{"field", field}, {"op", op}, {"value", value}});
        }
      }
    } else {
      list.push_back(
          {{"field", field}, {"op", condition.is_array() ? "in" : "eq"}, {"value", condition}});
    }
    for (const json& p : list) {
      AGENT_ASSIGN_OR_RETURN(Predicate pred, ParseOne(p, fields));
      out->push_back(std::move(pred));
    }
  }
  return {};
}

// Whether an object is one predicate of the list form, {field, op?, value?}.
bool IsListPredicate(const json& p) {
  if (!p.contains("field") || !p["field"].is_string()) return false;
  for (const auto& [key, value] : p.items()) {
    if (key != "field" && key != "op" && key != "value") return false;
  }
  return true;
}

}  // namespace

Outcome<Where> Where::Parse(const json* where, const FieldSet& fields) {
  Where out;
  if (where == nullptr) return out;
  const size_t count = where->is_array() || where->is_object() ? where->size() : 0;
  if (count > kMaxPredicates) {
    return BadArgument("`where` has more than " + std::to_string(kMaxPredicates) + " predicates");
  }
  if (where->is_object() && !IsListPredicate(*where)) {
    AGENT_RETURN_IF_ERROR(ParseConditionMap(*where, fields, &out.preds_));
    return out;
  }
  if (where->is_object()) {
    AGENT_ASSIGN_OR_RETURN(Predicate p, ParseOne(*where, fields));
    out.preds_.push_back(std::move(p));
    return out;
  }
  if (!where->is_array()) {
    return BadArgument(R"(`where` must be an object of conditions, like {"status":"done"})",
                       R"(example: {"size":{"gt":1000},"kind":"file"})");
  }
  for (const json& p : *where) {
    AGENT_ASSIGN_OR_RETURN(Predicate pred, ParseOne(p, fields));
    out.preds_.push_back(std::move(pred));
  }
  return out;
}

bool Where::Matches(const Row& row, const FieldSet& fields) const {
  for (const Predicate& p : preds_) {
    if (!p.Matches(fields.Value(row, p.field))) return false;
  }
  return true;
}

bool Where::Uses(std::string_view field) const {
  for (const Predicate& p : preds_) {
    if (p.field == field) return true;
  }
  return false;
}

}  // namespace nokv::agent
