// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/embedded_namespace.h"

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "index/store_index_source.h"
#include "ns/body_reader.h"
#include "ns/commands.h"
#include "ns/fsck.h"
#include "ns/gc.h"
#include "ns/list_cursor.h"
#include "ns/store_binding.h"
#include "ns/tree_writer.h"
#include "util/checksum.h"
#include "util/clock.h"
#include "util/coding.h"
#include "util/path.h"

namespace nokv {

namespace {

constexpr size_t kMaxListLimit = 100000;

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

FileInfo InfoFromBody(const std::string& path, uint64_t ino, const InodeRecord& inode,
                      uint64_t version, const BodyDescriptor* body) {
  FileInfo info;
  info.path = path;
  info.ino = ino;
  info.kind = inode.kind;
  info.size = inode.size;
  info.generation = inode.generation;
  info.version = version;
  info.ctime_ns = inode.ctime_ns;
  info.mtime_ns = inode.mtime_ns;
  info.child_count = inode.child_count;
  info.body_id = inode.body_id;
  if (body != nullptr) {
    info.sha256_hex = HexEncode(body->sha256);
    info.content_type = body->content_type;
    info.is_inline = body->is_inline;
    info.block_count = body->block_crc32c.size();
  }
  return info;
}

}  // namespace

Result<std::unique_ptr<Namespace>> OpenNamespace(const Options& options) {
  return EmbeddedNamespace::Open(options);
}

EmbeddedNamespace::EmbeddedNamespace(const Options& options)
    : options_(options), session_(NewSessionId()), body_summaries_(options.cache_entries / 4) {}

EmbeddedNamespace::~EmbeddedNamespace() {
  uploader_.reset();
  engine_.reset();  // before the lock and the scratch dir go away
}

Result<std::unique_ptr<Namespace>> EmbeddedNamespace::Open(const Options& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("no data dir given");
  if (options.block_size == 0 || options.block_size > (uint64_t{1} << 30)) {
    return Status::InvalidArgument("block size must be between 1 byte and 1 GiB");
  }
  std::unique_ptr<EmbeddedNamespace> ns(new EmbeddedNamespace(options));
  NOKV_RETURN_IF_ERROR(ns->Init());
  return std::unique_ptr<Namespace>(std::move(ns));
}

Status EmbeddedNamespace::Init() {
  const std::string& dir = options_.data_dir;
  EngineOptions eo;
  eo.db_path = MetaPath(dir);
  eo.read_only = options_.read_only;
  eo.sync = options_.sync;
  eo.cache_entries = options_.cache_entries;
  eo.block_cache_bytes = options_.block_cache_bytes;
  if (options_.read_only) {
    if (!FileExists(eo.db_path + "/CURRENT")) {
      return Status::NotFound("no nokv namespace in " + dir +
                              " yet; publish something first (nokv put FILE /PATH)");
    }
    NOKV_ASSIGN_OR_RETURN(scratch_, ReaderScratch::Create(dir));
    eo.secondary_path = scratch_->path();
  } else {
    if (!FileExists(dir)) {
      if (!options_.create_if_missing)
        return Status::NotFound("data dir " + dir + " does not exist");
      NOKV_RETURN_IF_ERROR(CreateDirs(dir));
    }
    NOKV_ASSIGN_OR_RETURN(lock_, WriterLock::Acquire(dir, options_.lock_wait_ms));
  }
  store_ = options_.block_store;
  if (!store_) {
    NOKV_ASSIGN_OR_RETURN(store_, OpenConfiguredStore(options_));
  }
  NOKV_ASSIGN_OR_RETURN(engine_, MetaEngine::Open(eo));
  uploader_ = std::make_unique<Uploader>(engine_.get(), store_.get(), options_, session_);
  snapshots_ = std::make_unique<SnapshotCatalog>(engine_.get());
  events_ = std::make_unique<EventLog>(engine_.get());
  indexes_ = std::make_unique<IndexMaintainer>([this](Txn& txn, TreeSource& tree) {
    return std::make_unique<StoreIndexSource>(
        tree, [&txn](uint64_t id) { return txn.Get(Family::kBodies, IdKey(id)); }, store_.get());
  });
  index_catalog_ = std::make_unique<IndexCatalog>(engine_.get(), indexes_.get(), store_.get());
  NOKV_ASSIGN_OR_RETURN(uint64_t floor, LoadGcFloor(engine_.get()));
  gc_floor_.store(floor, std::memory_order_release);
  if (!options_.read_only && options_.cleanup_intents_on_open) {
    // Uploads of a writer that died can never commit: reclaim them now.
    NOKV_RETURN_IF_ERROR(CleanupIntents().status().WithContext("clean up abandoned uploads"));
  }
  return Status::OK();
}

Status EmbeddedNamespace::CheckWritable() const {
  if (options_.read_only) {
    return Status::InvalidArgument("this namespace was opened read-only; open it as the writer");
  }
  return Status::OK();
}

Result<uint64_t> EmbeddedNamespace::ReadVersion(uint64_t requested) {
  const uint64_t newest = engine_->VisibleVersion();
  if (requested == 0) return newest;
  if (requested > newest) {
    return Status::InvalidArgument("version " + std::to_string(requested) +
                                   " has not been committed; the newest is " +
                                   std::to_string(newest));
  }
  const uint64_t floor = gc_floor_.load(std::memory_order_acquire);
  if (requested < floor) {
    NOKV_ASSIGN_OR_RETURN(bool pinned, IsPinned(requested));
    if (!pinned) {
      return Status::Expired("version " + std::to_string(requested) +
                             " was pruned by gc; history is kept from version " +
                             std::to_string(floor) +
                             " on (take a snapshot to keep a version readable)");
    }
  }
  return requested;
}

// ---------------------------------------------------------------- mutations

Result<PublishResult> EmbeddedNamespace::Publish(std::vector<PublishItem> items,
                                                 const PublishOptions& options) {
  return PublishWith(std::move(items), options, PublishHooks{});
}

Result<PublishResult> EmbeddedNamespace::PublishWith(std::vector<PublishItem> items,
                                                     const PublishOptions& options,
                                                     const PublishHooks& hooks) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  if (items.empty() && options.directories.empty()) {
    return Status::InvalidArgument("nothing to publish");
  }
  std::vector<std::string> paths;
  std::set<std::string> seen;
  for (const PublishItem& item : items) {
    NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(item.path));
    if (!seen.insert(p).second) {
      return Status::InvalidArgument(p + " appears twice in one publish");
    }
    if (!item.source) return Status::InvalidArgument("no body given for " + p);
    paths.push_back(std::move(p));
  }
  std::vector<std::string> dirs;
  for (const std::string& d : options.directories) {
    NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(d));
    dirs.push_back(std::move(p));
  }
  uint64_t total = 0, done = 0;
  for (const PublishItem& item : items) total += item.source->SizeHint().value_or(0);
  auto progress = [&](uint64_t n) {
    done += n;
    if (options.progress) options.progress(done, total);
  };

  std::vector<UploadedBody> uploads;
  auto discard_all = [&]() {
    for (const UploadedBody& u : uploads) uploader_->Discard(u);
  };
  for (size_t i = 0; i < items.size(); ++i) {
    std::string type = items[i].content_type.empty() ? GuessContentType(BaseName(paths[i]))
                                                     : items[i].content_type;
    auto up = uploader_->Upload(*items[i].source, type, progress);
    if (!up.ok()) {
      discard_all();
      return up.status().WithContext("publish " + paths[i]);
    }
    uploads.push_back(std::move(up.value()));
  }
  if (hooks.after_upload) {
    Status s = hooks.after_upload(items, paths, uploads);
    if (!s.ok()) {
      discard_all();
      return s;
    }
  }

  const int64_t now = NowUnixNanos();
  std::vector<BoundFile> bound(items.size());
  Command cmd = [&](Txn& txn) -> Status {
    TreeWriter writer(&txn, engine_.get(), now);
    if (hooks.in_commit) NOKV_RETURN_IF_ERROR(hooks.in_commit(writer));
    if (items.size() > 1) {
      // One event for the whole set, before the per-file ones: a watcher
      // knows how many files land together.
      EventRecord e;
      e.type = EventType::kPublish;
      e.path = CommonDirectory(paths);
      e.kind = FileKind::kDirectory;
      e.detail = "files=" + std::to_string(items.size());
      writer.Emit(std::move(e));
    }
    for (const std::string& d : dirs) {
      NOKV_RETURN_IF_ERROR(writer.MakeDirectory(d, options.make_parents, /*exist_ok=*/true));
    }
    for (size_t i = 0; i < items.size(); ++i) {
      UploadedBody& u = uploads[i];
      if (u.has_intent) {
        NOKV_ASSIGN_OR_RETURN(std::optional<std::string> intent,
                              txn.Get(Family::kIntents, IdKey(u.body_id)));
        IntentRecord record;
        if (intent.has_value()) NOKV_RETURN_IF_ERROR(DecodeIntent(*intent, &record));
        if (!intent.has_value() || record.retiring) {
          return Status::Conflict("the upload of " + paths[i] +
                                  " expired and was reclaimed before it could commit; retry");
        }
        txn.Delete(Family::kIntents, IdKey(u.body_id));
      }
      NOKV_ASSIGN_OR_RETURN(bound[i], writer.BindFile(paths[i], u.body_id, &u.descriptor,
                                                      items[i].precondition, options.make_parents));
    }
    return FinishTreeCommand(txn, writer, indexes_.get());
  };
  std::vector<std::string> request{"publish", options.make_parents ? "p" : ""};
  for (size_t i = 0; i < items.size(); ++i) {
    request.push_back(paths[i]);
    request.push_back(std::to_string(static_cast<int>(items[i].precondition.kind)) + ":" +
                      std::to_string(items[i].precondition.generation));
  }
  request.insert(request.end(), dirs.begin(), dirs.end());
  request.insert(request.end(), hooks.request_extra.begin(), hooks.request_extra.end());
  // The bodies are part of the request: a key reused with other bytes at the
  // same paths is a conflict, not a replay that silently drops them.
  for (const UploadedBody& u : uploads) request.push_back(u.descriptor.sha256);
  auto committed = engine_->Commit(cmd, options.idempotency_key, RequestDigest(request));
  if (!committed.ok() || committed->replayed) discard_all();
  if (!committed.ok()) return committed.status();

  PublishResult result;
  result.version = committed->version;
  result.replayed = committed->replayed;
  for (size_t i = 0; i < items.size(); ++i) {
    if (result.replayed) {
      auto info = Stat(paths[i], ReadOptions{result.version, "", 0});
      if (info.ok()) result.files.push_back(std::move(info.value()));
      continue;
    }
    InodeRecord inode;
    inode.kind = FileKind::kFile;
    inode.size = uploads[i].descriptor.size;
    inode.generation = bound[i].generation;
    inode.body_id = uploads[i].body_id;
    inode.ctime_ns = bound[i].ctime_ns;
    inode.mtime_ns = now;
    result.files.push_back(
        InfoFromBody(paths[i], bound[i].ino, inode, result.version, &uploads[i].descriptor));
  }
  return result;
}

