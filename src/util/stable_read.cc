// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "util/stable_read.h"

#include "util/posix.h"

namespace nokv {

StableRead::Version StableRead::Of(const struct stat& st) {
  return {st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
}

bool StableRead::Same(const Version& a, const Version& b) {
  return a.dev == b.dev && a.ino == b.ino && a.size == b.size && a.mtime.tv_sec == b.mtime.tv_sec &&
         a.mtime.tv_nsec == b.mtime.tv_nsec && a.ctime.tv_sec == b.ctime.tv_sec &&
         a.ctime.tv_nsec == b.ctime.tv_nsec;
}

void StableRead::Start(const struct stat& opened) {
  if (S_ISREG(opened.st_mode)) opened_ = Of(opened);
}

Status StableRead::Finish(int fd, const std::string& name) const {
  if (!opened_.has_value()) return Status::OK();
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoStatus("stat " + name, errno);
  const Version now = Of(st);
  std::string what;
  if (now.size != opened_->size) {
    what = "its size went from " + std::to_string(opened_->size) + " to " +
           std::to_string(now.size) + " bytes";
  } else if (bytes_read_ != static_cast<uint64_t>(opened_->size)) {
    what = "read " + std::to_string(bytes_read_) + " of its " + std::to_string(opened_->size) +
           " bytes";
  } else if (!Same(now, *opened_)) {
    what = "it was modified";
  } else {
    return Status::OK();
  }
  return Status::Conflict(name + " changed while it was read (" + what +
                          "); retry when it is stable");
}

}  // namespace nokv
