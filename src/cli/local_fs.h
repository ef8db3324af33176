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

// stat(2) of `path`, following symlinks: a path named on the command line is
// what it points to, as with cp.
Result<LocalStat> StatLocal(const std::string& path);

// A source over a local file that is opened on its first Read and closed at
// end of stream, so publishing a tree of many files never holds more than a
// few descriptors. `size_hint` is nullopt for streams. With `no_follow` a
// symlink in place of the file is refused (O_NOFOLLOW).
//
// A regular file must not change while it is read: its size, mtime, ctime and
// inode are taken when it is opened and again at end of stream, and the bytes
// read must match the size. Otherwise the read fails with Conflict ("changed
// while it was read"), so a publish never stores a torn mix of two versions.
std::unique_ptr<ByteSource> LazyFileSource(std::string path, std::optional<uint64_t> size_hint,
                                           bool no_follow = false);

struct LocalTreeFile {
  std::string local_path;  // where to read it; the link target for a followed symlink
  std::string relative;    // '/'-separated, relative to the walked root
  uint64_t size = 0;
};

struct LocalTree {
  std::vector<LocalTreeFile> files;
  // Directories with nothing to publish below them, relative to the root;
  // "" is the root itself.
  std::vector<std::string> empty_dirs;
  uint64_t total_bytes = 0;
};

struct WalkOptions {
  // Never walked: the data dir, so `nokv put -r . /x` never publishes nokv's
  // own files.
  std::string skip_dir;
  // Follow symlinks below the root (`put -L`); without it every symlink is
  // skipped with a warning.
  bool follow_symlinks = false;
  // With follow_symlinks, also follow links whose target is outside the root
  // (`put --follow-outside`); without it they are skipped with a warning.
  bool follow_outside = false;
};

// Walks the directory `root` (itself followed if it is a symlink) in name
// order. Symlinks below it are handled as `options` says; a followed link that
// leads back to a directory being walked, or a link loop, is an error
// (InvalidArgument). Special files and dangling symlinks are skipped with a
// warning.
Status WalkLocalTree(const std::string& root, const WalkOptions& options, LocalTree* tree);

// Creates a directory; an existing directory is fine.
Status MakeLocalDir(const std::string& path);
// Creates `path` and its missing parents (mkdir -p).
Status MakeLocalDirs(const std::string& path);

// Writes the local files of one download. Bytes go to a temporary file named
// ".nokv-tmp.PID.N" in the destination's directory and are renamed over the
// destination only once complete, so a failed or killed download never leaves
// a partial file under a real name.
//
// With `batched`, committing a file only closes it; Flush() (called every
// kBatchFiles files and by Finish) makes the batch durable with one syncfs(2)
// per filesystem, renames every file into place, and syncs again so the
// renames are durable: two syncs per batch instead of one fsync per file.
// Without it each file is fsynced, renamed and its directory fsynced.
//
// PrepareDir() creates a destination directory and removes the temporary
// files of earlier downloads whose process is gone.
// Anything not yet renamed when the writer is destroyed is removed.
class LocalDownload {
 public:
  static constexpr size_t kBatchFiles = 10000;

  explicit LocalDownload(bool batched);
  ~LocalDownload();
  LocalDownload(const LocalDownload&) = delete;
  LocalDownload& operator=(const LocalDownload&) = delete;

  Status PrepareDir(const std::string& dir);
  // Starts the file `path` in directory `dir` (prepared or pre-existing).
  Status Begin(const std::string& dir, const std::string& path);
  Status Append(std::string_view data);
  // Ends the file started by Begin.
  Status Commit();
  // Makes everything committed durable and visible.
  Status Finish();

 private:
  struct Pending {
    std::string tmp;
    std::string path;
    std::string dir;
  };
  Status Flush();
  Status SyncFilesystems();
  void CloseCurrent();

  const bool batched_;
  Pending current_;
  int fd_ = -1;
  uint64_t seq_ = 0;
  std::vector<Pending> pending_;      // closed, not yet renamed
  std::vector<std::string> fs_dirs_;  // one directory per filesystem written
  std::vector<uint64_t> fs_devs_;
};

// Removes the ".nokv-tmp.PID.N" files in `dir` whose process no longer runs.
void RemoveStaleTempFiles(const std::string& dir);

}  // namespace nokv::cli

#endif  // NOKV_CLI_LOCAL_FS_H_
