// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// DiffBuilder: compares a subtree at two versions. The caller names what may
// have changed: single paths and whole subtrees (from the event log), or just
// the root as one subtree (a full walk). Each named path is looked up on both
// sides; each named subtree is walked on both sides. Entries are then
// classified by what a user sees: a path on both sides with the same kind
// and the same contents (digest) is unchanged whatever its inode, and with
// other contents it is modified; renamed when one inode moved between paths;
// else added or removed. Renames implied by a renamed ancestor are folded
// into it.
//
// Not thread-safe.
#ifndef NOKV_NS_DIFF_H_
#define NOKV_NS_DIFF_H_

#include <functional>
#include <map>
#include <set>
#include <string>

#include "meta/engine.h"
#include "nokv/time_types.h"
#include "ns/tree_source.h"

namespace nokv {

class DiffBuilder {
 public:
  // Digest (hex) of a body id.
  using DigestFn = std::function<Result<std::string>(uint64_t body_id)>;
  DiffBuilder(MetaEngine* engine, uint64_t from_version, uint64_t to_version, std::string root);

  void AddPath(const std::string& path);
  void AddSubtree(const std::string& path);
  Result<DiffReport> Build(const DigestFn& digest);

 private:
  struct Entry {
    FileKind kind = FileKind::kFile;
    uint64_t ino = 0;
    InodeRecord inode;
  };
  using Side = std::map<std::string, Entry>;
  Status Lookup(TreeSource& tree, const std::string& path, Side* side);
  Status Walk(TreeSource& tree, const std::string& path, Side* side);
  // Equal contents: the same body, or bodies with the same digest
  // (directories: always).
  static Result<bool> SameContents(const Entry& a, const Entry& b, const DigestFn& digest);

  MetaEngine* engine_;
  uint64_t from_, to_;
  std::string root_;
  std::set<std::string> paths_, subtrees_;
};

}  // namespace nokv

#endif  // NOKV_NS_DIFF_H_
