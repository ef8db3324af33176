// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Namespace: the one interface every front door (CLI, MCP, server, FUSE, SDKs)
// talks to. The embedded implementation runs the metadata engine in-process;
// a remote client can implement the same interface with the same semantics.
//
// Paths are absolute, '/'-separated UTF-8 strings. Components may not be
// empty after normalization, "." or "..", contain NUL, be invalid UTF-8, or
// exceed 255 bytes; a whole path may not exceed 4096 bytes. Repeated and
// trailing slashes are ignored. Invalid UTF-8 is refused everywhere (publish,
// mkdir, rename, copy, clone, checkpoint, and reads too), so every name
// survives JSON and the agent and MCP output exactly; a name is never
// escaped or replaced. Control characters are valid; human output quotes
// them, JSON output carries them exactly.
//
// Thread safety: all methods may be called concurrently. Mutations are
// linearized by the commit pipeline; each successful mutation returns the
// commit version it became visible at. Reads never block writers.
//
// Errors: every method returns a Status/Result; the message names the path and
// says what to do next.
#ifndef NOKV_NAMESPACE_H_
#define NOKV_NAMESPACE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nokv/block_store.h"
#include "nokv/byte_source.h"
#include "nokv/index_types.h"
#include "nokv/status.h"
#include "nokv/store.h"
#include "nokv/time_types.h"
#include "nokv/types.h"

namespace nokv {

struct Options {
  // Directory holding metadata (RocksDB) and, by default, the block store.
  std::string data_dir;
  // Create the data dir and an empty namespace when missing.
  bool create_if_missing = true;
  // Open without taking the writer lock. If another process holds the data
  // dir, reads follow it as a RocksDB secondary instance; mutations fail.
  bool read_only = false;
  // Bodies at or below this size are stored inline in the metadata record.
  uint64_t inline_threshold = 64 * 1024;
  // Size of the immutable blocks a larger body is split into.
  uint64_t block_size = 4 * 1024 * 1024;
  // Blocks uploaded concurrently during one publish.
  int upload_concurrency = 4;
  // Sync the write-ahead log before acknowledging a commit.
  bool sync = true;
  // Bound on cached path-resolution and inode entries (memory stays bounded).
  size_t cache_entries = 1 << 18;
  // RocksDB block cache in bytes.
  size_t block_cache_bytes = 64 << 20;
  // An upload intent older than this is considered abandoned by fsck/cleanup
  // even if its writer session may still be alive.
  int64_t intent_ttl_seconds = 24 * 3600;
  // Where bodies go: "" or "local" (DATA_DIR/blocks) or "s3://BUCKET/PREFIX"
  // reached with `s3` (see nokv/store.h). The data dir records the store it
  // was created with; opening it with another one fails (InvalidArgument).
  std::string store;
  S3Options s3;
  // An already open store; overrides `store` and is not recorded or checked.
  std::shared_ptr<BlockStore> block_store;
  // How long opening as the writer waits for another process to release the
  // writer lock before failing with Busy: 0 fails at once, negative waits
  // without a limit.
  int64_t lock_wait_ms = 0;
  // Opening as the writer reclaims uploads abandoned by dead writers. Turn
  // off to reclaim them with an explicit CleanupIntents() (which then reports
  // what it freed).
  bool cleanup_intents_on_open = true;
};

// How a publish or mutation may proceed, checked inside the commit.
struct Precondition {
  enum class Kind : uint8_t { kNone, kAbsent, kExists, kGenerationEquals, kDirectoryEmpty };
  Kind kind = Kind::kNone;
  uint64_t generation = 0;  // for kGenerationEquals

