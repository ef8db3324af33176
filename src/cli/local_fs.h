// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The local-filesystem side of transfers: classifying and walking the sources
// of `nokv put`, streaming them lazily, and writing the files of `nokv get`
// atomically.
#ifndef NOKV_CLI_LOCAL_FS_H_
#define NOKV_CLI_LOCAL_FS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/byte_source.h"
#include "nokv/status.h"

namespace nokv::cli {

// A Status for a failed system call: NotFound for ENOENT, NoSpace for ENOSPC,
// IOError otherwise, with "<what>: <strerror>" as the message.
Status ErrnoStatus(std::string_view what, int err);

enum class LocalKind {
  kFile,       // a regular file (symlinks are followed)
  kDirectory,  // a directory
  kStream,     // a FIFO or character device: read until EOF, size unknown
  kOther,      // sockets, block devices: never published
};

struct LocalStat {
  LocalKind kind = LocalKind::kOther;
  uint64_t size = 0;
};

// stat(2) of `path`, following symlinks.
Result<LocalStat> StatLocal(const std::string& path);

// A source over a local file that is opened on its first Read and closed at
// end of stream, so publishing a tree of many files never holds more than a
// few descriptors. `size_hint` is nullopt for streams.
std::unique_ptr<ByteSource> LazyFileSource(std::string path, std::optional<uint64_t> size_hint);

struct LocalTreeFile {
  std::string local_path;
  std::string relative;  // '/'-separated, relative to the walked root
  uint64_t size = 0;
};

struct LocalTree {
  std::vector<LocalTreeFile> files;
  // Directories with nothing to publish below them, relative to the root;
  // "" is the root itself.
  std::vector<std::string> empty_dirs;
  uint64_t total_bytes = 0;
};

// Walks the directory `root` in name order. Symlinks are followed, but one
// that leads back to a directory being walked is an error (InvalidArgument);
// special files, dangling symlinks and the directory `skip_dir` (the data dir,
// so `nokv put -r . /x` never publishes nokv's own files) are skipped with a
// warning.
Status WalkLocalTree(const std::string& root, const std::string& skip_dir, LocalTree* tree);

// Creates a directory; an existing directory is fine.
Status MakeLocalDir(const std::string& path);

// Writes a local file atomically: bytes go to "<path>.tmp-<pid>", which
// Commit() syncs and renames over `path`. Without Commit() the temporary file
// is removed, so a failed download never leaves a partial file behind.
class LocalFileWriter {
 public:
  static Result<std::unique_ptr<LocalFileWriter>> Create(std::string path);
  ~LocalFileWriter();
  LocalFileWriter(const LocalFileWriter&) = delete;
  LocalFileWriter& operator=(const LocalFileWriter&) = delete;

  Status Append(std::string_view data);
  Status Commit();

 private:
  LocalFileWriter(std::string path, std::string tmp_path, int fd);

  const std::string path_;
  const std::string tmp_path_;
  int fd_;
  bool committed_ = false;
};

}  // namespace nokv::cli

#endif  // NOKV_CLI_LOCAL_FS_H_