Result<MutationResult> EmbeddedNamespace::RunMutation(const Command& cmd,
                                                      const std::vector<std::string>& request,
                                                      const MutationOptions& options) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  NOKV_ASSIGN_OR_RETURN(CommitResult r,
                        engine_->Commit(cmd, options.idempotency_key, RequestDigest(request)));
  MutationResult result;
  result.version = r.version;
  result.replayed = r.replayed;
  return result;
}

Result<MutationResult> EmbeddedNamespace::RunTreeMutation(
    const std::function<Status(TreeWriter&)>& op, const std::vector<std::string>& request,
    const MutationOptions& options) {
  std::vector<EventRecord> emitted;
  NOKV_ASSIGN_OR_RETURN(
      MutationResult result,
      RunMutation(TreeCommand(engine_.get(), indexes_.get(), NowUnixNanos(), op, &emitted), request,
                  options));
  if (!result.replayed) {
    for (const EventRecord& e : emitted) {
      result.changes.push_back(EventLog::ToWatchEvent(e, result.version, ""));
    }
  }
  return result;
}

namespace {

Result<std::vector<std::string>> NormalizePaths(const std::vector<std::string>& paths,
                                                const char* verb) {
  if (paths.empty()) return Status::InvalidArgument(std::string("no path given to ") + verb);
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<MutationResult> EmbeddedNamespace::Mkdir(const std::string& path, bool parents,
                                                const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  return RunTreeMutation([&](TreeWriter& w) { return w.MakeDirectory(p, parents, parents); },
                         {"mkdir", p, parents ? "p" : ""}, options);
}

Result<MutationResult> EmbeddedNamespace::MkdirPaths(const std::vector<std::string>& paths,
                                                     bool parents, const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::vector<std::string> ps, NormalizePaths(paths, "mkdir"));
  if (ps.size() == 1) return Mkdir(ps[0], parents, options);
  std::vector<std::string> request{"mkdir", parents ? "p" : ""};
  request.insert(request.end(), ps.begin(), ps.end());
  return RunTreeMutation(
      [&](TreeWriter& w) -> Status {
        for (const std::string& p : ps) {
          Status s = w.MakeDirectory(p, parents, parents);
          if (!s.ok()) return s.WithContext("mkdir " + p + " (nothing was created)");
        }
        return Status::OK();
      },
      request, options);
}

Result<MutationResult> EmbeddedNamespace::Remove(const std::string& path, bool recursive,
                                                 const Precondition& precondition,
                                                 const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  return RunTreeMutation(
      [&](TreeWriter& w) { return w.Remove(p, recursive, precondition); },
      {"rm", p, recursive ? "r" : "", std::to_string(static_cast<int>(precondition.kind)),
       std::to_string(precondition.generation)},
      options);
}

Result<MutationResult> EmbeddedNamespace::RemovePaths(const std::vector<std::string>& paths,
                                                      bool recursive,
                                                      const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::vector<std::string> ps, NormalizePaths(paths, "rm"));
  if (ps.size() == 1) return Remove(ps[0], recursive, Precondition::None(), options);
  std::vector<std::string> request{"rm", recursive ? "r" : ""};
  request.insert(request.end(), ps.begin(), ps.end());
  return RunTreeMutation(
      [&](TreeWriter& w) -> Status {
        // Every path must exist before anything goes, so a path below one
        // removed earlier in the list is still checked.
        for (const std::string& p : ps) {
          auto r = w.Resolve(p);
          if (!r.ok()) return r.status().WithContext("rm " + p + " (nothing was removed)");
        }
        std::vector<std::string> done;
        for (const std::string& p : ps) {
          bool covered = false;
          for (const std::string& d : done) covered = covered || IsSameOrBelow(p, d);
          if (covered) continue;
          Status s = w.Remove(p, recursive, Precondition::None());
          if (!s.ok()) return s.WithContext("rm " + p + " (nothing was removed)");
          done.push_back(p);
        }
        return Status::OK();
      },
      request, options);
}

