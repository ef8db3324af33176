// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/store_index_source.h"

#include "ns/body_reader.h"

namespace nokv {

Result<std::string> StoreIndexSource::ReadBody(const InodeRecord& inode, const std::string& path) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> encoded, lookup_(inode.body_id));
  if (!encoded.has_value()) {
    return Status::Corruption("the body record of " + path + " is missing");
  }
  BodyDescriptor body;
  NOKV_RETURN_IF_ERROR(DecodeBody(*encoded, &body));
  if (body.is_inline) return body.inline_data;
  FileInfo info;
  info.path = path;
  info.size = body.size;
  info.body_id = inode.body_id;
  std::unique_ptr<FileReader> reader = NewBodyReader(std::move(info), std::move(body), store_);
  std::string out;
  out.reserve(inode.size);
  NOKV_RETURN_IF_ERROR(reader->ReadAll([&out](std::string_view chunk) {
    out.append(chunk);
    return Status::OK();
  }));
  return out;
}

}  // namespace nokv
