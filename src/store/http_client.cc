// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "store/http_client.h"

#include "store/curl_library.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace nokv {

namespace {

struct Transfer {
  std::string_view upload;
  size_t uploaded = 0;
  HttpResponse* response = nullptr;
  bool expect_body = true;  // false for HEAD: Content-Length describes no bytes here
};

size_t OnRead(char* buf, size_t size, size_t nitems, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  const size_t n = std::min(size * nitems, t->upload.size() - t->uploaded);
  std::memcpy(buf, t->upload.data() + t->uploaded, n);
  t->uploaded += n;
  return n;
}

size_t OnWrite(char* data, size_t size, size_t nmemb, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  t->response->body.append(data, size * nmemb);
  return size * nmemb;
}

size_t OnHeader(char* data, size_t size, size_t nitems, void* arg) {
  auto* t = static_cast<Transfer*>(arg);
  std::string_view line(data, size * nitems);
  if (line.rfind("HTTP/", 0) == 0) {
    t->response->headers.clear();  // a new response (e.g. after 100 Continue)
    return line.size();
  }
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.remove_suffix(1);
    if (name == "content-length" && t->expect_body && t->response->body.empty()) {
      // Grow the body buffer once instead of doubling it while receiving.
      const uint64_t n = std::strtoull(std::string(value).c_str(), nullptr, 10);
      if (n > 0 && n <= (uint64_t{1} << 30)) t->response->body.reserve(n);
    }
    t->response->headers[name] = std::string(value);
  }
  return line.size();
}

}  // namespace

struct HttpClient::Handle {
  const CurlLibrary& lib;
  CURL* curl = nullptr;
  explicit Handle(const CurlLibrary& library) : lib(library), curl(library.easy_init()) {}
  ~Handle() {
    if (curl != nullptr) lib.easy_cleanup(curl);
  }
};

HttpClient::HttpClient(HttpClientConfig config) : config_(std::move(config)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::Borrow(const CurlLibrary& lib) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  return std::make_unique<Handle>(lib);
}

void HttpClient::Return(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < static_cast<size_t>(std::max(0, config_.max_idle_connections))) {
    idle_.push_back(std::move(handle));
  }
}

Result<HttpResponse> HttpClient::Perform(const HttpRequest& request) {
  NOKV_ASSIGN_OR_RETURN(const CurlLibrary* lib, CurlLibrary::Get());
  std::unique_ptr<Handle> handle = Borrow(*lib);
  CURL* c = handle->curl;
  if (c == nullptr) return Status::Internal("curl_easy_init failed");
  lib->easy_reset(c);  // keeps the connection cache of the handle

  HttpResponse response;
  Transfer transfer{request.body, 0, &response, request.method != "HEAD"};
  curl_slist* headers = nullptr;
  for (const std::string& h : request.headers) headers = lib->slist_append(headers, h.c_str());
  // Note: "Expect:" must not be blanked out to skip 100-continue: curl 7.88
  // would sign the blank header without sending it, and the server rejects
  // the signature. Servers answer 100 Continue at once, so it costs one RTT.

  lib->easy_setopt(c, CURLOPT_URL, request.url.c_str());
  lib->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  lib->easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  lib->easy_setopt(c, CURLOPT_AWS_SIGV4, config_.sigv4_provider.c_str());
  lib->easy_setopt(c, CURLOPT_USERPWD, config_.user_password.c_str());
  lib->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout_ms));
  if (config_.request_timeout_ms > 0) {
    lib->easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.request_timeout_ms));
  }
  // Abort a transfer that moves less than 1 byte/s for the stall timeout.
  lib->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  lib->easy_setopt(c, CURLOPT_LOW_SPEED_TIME,
                   std::max(1L, static_cast<long>(config_.stall_timeout_ms / 1000)));
  lib->easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  lib->easy_setopt(c, CURLOPT_HEADERDATA, &transfer);
  lib->easy_setopt(c, CURLOPT_WRITEFUNCTION, OnWrite);
  lib->easy_setopt(c, CURLOPT_WRITEDATA, &transfer);
  lib->easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);

  if (request.method == "HEAD") {
    lib->easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    lib->easy_setopt(c, CURLOPT_UPLOAD, 1L);
    lib->easy_setopt(c, CURLOPT_READFUNCTION, OnRead);
    lib->easy_setopt(c, CURLOPT_READDATA, &transfer);
    lib->easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "POST") {
    lib->easy_setopt(c, CURLOPT_POST, 1L);
    lib->easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    lib->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    lib->easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  char errbuf[CURL_ERROR_SIZE] = {0};
  lib->easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  CURLcode rc = lib->easy_perform(c);
  lib->slist_free_all(headers);
  if (rc == CURLE_OK) {
    lib->easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.status = 0;
    response.transport_error = errbuf[0] != '\0' ? errbuf : lib->easy_strerror(rc);
    response.body.clear();
  }
  lib->easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  // A handle whose transfer failed may hold a broken connection; drop it.
  if (rc == CURLE_OK) Return(std::move(handle));
  return response;
}

}  // namespace nokv
