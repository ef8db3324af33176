// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// HttpClient: one HTTP request per call over libcurl (loaded on first use), signed with AWS SigV4
// by curl itself, on connections reused through a pool of curl handles.
// It makes exactly one attempt; retrying is the caller's job (s3_client).
//
// Thread-safe: concurrent Perform calls each borrow their own handle.
#ifndef NOKV_STORE_HTTP_CLIENT_H_
#define NOKV_STORE_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "nokv/status.h"

namespace nokv {

struct CurlLibrary;

struct HttpRequest {
  std::string method = "GET";        // GET, HEAD, PUT, POST, DELETE
  std::string url;                   // fully encoded (canonical query order for SigV4)
  std::vector<std::string> headers;  // "Name: value"
  std::string_view body;             // payload of PUT/POST; must outlive the call
};

struct HttpResponse {
  // 0 when the request failed below HTTP (see transport_error).
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  // What failed when status is 0 (connection refused, reset, timeout, ...).
  std::string transport_error;
  bool ok() const { return status >= 200 && status < 300; }
};

struct HttpClientConfig {
  std::string sigv4_provider;  // e.g. "aws:amz:us-east-1:s3"
  std::string user_password;   // "ACCESS:SECRET"
  int connect_timeout_ms = 5000;
  int stall_timeout_ms = 20000;
  int request_timeout_ms = 0;
  int max_idle_connections = 32;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientConfig config);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One attempt. Transport failures come back as status 0 with
  // transport_error set, never as a non-OK Status; a non-OK Status means
  // the request could not even be set up (a bug or out of memory).
  Result<HttpResponse> Perform(const HttpRequest& request);

 private:
  struct Handle;
  std::unique_ptr<Handle> Borrow(const CurlLibrary& lib);
  void Return(std::unique_ptr<Handle> handle);

  const HttpClientConfig config_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_;  // guarded by mu_
};

}  // namespace nokv

#endif  // NOKV_STORE_HTTP_CLIENT_H_
