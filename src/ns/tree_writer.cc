// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/tree_writer.h"

#include <vector>

#include "util/path.h"

namespace nokv {

TreeWriter::TreeWriter(Txn* txn, MetaEngine* engine, int64_t now_ns)
    : txn_(txn), engine_(engine), view_(txn), now_ns_(now_ns) {}

Result<std::optional<DentryRecord>> TreeWriter::Lookup(uint64_t parent, std::string_view name) {
  if (fresh_dirs_.count(parent) != 0) {
    auto pending = txn_->GetPending(Family::kDentries, DentryPrefix(parent, name));
    if (!pending.has_value() || !pending->has_value()) return std::optional<DentryRecord>();
    DentryRecord d;
    NOKV_RETURN_IF_ERROR(DecodeDentry(**pending, &d));
    return std::optional<DentryRecord>(d);
  }
  return LookupDentry(view_, parent, name);
}

Result<uint64_t> TreeWriter::ParentDir(std::string_view path, bool make_parents) {
  std::string_view parent_path = ParentPath(path);
  // Files published together mostly share a parent: resolve it once.
  if (auto it = resolved_dirs_.find(parent_path); it != resolved_dirs_.end()) return it->second;
  NOKV_ASSIGN_OR_RETURN(uint64_t dir, WalkToDirectory(parent_path, make_parents));
  resolved_dirs_.emplace(std::string(parent_path), dir);
  return dir;
}

Result<uint64_t> TreeWriter::WalkToDirectory(std::string_view parent_path, bool make_parents) {
  uint64_t dir = kRootInode;
  size_t consumed = 0;
  for (std::string_view name : SplitPath(parent_path)) {
    consumed += 1 + name.size();
    NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, Lookup(dir, name));
    if (!d.has_value()) {
      if (!make_parents) {
        return Status::NotFound("parent directory " + std::string(parent_path.substr(0, consumed)) +
                                " does not exist; create it first (mkdir -p)");
      }
      NOKV_ASSIGN_OR_RETURN(dir, NewDirectory(dir, name, parent_path.substr(0, consumed)));
      continue;
    }
    if (d->kind != FileKind::kDirectory) {
      return Status::NotDirectory(std::string(parent_path.substr(0, consumed)) +
                                  " is a file, not a directory");
    }
    dir = d->ino;
  }
  return dir;
}

Result<uint64_t> TreeWriter::NewDirectory(uint64_t parent, std::string_view name,
                                          std::string_view path) {
  NOKV_ASSIGN_OR_RETURN(uint64_t ino, engine_->AllocateId(IdKind::kInode));
  InodeRecord inode;
  inode.kind = FileKind::kDirectory;
  inode.ctime_ns = inode.mtime_ns = now_ns_;
  txn_->PutNew(Family::kInodes, InodePrefix(ino), EncodeInode(inode));
  NOKV_RETURN_IF_ERROR(AddChild(parent, name, DentryRecord{FileKind::kDirectory, ino}));
  fresh_dirs_.insert(ino);
  EventRecord e;
  e.type = EventType::kMkdir;
  e.path.assign(path);
  e.ino = ino;
  e.kind = FileKind::kDirectory;
  Emit(std::move(e));
  return ino;
}

void TreeWriter::Emit(EventRecord event) {
  event.time_ns = now_ns_;
  txn_->Emit(EncodeEvent(event));
  emitted_.push_back(std::move(event));
}

Status TreeWriter::AddBodyRef(uint64_t body_id) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw, txn_->Get(Family::kRefs, IdKey(body_id)));
  uint64_t count = 0;
  if (raw.has_value()) NOKV_RETURN_IF_ERROR(DecodeCount(*raw, &count));
  txn_->Put(Family::kRefs, IdKey(body_id), EncodeCount(count + 1));
  return Status::OK();
}

Status TreeWriter::PutFileInode(uint64_t ino, const InodeRecord& inode, bool fresh_ino,
                                bool new_body) {
  if (new_body) {
    txn_->Put(Family::kRefs, IdKey(inode.body_id), EncodeCount(1));
  } else {
    NOKV_RETURN_IF_ERROR(AddBodyRef(inode.body_id));
  }
  if (fresh_ino) {
    txn_->PutNew(Family::kInodes, InodePrefix(ino), EncodeInode(inode));
  } else {
    txn_->Put(Family::kInodes, InodePrefix(ino), EncodeInode(inode));
  }
  return Status::OK();
}

