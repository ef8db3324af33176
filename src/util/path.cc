// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "util/path.h"

#include <cstdio>

#include "nokv/namespace.h"
#include "util/utf8.h"

namespace nokv {

namespace {

// `s` in double quotes for an error message, with control characters,
// bytes that are not UTF-8, '"' and '\\' escaped, so the message is one
// harmless line whatever the name holds.
std::string Quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = Utf8SequenceLength(s, i);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (n == 0 || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    ++i;
  }
  out += "\"";
  return out;
}

std::string HexByte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", c);
  return buf;
}

}  // namespace

Status ValidateName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("empty file name");
  if (name == "." || name == "..") {
    return Status::InvalidArgument("path component " + Quote(name) +
                                   " is not allowed; use absolute paths without . or ..");
  }
  if (name.size() > kMaxNameBytes) {
    return Status::InvalidArgument("name is " + std::to_string(name.size()) +
                                   " bytes; the limit is 255 bytes per component");
  }
  if (name.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("name " + Quote(name) + " contains a NUL byte");
  }
  if (name.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("name " + Quote(name) + " contains '/'");
  }
  if (const size_t bad = InvalidUtf8Offset(name); bad != std::string_view::npos) {
    return Status::InvalidArgument(
        "path component " + Quote(name) + " is not valid UTF-8 (byte " +
        HexByte(static_cast<unsigned char>(name[bad])) + " at offset " + std::to_string(bad) +
        "); names must be UTF-8: rename the local file, or choose a UTF-8 name");
  }
  return Status::OK();
}

Result<std::string> NormalizePath(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("empty path; paths start with '/', e.g. /runs");
  if (path.front() != '/') {
    return Status::InvalidArgument("path " + Quote(path) +
                                   " is relative; namespace paths start with '/'");
  }
  if (path.size() > kMaxPathBytes) {
    return Status::InvalidArgument("path is " + std::to_string(path.size()) +
                                   " bytes; the limit is 4096 bytes");
  }
  std::string out;
  out.reserve(path.size());
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    if (i == path.size()) break;
    size_t end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    std::string_view name(path.data() + i, end - i);
    Status s = ValidateName(name);
    if (!s.ok()) return s.WithContext("invalid path " + Quote(path));
    out.push_back('/');
    out.append(name);
    i = end;
  }
  if (out.empty()) out = "/";
  return out;
}

std::vector<std::string_view> SplitPath(std::string_view normalized) {
  std::vector<std::string_view> parts;
  size_t i = 1;
  while (i < normalized.size()) {
    size_t end = normalized.find('/', i);
    if (end == std::string_view::npos) end = normalized.size();
    parts.push_back(normalized.substr(i, end - i));
    i = end + 1;
  }
  return parts;
}

std::string_view ParentPath(std::string_view normalized) {
  size_t pos = normalized.rfind('/');
  if (pos == 0 || pos == std::string_view::npos) return "/";
  return normalized.substr(0, pos);
}

std::string_view BaseName(std::string_view normalized) {
  size_t pos = normalized.rfind('/');
  if (pos == std::string_view::npos) return normalized;
  return normalized.substr(pos + 1);
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out != "/") out.push_back('/');
  out.append(name);
  return out;
}

bool IsSameOrBelow(std::string_view path, std::string_view ancestor) {
  if (ancestor == "/") return true;
  if (path.size() < ancestor.size() || path.substr(0, ancestor.size()) != ancestor) return false;
  return path.size() == ancestor.size() || path[ancestor.size()] == '/';
}

std::string CommonDirectory(const std::vector<std::string>& paths) {
  if (paths.empty()) return "/";
  std::string common(ParentPath(paths[0]));
  for (const std::string& p : paths) {
    while (!IsSameOrBelow(ParentPath(p), common)) common.assign(ParentPath(common));
  }
  return common;
}

}  // namespace nokv
