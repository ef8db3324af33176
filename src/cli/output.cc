// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/output.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iterator>

#include "util/utf8.h"

namespace nokv::cli {

Stdout::~Stdout() { (void)Flush(); }

Status Stdout::Write(std::string_view data) {
  if (closed_) return Status::IOError("stdout is closed");
  if (buffer_.size() + data.size() <= kBufferSize) {
    buffer_.append(data);
    return Status::OK();
  }
  NOKV_RETURN_IF_ERROR(Flush());
  if (data.size() >= kBufferSize) return WriteFully(data);
  buffer_.append(data);
  return Status::OK();
}

Status Stdout::Flush() {
  if (buffer_.empty()) return Status::OK();
  Status s = WriteFully(buffer_);
  buffer_.clear();
  return s;
}

Status Stdout::WriteFully(std::string_view data) {
  if (closed_) return Status::IOError("stdout is closed");
  while (!data.empty()) {
    ssize_t n = ::write(STDOUT_FILENO, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        closed_ = true;
        return Status::IOError("stdout is closed");
      }
      if (errno == ENOSPC) return Status::NoSpace("writing to stdout: no space left on device");
      return Status::IOError(std::string("writing to stdout: ") + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Stdout& Out() {
  static Stdout* out = new Stdout();  // flushed explicitly by main; never destroyed
  return *out;
}

std::string JsonDump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string JsonLine(const nlohmann::json& value) { return JsonDump(value) + "\n"; }

Status PrintJson(const nlohmann::json& value) { return Out().Write(JsonLine(value)); }

const char* KindName(FileKind kind) { return kind == FileKind::kDirectory ? "directory" : "file"; }

nlohmann::json FileInfoJson(const FileInfo& info) {
  nlohmann::json j = {
      {"path", info.path},
      {"kind", KindName(info.kind)},
      {"ino", info.ino},
      {"version", info.version},
      {"ctime", FormatTime(info.ctime_ns)},
      {"mtime", FormatTime(info.mtime_ns)},
      {"ctime_ns", info.ctime_ns},
      {"mtime_ns", info.mtime_ns},
  };
  if (info.kind == FileKind::kDirectory) {
    j["child_count"] = info.child_count;
    return j;
  }
  j["size"] = info.size;
  j["generation"] = info.generation;
  j["sha256"] = info.sha256_hex;
  j["content_type"] = info.content_type;
  j["block_count"] = info.block_count;
  j["inline"] = info.is_inline;
  return j;
}

nlohmann::json DirEntryJson(const DirEntry& entry, bool with_attrs) {
  nlohmann::json j = {
      {"name", entry.name},
      {"kind", KindName(entry.kind)},
      {"ino", entry.ino},
  };
  if (!with_attrs) return j;
  if (entry.kind == FileKind::kDirectory) {
    j["child_count"] = entry.child_count;
  } else {
    j["size"] = entry.size;
    j["generation"] = entry.generation;
  }
  j["mtime"] = FormatTime(entry.mtime_ns);
  j["mtime_ns"] = entry.mtime_ns;
  return j;
}

DirEntry EntryFromInfo(const FileInfo& info) {
  DirEntry e;
  size_t slash = info.path.find_last_of('/');
  e.name = slash == std::string::npos ? info.path : info.path.substr(slash + 1);
  if (e.name.empty()) e.name = info.path;  // the root
  e.kind = info.kind;
  e.ino = info.ino;
  e.size = info.size;
  e.generation = info.generation;
  e.mtime_ns = info.mtime_ns;
  e.child_count = info.child_count;
  return e;
}

namespace {

// True for C0 controls, DEL and the C1 controls U+0080..U+009F (as UTF-8).
bool IsControlAt(std::string_view s, size_t i, size_t len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x20 || c == 0x7f) return true;
  return len == 2 && c == 0xc2 && static_cast<unsigned char>(s[i + 1]) < 0xa0;
}

// Appends `text` to *out with every control character, and every byte that is
// not UTF-8, written as an escape (\n, \t, \r, \xNN). With `shell_quoted`,
// backslashes and single quotes are escaped too, as inside $'...'.
void AppendEscaped(std::string_view text, bool shell_quoted, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->reserve(out->size() + text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t len = Utf8SequenceLength(text, i);
    if (len != 0 && !IsControlAt(text, i, len)) {
      const char c = text[i];
      if (shell_quoted && (c == '\\' || c == '\'')) *out += '\\';
      out->append(text.substr(i, len));
      i += len;
      continue;
    }
    for (size_t end = i + (len == 0 ? 1 : len); i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        *out += "\\n";
      } else if (c == '\t') {
        *out += "\\t";
      } else if (c == '\r') {
        *out += "\\r";
      } else {
        *out += "\\x";
        *out += kHex[c >> 4];
        *out += kHex[c & 0xf];
      }
    }
  }
}

// `text` with every control character written as an escape, for a line of
// human stderr output that may quote a name.
std::string EscapeControls(std::string_view text) {
  std::string out;
  AppendEscaped(text, /*shell_quoted=*/false, &out);
  return out;
}

}  // namespace

std::string HumanName(std::string_view name) {
  bool plain = true;
  for (size_t i = 0; i < name.size() && plain;) {
    const size_t len = Utf8SequenceLength(name, i);
    plain = len != 0 && !IsControlAt(name, i, len);
    i += len;
  }
  if (plain) return std::string(name);
  std::string out = "$'";
  AppendEscaped(name, /*shell_quoted=*/true, &out);
  out += "'";
  return out;
}

std::string FormatSize(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::string FormatTime(int64_t unix_ns) {
  int64_t secs = unix_ns / 1'000'000'000;
  int64_t rem = unix_ns % 1'000'000'000;
  if (rem < 0) {  // round toward negative infinity for times before 1970
    rem += 1'000'000'000;
    --secs;
  }
  time_t t = static_cast<time_t>(secs);
  struct tm tm;
  if (gmtime_r(&t, &tm) == nullptr) return "invalid-time";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(rem / 1'000'000));
  return buf;
}

std::string Plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

int64_t NowUnixNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string ShortDigest(std::string_view hex) {
  if (hex.empty()) return "-";
  return std::string(hex.substr(0, 12));
}

void PrintError(const Status& status, std::string_view hint, bool json) {
  std::string line;
  if (json) {
    nlohmann::json error = {{"code", std::string(CodeName(status.code()))},
                            {"message", status.message()}};
    if (!hint.empty()) error["hint"] = std::string(hint);
    line = JsonLine({{"error", error}});
  } else {
    line = "nokv: " + EscapeControls(status.message());
    if (!hint.empty()) line += "\nnokv: hint: " + EscapeControls(hint);
    line += "\n";
  }
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

void PrintWarning(std::string_view message) {
  std::string line = "nokv: warning: " + EscapeControls(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace nokv::cli
