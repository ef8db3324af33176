// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: the Namespace implementation that runs the metadata
// engine in-process over a data dir.
#ifndef NOKV_NS_EMBEDDED_NAMESPACE_H_
#define NOKV_NS_EMBEDDED_NAMESPACE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "index/index_catalog.h"
#include "index/maintainer.h"
#include "meta/engine.h"
#include "nokv/namespace.h"
#include "ns/body_summary_cache.h"
#include "ns/data_dir.h"
#include "ns/event_log.h"
#include "ns/record_view.h"
#include "ns/snapshots.h"
#include "ns/tree_writer.h"
#include "ns/uploader.h"

namespace nokv {

class EmbeddedNamespace final : public Namespace {
 public:
  static Result<std::unique_ptr<Namespace>> Open(const Options& options);
  ~EmbeddedNamespace() override;

  Result<PublishResult> Publish(std::vector<PublishItem> items,
                                const PublishOptions& options) override;
  Result<MutationResult> Mkdir(const std::string& path, bool parents,
                               const MutationOptions& options) override;
  Result<MutationResult> Remove(const std::string& path, bool recursive,
                                const Precondition& precondition,
                                const MutationOptions& options) override;
  Result<MutationResult> MkdirPaths(const std::vector<std::string>& paths, bool parents,
                                    const MutationOptions& options) override;
  Result<MutationResult> RemovePaths(const std::vector<std::string>& paths, bool recursive,
                                     const MutationOptions& options) override;
  Result<MutationResult> Rename(const std::string& src, const std::string& dst, bool no_replace,
                                const MutationOptions& options) override;
  Result<MutationResult> Copy(const std::string& src, const std::string& dst,
                              const MutationOptions& options) override;
  Result<MutationResult> Clone(const std::string& src, const std::string& dst,
                               const ReadOptions& source, const MutationOptions& options) override;
  Result<MutationResult> Rollback(const std::string& path, const std::string& snapshot,
                                  const MutationOptions& options) override;

  Result<SnapshotInfo> CreateSnapshot(const std::string& path,
                                      const SnapshotOptions& options) override;
  Result<std::vector<SnapshotInfo>> ListSnapshots() override;
  Result<SnapshotInfo> GetSnapshot(const std::string& name) override;
  Result<SnapshotInfo> RenewSnapshot(const std::string& name, int64_t ttl_seconds) override;
  Result<MutationResult> DropSnapshot(const std::string& name) override;

  Result<CheckpointInfo> PublishCheckpoint(const std::string& run_dir, uint64_t step,
                                           std::vector<PublishItem> shards,
                                           const PublishOptions& options) override;
  Result<std::vector<CheckpointInfo>> ListCheckpoints(const std::string& run_dir,
                                                      const ReadOptions& options) override;

  Result<FileInfo> Stat(const std::string& path, const ReadOptions& options) override;
  Result<ListPage> List(const std::string& path, const ListOptions& options) override;
  Result<std::unique_ptr<FileReader>> OpenFile(const std::string& path,
                                               const ReadOptions& options) override;
  uint64_t LastVersion() const override { return engine_->VisibleVersion(); }
  Result<std::vector<FileGeneration>> History(const std::string& path,
                                              const ReadOptions& options) override;
  Result<DiffReport> Diff(const ReadOptions& from, const ReadOptions& to,
                          const std::string& path) override;
  Result<WatchPage> Watch(const std::string& path, const WatchOptions& options) override;
  Status Refresh() override;

  Result<IndexInfo> DefineIndex(const std::string& dir, const std::string& spec_yaml,
                                const MutationOptions& options) override;
  Result<std::vector<IndexInfo>> ListIndexes() override;
  Result<IndexInfo> GetIndex(const std::string& name) override;
  Result<MutationResult> DropIndex(const std::string& name,
                                   const MutationOptions& options) override;
  Result<IndexInfo> RebuildIndex(const std::string& name, const MutationOptions& options) override;
  Result<bool> ScanIndex(
      const IndexScan& scan,
      const std::function<bool(const IndexValue&, const std::string&)>& fn) override;
  Result<std::optional<IndexRow>> GetIndexRow(const std::string& index, const std::string& row_path,
                                              uint64_t version) override;
  Result<std::vector<std::optional<IndexRow>>> GetIndexRows(
      const std::string& index, const std::vector<std::string>& row_paths,
      uint64_t version) override;
  Status ScanIndexRows(const std::string& index, const std::string& under, uint64_t version,
                       const std::function<bool(const IndexRow&)>& fn) override;
  uint64_t IndexEntriesRead() const override { return index_catalog_->entries_read(); }

