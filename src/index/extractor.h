// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// RowExtractor: computes the rows of one index from a tree. It decides
// which paths are rows, lists them, and reads each row's field values from
// its files: values at key paths, flattened keys, reducers over step
// records, sizes and existence. The same code runs inside a commit (the
// tree the commit is building) and at a past version (queries at `at`).
//
// A value that cannot be read (a malformed source file, a type that does
// not convert) leaves its field absent and is reported in RowDoc::error;
// it never fails the commit that changed the data.
//
// Not thread-safe: one extractor per operation.
#ifndef NOKV_INDEX_EXTRACTOR_H_
#define NOKV_INDEX_EXTRACTOR_H_

#include <functional>
#include <optional>
#include <string>

#include "index/index_records.h"
#include "index/index_spec.h"
#include "ns/tree_source.h"

namespace nokv {

// Where an extraction reads from.
class IndexSource {
 public:
  virtual ~IndexSource() = default;
  virtual TreeSource& tree() = 0;
  // The whole body of the file `inode`, verified. `path` names it in errors.
  virtual Result<std::string> ReadBody(const InodeRecord& inode, const std::string& path) = 0;
};

// Bodies larger than this are not parsed; their fields are absent.
inline constexpr uint64_t kMaxExtractBytes = 64 << 20;
// Sources that are directories are recorded with this body id.
inline constexpr uint64_t kDirectorySource = ~uint64_t(0);

class RowExtractor {
 public:
  RowExtractor(const IndexSpec& spec, IndexSource& source) : spec_(spec), source_(source) {}

  // The row `path` belongs to, if any: dirs rows are the child directory of
  // the index dir on the way to `path`; file rows are `path` itself when it
  // matches the glob. Looks at the path only, not the tree.
  std::optional<std::string> RowOf(const std::string& path) const;

  // Calls fn for every row at or below `under` ("" or an ancestor of the
  // index dir: all rows) that exists in the tree, in path order.
  Status ListRows(const std::string& under, const std::function<Status(const std::string&)>& fn);

  // The doc of `row`, or nullopt if it is not a row in the tree. Values of
  // sources whose body equals the one recorded in `previous` are reused
  // without reading the body.
  Result<std::optional<RowDoc>> Extract(const std::string& row, const RowDoc* previous);

  // Bodies read so far (a cost counter).
  uint64_t bodies_read() const { return bodies_read_; }

 private:
  Status ExtractSource(const std::string& row, const std::string& from, RowDoc* doc);

  const IndexSpec& spec_;
  IndexSource& source_;
  uint64_t bodies_read_ = 0;
};

}  // namespace nokv

#endif  // NOKV_INDEX_EXTRACTOR_H_
