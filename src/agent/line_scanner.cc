// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/line_scanner.h"

namespace nokv::agent {

Check LineScanner::Fill() {
  if (buf_start_ > 0) {
    buf_.erase(0, buf_start_);
    buf_start_ = 0;
  }
  const uint64_t size = reader_->info().size;
  if (read_pos_ >= size) {
    eof_ = true;
    return {};
  }
  std::string chunk;
  AGENT_RETURN_IF_ERROR(Check(reader_->ReadAt(read_pos_, kChunk, &chunk)));
  if (chunk.empty()) {
    eof_ = true;
    return {};
  }
  read_pos_ += chunk.size();
  bytes_read_ += chunk.size();
  buf_ += chunk;
  return {};
}

Outcome<bool> LineScanner::Next() {
  line_.clear();
  truncated_ = false;
  offset_ = next_offset_;
  bool any = false;
  while (true) {
    std::string_view pending(buf_);
    pending.remove_prefix(buf_start_);
    size_t nl = pending.find('\n');
    std::string_view piece = nl == std::string_view::npos ? pending : pending.substr(0, nl);
    if (!piece.empty()) any = true;
    const size_t room = kMaxLine - line_.size();
    if (piece.size() > room) truncated_ = true;
    line_.append(piece.substr(0, std::min(room, piece.size())));
    if (nl != std::string_view::npos) {
      buf_start_ += nl + 1;
      next_offset_ += piece.size() + 1;
      break;
    }
    buf_start_ += piece.size();
    next_offset_ += piece.size();
    AGENT_RETURN_IF_ERROR(Fill());
    if (eof_ && buf_start_ >= buf_.size()) {
      if (!any) return false;  // nothing after the last newline
      break;
    }
  }
  if (!line_.empty() && line_.back() == '\r') line_.pop_back();
  number_ = next_number_++;
  return true;
}

}  // namespace nokv::agent