Result<MutationResult> EmbeddedNamespace::Rename(const std::string& src, const std::string& dst,
                                                 bool no_replace, const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string s, NormalizePath(src));
  NOKV_ASSIGN_OR_RETURN(std::string d, NormalizePath(dst));
  return RunTreeMutation(
      [&](TreeWriter& w) -> Status {
        NOKV_RETURN_IF_ERROR(MakeParentsOf(w, d, options));
        return w.Rename(s, d, no_replace);
      },
      WithParentsFlag({"mv", s, d, no_replace ? "n" : ""}, options), options);
}

Result<MutationResult> EmbeddedNamespace::Copy(const std::string& src, const std::string& dst,
                                               const MutationOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string s, NormalizePath(src));
  NOKV_ASSIGN_OR_RETURN(std::string d, NormalizePath(dst));
  return RunTreeMutation(
      [&](TreeWriter& w) -> Status {
        NOKV_RETURN_IF_ERROR(MakeParentsOf(w, d, options));
        return w.Clone(w, s, d);
      },
      WithParentsFlag({"cp", s, d}, options), options);
}

// ---------------------------------------------------------------- reads

Result<FileInfo> EmbeddedNamespace::StatAt(VersionView& view, const std::string& path) {
  NOKV_ASSIGN_OR_RETURN(Resolved r, ResolvePath(view, path));
  NOKV_ASSIGN_OR_RETURN(InodeRecord inode, LoadInode(view, r.ino, path));
  FileInfo info = InfoFromBody(path, r.ino, inode, view.last_read_version(), nullptr);
  if (inode.kind == FileKind::kDirectory) return info;
  std::optional<BodySummary> summary = body_summaries_.Lookup(inode.body_id);
  if (!summary.has_value()) {
    NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(inode.body_id, path));
    summary = BodySummary{HexEncode(body.sha256), body.content_type, body.block_crc32c.size(),
                          body.is_inline};
    body_summaries_.Insert(inode.body_id, *summary);
  }
  info.sha256_hex = std::move(summary->sha256_hex);
  info.content_type = std::move(summary->content_type);
  info.block_count = summary->block_count;
  info.is_inline = summary->is_inline;
  return info;
}

