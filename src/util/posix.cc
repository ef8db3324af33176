// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "util/posix.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nokv {

Status ErrnoStatus(const std::string& what, int err) {
  std::string msg = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(msg);
    case ENOSPC:
    case EDQUOT:
      return Status::NoSpace(msg + " (free disk space, then retry)");
    case EEXIST:
      return Status::AlreadyExists(msg);
    case ENOTDIR:
      return Status::NotDirectory(msg);
    case EISDIR:
      return Status::IsDirectory(msg);
    case EACCES:
    case EPERM:
      return Status::IOError(msg + " (check permissions)");
    default:
      return Status::IOError(msg);
  }
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Status WriteAll(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(what, errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status SyncDir(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoStatus("open directory " + dir, errno);
  if (::fsync(fd.get()) != 0) return ErrnoStatus("fsync directory " + dir, errno);
  return Status::OK();
}

Status CreateDirs(const std::string& dir) {
  if (dir.empty()) return Status::InvalidArgument("empty directory name");
  std::string partial;
  size_t i = 0;
  while (i <= dir.size()) {
    size_t end = dir.find('/', i);
    if (end == std::string::npos) end = dir.size();
    partial = dir.substr(0, end);
    if (!partial.empty() && ::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("create directory " + partial, errno);
    }
    i = end + 1;
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus("stat " + dir, errno);
  if (!S_ISDIR(st.st_mode)) return Status::NotDirectory(dir + " exists and is not a directory");
  return Status::OK();
}

}  // namespace nokv
