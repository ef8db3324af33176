// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "store/s3_client.h"

#include <openssl/evp.h>
#include <pugixml.hpp>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "store/s3_credentials.h"
#include "store/s3_retry.h"

namespace nokv {

namespace {

constexpr const char* kUnsignedPayload = "x-amz-content-sha256: UNSIGNED-PAYLOAD";

std::string Md5(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string Base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()),
                                static_cast<int>(raw.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Hex(std::string_view raw) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::string(v) : fallback;
}

}  // namespace

std::string S3UriEncode(std::string_view s, bool keep_slash) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string S3ErrorCode(const std::string& body) {
  if (body.empty()) return "";
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return "";
  return doc.child("Error").child_value("Code");
}

Result<std::unique_ptr<S3Client>> S3Client::Create(const std::string& bucket,
                                                   const S3Options& options) {
  NOKV_ASSIGN_OR_RETURN(S3Credentials creds, ResolveS3Credentials(options));
  std::string region = options.region;
  if (region.empty()) region = EnvOr("AWS_REGION", EnvOr("AWS_DEFAULT_REGION", "us-east-1"));
  std::string endpoint = options.endpoint;
  if (endpoint.empty()) endpoint = "https://s3." + region + ".amazonaws.com";
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  if (endpoint.rfind("http://", 0) != 0 && endpoint.rfind("https://", 0) != 0) {
    return Status::InvalidArgument("S3 endpoint '" + endpoint +
                                   "' must start with http:// or https://");
  }
  S3Options resolved = options;
  resolved.region = region;
  resolved.endpoint = endpoint;
  HttpClientConfig http;
  http.sigv4_provider = "aws:amz:" + region + ":s3";
  http.user_password = creds.access_key_id + ":" + creds.secret_access_key;
  http.connect_timeout_ms = options.connect_timeout_ms;
  http.stall_timeout_ms = options.stall_timeout_ms;
  http.request_timeout_ms = options.request_timeout_ms;
  http.max_idle_connections = options.max_idle_connections;
  std::unique_ptr<S3Client> client(
      new S3Client(bucket, std::move(resolved), endpoint, std::move(http)));
  client->session_token_ = creds.session_token;
  return client;
}

S3Client::S3Client(std::string bucket, S3Options options, std::string endpoint,
                   HttpClientConfig http)
    : bucket_(std::move(bucket)),
      options_(std::move(options)),
      endpoint_(std::move(endpoint)),
      http_(std::make_unique<HttpClient>(std::move(http))) {}

std::string S3Client::Url(const std::string& key, const std::string& query) const {
  std::string url;
  if (options_.virtual_host) {
    const size_t scheme_end = endpoint_.find("://") + 3;
    url = endpoint_.substr(0, scheme_end) + bucket_ + "." + endpoint_.substr(scheme_end) + "/";
  } else {
    url = endpoint_ + "/" + bucket_ + (key.empty() ? "" : "/");
  }
  url += S3UriEncode(key, /*keep_slash=*/true);
  if (!query.empty()) url += "?" + query;
  return url;
}

Result<HttpResponse> S3Client::Execute(const std::string& what, HttpRequest request,
                                       int* attempts) {
  request.headers.push_back(kUnsignedPayload);
  if (!session_token_.empty()) request.headers.push_back("x-amz-security-token: " + session_token_);
  const int max_attempts = std::max(1, options_.max_attempts);
  std::string last;
  for (int attempt = 1;; ++attempt) {
    if (attempts != nullptr) *attempts = attempt;
    NOKV_ASSIGN_OR_RETURN(HttpResponse response, http_->Perform(request));
    const std::string code = response.ok() ? "" : S3ErrorCode(response.body);
    if (response.ok() || !IsRetryable(response, code)) return response;
    last = response.status == 0
               ? response.transport_error
               : "HTTP " + std::to_string(response.status) + (code.empty() ? "" : " " + code);
    if (attempt >= max_attempts) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(
        BackoffDelayMs(attempt, options_.backoff_base_ms, options_.backoff_max_ms)));
  }
  return Status::IOError(what + " at " + endpoint_ + " failed after " +
                         std::to_string(max_attempts) + " attempts (last: " + last +
                         "); check that the S3 endpoint is reachable and healthy");
}