Result<InodeRecord> TreeWriter::Inode(uint64_t ino, std::string_view path) {
  NOKV_ASSIGN_OR_RETURN(InodeRecord inode, LoadInode(view_, ino, path));
  if (auto it = pending_dirs_.find(ino); it != pending_dirs_.end()) {
    const int64_t count = static_cast<int64_t>(inode.child_count) + it->second;
    if (count < 0) {
      return Status::Corruption("child count of directory inode " + std::to_string(ino) +
                                " would become negative; run `nokv fsck`");
    }
    inode.child_count = static_cast<uint64_t>(count);
    inode.mtime_ns = now_ns_;
  }
  return inode;
}

Status TreeWriter::AdjustDirectory(uint64_t dir, int64_t child_delta) {
  pending_dirs_[dir] += child_delta;
  return Status::OK();
}

Status TreeWriter::Finish() {
  for (const auto& [dir, delta] : pending_dirs_) {
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          txn_->Get(Family::kInodes, InodePrefix(dir)));
    if (!raw.has_value()) continue;  // removed by this very command
    NOKV_ASSIGN_OR_RETURN(InodeRecord inode, Inode(dir, "a parent directory"));
    txn_->Put(Family::kInodes, InodePrefix(dir), EncodeInode(inode));
  }
  pending_dirs_.clear();
  return Status::OK();
}

Status TreeWriter::AddChild(uint64_t parent, std::string_view name, const DentryRecord& d) {
  if (fresh_dirs_.count(parent) != 0) {
    // A directory made by this command has no history to supersede.
    txn_->PutNew(Family::kDentries, DentryPrefix(parent, name), EncodeDentry(d));
    return AdjustDirectory(parent, +1);
  }
  txn_->Put(Family::kDentries, DentryPrefix(parent, name), EncodeDentry(d));
  return AdjustDirectory(parent, +1);
}

Status TreeWriter::RemoveChild(uint64_t parent, std::string_view name) {
  txn_->Delete(Family::kDentries, DentryPrefix(parent, name));
  return AdjustDirectory(parent, -1);
}

Status TreeWriter::CheckPrecondition(std::string_view path, const std::optional<DentryRecord>& d,
                                     const Precondition& pre) {
  const std::string p(path);
  switch (pre.kind) {
    case Precondition::Kind::kNone:
      return Status::OK();
    case Precondition::Kind::kAbsent:
      if (d.has_value()) return Status::AlreadyExists(p + " already exists (create-if-absent)");
      return Status::OK();
    case Precondition::Kind::kExists:
      if (!d.has_value()) return Status::Conflict("precondition failed: " + p + " does not exist");
      return Status::OK();
    case Precondition::Kind::kGenerationEquals: {
      if (!d.has_value()) {
        return Status::Conflict("precondition failed: " + p +
                                " does not exist, expected generation " +
                                std::to_string(pre.generation));
      }
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, Inode(d->ino, path));
      if (d->kind != FileKind::kFile || inode.generation != pre.generation) {
        return Status::Conflict("precondition failed: " + p + " is at generation " +
                                std::to_string(inode.generation) + ", expected " +
                                std::to_string(pre.generation) +
                                "; someone else changed it (run `nokv stat " + p + "`)");
      }
      return Status::OK();
    }
    case Precondition::Kind::kDirectoryEmpty: {
      if (!d.has_value() || d->kind != FileKind::kDirectory) {
        return Status::Conflict("precondition failed: " + p + " is not a directory");
      }
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, Inode(d->ino, path));
      if (inode.child_count != 0) {
        return Status::Conflict("precondition failed: directory " + p + " has " +
                                std::to_string(inode.child_count) + " entries");
      }
      return Status::OK();
    }
  }
  return Status::InvalidArgument("unknown precondition");
}

Result<BoundFile> TreeWriter::BindFile(std::string_view path, uint64_t body_id,
                                       BodyDescriptor* body, const Precondition& pre,
                                       bool make_parents) {
  if (path == "/")
    return Status::IsDirectory("/ is the root directory; publish to a path below it");
  NOKV_ASSIGN_OR_RETURN(uint64_t parent, ParentDir(path, make_parents));
  const std::string_view name = BaseName(path);
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, Lookup(parent, name));
  NOKV_RETURN_IF_ERROR(CheckPrecondition(path, d, pre));
  BoundFile out;
  InodeRecord inode;
  if (d.has_value()) {
    if (d->kind == FileKind::kDirectory) {
      return Status::IsDirectory(std::string(path) +
                                 " is a directory; publish to a path inside it");
    }
    NOKV_ASSIGN_OR_RETURN(inode, Inode(d->ino, path));
    out.ino = d->ino;
    inode.generation += 1;
  } else {
    NOKV_ASSIGN_OR_RETURN(out.ino, engine_->AllocateId(IdKind::kInode));
    inode.kind = FileKind::kFile;
    inode.generation = 1;
    inode.ctime_ns = now_ns_;
    NOKV_RETURN_IF_ERROR(AddChild(parent, name, DentryRecord{FileKind::kFile, out.ino}));
  }
  inode.size = body->size;
  inode.body_id = body_id;
  inode.mtime_ns = now_ns_;
  out.generation = inode.generation;
  out.ctime_ns = inode.ctime_ns;
  NOKV_RETURN_IF_ERROR(PutFileInode(out.ino, inode, /*fresh_ino=*/!d.has_value(),
                                    /*new_body=*/true));
  body->generation = inode.generation;
  body->writer_ino = out.ino;
  txn_->Put(Family::kBodies, IdKey(body_id), EncodeBody(*body));
  EventRecord e;
  e.type = d.has_value() ? EventType::kReplace : EventType::kCreate;
  e.path.assign(path);
  e.ino = out.ino;
  e.generation = inode.generation;
  e.size = body->size;
  e.sha256 = body->sha256;
  Emit(std::move(e));
  return out;
}

