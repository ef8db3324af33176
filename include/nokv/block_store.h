// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// BlockStore: where file bodies live. Objects are immutable: a key is written
// once and never overwritten. Implementations must be thread-safe; any method
// may be called concurrently from many threads.
#ifndef NOKV_BLOCK_STORE_H_
#define NOKV_BLOCK_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"

namespace nokv {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
};

class BlockStore {
 public:
  virtual ~BlockStore() = default;

  // Stores `data` under `key` durably. Returns AlreadyExists if the key is
  // present (objects are never overwritten), NoSpace when the medium is full,
  // IOError otherwise. On error nothing is visible under `key`.
  virtual Status Put(std::string_view key, std::string_view data) = 0;

  // Reads `length` bytes at `offset` into *out (replacing its contents).
  // A read past the end returns the bytes that exist. NotFound if absent.
  virtual Status Get(std::string_view key, uint64_t offset, uint64_t length, std::string* out) = 0;

  // Size of the object; NotFound if absent.
  virtual Result<uint64_t> Size(std::string_view key) = 0;

  // Removes the object. Deleting an absent key is OK (idempotent).
  virtual Status Delete(std::string_view key) = 0;

  // Removes every key in `keys` (absent ones are OK). Stores with a batch
  // delete (S3 DeleteObjects) override this; the default deletes one by one.
  // On error some of the keys may be gone; retrying is safe.
  virtual Status DeleteMany(const std::vector<std::string>& keys) {
    for (const std::string& key : keys) {
      Status s = Delete(key);
      if (!s.ok()) return s;
    }
    return Status::OK();
  }

  // Calls `fn` for every object whose key starts with `prefix` (any order).
  // Stops early (returning OK) when `fn` returns false.
  virtual Status List(std::string_view prefix,
                      const std::function<bool(const ObjectInfo&)>& fn) = 0;

  // A short description for messages, e.g. "local:/data/blocks".
  virtual std::string Describe() const = 0;
};

// A store of plain files below `root` (created if missing). Puts write a
// temporary file, fsync it, and link it into place without overwriting.
Result<std::unique_ptr<BlockStore>> OpenLocalBlockStore(const std::string& root);

}  // namespace nokv

#endif  // NOKV_BLOCK_STORE_H_
