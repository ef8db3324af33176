// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/suggest.h"

#include <algorithm>
#include <utility>

namespace nokv::agent {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates, size_t max,
                                      bool always) {
  const size_t limit = std::max<size_t>(2, name.size() / 2);
  std::vector<std::pair<size_t, std::string>> scored;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    // A prefix or suffix relation ("loss" vs "val_loss") is a good guess too.
    bool related = !name.empty() &&
                   (c.find(name) != std::string::npos || name.find(c) != std::string_view::npos);
    if (always || d <= limit || related) scored.emplace_back(related ? std::min(d, limit) : d, c);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && out.size() < max; ++i) out.push_back(scored[i].second);
  return out;
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) {
    if (!out.empty()) out += ", ";
    out += "`" + n + "`";
  }
  return out;
}

std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  std::vector<std::string> close = ClosestNames(name, candidates);
  if (close.empty()) return "";
  return "did you mean " + QuotedList(close) + "?";
}

}  // namespace nokv::agent
