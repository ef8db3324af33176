// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// "Did you mean" suggestions: the candidates closest to a misspelt name by
// edit distance.
#ifndef NOKV_AGENT_SUGGEST_H_
#define NOKV_AGENT_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace nokv::agent {

// Levenshtein distance (insert, delete, substitute each cost 1).
size_t EditDistance(std::string_view a, std::string_view b);

// Up to `max` candidates ordered by distance to `name` (ties by name). Only
// candidates within half the name's length (at least 2 edits) are returned,
// unless `always` is set.
std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates, size_t max = 3,
                                      bool always = false);

// "did you mean `a`, `b`?" or "" when nothing is close.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

// "`a`, `b`, `c`".
std::string QuotedList(const std::vector<std::string>& names);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_SUGGEST_H_
