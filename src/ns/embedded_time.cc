// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: clone, rollback, snapshots, history, watch and GC.
#include <algorithm>

#include "ns/commands.h"
#include "ns/diff.h"
#include "ns/embedded_namespace.h"
#include "ns/gc.h"
#include "ns/tree_source.h"
#include "util/clock.h"
#include "util/coding.h"
#include "util/path.h"

namespace nokv {

Result<MutationResult> EmbeddedNamespace::Clone(const std::string& src, const std::string& dst,
                                                const ReadOptions& source,
                                                const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string s, NormalizePath(src));
  NOKV_ASSIGN_OR_RETURN(std::string d, NormalizePath(dst));
  if (source.generation != 0) {
    return Status::InvalidArgument("clone reads a tree; a generation cannot be given");
  }
  const bool live = source.version == 0 && source.snapshot.empty();
  uint64_t version = 0;
  if (!live) {
    NOKV_ASSIGN_OR_RETURN(version, ResolveRead(source, s));
  }
  return RunTreeMutation(
      [&](TreeWriter& w) -> Status {
        NOKV_RETURN_IF_ERROR(MakeParentsOf(w, d, options));
        if (live) return w.Clone(w, s, d);
        VersionTree tree(engine_.get(), version);
        return w.Clone(tree, s, d);
      },
      WithParentsFlag({"clone", s, d, std::to_string(version)}, options), options);
}

Result<MutationResult> EmbeddedNamespace::Rollback(const std::string& path,
                                                   const std::string& snapshot,
                                                   const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (snapshot.empty()) return Status::InvalidArgument("rollback needs a snapshot name");
  NOKV_ASSIGN_OR_RETURN(uint64_t version, ResolveRead(ReadOptions{0, snapshot, 0}, p));
  return RunTreeMutation(
      [&](TreeWriter& w) {
        VersionTree tree(engine_.get(), version);
        return w.Restore(tree, p, snapshot);
      },
      {"rollback", p, snapshot, std::to_string(version)}, options);
}

// ---------------------------------------------------------------- snapshots

Result<SnapshotInfo> EmbeddedNamespace::CreateSnapshot(const std::string& path,
                                                       const SnapshotOptions& options) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  NOKV_ASSIGN_OR_RETURN(SnapshotRecord r, snapshots_->Create(p, options));
  return SnapshotCatalog::ToInfo(r);
}

Result<std::vector<SnapshotInfo>> EmbeddedNamespace::ListSnapshots() {
  NOKV_ASSIGN_OR_RETURN(std::vector<SnapshotRecord> all, snapshots_->List());
  std::vector<SnapshotInfo> out;
  for (const SnapshotRecord& r : all) out.push_back(SnapshotCatalog::ToInfo(r));
  return out;
}

Result<SnapshotInfo> EmbeddedNamespace::GetSnapshot(const std::string& name) {
  NOKV_ASSIGN_OR_RETURN(SnapshotRecord r, snapshots_->Get(name, NowUnixNanos()));
  return SnapshotCatalog::ToInfo(r);
}

Result<SnapshotInfo> EmbeddedNamespace::RenewSnapshot(const std::string& name,
                                                      int64_t ttl_seconds) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  NOKV_RETURN_IF_ERROR(SnapshotCatalog::ValidateName(name));
  NOKV_ASSIGN_OR_RETURN(SnapshotRecord r, snapshots_->Renew(name, ttl_seconds));
  return SnapshotCatalog::ToInfo(r);
}

Result<MutationResult> EmbeddedNamespace::DropSnapshot(const std::string& name) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  NOKV_RETURN_IF_ERROR(SnapshotCatalog::ValidateName(name));
  NOKV_ASSIGN_OR_RETURN(uint64_t version, snapshots_->Drop(name, /*expired=*/false));
  return MutationResult{version, false};
}

// ---------------------------------------------------------------- history
//
// The history of a path follows the path, not one inode. The dentry of every
// component is a versioned record, so its retained versions say which entry
// a name held over which range of versions. Walking them component by
// component gives the lives of the path: (inode, kind, [from, to)). The
// generations of each file life are its inode's versions in that range,
// plus the generation it carried in (written before `from` under another
// name and renamed into place). The cost follows the retained versions of
// the path's own records, never the size of the namespace.