Result<InodeRecord> EmbeddedNamespace::FindGeneration(uint64_t ino, uint64_t generation,
                                                      uint64_t at, const std::string& path,
                                                      uint64_t* version) {
  std::optional<InodeRecord> found;
  Status status;
  NOKV_RETURN_IF_ERROR(engine_->Versions(Family::kInodes, InodePrefix(ino),
                                         [&](uint64_t v, std::optional<std::string_view> value) {
                                           if (v > at || !value.has_value()) return true;
                                           InodeRecord inode;
                                           status = DecodeInode(*value, &inode);
                                           if (!status.ok()) return false;
                                           if (inode.generation < generation)
                                             return false;  // generations only grow
                                           if (inode.generation == generation) {
                                             found = inode;
                                             *version = v;
                                             return false;
                                           }
                                           return true;
                                         }));
  NOKV_RETURN_IF_ERROR(status);
  if (!found.has_value()) {
    return Status::NotFound("generation " + std::to_string(generation) + " of " + path +
                            " is not retained; `nokv history " + path + "` lists those that are");
  }
  return *found;
}

Result<FileInfo> EmbeddedNamespace::StatGeneration(VersionView& view, const std::string& path,
                                                   uint64_t generation) {
  NOKV_ASSIGN_OR_RETURN(Resolved r, ResolvePath(view, path));
  if (r.kind != FileKind::kFile) {
    return Status::IsDirectory(path + " is a directory; generations belong to files");
  }
  uint64_t version = 0;
  NOKV_ASSIGN_OR_RETURN(InodeRecord inode,
                        FindGeneration(r.ino, generation, view.version(), path, &version));
  NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(inode.body_id, path));
  return InfoFromBody(path, r.ino, inode, version, &body);
}

