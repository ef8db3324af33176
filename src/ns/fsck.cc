// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/fsck.h"

#include <cstdio>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "meta/time_records.h"
#include "ns/body_reader.h"
#include "ns/record_view.h"
#include "util/checksum.h"
#include "util/coding.h"
#include "util/path.h"

namespace nokv {

namespace {

constexpr size_t kMaxReportedIssues = 1000;

class Checker {
 public:
  explicit Checker(const FsckContext& ctx) : ctx_(ctx), view_(ctx.engine, ctx.version) {}

  Result<FsckReport> Run() {
    NOKV_RETURN_IF_ERROR(WalkTree());
    NOKV_RETURN_IF_ERROR(CollectReferences());
    NOKV_RETURN_IF_ERROR(CheckReferenceCounts());
    NOKV_RETURN_IF_ERROR(SweepStore());
    return std::move(report_);
  }

 private:
  void Issue(std::string kind, std::string detail) {
    if (report_.issues.size() < kMaxReportedIssues) {
      report_.issues.push_back(FsckIssue{std::move(kind), std::move(detail)});
    } else if (report_.issues.size() == kMaxReportedIssues) {
      report_.issues.push_back(FsckIssue{"truncated", "more issues were found; fix these first"});
    }
  }

  Status WalkTree() {
    std::vector<std::pair<uint64_t, std::string>> stack{{kRootInode, "/"}};
    while (!stack.empty()) {
      auto [ino, path] = stack.back();
      stack.pop_back();
      auto dir = LoadInode(view_, ino, path);
      if (!dir.ok()) {
        Issue("missing_inode", dir.status().message());
        continue;
      }
      ++report_.directories;
      uint64_t children = 0;
      Status inner;
      NOKV_RETURN_IF_ERROR(
          ctx_.engine->ScanAt(Family::kDentries, DirPrefix(ino), ctx_.version, "",
                              [&](std::string_view key, std::string_view value) {
                                ++children;
                                DentryRecord d;
                                const std::string child_path = JoinPath(path, DentryName(key));
                                if (!DecodeDentry(value, &d).ok()) {
                                  Issue("bad_dentry", "entry " + child_path + " cannot be decoded");
                                  return true;
                                }
                                if (d.kind == FileKind::kDirectory) {
                                  stack.emplace_back(d.ino, child_path);
                                } else {
                                  inner = CheckFile(d.ino, child_path);
                                }
                                return inner.ok();
                              }));
      NOKV_RETURN_IF_ERROR(inner);
      if (children != dir->child_count) {
        Issue("child_count_mismatch", "directory " + path + " records " +
                                          std::to_string(dir->child_count) + " entries but has " +
                                          std::to_string(children));
      }
    }
    return Status::OK();
  }

  // Returns non-OK only when the check itself cannot proceed.
  Status CheckFile(uint64_t ino, const std::string& path) {
    ++report_.files;
    auto inode = LoadInode(view_, ino, path);
    if (!inode.ok()) {
      Issue("missing_inode", inode.status().message());
      return Status::OK();
    }
    if (inode->kind != FileKind::kFile) {
      Issue("kind_mismatch", path + " is a file entry whose inode is a directory");
      return Status::OK();
    }
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          ctx_.engine->GetPlain(Family::kBodies, IdKey(inode->body_id)));
    BodyDescriptor body;
    if (!raw.has_value() || !DecodeBody(*raw, &body).ok()) {
      Issue("missing_body", "body descriptor of " + path + " is missing or undecodable");
      return Status::OK();
    }
    if (body.size != inode->size) {
      Issue("size_mismatch", path + ": inode says " + std::to_string(inode->size) +
                                 " bytes, body says " + std::to_string(body.size));
    }
    if (body.is_inline) {
      ++report_.inline_bodies;
      if (ctx_.verify_data) {
        report_.bytes_verified += body.inline_data.size();
        if (Sha256::Digest(body.inline_data) != body.sha256) {
          Issue("digest_mismatch", "inline body of " + path + " does not match its SHA-256");
        }
      }
      return Status::OK();
    }
    Sha256 sha;
    bool intact = true;
    std::string block;
    for (uint64_t i = 0; i < body.block_crc32c.size(); ++i) {
      ++report_.blocks_checked;
      const std::string key = BlockKey(body.upload_id, i);
      auto size = ctx_.store->Size(key);
      if (!size.ok()) {
        Issue(size.status().IsNotFound() ? "missing_block" : "unreadable_block",
              "block " + std::to_string(i) + " of " + path + " (object " + key +
                  "): " + size.status().message());
        intact = false;
        continue;
      }
      if (*size != body.BlockLength(i)) {
        Issue("block_size_mismatch", "block " + std::to_string(i) + " of " + path + " (object " +
                                         key + ") has " + std::to_string(*size) +
                                         " bytes, expected " + std::to_string(body.BlockLength(i)));
        intact = false;
        continue;
      }
      if (!ctx_.verify_data) continue;
      Status s = FetchBlock(ctx_.store, body, i, path, &block);
      if (!s.ok()) {
        Issue(s.code() == Code::kCorruption ? "corrupt_block" : "unreadable_block", s.message());
        intact = false;
        continue;
      }
      report_.bytes_verified += block.size();
      sha.Update(block);
    }
    if (ctx_.verify_data && intact && sha.Finish() != body.sha256) {
      Issue("digest_mismatch",
            path + " does not match its recorded SHA-256 " + HexEncode(body.sha256));
    }
    return Status::OK();
  }