  static Precondition None() { return {}; }
  static Precondition Absent() { return {Kind::kAbsent, 0}; }
  static Precondition Exists() { return {Kind::kExists, 0}; }
  static Precondition GenerationEquals(uint64_t g) { return {Kind::kGenerationEquals, g}; }
  static Precondition DirectoryEmpty() { return {Kind::kDirectoryEmpty, 0}; }
};

struct PublishItem {
  std::string path;                    // destination in the namespace
  std::unique_ptr<ByteSource> source;  // the body; consumed by Publish
  std::string content_type;            // empty: guessed from the name
  Precondition precondition;
};

struct PublishOptions {
  // Create missing parent directories in the same commit (mkdir -p).
  bool make_parents = true;
  // Directories to create in the same commit (e.g. empty dirs of a tree).
  std::vector<std::string> directories;
  // A retry with the same key returns the first attempt's result instead of
  // publishing again. Empty: no idempotency.
  std::string idempotency_key;
  // Called from the publishing thread with bytes consumed so far / total
  // (total 0 when unknown).
  std::function<void(uint64_t done, uint64_t total)> progress;
};

struct PublishResult {
  uint64_t version = 0;
  bool replayed = false;        // idempotency key matched an earlier commit
  std::vector<FileInfo> files;  // one per item, in input order
};

struct MutationOptions {
  std::string idempotency_key;
  // Rename, Copy and Clone: create missing parent directories of the
  // destination in the same commit (mkdir -p). Off: a missing parent is
  // NotFound.
  bool make_parents = false;
};

struct MutationResult {
  uint64_t version = 0;
  bool replayed = false;
  // What the commit did: the typed events it logged (the ones Watch
  // returns), in order. Empty when replayed or when nothing changed.
  std::vector<WatchEvent> changes;
};

// Which state a read sees. At most one of `version` and `snapshot` may be
// set. With a snapshot, paths must lie inside the snapshot's root
// (InvalidArgument otherwise); a dropped or expired snapshot is NotFound or
// Expired. A version below the GC floor that no snapshot pins is Expired.
struct ReadOptions {
  uint64_t version = 0;  // 0: the newest committed version
  std::string snapshot;  // read at this snapshot's version
  // Stat/OpenFile only: that retained generation of the file (see History).
  uint64_t generation = 0;
};

struct ListOptions {
  uint64_t version = 0;     // 0: newest (ignored when cursor is given)
  std::string snapshot;     // read at this snapshot (ignored when cursor is given)
  size_t limit = 1000;      // entries per page, 1..100000 (larger is capped; 0 is an error)
  std::string cursor;       // from a previous page's next_cursor
  bool with_attrs = false;  // also load size/generation/mtime per entry
};

// A readable file body at one generation. Not thread-safe; use one per thread.
class FileReader {
 public:
  virtual ~FileReader() = default;
  virtual const FileInfo& info() const = 0;
  // Reads up to `length` bytes at `offset` into *out. Every block touched is
  // checked against its checksum; a mismatch is Corruption naming the block.
  virtual Status ReadAt(uint64_t offset, uint64_t length, std::string* out) = 0;
  // Streams the whole body to `sink` in order and verifies the SHA-256 of the
  // whole body at the end. If `sink` returns an error, streaming stops.
  virtual Status ReadAll(const std::function<Status(std::string_view)>& sink) = 0;
};

class Namespace {
 public:
  virtual ~Namespace() = default;

  // ---- mutations: each is one atomic commit ----

  // Publishes every item (and PublishOptions::directories) in one commit:
  // all become visible together or none does, even across a crash. An item
  // over an existing file replaces it with the next generation; over a
  // directory it fails with IsDirectory.
  virtual Result<PublishResult> Publish(std::vector<PublishItem> items,
                                        const PublishOptions& options) = 0;

  // Creates a directory. With `parents`, missing ancestors are created and an
  // existing directory is not an error.
  virtual Result<MutationResult> Mkdir(const std::string& path, bool parents,
                                       const MutationOptions& options) = 0;

  // Removes a file or directory. A non-empty directory needs `recursive`.
  virtual Result<MutationResult> Remove(const std::string& path, bool recursive,
                                        const Precondition& precondition,
                                        const MutationOptions& options) = 0;

