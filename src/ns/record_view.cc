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
  size_t pos = 1;  // start of the next component; `path` is normalized
  while (pos < path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view name = path.substr(pos, end - pos);
    if (out.kind != FileKind::kDirectory) {
      return Status::NotDirectory(std::string(path.substr(0, pos - 1)) +
                                  " is a file, not a directory, so " + std::string(path) +
                                  " cannot exist");
    }
    NOKV_ASSIGN_OR_RETURN(std::optional<DentryRecord> d, LookupDentry(view, out.ino, name));
    if (!d.has_value()) {
      if (end == path.size()) return Status::NotFound(std::string(path) + " does not exist");
      return Status::NotFound(std::string(path) + " does not exist (" +
                              std::string(path.substr(0, end)) + " is missing)");
    }
    out.ino = d->ino;
    out.kind = d->kind;
    pos = end + 1;
  }
  return out;
}

}  // namespace nokv