struct EmbeddedNamespace::PathLife {
  uint64_t ino = 0;
  FileKind kind = FileKind::kDirectory;
  uint64_t from = 0;  // first version the path named this entry
  uint64_t to = 0;    // first version it did not (exclusive)
};

Status EmbeddedNamespace::PathLives(const std::string& path, uint64_t at,
                                    std::vector<PathLife>* out) {
  std::vector<PathLife> lives{PathLife{kRootInode, FileKind::kDirectory, 0, at + 1}};
  for (std::string_view name : SplitPath(path)) {
    std::vector<PathLife> next;
    for (const PathLife& dir : lives) {
      if (dir.kind != FileKind::kDirectory) continue;
      uint64_t end = dir.to;  // where the newer dentry version took over
      Status status;
      NOKV_RETURN_IF_ERROR(
          engine_->Versions(Family::kDentries, DentryPrefix(dir.ino, name),
                            [&](uint64_t v, std::optional<std::string_view> value) {
                              if (v >= dir.to) return true;
                              const uint64_t start = std::max(v, dir.from);
                              if (value.has_value()) {
                                DentryRecord d;
                                status = DecodeDentry(*value, &d);
                                if (!status.ok()) return false;
                                if (start < end)
                                  next.push_back(PathLife{d.ino, d.kind, start, end});
                              }
                              end = start;
                              // Older versions are from before the directory held this name.
                              return v > dir.from;
                            }));
      NOKV_RETURN_IF_ERROR(status);
    }
    lives = std::move(next);
  }
  std::sort(lives.begin(), lives.end(),
            [](const PathLife& a, const PathLife& b) { return a.from > b.from; });
  *out = std::move(lives);
  return Status::OK();
}

std::string EmbeddedNamespace::RenamedFrom(uint64_t version, const std::string& path) {
  std::string from;
  Status ignored = engine_->ScanPlainFrom(
      Family::kEvents, "", EventKey(version, 0), [&](std::string_view key, std::string_view value) {
        uint64_t v = 0;
        uint32_t seq = 0;
        if (!DecodeEventKey(key, &v, &seq) || v != version) return false;
        EventRecord e;
        if (!DecodeEvent(value, &e).ok()) return false;
        if (e.type == EventType::kRename && IsSameOrBelow(path, e.path)) {
          from = e.from_path + path.substr(e.path.size());
          return false;
        }
        return true;
      });
  (void)ignored;  // the name is a courtesy: without the log it stays empty
  return from;
}

Result<std::vector<FileGeneration>> EmbeddedNamespace::History(const std::string& path,
                                                               const ReadOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (options.generation != 0) {
    return Status::InvalidArgument("history lists every generation; do not pick one");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t at, ResolveRead(options, p));
  VersionView view(engine_.get(), at);
  Result<Resolved> now = ResolvePath(view, p);
  if (now.ok() && now->kind != FileKind::kFile) {
    return Status::IsDirectory(p + " is a directory; history lists the generations of a file");
  }
  if (!now.ok() && !now.status().IsNotFound() && now.status().code() != Code::kNotDirectory) {
    return now.status();
  }
  std::vector<PathLife> lives;
  NOKV_RETURN_IF_ERROR(PathLives(p, at, &lives));
  std::vector<FileGeneration> out;
  for (const PathLife& life : lives) {
    if (life.kind != FileKind::kFile) continue;
    // Inode versions of this life, newest first; one generation can span
    // several versions (a rollback keeps the inode): keep the oldest.
    std::vector<std::pair<uint64_t, InodeRecord>> versions;
    Status status;
    NOKV_RETURN_IF_ERROR(engine_->Versions(
        Family::kInodes, InodePrefix(life.ino),
        [&](uint64_t v, std::optional<std::string_view> value) {
          // A deletion inside the range: GC may have pruned the dentry
          // deletion of the same commit, which would have ended the range.
          if (v >= life.to || !value.has_value()) return true;
          InodeRecord inode;
          status = DecodeInode(*value, &inode);
          if (!status.ok()) return false;
          if (!versions.empty() && versions.back().second.generation == inode.generation) {
            versions.back().first = v;
          } else {
            versions.emplace_back(v, inode);
          }
          return v > life.from;  // the generation it carried in is the last
        }));
    NOKV_RETURN_IF_ERROR(status);
    for (const auto& [v, inode] : versions) {
      FileGeneration g;
      g.generation = inode.generation;
      g.version = std::max(v, life.from);
      g.mtime_ns = inode.mtime_ns;
      g.size = inode.size;
      g.ino = life.ino;
      g.current = out.empty() && now.ok() && life.to == at + 1;
      if (v < life.from) g.from_path = RenamedFrom(life.from, p);
      NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(inode.body_id, p));
      g.sha256_hex = HexEncode(body.sha256);
      out.push_back(std::move(g));
    }
  }
  if (out.empty() && !now.ok()) return now.status();
  return out;
}

