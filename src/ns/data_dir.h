// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// DataDir: the on-disk layout of an embedded namespace and its writer lock.
//
//   DATA_DIR/meta/          RocksDB (metadata)
//   DATA_DIR/blocks/        local block store (the default body store)
//   DATA_DIR/writer.lock    flock held by the one writer; holds its pid and
//                           command line so a second writer can name it
//   DATA_DIR/readers/N/     scratch space of read-only (secondary) openers
//   DATA_DIR/store          the body store the data dir uses ("local" or
//                           s3://BUCKET/PREFIX/), written once at creation
#ifndef NOKV_NS_DATA_DIR_H_
#define NOKV_NS_DATA_DIR_H_

#include <cstdint>
#include <memory>
#include <string>

#include "nokv/status.h"
#include "util/posix.h"

namespace nokv {

class WriterLock {
 public:
  // Takes the writer lock of `data_dir`, waiting up to `wait_ms` for the
  // holder to release it (0: fail at once; negative: wait without a limit).
  // Busy names the holder (and says how long it waited).
  static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& data_dir,
                                                     int64_t wait_ms = 0);
  // True if some process holds the writer lock right now.
  static bool IsHeld(const std::string& data_dir);
  ~WriterLock();

 private:
  explicit WriterLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

// A private scratch directory for a RocksDB secondary instance, removed on
// destruction. Stale ones of dead processes are removed on creation.
class ReaderScratch {
 public:
  static Result<std::unique_ptr<ReaderScratch>> Create(const std::string& data_dir);
  ~ReaderScratch();
  const std::string& path() const { return path_; }

 private:
  explicit ReaderScratch(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

std::string MetaPath(const std::string& data_dir);
std::string BlocksPath(const std::string& data_dir);
// Ties `data_dir` to the body store `store_uri` (canonical, see
// ParseStoreUri). The first writer records it (atomically, durably); later
// opens must name the same store, else InvalidArgument says which store the
// data dir uses. A data dir with metadata but no record predates the record
// and uses "local". With `may_write` false nothing is written.
Status BindStore(const std::string& data_dir, const std::string& store_uri, bool may_write);

// Removes a directory tree (best effort).
void RemoveTree(const std::string& path);
// A random identifier for a writer session.
std::string NewSessionId();

}  // namespace nokv

#endif  // NOKV_NS_DATA_DIR_H_
