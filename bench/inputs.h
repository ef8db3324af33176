// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Inputs shared by nokv workloads and their baselines, so both sides create,
// stat and read exactly the same names, bytes and access orders.
#ifndef NOKV_BENCH_INPUTS_H_
#define NOKV_BENCH_INPUTS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace nokv::bench {

// "file00000000042": 15 bytes, sorts in creation order.
std::string FileName(uint64_t i);

// `n` pseudo-random (incompressible) bytes, deterministic per seed.
std::string RandomBytes(size_t n, uint64_t seed);
// Fills `buf` with pseudo-random bytes (xorshift), deterministic per seed.
void FillRandom(char* buf, size_t n, uint64_t seed);

// `count` indices drawn uniformly from [0, n), deterministic per seed.
std::vector<uint64_t> RandomIndices(uint64_t n, uint64_t count, uint64_t seed);

// 0, 1, ..., n-1.
std::vector<uint64_t> FirstN(uint64_t n);

// `dir` + "/" + FileName(i) for every index.
std::vector<std::string> PathsOf(const std::string& dir, const std::vector<uint64_t>& indices);

// "dir000042": 9 bytes, sorts in creation order.
std::string DirName(uint64_t d);

// A tree of `dirs` directories below one root, each holding `files_per_dir`
// files FileName(0..files_per_dir): file k of the tree is file
// k % files_per_dir of directory k / files_per_dir.
struct TreeShape {
  uint64_t dirs = 0;
  uint64_t files_per_dir = 0;
  uint64_t files() const { return dirs * files_per_dir; }
  // Files plus directories, not counting the root.
  uint64_t entries() const { return files() + dirs; }
};

// `root` + "/" + DirName(k / per_dir) + "/" + FileName(k % per_dir) for
// every index k.
std::vector<std::string> TreePathsOf(const std::string& root, const TreeShape& shape,
                                     const std::vector<uint64_t>& indices);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_INPUTS_H_
