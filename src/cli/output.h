// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Output helpers shared by every command: a binary-safe buffered stdout that
// turns a closed pipe into a quiet stop, JSON renderings of the public value
// types, and human formatting of sizes and times.
#ifndef NOKV_CLI_OUTPUT_H_
#define NOKV_CLI_OUTPUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nokv/status.h"
#include "nokv/types.h"

namespace nokv::cli {

// Buffered writer over file descriptor 1. Writes go through write(2), so the
// bytes are passed through unchanged. When the reader of a pipe goes away
// (EPIPE; SIGPIPE is ignored by main) the writer is marked closed and every
// later write fails fast; main then exits 0 without printing anything, like
// `cat` does under `head`. Not thread-safe.
class Stdout {
 public:
  Stdout() = default;
  Stdout(const Stdout&) = delete;
  Stdout& operator=(const Stdout&) = delete;
  ~Stdout();

  Status Write(std::string_view data);
  Status Flush();
  // True once a write failed because the reading end was closed.
  bool closed() const { return closed_; }

 private:
  Status WriteFully(std::string_view data);

  static constexpr size_t kBufferSize = 64 * 1024;
  std::string buffer_;
  bool closed_ = false;
};

// The process-wide stdout writer.
Stdout& Out();

// Compact JSON without a trailing newline. Bytes that are not valid UTF-8
// (paths are byte strings) are replaced by U+FFFD instead of failing.
std::string JsonDump(const nlohmann::json& value);
// JsonDump(value) and a newline.
std::string JsonLine(const nlohmann::json& value);
// Writes JsonLine(value) to Out().
Status PrintJson(const nlohmann::json& value);

// "file" or "directory".
const char* KindName(FileKind kind);

// Everything known about one path; used by stat, put and ls of a file.
nlohmann::json FileInfoJson(const FileInfo& info);
// One listing entry; attributes are included when `with_attrs`.
nlohmann::json DirEntryJson(const DirEntry& entry, bool with_attrs);
// The entry `ls` shows for a path that names a file.
DirEntry EntryFromInfo(const FileInfo& info);

// A name or path as human (non-JSON) output shows it. Unchanged unless it
// holds a control character (C0, DEL or C1) or a byte that is not UTF-8;
// then the whole string is written in the shell's ANSI-C quoting, e.g.
// $'red\x1b[31m' or $'two\nlines', which a shell turns back into the exact
// name. So a name can never move the cursor, recolour the terminal or fake
// a line of output. JSON output carries names exactly and never uses this.
std::string HumanName(std::string_view name);

// "0 B", "512 B", "1.5 KiB", "3.0 GiB".
std::string FormatSize(uint64_t bytes);
// ISO-8601 UTC with milliseconds, e.g. "2026-03-01T12:00:05.123Z".
std::string FormatTime(int64_t unix_ns);
// "1 file", "3 files".
std::string Plural(uint64_t n, const char* one, const char* many);
// The wall clock as unix nanoseconds.
int64_t NowUnixNs();
// The first 12 hex digits of a digest for human output; "-" when empty.
std::string ShortDigest(std::string_view hex);

// Prints a failed command's error to stderr: `nokv: <message>` followed by
// `hint` when not empty, or with `json` one line
// {"error":{"code":"not_found","message":"...","hint":"..."}}. In the human
// form control characters (from a name in the message) are written as \n,
// \t or \xNN, so the error stays one line and cannot drive the terminal;
// the JSON form is exact.
void PrintError(const Status& status, std::string_view hint, bool json);
// Prints `nokv: warning: <message>` to stderr, control characters escaped
// as in PrintError.
void PrintWarning(std::string_view message);

}  // namespace nokv::cli

#endif  // NOKV_CLI_OUTPUT_H_
