// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/body_reader.h"

#include <future>

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
  BodyReaderImpl(FileInfo info, BodyDescriptor body, BlockStore* store)
      : info_(std::move(info)), body_(std::move(body)), store_(store) {}

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
    // Two buffers: block i+1 is fetched into one while block i, in the other,
    // is hashed and handed to the sink at the same time.
    std::string buffers[2];
    auto fetch = [this, &buffers](uint64_t i) {
      return FetchBlock(store_, body_, i, info_.path, &buffers[i % 2]);
    };
    std::future<Status> next;
    if (count > 0) next = std::async(std::launch::async, fetch, 0);
    for (uint64_t i = 0; i < count; ++i) {
      Status fetched = next.get();
      if (!fetched.ok()) return fetched;
      if (i + 1 < count) next = std::async(std::launch::async, fetch, i + 1);
      const std::string& block = buffers[i % 2];
      auto hashed = std::async(std::launch::async, [&sha, &block] { sha.Update(block); });
      Status s = sink(block);
      hashed.wait();
      if (!s.ok()) {
        if (next.valid()) next.wait();
        return s;
      }
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
};

}  // namespace

std::unique_ptr<FileReader> NewBodyReader(FileInfo info, BodyDescriptor body, BlockStore* store) {
  return std::make_unique<BodyReaderImpl>(std::move(info), std::move(body), store);
}

}  // namespace nokv
