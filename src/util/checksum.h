// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Checksums: CRC32C per block (hardware accelerated) and SHA-256 per body.
#ifndef NOKV_UTIL_CHECKSUM_H_
#define NOKV_UTIL_CHECKSUM_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace nokv {

// CRC32C (Castagnoli) of `data`, continuing from `crc` (0 to start).
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);

// Incremental SHA-256. Not thread-safe; one object per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Returns the 32-byte digest; the object must not be updated afterwards.
  std::string Finish();

  static std::string Digest(std::string_view data);

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

}  // namespace nokv

#endif  // NOKV_UTIL_CHECKSUM_H_
