// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/tree_source.h"

namespace nokv {

Result<ChildList> CollectChildren(
    const std::function<Status(const std::function<bool(std::string_view, std::string_view)>&)>&
        scan) {
  ChildList children;
  Status decode_status;
  NOKV_RETURN_IF_ERROR(scan([&](std::string_view key, std::string_view value) {
    DentryRecord d;
    decode_status = DecodeDentry(value, &d);
    if (!decode_status.ok()) return false;
    children.emplace_back(std::string(DentryName(key)), d);
    return true;
  }));
  NOKV_RETURN_IF_ERROR(decode_status);
  return children;
}

Result<ChildList> VersionTree::Children(uint64_t dir) {
  return CollectChildren([&](const auto& fn) {
    return engine_->ScanAt(Family::kDentries, DirPrefix(dir), view_.version(), "", fn);
  });
}

}  // namespace nokv
