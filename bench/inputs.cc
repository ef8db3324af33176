// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "inputs.h"

#include <cstdio>
#include <cstring>
#include <numeric>
#include <random>

namespace nokv::bench {

std::string FileName(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "file%011llu", static_cast<unsigned long long>(i));
  return buf;
}

void FillRandom(char* buf, size_t n, uint64_t seed) {
  uint64_t x = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    std::memcpy(buf + i, &x, 8);
  }
  for (; i < n; ++i) buf[i] = static_cast<char>(x >> (8 * (i % 8)));
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::string out(n, '\0');
  FillRandom(out.data(), n, seed);
  return out;
}

std::vector<uint64_t> RandomIndices(uint64_t n, uint64_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint64_t> pick(0, n - 1);
  std::vector<uint64_t> out(count);
  for (auto& index : out) index = pick(rng);
  return out;
}

std::vector<uint64_t> FirstN(uint64_t n) {
  std::vector<uint64_t> out(n);
  std::iota(out.begin(), out.end(), 0);
  return out;
}

std::vector<std::string> PathsOf(const std::string& dir, const std::vector<uint64_t>& indices) {
  std::vector<std::string> out;
  out.reserve(indices.size());
  for (uint64_t i : indices) out.push_back(dir + "/" + FileName(i));
  return out;
}

std::string DirName(uint64_t d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "dir%06llu", static_cast<unsigned long long>(d));
  return buf;
}

std::vector<std::string> TreePathsOf(const std::string& root, const TreeShape& shape,
                                     const std::vector<uint64_t>& indices) {
  std::vector<std::string> out;
  out.reserve(indices.size());
  for (uint64_t k : indices) {
    out.push_back(root + "/" + DirName(k / shape.files_per_dir) + "/" +
                  FileName(k % shape.files_per_dir));
  }
  return out;
}

}  // namespace nokv::bench
