// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/record_view.h"

#include "util/path.h"

namespace nokv {

Result<std::optional<std::string>> VersionView::Get(Family f, std::string_view prefix) {
  NOKV_ASSIGN_OR_RETURN(VersionedValue v, engine_->ReadAt(f, prefix, version_));
  last_read_version_ = v.version;
  return std::move(v.value);
}

Result<std::optional<DentryRecord>> LookupDentry(RecordView& view, uint64_t parent,
                                                 std::string_view name) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        view.Get(Family::kDentries, DentryPrefix(parent, name)));
  if (!raw.has_value()) return std::optional<DentryRecord>();
  DentryRecord d;
  NOKV_RETURN_IF_ERROR(DecodeDentry(*raw, &d));
  return std::optional<DentryRecord>(d);
}

Result<InodeRecord> LoadInode(RecordView& view, uint64_t ino, std::string_view path) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                        view.Get(Family::kInodes, InodePrefix(ino)));
  if (!raw.has_value()) {
    return Status::Corruption("inode " + std::to_string(ino) + " of " + std::string(path) +
                              " is missing; run `nokv fsck`");
  }
  InodeRecord r;
  NOKV_RETURN_IF_ERROR(DecodeInode(*raw, &r));
  return r;
}

Result<Resolved> ResolvePath(RecordView& view, std::string_view path) {
  Resolved out;
  out.ino = kRootInode;
  out.kind = FileKind::kDirectory;
  size_t consumed = 0;  // bytes of `path` resolved so far
  for (std::string_view name : SplitPath(path)) {
    if (out.kind != FileKind::kDirectory) {
      return Status::NotDirectory(std::string(path.substr(0, consumed)) +
                                  " is a file, not a directory, so " + std::string(path) +
                                  " cannot exist");
    }
    NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, LookupDentry(view, out.ino, name));
    consumed += 1 + name.size();
    if (!d.has_value()) {
      std::string missing(path.substr(0, consumed));
      if (missing == path) return Status::NotFound(std::string(path) + " does not exist");
      return Status::NotFound(std::string(path) + " does not exist (" + missing + " is missing)");
    }
    out.ancestors.push_back(out.ino);
    out.parent = out.ino;
    out.ino = d->ino;
    out.kind = d->kind;
  }
  return out;
}

}  // namespace nokv
