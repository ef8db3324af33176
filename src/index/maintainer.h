// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// IndexMaintainer: keeps every declared index current inside the commits
// that change the data. After a tree command has staged its writes, the
// command's events name the paths it touched; the maintainer maps them to
// the rows of each index, re-extracts those rows from the tree the commit is
// building, and stages the row, posting and statistics changes in the same
// Txn. A command that fails leaves neither data nor index changes.
//
// Re-extraction reads only the source files whose body changed: a row keeps
// per source file the body it was read from.
//
// Thread-safe (it only caches parsed specs); the Txn is used by one thread.
#ifndef NOKV_INDEX_MAINTAINER_H_
#define NOKV_INDEX_MAINTAINER_H_

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "index/extractor.h"
#include "index/index_records.h"
#include "index/index_spec.h"
#include "meta/engine.h"
#include "meta/time_records.h"

namespace nokv {

class IndexMaintainer {
 public:
  // Makes the IndexSource an extraction inside `txn` reads through.
  using SourceFactory = std::function<std::unique_ptr<IndexSource>(Txn& txn, TreeSource& tree)>;
  explicit IndexMaintainer(SourceFactory make_source) : make_source_(std::move(make_source)) {}

  // Brings every index whose rows `events` touch up to date in `txn`.
  Status AfterTreeCommand(Txn& txn, TreeSource& tree, const std::vector<EventRecord>& events);

  // Declares and builds an index. `dir` must be an existing directory.
  Result<IndexDefRecord> Define(Txn& txn, TreeSource& tree, const std::string& dir,
                                const std::string& yaml);
  // Drops every row, posting and statistic and rebuilds from the tree.
  Result<IndexDefRecord> Rebuild(Txn& txn, TreeSource& tree, const std::string& name);
  Status Drop(Txn& txn, const std::string& name);

  // The parsed spec of a definition (cached by its text).
  Result<std::shared_ptr<const IndexSpec>> Spec(const IndexDefRecord& def);

 private:
  class Update;
  Result<std::vector<IndexDefRecord>> LoadDefinitions(Txn& txn);
  Status DeleteAll(Txn& txn, const std::string& name, bool keep_definition);
  // Extracts every row of `def` from the tree (a define or a rebuild).
  Result<IndexDefRecord> BuildAll(Txn& txn, TreeSource& tree, const IndexDefRecord& def);

  SourceFactory make_source_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const IndexSpec>> specs_;  // by dir + spec text
};

// The NotFound error for a missing index, naming the existing ones.
Status NoSuchIndex(const std::string& name, const std::vector<std::string>& existing);

}  // namespace nokv

#endif  // NOKV_INDEX_MAINTAINER_H_
