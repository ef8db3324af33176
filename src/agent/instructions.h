// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The instructions an MCP server hands the model at connect time: how the
// tools read (versions, pages) and the field names each index offers, so a
// model can write its first find without a catalog round trip. Dotted names
// that share a parent are written once as parent.{a,b}. The catalog stays
// the full, current listing; these are a snapshot taken at connect time.
#ifndef NOKV_AGENT_INSTRUCTIONS_H_
#define NOKV_AGENT_INSTRUCTIONS_H_

#include <string>
#include <vector>

#include "nokv/namespace.h"

namespace nokv::agent {

// At most this many field names are listed over all indexes; the rest are
// counted and left to catalog.
constexpr size_t kMaxListedFields = 300;

// The instructions for `ns` (the fixed text alone when it is null or its
// indexes cannot be read).
std::string ServerInstructions(Namespace* ns);

// "a b p.{x,y}": names in order, dotted siblings grouped. Exposed for tests.
std::string GroupFieldNames(const std::vector<std::string>& names);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_INSTRUCTIONS_H_
