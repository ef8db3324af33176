// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: the Namespace implementation that runs the metadata
// engine in-process over a data dir.
#ifndef NOKV_NS_EMBEDDED_NAMESPACE_H_
#define NOKV_NS_EMBEDDED_NAMESPACE_H_

#include <memory>
#include <string>

#include "meta/engine.h"
#include "nokv/namespace.h"
#include "ns/body_summary_cache.h"
#include "ns/data_dir.h"
#include "ns/record_view.h"
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
  Result<MutationResult> Rename(const std::string& src, const std::string& dst, bool no_replace,
                                const MutationOptions& options) override;
  Result<MutationResult> Copy(const std::string& src, const std::string& dst,
                              const MutationOptions& options) override;

  Result<FileInfo> Stat(const std::string& path, const ReadOptions& options) override;
  Result<ListPage> List(const std::string& path, const ListOptions& options) override;
  Result<std::unique_ptr<FileReader>> OpenFile(const std::string& path,
                                               const ReadOptions& options) override;
  uint64_t LastVersion() const override { return engine_->VisibleVersion(); }

  Result<FsckReport> Fsck(bool verify_data) override;
  Result<IntentCleanupReport> CleanupIntents() override;

 private:
  explicit EmbeddedNamespace(const Options& options);
  Status Init();
  Result<uint64_t> ReadVersion(uint64_t requested) const;
  // Commits `cmd`; `request` names the operation and its arguments for
  // idempotency checks.
  Result<MutationResult> RunMutation(const Command& cmd, const std::vector<std::string>& request,
                                     const MutationOptions& options);
  Result<FileInfo> StatAt(VersionView& view, const std::string& path);
  Result<BodyDescriptor> LoadBody(uint64_t body_id, const std::string& path);
  Status CheckWritable() const;

  Options options_;
  std::string session_;
  std::unique_ptr<WriterLock> lock_;
  std::unique_ptr<ReaderScratch> scratch_;
  std::unique_ptr<MetaEngine> engine_;
  std::shared_ptr<BlockStore> store_;
  std::unique_ptr<Uploader> uploader_;
  BodySummaryCache body_summaries_;
};

}  // namespace nokv

#endif  // NOKV_NS_EMBEDDED_NAMESPACE_H_
