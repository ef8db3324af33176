// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/commands.h"

#include "util/checksum.h"
#include "util/coding.h"

namespace nokv {

std::string RequestDigest(const std::vector<std::string>& parts) {
  Sha256 sha;
  for (const std::string& part : parts) {
    std::string len;
    PutVarint64(&len, part.size());
    sha.Update(len);
    sha.Update(part);
  }
  return sha.Finish();
}

}  // namespace nokv
