// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Predicates of `where`: a list of {field, op, value} that must all hold.
// Ops: eq ne in prefix suffix contains gt gte lt lte exists not_exists.
// Field names are checked against a FieldSet, so a misspelt field is an
// error with suggestions, never an empty result.
#ifndef NOKV_AGENT_PREDICATE_H_
#define NOKV_AGENT_PREDICATE_H_

#include <string>
#include <vector>

#include "agent/fields.h"
#include "agent/outcome.h"

namespace nokv::agent {

struct Predicate {
  enum class Op {
    kEq,
    kNe,
    kIn,
    kPrefix,
    kSuffix,
    kContains,
    kGt,
    kGte,
    kLt,
    kLte,
    kExists,
    kNotExists
  };
  std::string field;
  Op op = Op::kEq;
  json value;

  // `value` is the field's value in the row (null when absent).
  bool Matches(const json& value) const;
};

// A conjunction of predicates.
class Where {
 public:
  // Parses `where` (absent, one predicate object or an array of them).
  static Outcome<Where> Parse(const json* where, const FieldSet& fields);

  bool empty() const { return preds_.empty(); }
  bool Matches(const Row& row, const FieldSet& fields) const;
  // Whether any predicate reads `field`.
  bool Uses(std::string_view field) const;
  const std::vector<Predicate>& predicates() const { return preds_; }

 private:
  std::vector<Predicate> preds_;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_PREDICATE_H_
