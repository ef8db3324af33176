// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// LineScanner: the lines of a file body in order, read through
// FileReader::ReadAt in bounded chunks, so a huge log never sits in memory.
// A line longer than kMaxLine keeps only its first kMaxLine bytes (and says
// so); the rest is skipped. Not thread-safe.
#ifndef NOKV_AGENT_LINE_SCANNER_H_
#define NOKV_AGENT_LINE_SCANNER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::agent {

class LineScanner {
 public:
  static constexpr size_t kMaxLine = 64 * 1024;
  static constexpr size_t kChunk = 64 * 1024;

  // Starts at byte `offset`, which must be the start of line `line` (1-based).
  LineScanner(FileReader* reader, uint64_t offset = 0, uint64_t line = 1)
      : reader_(reader), next_offset_(offset), read_pos_(offset), next_number_(line) {}

  // Moves to the next line; false at the end of the body.
  Outcome<bool> Next();

  // The current line without its '\n' (or "\r\n").
  std::string_view line() const { return line_; }
  uint64_t number() const { return number_; }
  // Byte offset of the current line's first byte.
  uint64_t offset() const { return offset_; }
  // Byte offset just past the current line's newline: where the next starts.
  uint64_t next_offset() const { return next_offset_; }
  bool truncated() const { return truncated_; }
  // Bytes fetched from the body so far.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  Check Fill();

  FileReader* reader_;
  std::string buf_;  // bytes from read_pos_ - buf_.size() .. read_pos_
  size_t buf_start_ = 0;
  uint64_t next_offset_;
  uint64_t read_pos_;
  uint64_t next_number_;
  bool eof_ = false;
  std::string line_;
  uint64_t number_ = 0;
  uint64_t offset_ = 0;
  bool truncated_ = false;
  uint64_t bytes_read_ = 0;
};

}  // namespace nokv::agent

#endif  // NOKV_AGENT_LINE_SCANNER_H_
