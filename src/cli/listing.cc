// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/listing.h"

#include <utility>

namespace nokv::cli {

DirIterator::DirIterator(Namespace* ns, std::string path, ListOptions options)
    : ns_(ns), path_(std::move(path)), options_(std::move(options)) {
  options_.limit = kPageSize;
}

Result<bool> DirIterator::HasNext() {
  while (pos_ >= page_.entries.size()) {
    if (fetched_ && page_.next_cursor.empty()) return false;
    if (fetched_) options_.cursor = std::move(page_.next_cursor);
    NOKV_ASSIGN_OR_RETURN(page_, ns_->List(path_, options_));
    fetched_ = true;
    pos_ = 0;
  }
  return true;
}

const DirEntry& DirIterator::Next() { return page_.entries[pos_++]; }

}  // namespace nokv::cli
