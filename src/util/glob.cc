// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "util/glob.h"

#include <cstddef>

namespace nokv {
namespace {

// Matches one byte against the class starting at pattern[p] == '['. Sets
// *end to the index just past the class; a class without ']' is a literal '['.
bool MatchClass(std::string_view pattern, size_t p, char c, size_t* end) {
  size_t i = p + 1;
  bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
  if (negate) ++i;
  bool matched = false;
  bool first = true;
  for (; i < pattern.size() && (first || pattern[i] != ']'); first = false) {
    char lo = pattern[i];
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      matched = matched || (c >= lo && c <= pattern[i + 2]);
      i += 3;
    } else {
      matched = matched || c == lo;
      ++i;
    }
  }
  if (i >= pattern.size()) {  // no closing bracket
    *end = p + 1;
    return c == '[';
  }
  *end = i + 1;
  return matched != negate;
}

}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0;
  size_t star_p = std::string_view::npos, star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      size_t next = p + 1;
      bool ok;
      if (pattern[p] == '?') {
        ok = true;
      } else if (pattern[p] == '[') {
        ok = MatchClass(pattern, p, text[t], &next);
      } else {
        ok = pattern[p] == text[t];
      }
      if (ok) {
        p = next;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    // Let the last star absorb one more byte and retry from there.
    p = star_p;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace nokv
