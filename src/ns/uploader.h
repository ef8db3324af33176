// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Uploader: turns a ByteSource into a body ready to be bound by a commit.
// Small bodies become inline descriptors. Larger ones first get a durable
// upload intent (so a crash leaves only blocks that intent cleanup removes),
// then are split into immutable blocks written concurrently, with a CRC32C per
// block and a SHA-256 of the whole body computed on the way.
//
// Thread-safe: one Uploader may serve concurrent uploads.
#ifndef NOKV_NS_UPLOADER_H_
#define NOKV_NS_UPLOADER_H_

#include <cstdint>
#include <functional>
#include <string>

#include "meta/engine.h"
#include "meta/records.h"
#include "nokv/block_store.h"
#include "nokv/byte_source.h"
#include "nokv/namespace.h"

namespace nokv {

struct UploadedBody {
  uint64_t body_id = 0;
  BodyDescriptor descriptor;
  bool has_intent = false;  // blocked bodies: the intent the commit must clear
};

class Uploader {
 public:
  Uploader(MetaEngine* engine, BlockStore* store, const Options& options, std::string session);

  // `progress(n)` is called with the number of new bytes consumed.
  Result<UploadedBody> Upload(ByteSource& source, const std::string& content_type,
                              const std::function<void(uint64_t)>& progress);

  // Removes what an upload that was never committed wrote (blocks, then its
  // intent). Best effort: anything left is reclaimed by intent cleanup later.
  void Discard(const UploadedBody& body);

  // Deletes every object stored under an upload's prefix.
  Status DeleteObjects(uint64_t upload_id, uint64_t* objects, uint64_t* bytes);

 private:
  Result<UploadedBody> UploadBlocks(ByteSource& source, std::string head, uint64_t body_id,
                                    BodyDescriptor desc,
                                    const std::function<void(uint64_t)>& progress);

  MetaEngine* engine_;
  BlockStore* store_;
  const Options& options_;
  const std::string session_;
};

// Guesses a content type from a file name's extension.
std::string GuessContentType(std::string_view name);

}  // namespace nokv

#endif  // NOKV_NS_UPLOADER_H_
