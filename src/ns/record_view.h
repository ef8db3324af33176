// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// RecordView: read access to versioned records, either at a fixed version
// (readers) or inside a commit (writers), so path resolution and inode
// loading are written once for both.
#ifndef NOKV_NS_RECORD_VIEW_H_
#define NOKV_NS_RECORD_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "meta/engine.h"
#include "meta/records.h"
#include "nokv/status.h"

namespace nokv {

class RecordView {
 public:
  virtual ~RecordView() = default;
  // Newest live value of a versioned prefix visible to this view.
  virtual Result<std::optional<std::string>> Get(Family f, std::string_view prefix) = 0;
  // The version the returned record was written at, if the view knows it.
  virtual uint64_t last_read_version() const { return 0; }
};

// Reads at one committed version.
class VersionView final : public RecordView {
 public:
  VersionView(MetaEngine* engine, uint64_t version) : engine_(engine), version_(version) {}
  Result<std::optional<std::string>> Get(Family f, std::string_view prefix) override;
  uint64_t last_read_version() const override { return last_read_version_; }
  uint64_t version() const { return version_; }

 private:
  MetaEngine* engine_;
  uint64_t version_;
  uint64_t last_read_version_ = 0;
};

// Reads inside a commit (sees the command's own writes).
class TxnView final : public RecordView {
 public:
  explicit TxnView(Txn* txn) : txn_(txn) {}
  Result<std::optional<std::string>> Get(Family f, std::string_view prefix) override {
    return txn_->Get(f, prefix);
  }

 private:
  Txn* txn_;
};

struct Resolved {
  uint64_t ino = 0;
  FileKind kind = FileKind::kDirectory;
};

// Resolves a normalized path. NotFound names the first missing component;
// NotDirectory names the component that is a file.
Result<Resolved> ResolvePath(RecordView& view, std::string_view path);

Result<std::optional<DentryRecord>> LookupDentry(RecordView& view, uint64_t parent,
                                                 std::string_view name);
// NotFound/Corruption if the inode is missing: a dentry always has an inode.
Result<InodeRecord> LoadInode(RecordView& view, uint64_t ino, std::string_view path);

}  // namespace nokv

#endif  // NOKV_NS_RECORD_VIEW_H_
