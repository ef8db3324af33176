// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// StableRead: tells whether a regular file stayed the same while it was read
// from start to end, so a publish never stores a torn mix of two versions.
// The size, mtime, ctime and inode are taken when the file is opened and
// again at end of stream, and the bytes read must equal the size.
#ifndef NOKV_UTIL_STABLE_READ_H_
#define NOKV_UTIL_STABLE_READ_H_

#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string>

#include "nokv/status.h"

namespace nokv {

class StableRead {
 public:
  // `opened` is fstat of the descriptor just opened; anything but a regular
  // file (a pipe, a device) is not checked.
  void Start(const struct stat& opened);
  void Count(uint64_t bytes) { bytes_read_ += bytes; }
  uint64_t bytes_read() const { return bytes_read_; }

  // At end of stream, with `fd` still open: Conflict naming `name` ("changed
  // while it was read", with what changed) unless the file is unchanged and
  // was read whole.
  Status Finish(int fd, const std::string& name) const;

 private:
  struct Version {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct timespec ctime;
  };
  static Version Of(const struct stat& st);
  static bool Same(const Version& a, const Version& b);

  std::optional<Version> opened_;
  uint64_t bytes_read_ = 0;
};

}  // namespace nokv

#endif  // NOKV_UTIL_STABLE_READ_H_