  Status CollectReferences() {
    NOKV_RETURN_IF_ERROR(
        ctx_.engine->ScanPlain(Family::kBodies, "", [&](std::string_view, std::string_view value) {
          BodyDescriptor body;
          if (DecodeBody(value, &body).ok() && !body.is_inline) referenced_.insert(body.upload_id);
          return true;
        }));
    return ctx_.engine->ScanPlain(
        Family::kIntents, "", [&](std::string_view, std::string_view value) {
          IntentRecord r;
          if (!DecodeIntent(value, &r).ok()) {
            Issue("bad_intent", "an upload intent record cannot be decoded");
            return true;
          }
          ++report_.pending_intents;
          referenced_.insert(r.upload_id);
          // A writer that died mid-upload leaves its intent and some blocks;
          // cleanup reclaims them. That is pending work, not damage.
          if (!ctx_.intent_is_live(r)) {
            ++report_.abandoned_intents;
            abandoned_.insert(r.upload_id);
          }
          return true;
        });
  }

  // Every body's reference count equals the number of stored inode versions
  // that name it; bodies nothing names are queued for GC, and nothing named
  // is queued. A mismatch would let GC free a body still in use (or leak one).
  Status CheckReferenceCounts() {
    std::unordered_map<uint64_t, uint64_t> uses;
    Status status;
    NOKV_RETURN_IF_ERROR(ctx_.engine->ScanAllVersions(
        Family::kInodes, [&](std::string_view, uint64_t, std::optional<std::string_view> value) {
          if (!value.has_value()) return true;
          InodeRecord inode;
          if (DecodeInode(*value, &inode).ok() && inode.kind == FileKind::kFile) {
            ++uses[inode.body_id];
          }
          return true;
        }));
    std::unordered_map<uint64_t, uint64_t> counted;
    NOKV_RETURN_IF_ERROR(ctx_.engine->ScanPlain(
        Family::kRefs, "", [&](std::string_view key, std::string_view value) {
          uint64_t n = 0;
          if (key.size() != 8 || !DecodeCount(value, &n).ok()) {
            Issue("bad_refcount", "a body reference count cannot be decoded");
            return true;
          }
          counted[DecodeFixed64BE(key.data())] = n;
          return true;
        }));
    std::unordered_set<uint64_t> dead;
    NOKV_RETURN_IF_ERROR(ctx_.engine->ScanPlain(Family::kGc, std::string(1, kGcDeadBodyTag),
                                                [&](std::string_view key, std::string_view) {
                                                  uint64_t id = 0;
                                                  if (DecodeDeadBodyKey(key, &id)) dead.insert(id);
                                                  return true;
                                                }));
    for (const auto& [body, n] : uses) {
      auto it = counted.find(body);
      const uint64_t have = it == counted.end() ? 0 : it->second;
      if (have != n) {
        Issue("refcount_mismatch", "body " + std::to_string(body) + " is named by " +
                                       std::to_string(n) + " inode versions but counted " +
                                       std::to_string(have) + " times");
      }
      if (dead.count(body) != 0) {
        Issue("dead_body_in_use",
              "body " + std::to_string(body) + " is queued for deletion but still named by a file");
      }
    }
    for (const auto& [body, n] : counted) {
      if (uses.count(body) == 0) {
        Issue("refcount_mismatch", "body " + std::to_string(body) + " is counted " +
                                       std::to_string(n) + " times but named by no inode");
      }
    }
    NOKV_RETURN_IF_ERROR(
        ctx_.engine->ScanPlain(Family::kBodies, "", [&](std::string_view key, std::string_view) {
          const uint64_t body = DecodeFixed64BE(key.data());
          if (uses.count(body) == 0 && dead.count(body) == 0) {
            Issue("leaked_body",
                  "body " + std::to_string(body) + " is named by no file and not queued for gc");
          }
          return true;
        }));
    return status;
  }

  Status SweepStore() {
    uint64_t orphan_bytes = 0;
    NOKV_RETURN_IF_ERROR(ctx_.store->List("u/", [&](const ObjectInfo& o) {
      // Keys look like u/HH/<16 hex upload id>/<index>.
      unsigned long long id = 0;
      if (o.key.size() >= 22 && std::sscanf(o.key.c_str() + 5, "%16llx", &id) == 1 &&
          referenced_.count(id) != 0) {
        if (abandoned_.count(id) != 0) {
          ++report_.abandoned_objects;
          report_.abandoned_bytes += o.size;
        }
        return true;
      }
      ++report_.orphan_objects;
      orphan_bytes += o.size;
      if (report_.orphan_objects <= 20) {
        Issue("orphan_object", "object " + o.key + " (" + std::to_string(o.size) +
                                   " bytes) is referenced by no file and no upload");
      }
      return true;
    }));
    if (report_.orphan_objects > 20) {
      Issue("orphan_object", std::to_string(report_.orphan_objects) + " orphan objects in all (" +
                                 std::to_string(orphan_bytes) + " bytes)");
    }
    return Status::OK();
  }

  const FsckContext& ctx_;
  VersionView view_;
  FsckReport report_;
  std::unordered_set<uint64_t> referenced_;
  std::unordered_set<uint64_t> abandoned_;  // upload ids of abandoned intents
};

}  // namespace

Result<FsckReport> RunFsck(const FsckContext& ctx) { return Checker(ctx).Run(); }

}  // namespace nokv