Status S3Client::ErrorFor(const std::string& what, const HttpResponse& response) const {
  const std::string code = S3ErrorCode(response.body);
  std::string message;
  if (!response.body.empty()) {
    pugi::xml_document doc;
    if (doc.load_buffer(response.body.data(), response.body.size())) {
      message = doc.child("Error").child_value("Message");
    }
  }
  std::string text = what + " at " + endpoint_ + ": HTTP " + std::to_string(response.status) +
                     (code.empty() ? "" : " " + code) +
                     (message.empty() ? "" : " (" + message + ")");
  if (code == "NoSuchBucket") {
    return Status::NotFound(text + "; create bucket " + bucket_ + " first");
  }
  if (response.status == 404) return Status::NotFound(text);
  if (response.status == 403) {
    return Status::IOError(text +
                           "; check the S3 credentials (AWS_ACCESS_KEY_ID, "
                           "AWS_SECRET_ACCESS_KEY or AWS_PROFILE) and --s3-region");
  }
  if (response.status == 412) return Status::AlreadyExists(text);
  if (code == "EntityTooLarge" || code == "QuotaExceeded") return Status::NoSpace(text);
  return Status::IOError(text);
}

Status S3Client::PutObject(const std::string& key, std::string_view data, bool if_absent) {
  const std::string md5 = Md5(data);
  HttpRequest req;
  req.method = "PUT";
  req.url = Url(key, "");
  req.body = data;
  req.headers.push_back("Content-MD5: " + Base64(md5));
  req.headers.push_back("Content-Type: application/octet-stream");
  if (if_absent) req.headers.push_back("If-None-Match: *");
  const std::string what = "PUT s3://" + bucket_ + "/" + key;
  int attempts = 0;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req), &attempts));
  if (resp.ok()) return Status::OK();
  if (resp.status == 412 && attempts > 1) {
    // An earlier attempt may have succeeded with its answer lost: if the
    // object holds exactly our bytes, this put did happen.
    auto head = HeadObject(key);
    if (head.ok() && head->etag == Hex(md5) && head->size == data.size()) return Status::OK();
  }
  if (resp.status == 412) {
    return Status::AlreadyExists("object s3://" + bucket_ + "/" + key +
                                 " already exists; blocks are never overwritten");
  }
  return ErrorFor(what, resp);
}

Status S3Client::GetObject(const std::string& key, uint64_t offset, uint64_t length,
                           std::string* out) {
  HttpRequest req;
  req.url = Url(key, "");
  if (offset > 0 || length > 0) {
    std::string range = "Range: bytes=" + std::to_string(offset) + "-";
    if (length > 0) range += std::to_string(offset + length - 1);
    req.headers.push_back(range);
  }
  const std::string what = "GET s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (resp.status == 416) {  // the range starts at or past the end
    out->clear();
    return Status::OK();
  }
  if (!resp.ok()) return ErrorFor(what, resp);
  if (resp.status == 200 && (offset > 0 || length > 0)) {
    // The server ignored the range: cut the requested bytes out.
    if (offset >= resp.body.size()) {
      resp.body.clear();
    } else {
      resp.body = resp.body.substr(offset, length == 0 ? std::string::npos : length);
    }
  }
  out->swap(resp.body);
  return Status::OK();
}

Result<S3ObjectHead> S3Client::HeadObject(const std::string& key) {
  HttpRequest req;
  req.method = "HEAD";
  req.url = Url(key, "");
  const std::string what = "HEAD s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (!resp.ok()) return ErrorFor(what, resp);
  S3ObjectHead head;
  head.size = std::strtoull(resp.headers["content-length"].c_str(), nullptr, 10);
  head.etag = Unquote(resp.headers["etag"]);
  return head;
}

Status S3Client::DeleteObject(const std::string& key) {
  HttpRequest req;
  req.method = "DELETE";
  req.url = Url(key, "");
  const std::string what = "DELETE s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (resp.ok() || resp.status == 404) return Status::OK();
  return ErrorFor(what, resp);
}

Status S3Client::DeleteObjects(const std::vector<std::string>& keys) {
  constexpr size_t kBatch = 1000;
  for (size_t start = 0; start < keys.size(); start += kBatch) {
    std::string xml = "<Delete><Quiet>true</Quiet>";
    for (size_t i = start; i < std::min(keys.size(), start + kBatch); ++i) {
      xml += "<Object><Key>" + XmlEscape(keys[i]) + "</Key></Object>";
    }
    xml += "</Delete>";
    HttpRequest req;
    req.method = "POST";
    req.url = Url("", "delete=");
    req.body = xml;
    req.headers.push_back("Content-MD5: " + Base64(Md5(xml)));
    req.headers.push_back("Content-Type: application/xml");
    const std::string what = "DeleteObjects in s3://" + bucket_;
    NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
    if (!resp.ok()) return ErrorFor(what, resp);
    pugi::xml_document doc;
    if (!doc.load_buffer(resp.body.data(), resp.body.size())) {
      return Status::IOError(what + ": the response is not XML");
    }
    for (pugi::xml_node e : doc.child("DeleteResult").children("Error")) {
      const std::string code = e.child_value("Code");
      if (code == "NoSuchKey") continue;
      return Status::IOError(what + ": could not delete " + e.child_value("Key") + ": " + code +
                             " " + e.child_value("Message"));
    }
  }
  return Status::OK();
}

