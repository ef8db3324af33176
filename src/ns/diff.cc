// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/diff.h"

#include <algorithm>
#include <unordered_map>

#include "util/path.h"

namespace nokv {

const char* DiffTypeName(DiffEntry::Type t) {
  switch (t) {
    case DiffEntry::Type::kAdded:
      return "added";
    case DiffEntry::Type::kRemoved:
      return "removed";
    case DiffEntry::Type::kModified:
      return "modified";
    case DiffEntry::Type::kRenamed:
      return "renamed";
  }
  return "unknown";
}

DiffBuilder::DiffBuilder(MetaEngine* engine, uint64_t from_version, uint64_t to_version,
                         std::string root)
    : engine_(engine), from_(from_version), to_(to_version), root_(std::move(root)) {}

void DiffBuilder::AddPath(const std::string& path) {
  if (IsSameOrBelow(path, root_)) paths_.insert(path);
}

void DiffBuilder::AddSubtree(const std::string& path) {
  if (IsSameOrBelow(path, root_)) {
    subtrees_.insert(path);
  } else if (IsSameOrBelow(root_, path)) {
    subtrees_.insert(root_);  // the change covers the whole diffed subtree
  }
}

Status DiffBuilder::Lookup(TreeSource& tree, const std::string& path, Side* side) {
  if (side->count(path) != 0) return Status::OK();
  auto r = tree.Resolve(path);
  if (!r.ok()) {
    if (r.status().IsNotFound() || r.status().code() == Code::kNotDirectory) return Status::OK();
    return r.status();
  }
  NOKV_ASSIGN_OR_RETURN(InodeRecord inode, tree.Inode(r->ino, path));
  (*side)[path] = Entry{r->kind, r->ino, inode};
  return Status::OK();
}

Status DiffBuilder::Walk(TreeSource& tree, const std::string& path, Side* side) {
  NOKV_RETURN_IF_ERROR(Lookup(tree, path, side));
  auto it = side->find(path);
  if (it == side->end() || it->second.kind != FileKind::kDirectory) return Status::OK();
  std::vector<std::pair<std::string, uint64_t>> dirs{{path, it->second.ino}};
  while (!dirs.empty()) {
    auto [dir_path, dir_ino] = dirs.back();
    dirs.pop_back();
    NOKV_ASSIGN_OR_RETURN(ChildList children, tree.Children(dir_ino));
    for (const auto& [name, d] : children) {
      std::string child = JoinPath(dir_path, name);
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, tree.Inode(d.ino, child));
      if (d.kind == FileKind::kDirectory) dirs.emplace_back(child, d.ino);
      (*side)[std::move(child)] = Entry{d.kind, d.ino, inode};
    }
  }
  return Status::OK();
}

Result<bool> DiffBuilder::SameContents(const Entry& a, const Entry& b, const DigestFn& digest) {
  if (a.kind != FileKind::kFile || a.inode.body_id == b.inode.body_id) return true;
  if (a.inode.size != b.inode.size) return false;
  NOKV_ASSIGN_OR_RETURN(std::string da, digest(a.inode.body_id));
  NOKV_ASSIGN_OR_RETURN(std::string db, digest(b.inode.body_id));
  return da == db;
}

