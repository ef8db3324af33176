// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/list_cursor.h"

#include "meta/records.h"
#include "util/coding.h"
#include "util/path.h"

namespace nokv {

std::string EncodeListCursor(const ListCursor& c) {
  std::string raw(1, static_cast<char>(kFormatV1));
  PutFixed64BE(&raw, c.version);
  PutFixed64BE(&raw, c.dir_ino);
  raw += c.after_name;
  return HexEncode(raw);
}

Result<ListCursor> DecodeListCursor(const std::string& text) {
  std::string raw;
  ListCursor c;
  if (!HexDecode(text, &raw) || raw.size() < 18 || static_cast<uint8_t>(raw[0]) != kFormatV1) {
    return Status::InvalidArgument("malformed cursor \"" + text.substr(0, 64) +
                                   "\"; pass the next_cursor value of the previous page");
  }
  std::string_view in(raw);
  in.remove_prefix(1);
  GetFixed64BE(&in, &c.version);
  GetFixed64BE(&in, &c.dir_ino);
  c.after_name.assign(in);
  if (!ValidateName(c.after_name).ok()) {
    return Status::InvalidArgument("malformed cursor: bad name inside");
  }
  return c;
}

}  // namespace nokv
