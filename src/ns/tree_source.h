// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// TreeSource: read access to a namespace tree for operations that copy or
// compare trees (clone, rollback, diff). One implementation reads at a
// committed version; TreeWriter supplies the live view inside a commit.
#ifndef NOKV_NS_TREE_SOURCE_H_
#define NOKV_NS_TREE_SOURCE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "meta/engine.h"
#include "meta/records.h"
#include "ns/record_view.h"

namespace nokv {

using ChildList = std::vector<std::pair<std::string, DentryRecord>>;

class TreeSource {
 public:
  virtual ~TreeSource() = default;
  virtual Result<Resolved> Resolve(std::string_view path) = 0;
  virtual Result<std::optional<DentryRecord>> Lookup(uint64_t parent, std::string_view name) = 0;
  virtual Result<InodeRecord> Inode(uint64_t ino, std::string_view path) = 0;
  // Every live entry of `dir`, in name order.
  virtual Result<ChildList> Children(uint64_t dir) = 0;
};

// The tree as it was at one committed version. Not thread-safe.
class VersionTree final : public TreeSource {
 public:
  VersionTree(MetaEngine* engine, uint64_t version) : engine_(engine), view_(engine, version) {}
  Result<Resolved> Resolve(std::string_view path) override { return ResolvePath(view_, path); }
  Result<std::optional<DentryRecord>> Lookup(uint64_t parent, std::string_view name) override {
    return LookupDentry(view_, parent, name);
  }
  Result<InodeRecord> Inode(uint64_t ino, std::string_view path) override {
    return LoadInode(view_, ino, path);
  }
  Result<ChildList> Children(uint64_t dir) override;
  uint64_t version() const { return view_.version(); }

 private:
  MetaEngine* engine_;
  VersionView view_;
};

// Decodes dentries streamed by a scan into `out`.
Result<ChildList> CollectChildren(
    const std::function<Status(const std::function<bool(std::string_view, std::string_view)>&)>&
        scan);

}  // namespace nokv

#endif  // NOKV_NS_TREE_SOURCE_H_