Result<bool> EmbeddedNamespace::IsPinned(uint64_t version) {
  NOKV_ASSIGN_OR_RETURN(std::vector<SnapshotRecord> all, snapshots_->List());
  const int64_t now = NowUnixNanos();
  for (const SnapshotRecord& s : all) {
    if (s.version == version && (s.expires_ns == 0 || s.expires_ns >= now)) return true;
  }
  return false;
}

Result<uint64_t> EmbeddedNamespace::ResolveRead(const ReadOptions& options,
                                                const std::string& path) {
  if (options.snapshot.empty()) return ReadVersion(options.version);
  if (options.version != 0) {
    return Status::InvalidArgument("give either a version or a snapshot to read at, not both");
  }
  NOKV_ASSIGN_OR_RETURN(SnapshotRecord snap, snapshots_->Get(options.snapshot, NowUnixNanos()));
  if (!IsSameOrBelow(path, snap.path)) {
    return Status::InvalidArgument(path + " is outside snapshot " + snap.name + ", which holds " +
                                   snap.path + "; use a path inside it");
  }
  return snap.version;
}

Result<BodyDescriptor> EmbeddedNamespace::LoadBody(uint64_t body_id, const std::string& path) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        engine_->GetPlain(Family::kBodies, IdKey(body_id)));
  if (!raw.has_value()) {
    return Status::Corruption("the body descriptor of " + path + " is missing; run `nokv fsck`");
  }
  BodyDescriptor body;
  NOKV_RETURN_IF_ERROR(DecodeBody(*raw, &body));
  return body;
}

