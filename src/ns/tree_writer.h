// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// TreeWriter: the namespace mutations (bind a published body, mkdir, remove,
// rename, clone, rollback) expressed against one commit Txn. Every check
// (predicates, existence, kinds, emptiness, subtree moves) happens here,
// inside the commit, so create-if-absent and replace-if-unchanged are atomic.
// In the same commit it maintains directory child counts and mtimes, body
// reference counts (one per inode version that names a body, so GC knows
// when a body is unreachable) and emits the typed events of the watch log.
//
// Not thread-safe: one TreeWriter per command execution, ended by Finish().
#ifndef NOKV_NS_TREE_WRITER_H_
#define NOKV_NS_TREE_WRITER_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "meta/engine.h"
#include "meta/records.h"
#include "meta/time_records.h"
#include "nokv/namespace.h"
#include "ns/record_view.h"
#include "ns/tree_source.h"

namespace nokv {

struct BoundFile {
  uint64_t ino = 0;
  uint64_t generation = 0;
  int64_t ctime_ns = 0;
};

class TreeWriter final : public TreeSource {
 public:
  TreeWriter(Txn* txn, MetaEngine* engine, int64_t now_ns);

  // Points `path` at a new body (stored under `body_id`). An existing file
  // gets the next generation; a new one is created with generation 1. Fills
  // in the body's generation and writer inode.
  Result<BoundFile> BindFile(std::string_view path, uint64_t body_id, BodyDescriptor* body,
                             const Precondition& pre, bool make_parents);
  // Creates a directory; with `exist_ok` an existing directory is fine.
  Status MakeDirectory(std::string_view path, bool make_parents, bool exist_ok);
  Status Remove(std::string_view path, bool recursive, const Precondition& pre);
  Status Rename(std::string_view src, std::string_view dst, bool no_replace);
  // Copies `src` as read from `source` (this writer for the live tree) to
  // `dst` with fresh inodes that share the source's bodies.
  Status Clone(TreeSource& source, std::string_view src, std::string_view dst);
  // Makes the subtree at `path` equal to `path` in `snapshot` (absent there:
  // removed here). Inodes present on both sides are kept; changed files get
  // the next generation.
  Status Restore(TreeSource& snapshot, std::string_view path, std::string_view snapshot_name);

  // Appends an event to the commit (time stamped by the writer).
  void Emit(EventRecord event);
  // The events of this command so far, in order.
  const std::vector<EventRecord>& emitted() const { return emitted_; }

  // The live tree inside this commit (pending child counts included).
  Result<Resolved> Resolve(std::string_view path) override { return ResolvePath(view_, path); }
  Result<std::optional<DentryRecord>> Lookup(uint64_t parent, std::string_view name) override;
  Result<InodeRecord> Inode(uint64_t ino, std::string_view path) override;
  Result<ChildList> Children(uint64_t dir) override;

  // Writes the directories whose child counts changed (once each, however
  // many entries a command added). Call after the last operation.
  Status Finish();

 private:
  // Resolves the parent directory of `path`, creating it when asked.
  Result<uint64_t> ParentDir(std::string_view path, bool make_parents);
  Result<uint64_t> WalkToDirectory(std::string_view dir_path, bool make_parents);
  Result<uint64_t> NewDirectory(uint64_t parent, std::string_view name, std::string_view path);
  Status AddChild(uint64_t parent, std::string_view name, const DentryRecord& d);
  Status RemoveChild(uint64_t parent, std::string_view name);
  Status AdjustDirectory(uint64_t dir, int64_t child_delta);
  Status CheckPrecondition(std::string_view path, const std::optional<DentryRecord>& d,
                           const Precondition& pre);
  Status RemoveContents(uint64_t dir);
  Status CopyContents(TreeSource& source, uint64_t src_dir, uint64_t dst_dir);
  // A fresh inode with the contents of `inode` (generation 1 for files).
  Result<uint64_t> CloneInode(InodeRecord inode);
  // Writes a file inode version that names `inode.body_id`, counting the
  // reference (`new_body`: the body was just uploaded, no count exists yet).
  Status PutFileInode(uint64_t ino, const InodeRecord& inode, bool fresh_ino, bool new_body);
  Status AddBodyRef(uint64_t body_id);
  // Restore helpers (tree_restore.cc).
  struct RestorePlan;
  Status CollectSubtree(TreeSource& source, uint64_t root, RestorePlan* plan, bool snapshot_side);
  Status ApplyRestore(TreeSource& snapshot, RestorePlan& plan);

  Txn* txn_;
  MetaEngine* engine_;
  std::vector<EventRecord> emitted_;
  TxnView view_;
  int64_t now_ns_;
  // Directories created by this command: they start empty, so lookups in
  // them need not touch the store.
  std::unordered_set<uint64_t> fresh_dirs_;
  // Directory paths already resolved by this command (publish binds many
  // files under one parent). Cleared by operations that remove or move.
  std::map<std::string, uint64_t, std::less<>> resolved_dirs_;
  // Child-count changes per directory, applied by Finish().
  std::unordered_map<uint64_t, int64_t> pending_dirs_;
};

}  // namespace nokv

#endif  // NOKV_NS_TREE_WRITER_H_