  // Mkdir and Remove of several paths in one commit: all or nothing. The
  // error of the first path that fails names it; nothing is changed then.
  virtual Result<MutationResult> MkdirPaths(const std::vector<std::string>& paths, bool parents,
                                            const MutationOptions& options) = 0;
  virtual Result<MutationResult> RemovePaths(const std::vector<std::string>& paths, bool recursive,
                                             const MutationOptions& options) = 0;

  // Atomically renames `src` to `dst`. An existing file at `dst` is replaced
  // unless `no_replace`; an existing directory at `dst` must be empty. A
  // directory can never move into its own subtree.
  virtual Result<MutationResult> Rename(const std::string& src, const std::string& dst,
                                        bool no_replace, const MutationOptions& options) = 0;

  // Copies a file or a directory tree without copying bytes: the copy shares
  // the source's immutable blocks. Fails if `dst` exists.
  virtual Result<MutationResult> Copy(const std::string& src, const std::string& dst,
                                      const MutationOptions& options) = 0;

  // Forks `src` (read at `source`: live, a version or a snapshot) to `dst`
  // in one commit without copying bytes. Both share immutable blocks, which
  // stay alive as long as either references them. Fails if `dst` exists.
  virtual Result<MutationResult> Clone(const std::string& src, const std::string& dst,
                                       const ReadOptions& source,
                                       const MutationOptions& options) = 0;

  // Restores `path` to what `snapshot` holds, atomically. Entries whose
  // inode is unchanged are left alone; changed files get a new generation.
  // The result's changes (and the watch log) hold the rollback event, then
  // one remove, create, mkdir or replace event per path it changed. A
  // rollback with nothing to change commits nothing.
  virtual Result<MutationResult> Rollback(const std::string& path, const std::string& snapshot,
                                          const MutationOptions& options) = 0;

  // ---- snapshots ----

  // Pins the subtree (or file) at `path` at the version this call commits.
  virtual Result<SnapshotInfo> CreateSnapshot(const std::string& path,
                                              const SnapshotOptions& options) = 0;
  virtual Result<std::vector<SnapshotInfo>> ListSnapshots() = 0;
  virtual Result<SnapshotInfo> GetSnapshot(const std::string& name) = 0;
  // Sets a new TTL counted from now (0: no expiry).
  virtual Result<SnapshotInfo> RenewSnapshot(const std::string& name, int64_t ttl_seconds) = 0;
  virtual Result<MutationResult> DropSnapshot(const std::string& name) = 0;

  // ---- checkpoints ----

  // Publishes `shards` (PublishItem::path relative to the step directory)
  // under `run_dir`/step-NNNNNNNNNN/ together with MANIFEST.json in one
  // commit. A step that exists already is AlreadyExists.
  virtual Result<CheckpointInfo> PublishCheckpoint(const std::string& run_dir, uint64_t step,
                                                   std::vector<PublishItem> shards,
                                                   const PublishOptions& options) = 0;
  // Every checkpoint of a run, oldest step first, each checked for
  // completeness against its manifest.
  virtual Result<std::vector<CheckpointInfo>> ListCheckpoints(const std::string& run_dir,
                                                              const ReadOptions& options) = 0;

  // ---- reads ----

  virtual Result<FileInfo> Stat(const std::string& path, const ReadOptions& options) = 0;
  virtual Result<ListPage> List(const std::string& path, const ListOptions& options) = 0;
  virtual Result<std::unique_ptr<FileReader>> OpenFile(const std::string& path,
                                                       const ReadOptions& options) = 0;

  // The newest committed version.
  virtual uint64_t LastVersion() const = 0;

  // Every retained version of the file at `path`, newest first: the
  // generations of the file there now and of the files that held the path
  // before it (replaced by a rename over it, or removed and written again),
  // as far as history is retained. See docs/history.md.
  virtual Result<std::vector<FileGeneration>> History(const std::string& path,
                                                      const ReadOptions& options) = 0;

  // Changes under `path` between two states (from older to newer).
  virtual Result<DiffReport> Diff(const ReadOptions& from, const ReadOptions& to,
                                  const std::string& path) = 0;