Status TreeWriter::MakeDirectory(std::string_view path, bool make_parents, bool exist_ok) {
  if (path == "/") {
    return exist_ok ? Status::OK() : Status::AlreadyExists("/ already exists");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t parent, ParentDir(path, make_parents));
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, Lookup(parent, BaseName(path)));
  if (d.has_value()) {
    if (d->kind == FileKind::kDirectory && exist_ok) return Status::OK();
    return Status::AlreadyExists(std::string(path) + " already exists" +
                                 (d->kind == FileKind::kFile ? " as a file" : ""));
  }
  return NewDirectory(parent, BaseName(path), path).status();
}

Result<ChildList> TreeWriter::Children(uint64_t dir) {
  return CollectChildren(
      [&](const auto& fn) { return txn_->Scan(Family::kDentries, DirPrefix(dir), fn); });
}

Status TreeWriter::RemoveContents(uint64_t dir) {
  // Depth-first with an explicit stack: no recursion limit on deep trees.
  std::vector<uint64_t> stack{dir};
  while (!stack.empty()) {
    const uint64_t current = stack.back();
    stack.pop_back();
    NOKV_ASSIGN_OR_RETURN(auto children, Children(current));
    for (const auto& [name, d] : children) {
      if (d.kind == FileKind::kDirectory) stack.push_back(d.ino);
      txn_->Delete(Family::kDentries, DentryPrefix(current, name));
      txn_->Delete(Family::kInodes, InodePrefix(d.ino));
    }
  }
  return Status::OK();
}

Status TreeWriter::Remove(std::string_view path, bool recursive, const Precondition& pre) {
  resolved_dirs_.clear();  // entries may disappear or move below
  if (path == "/") return Status::InvalidArgument("the root directory cannot be removed");
  NOKV_ASSIGN_OR_RETURN(uint64_t parent, ParentDir(path, /*make_parents=*/false));
  const std::string_view name = BaseName(path);
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, Lookup(parent, name));
  NOKV_RETURN_IF_ERROR(CheckPrecondition(path, d, pre));
  if (!d.has_value()) return Status::NotFound(std::string(path) + " does not exist");
  if (d->kind == FileKind::kDirectory) {
    NOKV_ASSIGN_OR_RETURN(InodeRecord inode, Inode(d->ino, path));
    if (inode.child_count > 0) {
      if (!recursive) {
        return Status::NotEmpty(std::string(path) + " is a directory with " +
                                std::to_string(inode.child_count) +
                                " entries; use -r to remove it with its contents");
      }
      NOKV_RETURN_IF_ERROR(RemoveContents(d->ino));
    }
  }
  txn_->Delete(Family::kInodes, InodePrefix(d->ino));
  EventRecord e;
  e.type = EventType::kRemove;
  e.path.assign(path);
  e.ino = d->ino;
  e.kind = d->kind;
  Emit(std::move(e));
  return RemoveChild(parent, name);
}