Result<FileInfo> EmbeddedNamespace::Stat(const std::string& path, const ReadOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  NOKV_ASSIGN_OR_RETURN(uint64_t version, ResolveRead(options, p));
  VersionView view(engine_.get(), version);
  if (options.generation != 0) return StatGeneration(view, p, options.generation);
  return StatAt(view, p);
}

Result<ListPage> EmbeddedNamespace::List(const std::string& path, const ListOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  ListCursor cursor;
  if (!options.cursor.empty()) {
    NOKV_ASSIGN_OR_RETURN(cursor, DecodeListCursor(options.cursor));
    NOKV_RETURN_IF_ERROR(ReadVersion(cursor.version).status());
  } else {
    NOKV_ASSIGN_OR_RETURN(cursor.version,
                          ResolveRead(ReadOptions{options.version, options.snapshot, 0}, p));
  }
  VersionView view(engine_.get(), cursor.version);
  NOKV_ASSIGN_OR_RETURN(Resolved dir, ResolvePath(view, p));
  if (dir.kind != FileKind::kDirectory) {
    return Status::NotDirectory(p + " is a file; use stat to inspect it");
  }
  if (!options.cursor.empty() && cursor.dir_ino != dir.ino) {
    return Status::InvalidArgument("the cursor belongs to a different listing than " + p);
  }
  if (options.limit == 0)
    return Status::InvalidArgument("a listing page needs a limit of at least 1");
  const size_t limit = std::min(options.limit, kMaxListLimit);
  ListPage page;
  page.version = cursor.version;
  Status decode_status;
  bool more = false;
  const std::string start_after =
      options.cursor.empty() ? std::string() : DentryPrefix(dir.ino, cursor.after_name);
  NOKV_RETURN_IF_ERROR(engine_->ScanAt(Family::kDentries, DirPrefix(dir.ino), cursor.version,
                                       start_after,
                                       [&](std::string_view key, std::string_view value) {
                                         if (page.entries.size() == limit) {
                                           more = true;
                                           return false;
                                         }
                                         DentryRecord d;
                                         decode_status = DecodeDentry(value, &d);
                                         if (!decode_status.ok()) return false;
                                         DirEntry e;
                                         e.name.assign(DentryName(key));
                                         e.kind = d.kind;
                                         e.ino = d.ino;
                                         page.entries.push_back(std::move(e));
                                         return true;
                                       }));
  NOKV_RETURN_IF_ERROR(decode_status);
  if (options.with_attrs) {
    for (DirEntry& e : page.entries) {
      NOKV_ASSIGN_OR_RETURN(InodeRecord inode, LoadInode(view, e.ino, JoinPath(p, e.name)));
      e.size = inode.size;
      e.generation = inode.generation;
      e.mtime_ns = inode.mtime_ns;
      e.child_count = inode.child_count;
    }
  }
  if (more) {
    page.next_cursor =
        EncodeListCursor(ListCursor{cursor.version, dir.ino, page.entries.back().name});
  }
  return page;
}

