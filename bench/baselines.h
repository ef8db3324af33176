// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// What nokv is compared against: raw RocksDB shaped like nokv's metadata, the
// local filesystem via syscalls, and coreutils run as child processes. Each
// function does its own untimed setup and returns the timed part only.
#ifndef NOKV_BENCH_BASELINES_H_
#define NOKV_BENCH_BASELINES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness.h"
#include "inputs.h"

namespace rocksdb {
class DB;
class Status;
}  // namespace rocksdb

namespace nokv::bench {

struct CreateSpec {
  uint64_t files = 0;
  uint64_t batch = 1;  // files per WriteBatch / Publish call
  std::string body;    // each file's bytes (empty for empty files)
  bool sync = true;    // sync the WAL once per batch
};

// Raw RocksDB (default options) in `dir`: per file one dentry-like key of
// 24 bytes (-> 9-byte inode reference) and one inode-like key (-> 40 bytes of
// attributes followed by the body), `spec.batch` files per WriteBatch.
Measurement RocksCreate(const std::string& dir, const CreateSpec& spec);

// Throws BenchError("<what>: <status>") unless `status` is OK.
void CheckRocks(const rocksdb::Status& status, std::string_view what);

// Raw RocksDB with default options in `dir`, created if missing.
std::unique_ptr<rocksdb::DB> OpenRocks(const std::string& dir);

// The writes of RocksCreate into an open database.
Measurement RocksWrite(rocksdb::DB& db, const CreateSpec& spec);

// Deletes the keys RocksWrite(spec) wrote, 2 per file, spec.batch files per
// WriteBatch (synced when spec.sync); ops = keys deleted.
Measurement RocksDelete(rocksdb::DB& db, const CreateSpec& spec);

// open(O_CREAT|O_EXCL) + write(body) + close per file in `dir`; no fsync.
Measurement FsCreate(const std::string& dir, uint64_t files, std::string_view body);

// FsCreate of shape.files_per_dir files in each of shape.dirs directories
// DirName(d) made below `root`.
Measurement FsCreateTree(const std::string& root, const TreeShape& shape, std::string_view body);

// stat(2) of every path, in the given order.
Measurement FsStat(const std::vector<std::string>& paths);

// `passes` full readdir(3) passes over `dir`; fails unless each pass sees
// `expected` entries (not counting "." and "..").
Measurement FsReaddir(const std::string& dir, int passes, uint64_t expected);

// Runs a program (argv[0] is an absolute path) and waits for it; stdout goes
// to `stdout_path` and stdin comes from `stdin_path` when given. Fails unless
// it exits with status 0.
void RunProgram(const std::vector<std::string>& argv, const std::string& stdout_path = "",
                const std::string& stdin_path = "");

// Times one RunProgram, reporting `ops` units of work.
Measurement TimeProgram(double ops, const std::vector<std::string>& argv,
                        const std::string& stdout_path = "");

// Flushes and drops the page cache of a file, or of every file below a dir,
// so the next read comes from the device (posix_fadvise DONTNEED).
void EvictFromPageCache(const std::string& path);

// Writes `bytes` pseudo-random bytes to `path` and fsyncs it.
void WriteRandomFile(const std::string& path, uint64_t bytes);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_BASELINES_H_