  Result<FsckReport> Fsck(bool verify_data) override;
  Result<IntentCleanupReport> CleanupIntents() override;
  Result<GcReport> CollectGarbage(const GcOptions& options) override;

 private:
  explicit EmbeddedNamespace(const Options& options);
  Status Init();
  // Extension points of a publish, used by checkpoints.
  struct PublishHooks {
    // After every item is uploaded, before the commit. May append items
    // (with their normalized paths and uploads, uploaded by the hook).
    std::function<Status(std::vector<PublishItem>&, std::vector<std::string>&,
                         std::vector<UploadedBody>&)>
        after_upload;
    // Runs first inside the commit: extra checks and events.
    std::function<Status(TreeWriter&)> in_commit;
    std::vector<std::string> request_extra;  // for the idempotency digest
  };
  Result<PublishResult> PublishWith(std::vector<PublishItem> items, const PublishOptions& options,
                                    const PublishHooks& hooks);
  Result<uint64_t> ReadVersion(uint64_t requested);
  // The version a read of `path` (normalized) sees under `options`; checks
  // snapshot bounds, expiry and the GC floor.
  Result<uint64_t> ResolveRead(const ReadOptions& options, const std::string& path);
  // True if a live snapshot pins exactly `version`.
  Result<bool> IsPinned(uint64_t version);
  // The inode record of generation `generation` of the file `ino`, newest
  // first among versions <= `at`; sets *version to where it was written.
  Result<InodeRecord> FindGeneration(uint64_t ino, uint64_t generation, uint64_t at,
                                     const std::string& path, uint64_t* version);
  Result<FileInfo> StatGeneration(VersionView& view, const std::string& path, uint64_t generation);
  // Commits `cmd`; `request` names the operation and its arguments for
  // idempotency checks.
  Result<MutationResult> RunMutation(const Command& cmd, const std::vector<std::string>& request,
                                     const MutationOptions& options);
  // Runs one tree operation as a command (see TreeCommand) and reports the
  // events it logged as the result's changes.
  Result<MutationResult> RunTreeMutation(const std::function<Status(TreeWriter&)>& op,
                                         const std::vector<std::string>& request,
                                         const MutationOptions& options);
  // History helpers (embedded_time.cc).
  struct PathLife;
  Status PathLives(const std::string& path, uint64_t at, std::vector<PathLife>* lives);
  std::string RenamedFrom(uint64_t version, const std::string& path);
  Result<FileInfo> StatAt(VersionView& view, const std::string& path);
  Result<BodyDescriptor> LoadBody(uint64_t body_id, const std::string& path);
  Status CheckWritable() const;
  // Runs an index command (define, rebuild, drop) in one commit.
  Result<MutationResult> RunIndexCommand(const std::function<Status(Txn&, TreeWriter&)>& op,
                                         const std::vector<std::string>& request,
                                         const MutationOptions& options);

  Options options_;
  std::string session_;
  std::unique_ptr<WriterLock> lock_;
  std::unique_ptr<ReaderScratch> scratch_;
  std::unique_ptr<MetaEngine> engine_;
  std::shared_ptr<BlockStore> store_;
  std::unique_ptr<Uploader> uploader_;
  BodySummaryCache body_summaries_;
  std::unique_ptr<SnapshotCatalog> snapshots_;
  std::unique_ptr<EventLog> events_;
  std::unique_ptr<IndexMaintainer> indexes_;
  std::unique_ptr<IndexCatalog> index_catalog_;
  std::atomic<uint64_t> gc_floor_{0};
  std::mutex gc_mu_;  // one collection at a time
};

}  // namespace nokv

#endif  // NOKV_NS_EMBEDDED_NAMESPACE_H_