Result<DiffReport> DiffBuilder::Build(const DigestFn& digest) {
  VersionTree from(engine_, from_), to(engine_, to_);
  Side a, b;
  for (const std::string& s : subtrees_) {
    NOKV_RETURN_IF_ERROR(Walk(from, s, &a));
    NOKV_RETURN_IF_ERROR(Walk(to, s, &b));
  }
  for (const std::string& p : paths_) {
    NOKV_RETURN_IF_ERROR(Lookup(from, p, &a));
    NOKV_RETURN_IF_ERROR(Lookup(to, p, &b));
  }
  DiffReport report;
  report.from_version = from_;
  report.to_version = to_;
  report.paths_examined = a.size() + b.size();

  auto fill = [&](const Entry& e, bool old_side, DiffEntry* out) -> Status {
    out->kind = e.kind;
    out->ino = e.ino;
    if (e.kind != FileKind::kFile) return Status::OK();
    NOKV_ASSIGN_OR_RETURN(std::string sha, digest(e.inode.body_id));
    (old_side ? out->old_size : out->new_size) = e.inode.size;
    (old_side ? out->old_generation : out->new_generation) = e.inode.generation;
    (old_side ? out->old_sha256_hex : out->new_sha256_hex) = std::move(sha);
    return Status::OK();
  };
  // Where each inode is on either side, to tell a move from a replacement.
  std::unordered_map<uint64_t, const std::string*> a_at, b_at;
  for (const auto& [path, e] : a) a_at[e.ino] = &path;
  for (const auto& [path, e] : b) b_at[e.ino] = &path;
  auto elsewhere = [](const std::unordered_map<uint64_t, const std::string*>& at, uint64_t ino,
                      const std::string& path) {
    auto it = at.find(ino);
    return it != at.end() && *it->second != path;
  };
  // A path on both sides with the same kind is compared by contents,
  // whatever its inode (a rollback or rm+put gives it a new one), unless
  // an inode moved: then it is a rename and the path's other side is added
  // or removed.
  auto same_entry = [&](const std::string& path, const Entry& ea, const Entry& eb) {
    if (ea.kind != eb.kind) return false;
    if (ea.ino == eb.ino) return true;
    return !elsewhere(b_at, ea.ino, path) && !elsewhere(a_at, eb.ino, path);
  };
  std::unordered_map<uint64_t, std::string> removed_by_ino;
  std::vector<std::pair<std::string, const Entry*>> added;
  for (const auto& [path, ea] : a) {
    auto it = b.find(path);
    if (it != b.end() && same_entry(path, ea, it->second)) {
      NOKV_ASSIGN_OR_RETURN(bool same, SameContents(ea, it->second, digest));
      if (same) continue;
      DiffEntry d;
      d.type = DiffEntry::Type::kModified;
      d.path = path;
      NOKV_RETURN_IF_ERROR(fill(ea, true, &d));
      NOKV_RETURN_IF_ERROR(fill(it->second, false, &d));
      report.entries.push_back(std::move(d));
      continue;
    }
    removed_by_ino[ea.ino] = path;
  }
  for (const auto& [path, eb] : b) {
    auto it = a.find(path);
    if (it != a.end() && same_entry(path, it->second, eb)) continue;
    added.emplace_back(path, &eb);
  }
  // Renames: one inode that left one path and appeared at another.
  std::vector<std::pair<std::string, std::string>> renamed_dirs;  // old, new
  for (const auto& [path, eb] : added) {
    auto r = removed_by_ino.find(eb->ino);
    if (r == removed_by_ino.end()) continue;
    if (eb->kind == FileKind::kDirectory) renamed_dirs.emplace_back(r->second, path);
  }
  auto implied = [&](const std::string& old_path, const std::string& new_path) {
    for (const auto& [old_dir, new_dir] : renamed_dirs) {
      if (old_path == old_dir) continue;
      if (IsSameOrBelow(old_path, old_dir) && IsSameOrBelow(new_path, new_dir) &&
          old_path.substr(old_dir.size()) == new_path.substr(new_dir.size())) {
        return true;
      }
    }
    return false;
  };
  std::set<uint64_t> paired;
  for (const auto& [path, eb] : added) {
    DiffEntry d;
    d.path = path;
    auto r = removed_by_ino.find(eb->ino);
    if (r != removed_by_ino.end()) {
      paired.insert(eb->ino);
      const Entry& ea = a.at(r->second);
      NOKV_ASSIGN_OR_RETURN(bool same, SameContents(ea, *eb, digest));
      if (implied(r->second, path) && same) continue;
      d.type = DiffEntry::Type::kRenamed;
      d.old_path = r->second;
      NOKV_RETURN_IF_ERROR(fill(ea, true, &d));
    } else {
      d.type = DiffEntry::Type::kAdded;
    }
    NOKV_RETURN_IF_ERROR(fill(*eb, false, &d));
    report.entries.push_back(std::move(d));
  }
  for (const auto& [ino, path] : removed_by_ino) {
    if (paired.count(ino) != 0) continue;
    DiffEntry d;
    d.type = DiffEntry::Type::kRemoved;
    d.path = path;
    NOKV_RETURN_IF_ERROR(fill(a.at(path), true, &d));
    report.entries.push_back(std::move(d));
  }
  std::sort(report.entries.begin(), report.entries.end(),
            [](const DiffEntry& x, const DiffEntry& y) {
              return x.path != y.path ? x.path < y.path : x.type < y.type;
            });
  return report;
}

}  // namespace nokv
