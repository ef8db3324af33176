// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// BodyReader: the FileReader over one body descriptor. Every block read is
// checked against its CRC32C before any of its bytes are handed out, so a
// corrupted block is reported, never returned as data.
#ifndef NOKV_NS_BODY_READER_H_
#define NOKV_NS_BODY_READER_H_

#include <memory>
#include <string>

#include "meta/records.h"
#include "nokv/block_store.h"
#include "nokv/namespace.h"

namespace nokv {

// `store` must outlive the reader. ReadAll fetches up to `read_ahead` blocks
// concurrently (at least 2).
std::unique_ptr<FileReader> NewBodyReader(FileInfo info, BodyDescriptor body, BlockStore* store,
                                          int read_ahead = 2);

// Fetches block `index` of `body` and verifies its length and checksum.
// `path` names the file in error messages.
Status FetchBlock(BlockStore* store, const BodyDescriptor& body, uint64_t index,
                  std::string_view path, std::string* out);

}  // namespace nokv

#endif  // NOKV_NS_BODY_READER_H_
