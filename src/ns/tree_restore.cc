// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// TreeWriter::Restore: rollback of a subtree to a snapshot inside one commit.
// Both trees are read in full; the live tree is then edited into the
// snapshot's shape. An entry keeps a live inode (so a diff across a rollback
// shows modifications, not remove+add, and a repeated rollback changes
// nothing): first the snapshot's own inode when it is still live in the
// subtree with the same kind, else the live entry of the same kind at the
// same place (same restored parent, same name). Everything else gets a fresh
// inode that shares the snapshot's bodies.
//
// Events: the rollback event first, then one typed event per path whose
// entry the rollback changed, compared by path as a user sees the tree:
// remove (gone, or of another kind now), create and mkdir (back), replace
// (a file with other contents now). Entries that already matched the
// snapshot get none.
#include <map>
#include <set>
#include <unordered_map>

#include "ns/tree_writer.h"
#include "util/path.h"

namespace nokv {

struct TreeWriter::RestorePlan {
  struct Entry {
    uint64_t parent = 0;
    std::string name;
    DentryRecord d;
  };
  uint64_t snap_root = 0;
  FileKind snap_root_kind = FileKind::kDirectory;
  std::vector<Entry> snap_entries;  // below the root, parents first
  std::unordered_map<uint64_t, FileKind> live_inos;
  std::vector<Entry> live_entries;
  std::unordered_map<uint64_t, uint64_t> target;  // snapshot ino -> live ino
  std::unordered_map<uint64_t, bool> reused;      // live ino -> kept
  // Live entries by (parent, name), for matching by place.
  std::map<std::pair<uint64_t, std::string>, DentryRecord> live_at;
  std::string root_path;
  std::optional<DentryRecord> live_root;
  // The events of what changed (see above), filled by ApplyRestore.
  std::vector<EventRecord> changes;
};

namespace {

// Path -> entry of one side of a restore, from its root and its entries
// (parents listed before their children).
template <typename Entries>
std::map<std::string, DentryRecord> PathsOf(const std::string& root_path,
                                            const std::optional<DentryRecord>& root,
                                            const Entries& entries) {
  std::map<std::string, DentryRecord> out;
  if (!root.has_value()) return out;
  out[root_path] = *root;
  std::unordered_map<uint64_t, std::string> dirs{{root->ino, root_path}};
  for (const auto& e : entries) {
    auto parent = dirs.find(e.parent);
    if (parent == dirs.end()) continue;
    std::string path = JoinPath(parent->second, e.name);
    if (e.d.kind == FileKind::kDirectory) dirs[e.d.ino] = path;
    out[std::move(path)] = e.d;
  }
  return out;
}

}  // namespace

Status TreeWriter::CollectSubtree(TreeSource& source, uint64_t root, RestorePlan* plan,
                                  bool snapshot_side) {
  std::vector<uint64_t> dirs{root};
  for (size_t i = 0; i < dirs.size(); ++i) {
    NOKV_ASSIGN_OR_RETURN(ChildList children, source.Children(dirs[i]));
    for (auto& [name, d] : children) {
      if (d.kind == FileKind::kDirectory) dirs.push_back(d.ino);
      if (!snapshot_side) {
        plan->live_inos.emplace(d.ino, d.kind);
        plan->live_at[{dirs[i], name}] = d;
      }
      auto& entries = snapshot_side ? plan->snap_entries : plan->live_entries;
      entries.push_back(RestorePlan::Entry{dirs[i], std::move(name), d});
    }
  }
  return Status::OK();
}

Status TreeWriter::Restore(TreeSource& snapshot, std::string_view path,
                           std::string_view snapshot_name) {
  resolved_dirs_.clear();
  std::optional<Resolved> snap_root;
  if (auto r = snapshot.Resolve(path); r.ok()) {
    snap_root = *r;
  } else if (!r.status().IsNotFound() && r.status().code() != Code::kNotDirectory) {
    return r.status();
  }
  EventRecord event;
  event.type = EventType::kRollback;
  event.path.assign(path);
  event.detail.assign(snapshot_name);
  if (!snap_root.has_value()) {
    // Absent in the snapshot: absent after the rollback.
    if (path == "/") return Status::Internal("the root is missing from a snapshot");
    RestorePlan gone;
    if (auto live = Resolve(path); live.ok()) {
      gone.live_root = DentryRecord{live->kind, live->ino};
      if (live->kind == FileKind::kDirectory) {
        NOKV_RETURN_IF_ERROR(CollectSubtree(*this, live->ino, &gone, false));
      }
    }
    Emit(std::move(event));
    auto removed = Remove(path, /*recursive=*/true, Precondition::None());
    if (!removed.ok() && !removed.IsNotFound() && removed.code() != Code::kNotDirectory) {
      return removed;
    }
    const std::string root(path);
    for (const auto& [p, d] : PathsOf(root, gone.live_root, gone.live_entries)) {
      if (p == root) continue;  // Remove logged it
      EventRecord e;
      e.type = EventType::kRemove;
      e.path = p;
      e.ino = d.ino;
      e.kind = d.kind;
      Emit(std::move(e));
    }
    return Status::OK();
  }

  RestorePlan plan;
  plan.snap_root = snap_root->ino;
  plan.snap_root_kind = snap_root->kind;
  plan.root_path.assign(path);
  uint64_t parent = 0;
  std::optional<DentryRecord> live_root;
  if (path == "/") {
    live_root = DentryRecord{FileKind::kDirectory, kRootInode};
  } else {
    NOKV_ASSIGN_OR_RETURN(parent, ParentDir(path, /*make_parents=*/true));
    NOKV_ASSIGN_OR_RETURN(live_root, Lookup(parent, BaseName(path)));
  }
  plan.live_root = live_root;
  if (live_root.has_value()) {
    plan.live_inos.emplace(live_root->ino, live_root->kind);
    if (live_root->kind == FileKind::kDirectory) {
      NOKV_RETURN_IF_ERROR(CollectSubtree(*this, live_root->ino, &plan, false));
    }
  }
  if (snap_root->kind == FileKind::kDirectory) {
    NOKV_RETURN_IF_ERROR(CollectSubtree(snapshot, snap_root->ino, &plan, true));
  }
  // Decide the live inode of every snapshot inode: by identity first, then
  // by place (parents are decided before their children).
  auto kept = [&](uint64_t snap_ino, uint64_t live_ino) {
    plan.target[snap_ino] = live_ino;
    plan.reused[live_ino] = true;
  };
  auto by_identity = [&](uint64_t snap_ino, FileKind kind) {
    auto live = plan.live_inos.find(snap_ino);
    if (live != plan.live_inos.end() && live->second == kind) kept(snap_ino, snap_ino);
  };
  by_identity(snap_root->ino, snap_root->kind);
  for (const auto& e : plan.snap_entries) by_identity(e.d.ino, e.d.kind);
  auto by_place = [&](uint64_t snap_ino, FileKind kind,
                      const std::optional<DentryRecord>& live) -> Status {
    if (plan.target.count(snap_ino) != 0) return Status::OK();
    if (live.has_value() && live->kind == kind && plan.reused.count(live->ino) == 0) {
      kept(snap_ino, live->ino);
      return Status::OK();
    }
    NOKV_ASSIGN_OR_RETURN(uint64_t fresh, engine_->AllocateId(IdKind::kInode));
    plan.target[snap_ino] = fresh;
    return Status::OK();
  };
  NOKV_RETURN_IF_ERROR(by_place(snap_root->ino, snap_root->kind, live_root));
  for (const auto& e : plan.snap_entries) {
    std::optional<DentryRecord> live;
    auto it = plan.live_at.find({plan.target[e.parent], e.name});
    if (it != plan.live_at.end()) live = it->second;
    NOKV_RETURN_IF_ERROR(by_place(e.d.ino, e.d.kind, live));
  }

  const DentryRecord want{snap_root->kind, plan.target[snap_root->ino]};
  NOKV_RETURN_IF_ERROR(ApplyRestore(snapshot, plan));
  if (path != "/") {
    if (!live_root.has_value()) {
      NOKV_RETURN_IF_ERROR(AddChild(parent, BaseName(path), want));
    } else if (live_root->ino != want.ino || live_root->kind != want.kind) {
      txn_->Put(Family::kDentries, DentryPrefix(parent, BaseName(path)), EncodeDentry(want));
    }
  }
  event.ino = want.ino;
  event.kind = want.kind;
  Emit(std::move(event));
  for (EventRecord& e : plan.changes) Emit(std::move(e));
  return Status::OK();
}

Status TreeWriter::ApplyRestore(TreeSource& snapshot, RestorePlan& plan) {
  // The tree by path before and after, for the events.
  const std::map<std::string, DentryRecord> before =
      PathsOf(plan.root_path, plan.live_root, plan.live_entries);
  std::vector<RestorePlan::Entry> snap_targets;
  for (const auto& e : plan.snap_entries) {
    snap_targets.push_back(RestorePlan::Entry{plan.target[e.parent], e.name,
                                              DentryRecord{e.d.kind, plan.target[e.d.ino]}});
  }
  const std::map<std::string, DentryRecord> after = PathsOf(
      plan.root_path, DentryRecord{plan.snap_root_kind, plan.target[plan.snap_root]}, snap_targets);
  // Bodies of live files replaced by another inode at the same path.
  std::unordered_map<uint64_t, uint64_t> before_body;  // live ino -> body
  for (const auto& [p, d] : before) {
    auto it = after.find(p);
    if (d.kind != FileKind::kFile || it == after.end() || it->second.ino == d.ino) continue;
    NOKV_ASSIGN_OR_RETURN(InodeRecord live, Inode(d.ino, p));
    before_body[d.ino] = live.body_id;
  }
  // Dentries: the snapshot's shape, keyed by live parent and name.
  using Key = std::pair<uint64_t, std::string>;
  std::map<Key, DentryRecord> wanted;
  for (const auto& e : plan.snap_entries) {
    wanted[{plan.target[e.parent], e.name}] = DentryRecord{e.d.kind, plan.target[e.d.ino]};
  }
  std::map<Key, DentryRecord> current;
  for (const auto& e : plan.live_entries) current[{e.parent, e.name}] = e.d;
  for (const auto& [key, d] : current) {
    if (wanted.count(key) == 0) NOKV_RETURN_IF_ERROR(RemoveChild(key.first, key.second));
  }
  for (const auto& [key, d] : wanted) {
    auto it = current.find(key);
    if (it == current.end()) {
      NOKV_RETURN_IF_ERROR(AddChild(key.first, key.second, d));
    } else if (it->second.ino != d.ino || it->second.kind != d.kind) {
      txn_->Put(Family::kDentries, DentryPrefix(key.first, key.second), EncodeDentry(d));
    }
  }
  // Inodes: live ones that are not kept disappear.
  for (const auto& [ino, kind] : plan.live_inos) {
    if (plan.reused.count(ino) == 0) txn_->Delete(Family::kInodes, InodePrefix(ino));
  }
  // Snapshot inodes: fresh ones are created, kept files take the snapshot's
  // body as their next generation when it differs.
  std::vector<uint64_t> snap_inos{plan.snap_root};
  for (const auto& e : plan.snap_entries) snap_inos.push_back(e.d.ino);
  // The inode every restored file ends with, and whether it changed.
  std::unordered_map<uint64_t, InodeRecord> restored;  // live ino -> inode
  std::set<uint64_t> new_generation;
  for (uint64_t s : snap_inos) {
    NOKV_ASSIGN_OR_RETURN(InodeRecord want, snapshot.Inode(s, "a snapshot entry"));
    const uint64_t t = plan.target[s];
    if (plan.reused.count(t) != 0) {
      if (want.kind != FileKind::kFile) continue;
      NOKV_ASSIGN_OR_RETURN(InodeRecord live, Inode(t, "a restored file"));
      if (live.body_id == want.body_id) {
        restored[t] = live;
        continue;
      }
      live.generation += 1;
      live.size = want.size;
      live.body_id = want.body_id;
      live.mtime_ns = now_ns_;
      NOKV_RETURN_IF_ERROR(PutFileInode(t, live, /*fresh_ino=*/false, /*new_body=*/false));
      restored[t] = live;
      new_generation.insert(t);
      continue;
    }
    if (want.kind == FileKind::kFile) want.generation = 1;
    want.child_count = 0;
    want.ctime_ns = want.mtime_ns = now_ns_;
    if (want.kind == FileKind::kFile) {
      NOKV_RETURN_IF_ERROR(PutFileInode(t, want, /*fresh_ino=*/true, /*new_body=*/false));
      restored[t] = want;
      new_generation.insert(t);
    } else {
      txn_->PutNew(Family::kInodes, InodePrefix(t), EncodeInode(want));
    }
  }

  // Events, by path.
  for (const auto& [p, d] : before) {
    auto it = after.find(p);
    if (it != after.end() && it->second.kind == d.kind) continue;
    EventRecord e;
    e.type = EventType::kRemove;
    e.path = p;
    e.ino = d.ino;
    e.kind = d.kind;
    plan.changes.push_back(std::move(e));
  }
  for (const auto& [p, d] : after) {
    auto it = before.find(p);
    const bool same_kind = it != before.end() && it->second.kind == d.kind;
    EventRecord e;
    e.path = p;
    e.ino = d.ino;
    e.kind = d.kind;
    if (d.kind == FileKind::kDirectory) {
      if (same_kind) continue;
      e.type = EventType::kMkdir;
      plan.changes.push_back(std::move(e));
      continue;
    }
    const InodeRecord& file = restored[d.ino];
    if (!same_kind) {
      e.type = EventType::kCreate;
    } else if (it->second.ino == d.ino) {
      if (new_generation.count(d.ino) == 0) continue;
      e.type = EventType::kReplace;
    } else {
      if (before_body[it->second.ino] == file.body_id) continue;  // same contents
      e.type = EventType::kReplace;
    }
    e.generation = file.generation;
    e.size = file.size;
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          txn_->Get(Family::kBodies, IdKey(file.body_id)));
    if (raw.has_value()) {
      BodyDescriptor body;
      NOKV_RETURN_IF_ERROR(DecodeBody(*raw, &body));
      e.sha256 = std::move(body.sha256);
    }
    plan.changes.push_back(std::move(e));
  }
  return Status::OK();
}

}  // namespace nokv
