// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: checkpoints. A checkpoint is a publish of every shard
// plus a manifest into a step directory that must not exist yet, in one
// commit; the manifest names each shard's generation (always 1, since the
// directory is new), size and digest.
#include <algorithm>

#include "ns/checkpoint_manifest.h"
#include "ns/embedded_namespace.h"
#include "util/clock.h"
#include "util/coding.h"
#include "util/path.h"

namespace nokv {

Result<CheckpointInfo> EmbeddedNamespace::PublishCheckpoint(const std::string& run_dir,
                                                            uint64_t step,
                                                            std::vector<PublishItem> shards,
                                                            const PublishOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string run, NormalizePath(run_dir));
  if (shards.empty()) return Status::InvalidArgument("a checkpoint needs at least one file");
  CheckpointInfo info;
  info.run_dir = run;
  info.step = step;
  info.path = JoinPath(run, StepDirName(step));
  info.manifest_path = JoinPath(info.path, kManifestName);
  for (PublishItem& shard : shards) {
    NOKV_ASSIGN_OR_RETURN(std::string rel, NormalizePath("/" + shard.path));
    if (rel == "/") return Status::InvalidArgument("a checkpoint file needs a name");
    shard.path = info.path + rel;
    if (shard.path == info.manifest_path) {
      return Status::InvalidArgument(std::string(kManifestName) +
                                     " is reserved for the checkpoint manifest");
    }
    shard.precondition = Precondition::Absent();
  }
  PublishHooks hooks;
  hooks.request_extra = {"checkpoint", run, std::to_string(step)};
  hooks.after_upload = [&](std::vector<PublishItem>& items, std::vector<std::string>& paths,
                           std::vector<UploadedBody>& uploads) -> Status {
    info.created_ns = NowUnixNanos();
    for (size_t i = 0; i < items.size(); ++i) {
      const BodyDescriptor& d = uploads[i].descriptor;
      info.shards.push_back(CheckpointShard{paths[i], 1, d.size, HexEncode(d.sha256)});
      info.total_bytes += d.size;
    }
    std::unique_ptr<ByteSource> manifest = StringSource(EncodeManifest(info));
    NOKV_ASSIGN_OR_RETURN(UploadedBody up,
                          uploader_->Upload(*manifest, "application/json", [](uint64_t) {}));
    uploads.push_back(std::move(up));
    paths.push_back(info.manifest_path);
    PublishItem item;
    item.path = info.manifest_path;
    item.precondition = Precondition::Absent();
    items.push_back(std::move(item));
    return Status::OK();
  };
  hooks.in_commit = [&](TreeWriter& writer) -> Status {
    auto existing = writer.Resolve(info.path);
    if (existing.ok()) {
      return Status::AlreadyExists("step " + std::to_string(step) + " of " + run +
                                   " is already published (" + info.path + ")");
    }
    if (!existing.status().IsNotFound()) return existing.status();
    EventRecord e;
    e.type = EventType::kCheckpoint;
    e.path = info.path;
    e.kind = FileKind::kDirectory;
    e.size = info.total_bytes;
    e.detail = "step=" + std::to_string(step) + " files=" + std::to_string(info.shards.size());
    writer.Emit(std::move(e));
    return Status::OK();
  };
  PublishOptions publish = options;
  publish.make_parents = true;
  NOKV_ASSIGN_OR_RETURN(PublishResult result, PublishWith(std::move(shards), publish, hooks));
  info.version = result.version;
  if (result.replayed) {
    // A retried publish: describe what the first attempt committed.
    NOKV_ASSIGN_OR_RETURN(std::vector<CheckpointInfo> all,
                          ListCheckpoints(run, ReadOptions{result.version, "", 0}));
    for (CheckpointInfo& c : all) {
      if (c.step == step) return std::move(c);
    }
  }
  return info;
}

Result<std::vector<CheckpointInfo>> EmbeddedNamespace::ListCheckpoints(const std::string& run_dir,
                                                                       const ReadOptions& options) {
  NOKV_ASSIGN_OR_RETURN(std::string run, NormalizePath(run_dir));
  NOKV_ASSIGN_OR_RETURN(uint64_t version, ResolveRead(options, run));
  std::vector<CheckpointInfo> out;
  ListOptions list;
  list.version = version;
  list.limit = 10000;
  do {
    NOKV_ASSIGN_OR_RETURN(ListPage page, List(run, list));
    for (const DirEntry& e : page.entries) {
      CheckpointInfo info;
      if (e.kind != FileKind::kDirectory || !ParseStepDirName(e.name, &info.step)) continue;
      info.run_dir = run;
      info.path = JoinPath(run, e.name);
      info.manifest_path = JoinPath(info.path, kManifestName);
      const ReadOptions at{version, "", 0};
      auto reader = OpenFile(info.manifest_path, at);
      if (!reader.ok()) {
        info.complete = false;
        info.problem = "no readable manifest: " + reader.status().message();
        out.push_back(std::move(info));
        continue;
      }
      info.version = (*reader)->info().version;
      std::string json;
      NOKV_RETURN_IF_ERROR((*reader)->ReadAll([&](std::string_view chunk) {
        json.append(chunk);
        return Status::OK();
      }));
      const uint64_t step = info.step;
      if (Status s = DecodeManifest(json, &info); !s.ok() || info.step != step) {
        info.complete = false;
        info.problem = s.ok() ? "manifest names another step" : s.message();
        out.push_back(std::move(info));
        continue;
      }
      for (const CheckpointShard& shard : info.shards) {
        auto st = Stat(shard.path, at);
        if (!st.ok() || st->generation != shard.generation || st->sha256_hex != shard.sha256_hex) {
          info.complete = false;
          info.problem = shard.path + (st.ok() ? " was replaced" : " is missing");
          break;
        }
      }
      out.push_back(std::move(info));
    }
    list.cursor = page.next_cursor;
  } while (!list.cursor.empty());
  std::sort(out.begin(), out.end(),
            [](const CheckpointInfo& a, const CheckpointInfo& b) { return a.step < b.step; });
  return out;
}

}  // namespace nokv