Result<std::unique_ptr<FileReader>> EmbeddedNamespace::OpenFile(const std::string& path,
                                                                const ReadOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(path));
  NOKV_ASSIGN_OR_RETURN(uint64_t version, ResolveRead(options, p));
  VersionView view(engine_.get(), version);
  FileInfo info;
  if (options.generation != 0) {
    NOKV_ASSIGN_OR_RETURN(info, StatGeneration(view, p, options.generation));
  } else {
    NOKV_ASSIGN_OR_RETURN(info, StatAt(view, p));
  }
  if (info.kind == FileKind::kDirectory) {
    return Status::IsDirectory(p + " is a directory; use ls to list it");
  }
  NOKV_ASSIGN_OR_RETURN(BodyDescriptor body, LoadBody(info.body_id, p));
  return NewBodyReader(std::move(info), std::move(body), store_.get(), options_.upload_concurrency);
}

// ---------------------------------------------------------------- maintenance

Result<FsckReport> EmbeddedNamespace::Fsck(bool verify_data) {
  FsckContext ctx;
  ctx.engine = engine_.get();
  ctx.store = store_.get();
  ctx.version = engine_->VisibleVersion();
  ctx.verify_data = verify_data;
  const bool other_writer = options_.read_only && WriterLock::IsHeld(options_.data_dir);
  const int64_t now = NowUnixNanos();
  ctx.intent_is_live = [&](const IntentRecord& r) {
    if (now > r.deadline_ns) return false;
    if (options_.read_only) return other_writer;
    return r.session == session_;
  };
  return RunFsck(ctx);
}

Result<IntentCleanupReport> EmbeddedNamespace::CleanupIntents() {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  std::vector<IntentRecord> abandoned;
  const int64_t now = NowUnixNanos();
  Status decode_status;
  NOKV_RETURN_IF_ERROR(
      engine_->ScanPlain(Family::kIntents, "", [&](std::string_view, std::string_view value) {
        IntentRecord r;
        decode_status = DecodeIntent(value, &r);
        if (!decode_status.ok()) return false;
        if (r.session != session_ || now > r.deadline_ns) abandoned.push_back(std::move(r));
        return true;
      }));
  NOKV_RETURN_IF_ERROR(decode_status);
  IntentCleanupReport report;
  for (IntentRecord r : abandoned) {
    // 1. Mark the intent retiring inside the pipeline: from then on no commit
    //    can bind this upload. 2. Delete its objects. 3. Drop the intent. A
    //    crash between the steps leaves a retiring intent that the next
    //    cleanup finishes.
    if (!r.retiring) {
      bool still_pending = false;
      NOKV_RETURN_IF_ERROR(engine_->Maintain([&](Txn& txn) -> Status {
        NOKV_ASSIGN_OR_RETURN(std::optional<std::string> current,
                              txn.Get(Family::kIntents, IdKey(r.upload_id)));
        still_pending = current.has_value();
        if (!still_pending) return Status::OK();
        r.retiring = true;
        txn.Put(Family::kIntents, IdKey(r.upload_id), EncodeIntent(r));
        return Status::OK();
      }));
      if (!still_pending) continue;
    }
    NOKV_RETURN_IF_ERROR(
        uploader_->DeleteObjects(r.upload_id, &report.objects_removed, &report.bytes_removed));
    NOKV_RETURN_IF_ERROR(engine_->DeletePlainDirect(Family::kIntents, IdKey(r.upload_id)));
    ++report.intents_removed;
  }
  return report;
}

}  // namespace nokv