// ---------------------------------------------------------------- diff

Result<DiffReport> EmbeddedNamespace::Diff(const ReadOptions& from, const ReadOptions& to,
                                           const std::string& path) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (from.generation != 0 || to.generation != 0) {
    return Status::InvalidArgument("diff compares trees; a generation cannot be given");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t a, ResolveRead(from, p));
  NOKV_ASSIGN_OR_RETURN(uint64_t b, ResolveRead(to, p));
  DiffBuilder builder(engine_.get(), a, b, p);
  std::string method = "walk";
  NOKV_ASSIGN_OR_RETURN(EventPosition oldest, events_->OldestRetained());
  // The log explains every change in (a, b] if nothing after a was trimmed.
  if (a <= b && !(EventPosition{a + 1, 0} < oldest)) {
    method = "events";
    Status status;
    NOKV_RETURN_IF_ERROR(engine_->ScanPlainFrom(
        Family::kEvents, "", EventKey(a + 1, 0), [&](std::string_view key, std::string_view value) {
          uint64_t version = 0;
          uint32_t seq = 0;
          if (!DecodeEventKey(key, &version, &seq)) {
            status = Status::Corruption("undecodable event key; run `nokv fsck`");
            return false;
          }
          if (version > b) return false;
          EventRecord e;
          status = DecodeEvent(value, &e);
          if (!status.ok()) return false;
          if (!EventLog::Concerns(e, p)) return true;
          switch (e.type) {
            case EventType::kPublish:
            case EventType::kSnapshotCreate:
            case EventType::kSnapshotDrop:
              return true;  // summaries and pins: no tree change of their own
            default:
              break;
          }
          if (IsSubtreeEvent(e.type, e.kind)) {
            builder.AddSubtree(e.path);
            if (!e.from_path.empty() && e.type == EventType::kRename) {
              builder.AddSubtree(e.from_path);
            }
          } else {
            builder.AddPath(e.path);
            if (!e.from_path.empty() && e.type == EventType::kRename) builder.AddPath(e.from_path);
          }
          return true;
        }));
    NOKV_RETURN_IF_ERROR(status);
  } else {
    builder.AddSubtree(p);
  }
  NOKV_ASSIGN_OR_RETURN(
      DiffReport report, builder.Build([&](uint64_t body_id) -> Result<std::string> {
        NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(body_id, "a diffed file"));
        return HexEncode(body.sha256);
      }));
  report.method = method;
  return report;
}

// ---------------------------------------------------------------- watch

Result<WatchPage> EmbeddedNamespace::Watch(const std::string& path, const WatchOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  return events_->Read(p, options);
}

Status EmbeddedNamespace::Refresh() {
  if (!options_.read_only) return Status::OK();
  NOKV_RETURN_IF_ERROR(engine_->CatchUp());
  NOKV_ASSIGN_OR_RETURN(uint64_t floor, LoadGcFloor(engine_.get()));
  gc_floor_.store(floor, std::memory_order_release);
  return Status::OK();
}

// ---------------------------------------------------------------- gc

Result<GcReport> EmbeddedNamespace::CollectGarbage(const GcOptions& options) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  std::lock_guard<std::mutex> l(gc_mu_);
  GarbageCollector gc(
      engine_.get(), store_.get(), snapshots_.get(), [this] { return CleanupIntents(); },
      &gc_floor_);
  return gc.Run(options);
}

}  // namespace nokv
