// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// ByteSource: a forward-only stream of bytes to publish. Not thread-safe; a
// publish reads each source from one thread at a time.
#ifndef NOKV_BYTE_SOURCE_H_
#define NOKV_BYTE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "nokv/status.h"

namespace nokv {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` bytes into `buf`; returns 0 at end of stream.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  // Total size if known in advance (files), nullopt for pipes.
  virtual std::optional<uint64_t> SizeHint() const = 0;
};

// Owns a copy of `data`.
std::unique_ptr<ByteSource> StringSource(std::string data);
// Opens a local file for reading; NotFound/IOError with the path in the message.
// A file that changes while it is read (size, mtime, ctime or inode differ at
// the end, or fewer bytes came than its size) fails the read with Conflict, so
// a publish of it commits nothing instead of a body matching neither version.
Result<std::unique_ptr<ByteSource>> FileSource(const std::string& local_path);
// Reads a file descriptor until EOF (e.g. stdin). Does not close it.
std::unique_ptr<ByteSource> FdSource(int fd);

}  // namespace nokv

#endif  // NOKV_BYTE_SOURCE_H_
