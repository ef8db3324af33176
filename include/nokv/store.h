// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Choosing where bodies live: a store URI plus the settings of an S3 client.
//
//   ""  or "local"          blocks in DATA_DIR/blocks (the embedded default)
//   "s3://BUCKET"           every object of the namespace in BUCKET
//   "s3://BUCKET/PREFIX"    ... under PREFIX/ in BUCKET
//
// The S3 store speaks the S3 REST API over libcurl with SigV4 signing, so it
// works with Ceph RGW, MinIO and AWS S3 alike. See docs/s3.md for the design.
#ifndef NOKV_STORE_H_
#define NOKV_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "nokv/block_store.h"
#include "nokv/status.h"

namespace nokv {

struct S3Options {
  // Base URL of the service, e.g. "http://127.0.0.1:7480". Empty means AWS:
  // https://s3.REGION.amazonaws.com.
  std::string endpoint;
  // Signing region. Empty: $AWS_REGION, else $AWS_DEFAULT_REGION, else us-east-1.
  std::string region;
  // Address buckets as BUCKET.host (virtual-hosted style) instead of
  // host/BUCKET (path style, the default: it works with any endpoint).
  bool virtual_host = false;

  // Credentials. When access_key_id is empty they are found the way other S3
  // tools find them: $AWS_ACCESS_KEY_ID / $AWS_SECRET_ACCESS_KEY /
  // $AWS_SESSION_TOKEN, else the profile `profile` (empty: $AWS_PROFILE, else
  // "default") of $AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials).
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  std::string profile;

  // Idle connections kept for reuse (requests beyond it still run; their
  // connections are closed afterwards).
  int max_idle_connections = 32;
  // Parallel requests used for one large object: parts of a multipart
  // upload, ranges of a large read.
  int transfer_concurrency = 4;
  // Objects larger than this are uploaded in parts of part_size bytes.
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
  // Reads longer than twice this are split into parallel ranged GETs.
  uint64_t read_part_size = 8ull << 20;

  // Attempts per request (first try included) before giving up. Transport
  // errors, 5xx, 429 and SlowDown are retried with jittered exponential
  // backoff between backoff_base_ms and backoff_max_ms.
  int max_attempts = 6;
  int backoff_base_ms = 50;
  int backoff_max_ms = 4000;
  // Timeouts: connecting; a request that moves no bytes for stall_timeout_ms
  // is aborted (and retried); request_timeout_ms bounds a whole request
  // (0: no bound besides the stall timeout).
  int connect_timeout_ms = 5000;
  int stall_timeout_ms = 20000;
  int request_timeout_ms = 0;

  // Defaults plus what the environment says: NOKV_S3_ENDPOINT (else
  // AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL), NOKV_S3_VIRTUAL_HOST=1.
  static S3Options FromEnvironment();
};

// A parsed store URI.
struct StoreLocation {
  enum class Kind { kLocal, kS3 };
  Kind kind = Kind::kLocal;
  std::string bucket;  // kS3
  std::string prefix;  // kS3: empty or ends with '/'
  // Canonical spelling ("local" or "s3://BUCKET/PREFIX/"); what a data dir
  // records as the store it uses.
  std::string uri;
};

// InvalidArgument explains a malformed URI or bucket name.
Result<StoreLocation> ParseStoreUri(const std::string& uri);

// Opens the S3 store of `location` (kind must be kS3). Checks credentials
// and that the bucket answers; IOError/NotFound say what to fix. The store is
// thread-safe and owns its connection pool.
Result<std::unique_ptr<BlockStore>> OpenS3BlockStore(const StoreLocation& location,
                                                     const S3Options& options);

}  // namespace nokv

#endif  // NOKV_STORE_H_