Status TreeWriter::Rename(std::string_view src, std::string_view dst, bool no_replace) {
  resolved_dirs_.clear();  // entries may disappear or move below
  if (src == "/" || dst == "/")
    return Status::InvalidArgument("the root directory cannot be moved or replaced");
  if (src != dst && IsSameOrBelow(dst, src)) {
    return Status::InvalidArgument("cannot move " + std::string(src) + " into its own subtree (" +
                                   std::string(dst) + ")");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t src_parent, ParentDir(src, false));
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> sd, Lookup(src_parent, BaseName(src)));
  if (!sd.has_value()) return Status::NotFound(std::string(src) + " does not exist");
  if (src == dst) return Status::OK();
  NOKV_ASSIGN_OR_RETURN(uint64_t dst_parent, ParentDir(dst, false));
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> dd, Lookup(dst_parent, BaseName(dst)));
  if (dd.has_value()) {
    const std::string d(dst);
    if (no_replace) return Status::AlreadyExists(d + " already exists (--no-replace)");
    if (dd->kind == FileKind::kDirectory) {
      if (sd->kind != FileKind::kDirectory) {
        return Status::IsDirectory(d + " is a directory; move the file to a path inside it");
      }
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, Inode(dd->ino, dst));
      if (inode.child_count > 0) {
        return Status::NotEmpty(d + " is a non-empty directory and cannot be replaced");
      }
    } else if (sd->kind == FileKind::kDirectory) {
      return Status::NotDirectory(d + " is a file; a directory cannot replace it");
    }
    txn_->Delete(Family::kInodes, InodePrefix(dd->ino));
    NOKV_RETURN_IF_ERROR(RemoveChild(dst_parent, BaseName(dst)));
  }
  NOKV_RETURN_IF_ERROR(RemoveChild(src_parent, BaseName(src)));
  EventRecord e;
  e.type = EventType::kRename;
  e.path.assign(dst);
  e.from_path.assign(src);
  e.ino = sd->ino;
  e.kind = sd->kind;
  Emit(std::move(e));
  return AddChild(dst_parent, BaseName(dst), *sd);
}

Result<uint64_t> TreeWriter::CloneInode(InodeRecord inode) {
  NOKV_ASSIGN_OR_RETURN(uint64_t ino, engine_->AllocateId(IdKind::kInode));
  if (inode.kind == FileKind::kFile) inode.generation = 1;
  inode.child_count = 0;  // AddChild counts the copied entries
  inode.ctime_ns = inode.mtime_ns = now_ns_;
  if (inode.kind == FileKind::kFile) {
    NOKV_RETURN_IF_ERROR(PutFileInode(ino, inode, /*fresh_ino=*/true, /*new_body=*/false));
  } else {
    txn_->PutNew(Family::kInodes, InodePrefix(ino), EncodeInode(inode));
  }
  return ino;
}

Status TreeWriter::CopyContents(TreeSource& source, uint64_t src_dir, uint64_t dst_dir) {
  std::vector<std::pair<uint64_t, uint64_t>> stack{{src_dir, dst_dir}};
  while (!stack.empty()) {
    auto [from, to] = stack.back();
    stack.pop_back();
    NOKV_ASSIGN_OR_RETURN(ChildList children, source.Children(from));
    for (const auto& [name, d] : children) {
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, source.Inode(d.ino, name));
      NOKV_ASSIGN_OR_RETURN(uint64_t ino, CloneInode(inode));
      NOKV_RETURN_IF_ERROR(AddChild(to, name, DentryRecord{d.kind, ino}));
      if (d.kind == FileKind::kDirectory) {
        fresh_dirs_.insert(ino);
        stack.emplace_back(d.ino, ino);
      }
    }
  }
  return Status::OK();
}

Status TreeWriter::Clone(TreeSource& source, std::string_view src, std::string_view dst) {
  NOKV_ASSIGN_OR_RETURN(Resolved from, source.Resolve(src));
  if (dst == "/" || (&source == this && dst == src)) {
    return Status::AlreadyExists(std::string(dst) + " already exists");
  }
  if (&source == this && IsSameOrBelow(dst, src)) {
    return Status::InvalidArgument("cannot copy " + std::string(src) + " into itself (" +
                                   std::string(dst) + ")");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t dst_parent, ParentDir(dst, false));
  NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> dd, Lookup(dst_parent, BaseName(dst)));
  if (dd.has_value()) return Status::AlreadyExists(std::string(dst) + " already exists");
  NOKV_ASSIGN_OR_RETURN(InodeRecord root, source.Inode(from.ino, src));
  NOKV_ASSIGN_OR_RETURN(uint64_t ino, CloneInode(root));
  NOKV_RETURN_IF_ERROR(AddChild(dst_parent, BaseName(dst), DentryRecord{from.kind, ino}));
  EventRecord e;
  e.type = EventType::kClone;
  e.path.assign(dst);
  e.from_path.assign(src);
  e.ino = ino;
  e.kind = from.kind;
  e.generation = root.kind == FileKind::kFile ? 1 : 0;
  e.size = root.size;
  Emit(std::move(e));
  if (from.kind != FileKind::kDirectory) return Status::OK();
  fresh_dirs_.insert(ino);
  return CopyContents(source, from.ino, ino);
}

}  // namespace nokv
