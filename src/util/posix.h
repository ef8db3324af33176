// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Small POSIX helpers: errno to Status, an owning file descriptor.
#ifndef NOKV_UTIL_POSIX_H_
#define NOKV_UTIL_POSIX_H_

#include <string>

#include "nokv/status.h"

namespace nokv {

// Maps errno to a Status code: ENOENT -> NotFound, ENOSPC/EDQUOT -> NoSpace,
// EEXIST -> AlreadyExists, others -> IOError. The message is "what: strerror".
Status ErrnoStatus(const std::string& what, int err);

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Writes all of `data` to `fd`, retrying on EINTR and short writes.
Status WriteAll(int fd, std::string_view data, const std::string& what);
// fsync of a directory so a rename or link in it is durable.
Status SyncDir(const std::string& dir);
// mkdir -p; OK if it exists as a directory.
Status CreateDirs(const std::string& dir);

}  // namespace nokv

#endif  // NOKV_UTIL_POSIX_H_
