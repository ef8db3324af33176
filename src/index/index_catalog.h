// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// IndexCatalog: the read side of declarative indexes. It lists definitions
// with their field statistics and answers posting and row scans. Stored
// postings and rows describe the newest commit that changed the index; a
// read at an older version than that is answered by extracting the rows
// from the tree at that version (reusing stored values for unchanged
// source files), so every answer matches the data at the version asked.
// Each read runs in one PlainView, so a concurrent commit is never seen
// half-applied.
//
// List and Get cache each index's IndexInfo keyed by the bytes of its
// definition record: every commit that changes an index's rows or field
// statistics rewrites the definition with its own changed_version, so equal
// bytes mean equal statistics and the statistics need not be read again.
//
// Thread-safe.
#ifndef NOKV_INDEX_INDEX_CATALOG_H_
#define NOKV_INDEX_INDEX_CATALOG_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "index/maintainer.h"
#include "meta/engine.h"
#include "nokv/block_store.h"
#include "nokv/index_types.h"

namespace nokv {

class IndexCatalog {
 public:
  // None of the pointers is owned; all must outlive the catalog.
  IndexCatalog(MetaEngine* engine, IndexMaintainer* maintainer, BlockStore* store)
      : engine_(engine), maintainer_(maintainer), store_(store) {}

  Result<std::vector<IndexInfo>> List();
  Result<IndexInfo> Get(const std::string& name);

  Result<bool> ScanPostings(const IndexScan& scan,
                            const std::function<bool(const IndexValue&, const std::string&)>& fn);
  Result<std::optional<IndexRow>> GetRow(const std::string& index, const std::string& row,
                                         uint64_t version);
  // The rows at `rows` as of `version`, in the order given (nullopt where a
  // path is not a row then): one view, one read of the definition and one
  // batched lookup of the stored rows.
  Result<std::vector<std::optional<IndexRow>>> GetRows(const std::string& index,
                                                       const std::vector<std::string>& rows,
                                                       uint64_t version);
  Status ScanRows(const std::string& index, const std::string& under, uint64_t version,
                  const std::function<bool(const IndexRow&)>& fn);

  uint64_t entries_read() const { return entries_read_.load(std::memory_order_relaxed); }

 private:
  struct PastExtraction;
  // Extraction of rows from the files at `version` (older than the stored rows).
  Result<std::unique_ptr<PastExtraction>> ExtractionAt(const IndexDefRecord& def, uint64_t version);
  // The definition record of `name`, encoded; NotFound names the indexes.
  Result<std::string> LoadEncodedDefinition(PlainView& view, const std::string& name);
  Result<IndexDefRecord> LoadDefinition(PlainView& view, const std::string& name);
  // The info of the index whose definition record is `encoded`, from the
  // cache or from the statistics in `view`.
  Result<IndexInfo> InfoFor(PlainView& view, std::string_view encoded);
  Result<IndexInfo> ToInfo(PlainView& view, const IndexDefRecord& def);
  // True when the stored rows and postings describe `version`.
  static bool Current(const IndexDefRecord& def, uint64_t version) {
    return version == 0 || def.changed_version <= version;
  }
  Result<std::optional<RowDoc>> StoredRow(PlainView& view, const std::string& index,
                                          const std::string& row);
  void Count(const PlainView& view) {
    entries_read_.fetch_add(view.entries_read(), std::memory_order_relaxed);
  }

  MetaEngine* engine_;
  IndexMaintainer* maintainer_;
  BlockStore* store_;
  std::atomic<uint64_t> entries_read_{0};

  struct CachedInfo {
    std::string encoded;  // the definition record the info was built from
    IndexInfo info;
  };
  std::mutex mu_;
  std::map<std::string, CachedInfo, std::less<>> infos_;  // by index name; guarded by mu_
};

}  // namespace nokv

#endif  // NOKV_INDEX_INDEX_CATALOG_H_