Status S3Client::ListObjects(const std::string& prefix,
                             const std::function<bool(const std::string&, uint64_t)>& fn) {
  std::string token;
  const std::string what = "ListObjectsV2 s3://" + bucket_ + "/" + prefix;
  for (;;) {
    // Parameters in canonical (sorted, encoded) order: curl signs the query as given.
    std::string query;
    if (!token.empty()) query += "continuation-token=" + S3UriEncode(token, false) + "&";
    query += "list-type=2&max-keys=1000&prefix=" + S3UriEncode(prefix, false);
    HttpRequest req;
    req.url = Url("", query);
    NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
    if (!resp.ok()) return ErrorFor(what, resp);
    pugi::xml_document doc;
    if (!doc.load_buffer(resp.body.data(), resp.body.size())) {
      return Status::IOError(what + ": the response is not XML");
    }
    pugi::xml_node result = doc.child("ListBucketResult");
    for (pugi::xml_node c : result.children("Contents")) {
      if (!fn(c.child_value("Key"), std::strtoull(c.child_value("Size"), nullptr, 10))) {
        return Status::OK();
      }
    }
    if (std::string(result.child_value("IsTruncated")) != "true") return Status::OK();
    token = result.child_value("NextContinuationToken");
    if (token.empty())
      return Status::IOError(what + ": truncated page without a continuation token");
  }
}

Result<std::string> S3Client::CreateMultipartUpload(const std::string& key) {
  HttpRequest req;
  req.method = "POST";
  req.url = Url(key, "uploads=");
  req.headers.push_back("Content-Type: application/octet-stream");
  const std::string what = "CreateMultipartUpload s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (!resp.ok()) return ErrorFor(what, resp);
  pugi::xml_document doc;
  doc.load_buffer(resp.body.data(), resp.body.size());
  std::string id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
  if (id.empty()) return Status::IOError(what + ": no UploadId in the response");
  return id;
}

Result<std::string> S3Client::UploadPart(const std::string& key, const std::string& upload_id,
                                         int number, std::string_view data) {
  HttpRequest req;
  req.method = "PUT";
  req.url = Url(
      key, "partNumber=" + std::to_string(number) + "&uploadId=" + S3UriEncode(upload_id, false));
  req.body = data;
  req.headers.push_back("Content-MD5: " + Base64(Md5(data)));
  const std::string what =
      "UploadPart " + std::to_string(number) + " of s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (!resp.ok()) return ErrorFor(what, resp);
  std::string etag = resp.headers["etag"];
  if (etag.empty()) return Status::IOError(what + ": no ETag in the response");
  return etag;
}

Status S3Client::CompleteMultipartUpload(const std::string& key, const std::string& upload_id,
                                         const std::vector<std::string>& etags) {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    xml += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
           XmlEscape(etags[i]) + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  HttpRequest req;
  req.method = "POST";
  req.url = Url(key, "uploadId=" + S3UriEncode(upload_id, false));
  req.body = xml;
  req.headers.push_back("Content-Type: application/xml");
  const std::string what = "CompleteMultipartUpload s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (!resp.ok()) return ErrorFor(what, resp);
  // S3 may report a failure inside a 200 response.
  if (!S3ErrorCode(resp.body).empty()) return ErrorFor(what, resp);
  return Status::OK();
}

Status S3Client::AbortMultipartUpload(const std::string& key, const std::string& upload_id) {
  HttpRequest req;
  req.method = "DELETE";
  req.url = Url(key, "uploadId=" + S3UriEncode(upload_id, false));
  const std::string what = "AbortMultipartUpload s3://" + bucket_ + "/" + key;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (resp.ok() || resp.status == 404) return Status::OK();
  return ErrorFor(what, resp);
}

Status S3Client::CheckBucket() {
  HttpRequest req;
  req.method = "HEAD";
  req.url = Url("", "");
  const std::string what = "HEAD bucket s3://" + bucket_;
  NOKV_ASSIGN_OR_RETURN(HttpResponse resp, Execute(what, std::move(req)));
  if (resp.ok()) return Status::OK();
  if (resp.status == 404) {
    return Status::NotFound("bucket " + bucket_ + " does not exist at " + endpoint_ +
                            "; create it first (e.g. aws s3 mb s3://" + bucket_ + ")");
  }
  return ErrorFor(what, resp);
}

}  // namespace nokv
