// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: clone, rollback, snapshots, history, watch and GC.
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
  const int64_t now = NowUnixNanos();
  return RunMutation(TreeCommand(engine_.get(), indexes_.get(), now,
                                 [&](TreeWriter& w) {
                                   if (live) return w.Clone(w, s, d);
                                   VersionTree tree(engine_.get(), version);
                                   return w.Clone(tree, s, d);
                                 }),
                     {"clone", s, d, std::to_string(version)}, options);
}

Result<MutationResult> EmbeddedNamespace::Rollback(const std::string& path,
                                                   const std::string& snapshot,
                                                   const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (snapshot.empty()) return Status::InvalidArgument("rollback needs a snapshot name");
  NOKV_ASSIGN_OR_RETURN(uint64_t version, ResolveRead(ReadOptions{0, snapshot, 0}, p));
  const int64_t now = NowUnixNanos();
  return RunMutation(TreeCommand(engine_.get(), indexes_.get(), now,
                                 [&](TreeWriter& w) {
                                   VersionTree tree(engine_.get(), version);
                                   return w.Restore(tree, p, snapshot);
                                 }),
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

Result<std::vector<FileGeneration>> EmbeddedNamespace::History(const std::string& path,
                                                               const ReadOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  if (options.generation != 0) {
    return Status::InvalidArgument("history lists every generation; do not pick one");
  }
  NOKV_ASSIGN_OR_RETURN(uint64_t at, ResolveRead(options, p));
  VersionView view(engine_.get(), at);
  NOKV_ASSIGN_OR_RETURN(Resolved r, ResolvePath(view, p));
  if (r.kind != FileKind::kFile) {
    return Status::IsDirectory(p + " is a directory; history lists the generations of a file");
  }
  std::vector<std::pair<uint64_t, InodeRecord>> versions;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->Versions(
      Family::kInodes, InodePrefix(r.ino), [&](uint64_t v, std::optional<std::string_view> value) {
        if (v > at) return true;
        if (!value.has_value()) return false;  // an older life of a reused inode
        InodeRecord inode;
        status = DecodeInode(*value, &inode);
        if (!status.ok()) return false;
        // Several versions of one generation (rollback keeps the inode):
        // the oldest version is where the generation was written.
        if (!versions.empty() && versions.back().second.generation == inode.generation) {
          versions.back().first = v;
        } else {
          versions.emplace_back(v, inode);
        }
        return true;
      }));
  NOKV_RETURN_IF_ERROR(status);
  std::vector<FileGeneration> out;
  for (const auto& [v, inode] : versions) {
    FileGeneration g;
    g.generation = inode.generation;
    g.version = v;
    g.mtime_ns = inode.mtime_ns;
    g.size = inode.size;
    g.current = out.empty();
    NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(inode.body_id, p));
    g.sha256_hex = HexEncode(body.sha256);
    out.push_back(std::move(g));
  }
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
