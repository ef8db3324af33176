// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The opaque cursor of a paged listing: the version the listing is pinned to,
// the directory inode, and the last name returned. Encoded as hex text with a
// format byte so it can travel through shells and JSON unchanged.
#ifndef NOKV_NS_LIST_CURSOR_H_
#define NOKV_NS_LIST_CURSOR_H_

#include <cstdint>
#include <string>

#include "nokv/status.h"

namespace nokv {

struct ListCursor {
  uint64_t version = 0;
  uint64_t dir_ino = 0;
  std::string after_name;
};

std::string EncodeListCursor(const ListCursor& c);
// InvalidArgument for anything that is not a cursor nokv produced.
Result<ListCursor> DecodeListCursor(const std::string& text);

}  // namespace nokv

#endif  // NOKV_NS_LIST_CURSOR_H_
