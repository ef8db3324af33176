// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/body_reader.h"

#include <algorithm>
#include <deque>
#include <future>
#include <vector>

#include "util/checksum.h"
#include "util/coding.h"

namespace nokv {

Status FetchBlock(BlockStore* store, const BodyDescriptor& body, uint64_t index,
                  std::string_view path, std::string* out) {
  const std::string key = BlockKey(body.upload_id, index);
  const uint64_t expected = body.BlockLength(index);
  const std::string where = "block " + std::to_string(index) + " of " + std::string(path) +
                            " (object " + key + " in " + store->Describe() + ")";
  Status s = store->Get(key, 0, expected + 1, out);
  if (s.IsNotFound()) {
    return Status::Corruption(where + " is missing; the body cannot be read (run `nokv fsck`)");
  }
  NOKV_RETURN_IF_ERROR(s.WithContext("read " + where));
  if (out->size() != expected) {
    return Status::Corruption(where + " has " + std::to_string(out->size()) + " bytes, expected " +
                              std::to_string(expected) + " (run `nokv fsck`)");
  }
  if (Crc32c(*out) != body.block_crc32c[index]) {
    out->clear();
    return Status::Corruption(where +
                              " failed its checksum; the stored bytes are damaged "
                              "(run `nokv fsck --verify-data`)");
  }
  return Status::OK();
}

namespace {

class BodyReaderImpl final : public FileReader {
 public:
  BodyReaderImpl(FileInfo info, BodyDescriptor body, BlockStore* store, int read_ahead)
      : info_(std::move(info)),
        body_(std::move(body)),
        store_(store),
        read_ahead_(static_cast<uint64_t>(std::max(2, read_ahead))) {}

  const FileInfo& info() const override { return info_; }

  Status ReadAt(uint64_t offset, uint64_t length, std::string* out) override {
    out->clear();
    if (offset >= body_.size || length == 0) return Status::OK();
    length = std::min(length, body_.size - offset);
    if (body_.is_inline) {
      out->assign(body_.inline_data, offset, length);
      return Status::OK();
    }
    out->reserve(length);
    std::string block;
    for (uint64_t i = offset / body_.block_size; out->size() < length; ++i) {
      NOKV_RETURN_IF_ERROR(FetchBlock(store_, body_, i, info_.path, &block));
      const uint64_t block_start = i * body_.block_size;
      const uint64_t from = offset + out->size() - block_start;
      const uint64_t take = std::min<uint64_t>(block.size() - from, length - out->size());
      out->append(block, from, take);
    }
    return Status::OK();
  }

  Status ReadAll(const std::function<Status(std::string_view)>& sink) override {
    Sha256 sha;
    if (body_.is_inline) {
      sha.Update(body_.inline_data);
      NOKV_RETURN_IF_ERROR(VerifyDigest(sha));
      return body_.inline_data.empty() ? Status::OK() : sink(body_.inline_data);
    }
    const uint64_t count = body_.block_crc32c.size();
    // Up to `window` blocks are fetched concurrently, each into its own
    // buffer, while the oldest one is hashed and handed to the sink in order.
    // A buffer is refilled (with the block `window` places later) only after
    // its block was consumed.
    const size_t window = static_cast<size_t>(std::min<uint64_t>(read_ahead_, count));
    std::vector<std::string> buffers(window);
    std::deque<std::future<Status>> pending;
    uint64_t next = 0;
    auto launch = [&]() {
      const uint64_t i = next++;
      pending.push_back(std::async(std::launch::async, [this, &buffers, window, i] {
        return FetchBlock(store_, body_, i, info_.path, &buffers[i % window]);
      }));
    };
    auto settle = [&]() {
      for (auto& f : pending) f.wait();
    };
    while (next < count && pending.size() < window) launch();
    for (uint64_t i = 0; i < count; ++i) {
      Status fetched = pending.front().get();
      pending.pop_front();
      if (!fetched.ok()) {
        settle();
        return fetched;
      }
      const std::string& block = buffers[i % window];
      auto hashed = std::async(std::launch::async, [&sha, &block] { sha.Update(block); });
      Status s = sink(block);
      hashed.wait();
      if (!s.ok()) {
        settle();
        return s;
      }
      if (next < count) launch();
    }
    return VerifyDigest(sha);
  }

 private:
  Status VerifyDigest(Sha256& sha) {
    if (sha.Finish() != body_.sha256) {
      return Status::Corruption("SHA-256 of " + info_.path + " does not match its descriptor " +
                                HexEncode(body_.sha256) + " (run `nokv fsck --verify-data`)");
    }
    return Status::OK();
  }

  FileInfo info_;
  BodyDescriptor body_;
  BlockStore* store_;
  const uint64_t read_ahead_;  // blocks fetched concurrently by ReadAll
};

}  // namespace

std::unique_ptr<FileReader> NewBodyReader(FileInfo info, BodyDescriptor body, BlockStore* store,
                                          int read_ahead) {
  return std::make_unique<BodyReaderImpl>(std::move(info), std::move(body), store, read_ahead);
}

}  // namespace nokv
