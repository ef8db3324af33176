// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// RowSource: where the rows of find, aggregate and catalog come from. A
// query that names a field of an index runs over that index's rows below
// `path` (one row per run directory, say), read from the index; any other
// query walks the subtree. Over an index it plans like a database would:
//
//   - an `eq`/`in` predicate on an index field reads just the postings of
//     those values and the rows they name;
//   - with no predicate, a sort on an index field reads postings in sort
//     order and stops after the rows the page needs (top-k);
//   - otherwise every row of the index below `path` is read once.
//
// The report says which index was used and how many index entries were
// read, so cost is visible to the caller.
#ifndef NOKV_AGENT_ROW_SOURCE_H_
#define NOKV_AGENT_ROW_SOURCE_H_

#include <functional>
#include <string>
#include <vector>

#include "agent/fields.h"
#include "agent/predicate.h"
#include "agent/query.h"
#include "agent/verb.h"

namespace nokv::agent {

struct RowQuery {
  std::string path;
  const Where* where = nullptr;
  std::vector<SortKey> sort;
  std::vector<std::string> fields;  // every field the query reads
  // Rows the caller needs in sort order (offset + limit); 0: all matches.
  uint64_t top = 0;
};

struct RowSourceResult {
  // False when only the first `top` rows in sort order were produced.
  bool all_matches = true;
  // Rows of the index below path (index queries), for a match count when
  // `all_matches` is false.
  uint64_t index_rows = 0;
  json report;  // {"scanned", "complete"} or {"index", "scanned", "complete"}
};

// Calls `visit` for the rows of `query` (see above). Rows that fail `where`
// may be visited; callers still apply it.
Outcome<RowSourceResult> ForEachRow(const VerbContext& ctx, const FieldSet& fields,
                                    const RowQuery& query,
                                    const std::function<Outcome<bool>(const Row&)>& visit);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_ROW_SOURCE_H_
