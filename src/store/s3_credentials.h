// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// S3Credentials: finds the key pair (and session token) the way S3 tools do.
#ifndef NOKV_STORE_S3_CREDENTIALS_H_
#define NOKV_STORE_S3_CREDENTIALS_H_

#include <string>

#include "nokv/status.h"
#include "nokv/store.h"

namespace nokv {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
  std::string source;         // where they came from, for messages
};

// Explicit options first, then $AWS_ACCESS_KEY_ID/$AWS_SECRET_ACCESS_KEY
// ($AWS_SESSION_TOKEN), then the profile in the shared credentials file.
// InvalidArgument says what to set when nothing is found.
Result<S3Credentials> ResolveS3Credentials(const S3Options& options);

}  // namespace nokv

#endif  // NOKV_STORE_S3_CREDENTIALS_H_
