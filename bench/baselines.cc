// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "baselines.h"

#include <dirent.h>
#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>

#include "inputs.h"

extern char** environ;

namespace nokv::bench {

namespace {

// A file descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void WriteAll(int fd, const char* data, size_t n, const std::string& path) {
  while (n > 0) {
    ssize_t done = ::write(fd, data, n);
    if (done < 0 && errno == EINTR) continue;
    CheckErrno(done > 0, "write " + path);
    data += done;
    n -= static_cast<size_t>(done);
  }
}

void PutBigEndian(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

// 'D' + parent inode + name: 1 + 8 + 15 = 24 bytes.
std::string DentryKey(uint64_t parent, uint64_t i) {
  std::string key = "D";
  PutBigEndian(&key, parent);
  return key + FileName(i);
}

std::string InodeKey(uint64_t ino) {
  std::string key = "I";
  PutBigEndian(&key, ino);
  return key;
}

// Inode number + kind byte.
std::string InodeRef(uint64_t ino) {
  std::string value;
  PutBigEndian(&value, ino);
  value.push_back(1);
  return value;
}

// Format byte, kind byte, 6 reserved bytes, then size/generation/version/
// mtime: 40 bytes of attributes, followed by the inline body.
std::string InodeValue(uint64_t ino, std::string_view body) {
  std::string value = {1, 1, 0, 0, 0, 0, 0, 0};
  for (uint64_t field : {uint64_t{body.size()}, uint64_t{1}, ino, ino}) {
    PutBigEndian(&value, field);
  }
  value.append(body);
  return value;
}

constexpr uint64_t kParent = 2;

// Calls `fn(batch, i)` for every file, one synced (per spec) write per
// spec.batch files.
template <typename Fn>
void ForEachBatch(rocksdb::DB& db, const CreateSpec& spec, Fn&& fn) {
  rocksdb::WriteOptions write_options;
  write_options.sync = spec.sync;
  for (uint64_t first = 0; first < spec.files; first += spec.batch) {
    rocksdb::WriteBatch batch;
    uint64_t end = std::min(spec.files, first + spec.batch);
    for (uint64_t i = first; i < end; ++i) fn(batch, i);
    CheckRocks(db.Write(write_options, &batch), "rocksdb write");
  }
}

}  // namespace

void CheckRocks(const rocksdb::Status& status, std::string_view what) {
  if (!status.ok()) Fail(std::string(what) + ": " + status.ToString());
}

std::unique_ptr<rocksdb::DB> OpenRocks(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  CheckRocks(rocksdb::DB::Open(options, dir, &raw), "open rocksdb " + dir);
  return std::unique_ptr<rocksdb::DB>(raw);
}

Measurement RocksWrite(rocksdb::DB& db, const CreateSpec& spec) {
  return Time(static_cast<double>(spec.files), [&] {
    ForEachBatch(db, spec, [&](rocksdb::WriteBatch& batch, uint64_t i) {
      uint64_t ino = kParent + 1 + i;
      batch.Put(DentryKey(kParent, i), InodeRef(ino));
      batch.Put(InodeKey(ino), InodeValue(ino, spec.body));
    });
  });
}

Measurement RocksDelete(rocksdb::DB& db, const CreateSpec& spec) {
  return Time(2.0 * static_cast<double>(spec.files), [&] {
    ForEachBatch(db, spec, [&](rocksdb::WriteBatch& batch, uint64_t i) {
      batch.Delete(DentryKey(kParent, i));
      batch.Delete(InodeKey(kParent + 1 + i));
    });
  });
}

Measurement RocksCreate(const std::string& dir, const CreateSpec& spec) {
  return RocksWrite(*OpenRocks(dir), spec);
}

Measurement FsCreate(const std::string& dir, uint64_t files, std::string_view body) {
  return Time(static_cast<double>(files), [&] {
    for (uint64_t i = 0; i < files; ++i) {
      std::string path = dir + "/" + FileName(i);
      Fd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
      CheckErrno(fd.get() >= 0, "create " + path);
      if (!body.empty()) WriteAll(fd.get(), body.data(), body.size(), path);
    }
  });
}

Measurement FsCreateTree(const std::string& root, const TreeShape& shape, std::string_view body) {
  return Time(static_cast<double>(shape.files()), [&] {
    for (uint64_t d = 0; d < shape.dirs; ++d) {
      std::string dir = root + "/" + DirName(d);
      CheckErrno(::mkdir(dir.c_str(), 0755) == 0, "mkdir " + dir);
      FsCreate(dir, shape.files_per_dir, body);
    }
  });
}

Measurement FsStat(const std::vector<std::string>& paths) {
  return Time(static_cast<double>(paths.size()), [&] {
    struct stat st {};
    for (const auto& path : paths) CheckErrno(::stat(path.c_str(), &st) == 0, "stat " + path);
  });
}

Measurement FsReaddir(const std::string& dir, int passes, uint64_t expected) {
  return Time(static_cast<double>(expected) * passes, [&] {
    for (int pass = 0; pass < passes; ++pass) {
      std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), ::closedir);
      CheckErrno(handle != nullptr, "opendir " + dir);
      uint64_t seen = 0;
      while (const dirent* entry = ::readdir(handle.get())) {
        std::string_view name = entry->d_name;
        if (name != "." && name != "..") ++seen;
      }
      if (seen != expected) {
        Fail("readdir " + dir + " saw " + std::to_string(seen) + " entries, expected " +
             std::to_string(expected));
      }
    }
  });
}

void RunProgram(const std::vector<std::string>& argv, const std::string& stdout_path,
                const std::string& stdin_path) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!stdin_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, stdin_path.c_str(), O_RDONLY, 0);
  }
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = ::posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    CheckErrno(false, "spawn " + argv[0]);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) CheckErrno(errno == EINTR, "waitpid " + argv[0]);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Fail(argv[0] + " failed (wait status " + std::to_string(status) + ")");
  }
}

Measurement TimeProgram(double ops, const std::vector<std::string>& argv,
                        const std::string& stdout_path) {
  return Time(ops, [&] { RunProgram(argv, stdout_path); });
}

namespace {

void EvictFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  CheckErrno(fd.get() >= 0, "open " + path);
  CheckErrno(::fdatasync(fd.get()) == 0, "fdatasync " + path);
  int rc = ::posix_fadvise(fd.get(), 0, 0, POSIX_FADV_DONTNEED);
  if (rc != 0) {
    errno = rc;
    CheckErrno(false, "posix_fadvise " + path);
  }
}

}  // namespace

void EvictFromPageCache(const std::string& path) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(path)) return EvictFile(path);
  for (const auto& entry : fs::recursive_directory_iterator(path)) {
    if (entry.is_regular_file()) EvictFile(entry.path().string());
  }
}

void WriteRandomFile(const std::string& path, uint64_t bytes) {
  constexpr size_t kChunk = 4 << 20;
  std::string chunk(kChunk, '\0');
  Fd fd(::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0644));
  CheckErrno(fd.get() >= 0, "create " + path);
  for (uint64_t done = 0, seed = 1; done < bytes; done += kChunk, ++seed) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, bytes - done));
    FillRandom(chunk.data(), n, seed);
    WriteAll(fd.get(), chunk.data(), n, path);
  }
  CheckErrno(::fsync(fd.get()) == 0, "fsync " + path);
}

}  // namespace nokv::bench