  // Events of the subtree at `path` (recursive; the path need not exist) in
  // commit order. An expired cursor is Expired, naming the oldest valid one;
  // a cursor of another data dir is InvalidArgument.
  virtual Result<WatchPage> Watch(const std::string& path, const WatchOptions& options) = 0;

  // Read-only namespaces: pick up what the writer committed since opening or
  // the last Refresh. A no-op for the writer.
  virtual Status Refresh() = 0;

  // ---- declarative indexes (see index_types.h and docs/indexes.md) ----

  // Declares an index over the directory `dir` from a YAML spec and builds
  // it from the data already there, in one commit. InvalidArgument explains
  // a bad spec; AlreadyExists if an index of that name exists.
  virtual Result<IndexInfo> DefineIndex(const std::string& dir, const std::string& spec_yaml,
                                        const MutationOptions& options) = 0;
  virtual Result<std::vector<IndexInfo>> ListIndexes() = 0;
  // NotFound names the existing indexes.
  virtual Result<IndexInfo> GetIndex(const std::string& name) = 0;
  virtual Result<MutationResult> DropIndex(const std::string& name,
                                           const MutationOptions& options) = 0;
  // Recomputes every row from the bodies (also clears the error count).
  virtual Result<IndexInfo> RebuildIndex(const std::string& name,
                                         const MutationOptions& options) = 0;

  // Streams the postings of one field: fn(value, row path) returns false to
  // stop. Returns false (and calls fn for nothing) when the index changed
  // after scan.version, so its postings no longer describe that version;
  // ScanIndexRows answers for any retained version.
  virtual Result<bool> ScanIndex(
      const IndexScan& scan,
      const std::function<bool(const IndexValue&, const std::string&)>& fn) = 0;
  // The row at `row_path` as of `version` (nullopt if it is not a row then).
  virtual Result<std::optional<IndexRow>> GetIndexRow(const std::string& index,
                                                      const std::string& row_path,
                                                      uint64_t version) = 0;
  // GetIndexRow for several rows at once, in the order given: one read of
  // the definition and one batched lookup, from a single consistent view.
  virtual Result<std::vector<std::optional<IndexRow>>> GetIndexRows(
      const std::string& index, const std::vector<std::string>& row_paths, uint64_t version) = 0;
  // Every row under `under` as of `version`, in path order. From the stored
  // rows when they describe that version; otherwise recomputed from the
  // files at that version (reusing stored values of unchanged files).
  virtual Status ScanIndexRows(const std::string& index, const std::string& under, uint64_t version,
                               const std::function<bool(const IndexRow&)>& fn) = 0;
  // Index entries (postings and rows) read by queries since opening: a cost
  // counter for tests and benchmarks.
  virtual uint64_t IndexEntriesRead() const = 0;

  // ---- maintenance ----

  // Checks metadata invariants, that every block exists with the recorded
  // size, and (with verify_data) every block checksum and body digest.
  virtual Result<FsckReport> Fsck(bool verify_data) = 0;

  // Removes the blocks and records of abandoned uploads: intents left by a
  // dead writer session, or older than Options::intent_ttl_seconds.
  virtual Result<IntentCleanupReport> CleanupIntents() = 0;

  // Snapshot-aware garbage collection: expires snapshots, prunes history
  // below the retention floor that no snapshot needs, deletes blocks no
  // retained version references, cleans abandoned uploads and trims the
  // event log. Incremental and safe to interrupt at any point.
  virtual Result<GcReport> CollectGarbage(const GcOptions& options) = 0;
};

// Opens (or creates) the embedded namespace in options.data_dir.
// Busy if another process holds the data dir for writing (the message names
// its pid and command line); read_only opens succeed in that case.
Result<std::unique_ptr<Namespace>> OpenNamespace(const Options& options);

// Normalizes `path` per the rules above. InvalidArgument explains the rule
// that was broken.
Result<std::string> NormalizePath(const std::string& path);

}  // namespace nokv

#endif  // NOKV_NAMESPACE_H_
