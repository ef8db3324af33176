// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// S3Client: the S3 REST operations nokv needs, on one bucket. Every request
// is signed (SigV4, by curl), carries x-amz-content-sha256, and is retried
// with jittered exponential backoff while the failure is retryable
// (s3_retry.h). Errors are Status values whose message names the operation,
// the object and the endpoint; a 404 of an object is NotFound.
//
// Thread-safe: all methods may be called concurrently.
#ifndef NOKV_STORE_S3_CLIENT_H_
#define NOKV_STORE_S3_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"
#include "nokv/store.h"
#include "store/http_client.h"

namespace nokv {

struct S3ObjectHead {
  uint64_t size = 0;
  std::string etag;  // without quotes
};

class S3Client {
 public:
  // Resolves credentials and region; does not touch the network.
  static Result<std::unique_ptr<S3Client>> Create(const std::string& bucket,
                                                  const S3Options& options);

  // PUT. With `if_absent` the request carries If-None-Match: * and a key that
  // exists yields AlreadyExists (unless an earlier attempt of this very call
  // stored the same bytes, recognised by the ETag). Content-MD5 lets the
  // server reject damaged payloads.
  Status PutObject(const std::string& key, std::string_view data, bool if_absent);

  // GET of bytes [offset, offset+length) (length 0: to the end) into *out.
  // An offset at or past the end yields an empty *out. NotFound if absent.
  Status GetObject(const std::string& key, uint64_t offset, uint64_t length, std::string* out);

  // HEAD. NotFound if absent.
  Result<S3ObjectHead> HeadObject(const std::string& key);

  // DELETE; deleting an absent key is OK.
  Status DeleteObject(const std::string& key);

  // DeleteObjects (POST ?delete) in batches of up to 1000 keys.
  Status DeleteObjects(const std::vector<std::string>& keys);

  // ListObjectsV2 over every page; `fn` returns false to stop early.
  Status ListObjects(const std::string& prefix,
                     const std::function<bool(const std::string& key, uint64_t size)>& fn);

  // Multipart upload: create, upload parts (1-based numbers), complete
  // (parts in order) or abort.
  Result<std::string> CreateMultipartUpload(const std::string& key);
  Result<std::string> UploadPart(const std::string& key, const std::string& upload_id, int number,
                                 std::string_view data);
  Status CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                 const std::vector<std::string>& etags);
  Status AbortMultipartUpload(const std::string& key, const std::string& upload_id);

  // HEAD of the bucket: NotFound if it does not exist, IOError naming the
  // problem (credentials, endpoint) otherwise.
  Status CheckBucket();

  const std::string& bucket() const { return bucket_; }
  const std::string& endpoint() const { return endpoint_; }
  const S3Options& options() const { return options_; }

 private:
  S3Client(std::string bucket, S3Options options, std::string endpoint, HttpClientConfig http);

  // URL of `key` (empty: the bucket) with an already canonical `query`.
  std::string Url(const std::string& key, const std::string& query) const;
  // Runs `request` with retries. *attempts (optional) receives the number
  // of attempts made. Returns the last response (even a non-2xx one) or
  // IOError when every attempt failed retryably.
  Result<HttpResponse> Execute(const std::string& what, HttpRequest request,
                               int* attempts = nullptr);
  // A Status for a non-2xx response.
  Status ErrorFor(const std::string& what, const HttpResponse& response) const;

  const std::string bucket_;
  const S3Options options_;
  const std::string endpoint_;
  std::unique_ptr<HttpClient> http_;
  std::string session_token_;
};

// Percent-encodes per SigV4 (unreserved bytes kept; '/' kept if keep_slash).
std::string S3UriEncode(std::string_view s, bool keep_slash);
// The <Code> of an S3 XML error body; empty if none.
std::string S3ErrorCode(const std::string& body);

}  // namespace nokv

#endif  // NOKV_STORE_S3_CLIENT_H_
