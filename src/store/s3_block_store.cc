// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// S3BlockStore: the BlockStore contract over an S3 bucket (and key prefix).
//
// No overwrite: a single PUT carries If-None-Match: *, which S3 and Ceph RGW
// answer with 412 when the key exists. A multipart upload (objects above
// multipart_threshold) cannot be made conditional on every server, so it
// checks with HEAD first; nokv's block keys embed a fresh upload id, so no
// two writers ever race for one key and the check is exact in practice.
// Atomicity: S3 makes an object visible only once a PUT or a multipart
// completion succeeds; a failed multipart upload is aborted.
#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include "nokv/block_store.h"
#include "nokv/store.h"
#include "store/s3_client.h"

namespace nokv {

namespace {

// Runs fn(0..n-1) on up to `concurrency` threads; returns the first error.
Status RunParallel(size_t n, int concurrency, const std::function<Status(size_t)>& fn) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  auto worker = [&]() {
    for (size_t i; !failed.load() && (i = next.fetch_add(1)) < n;) {
      Status s = fn(i);
      if (!s.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first.ok()) first = s;
        failed = true;
      }
    }
  };
  const size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, concurrency)));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  return first;
}

class S3BlockStore final : public BlockStore {
 public:
  S3BlockStore(StoreLocation location, std::unique_ptr<S3Client> client)
      : location_(std::move(location)), client_(std::move(client)) {}

  Status Put(std::string_view key, std::string_view data) override {
    const std::string full = FullKey(key);
    const S3Options& o = client_->options();
    if (data.size() <= o.multipart_threshold || o.part_size == 0) {
      return client_->PutObject(full, data, /*if_absent=*/true);
    }
    auto head = client_->HeadObject(full);
    if (head.ok()) {
      return Status::AlreadyExists("object s3://" + client_->bucket() + "/" + full +
                                   " already exists; blocks are never overwritten");
    }
    if (!head.status().IsNotFound()) return head.status();
    NOKV_ASSIGN_OR_RETURN(std::string upload_id, client_->CreateMultipartUpload(full));
    const uint64_t part = o.part_size;
    const size_t parts = static_cast<size_t>((data.size() + part - 1) / part);
    std::vector<std::string> etags(parts);
    Status s = RunParallel(parts, o.transfer_concurrency, [&](size_t i) -> Status {
      std::string_view piece = data.substr(i * part, part);
      NOKV_ASSIGN_OR_RETURN(etags[i],
                            client_->UploadPart(full, upload_id, static_cast<int>(i + 1), piece));
      return Status::OK();
    });
    if (s.ok()) s = client_->CompleteMultipartUpload(full, upload_id, etags);
    if (!s.ok()) {
      (void)client_->AbortMultipartUpload(full, upload_id);  // best effort
      return s;
    }
    return Status::OK();
  }

  Status Get(std::string_view key, uint64_t offset, uint64_t length, std::string* out) override {
    const std::string full = FullKey(key);
    const uint64_t piece = client_->options().read_part_size;
    if (length == 0) {
      out->clear();
      return Status::OK();
    }
    if (piece == 0 || length <= 2 * piece || client_->options().transfer_concurrency <= 1) {
      return client_->GetObject(full, offset, length, out);
    }
    // Parallel ranged GETs; a short tail joins the range before it.
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (uint64_t at = 0; at < length; at += piece) {
      ranges.emplace_back(offset + at, std::min(piece, length - at));
    }
    if (ranges.size() > 1 && ranges.back().second < piece / 2) {
      ranges[ranges.size() - 2].second += ranges.back().second;
      ranges.pop_back();
    }
    std::vector<std::string> parts(ranges.size());
    NOKV_RETURN_IF_ERROR(
        RunParallel(ranges.size(), client_->options().transfer_concurrency, [&](size_t i) {
          return client_->GetObject(full, ranges[i].first, ranges[i].second, &parts[i]);
        }));
    out->clear();
    for (size_t i = 0; i < parts.size(); ++i) {
      out->append(parts[i]);
      if (parts[i].size() < ranges[i].second) break;  // the object ends here
    }
    return Status::OK();
  }

  Result<uint64_t> Size(std::string_view key) override {
    NOKV_ASSIGN_OR_RETURN(S3ObjectHead head, client_->HeadObject(FullKey(key)));
    return head.size;
  }

  Status Delete(std::string_view key) override { return client_->DeleteObject(FullKey(key)); }

  Status DeleteMany(const std::vector<std::string>& keys) override {
    std::vector<std::string> full;
    full.reserve(keys.size());
    for (const std::string& k : keys) full.push_back(FullKey(k));
    return client_->DeleteObjects(full);
  }

  Status List(std::string_view prefix, const std::function<bool(const ObjectInfo&)>& fn) override {
    const size_t strip = location_.prefix.size();
    return client_->ListObjects(FullKey(prefix), [&](const std::string& key, uint64_t size) {
      if (key.size() < strip) return true;
      return fn(ObjectInfo{key.substr(strip), size});
    });
  }

  std::string Describe() const override { return location_.uri + " at " + client_->endpoint(); }

 private:
  std::string FullKey(std::string_view key) const { return location_.prefix + std::string(key); }

  const StoreLocation location_;
  std::unique_ptr<S3Client> client_;
};

bool ValidBucket(const std::string& b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.')) return false;
  }
  return b.front() != '-' && b.front() != '.' && b.back() != '-' && b.back() != '.';
}

}  // namespace

S3Options S3Options::FromEnvironment() {
  S3Options o;
  for (const char* name : {"NOKV_S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') {
      o.endpoint = v;
      break;
    }
  }
  const char* vh = std::getenv("NOKV_S3_VIRTUAL_HOST");
  o.virtual_host = vh != nullptr && std::string(vh) == "1";
  return o;
}

Result<StoreLocation> ParseStoreUri(const std::string& uri) {
  StoreLocation loc;
  if (uri.empty() || uri == "local") {
    loc.uri = "local";
    return loc;
  }
  constexpr std::string_view kScheme = "s3://";
  if (uri.rfind(kScheme, 0) != 0) {
    return Status::InvalidArgument("store '" + uri +
                                   "' is not understood; use s3://BUCKET/PREFIX or local");
  }
  std::string rest = uri.substr(kScheme.size());
  const size_t slash = rest.find('/');
  loc.kind = StoreLocation::Kind::kS3;
  loc.bucket = rest.substr(0, slash);
  if (!ValidBucket(loc.bucket)) {
    return Status::InvalidArgument("'" + loc.bucket + "' in store " + uri +
                                   " is not a valid bucket name (3-63 characters: a-z 0-9 . -)");
  }
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
  // Normalise: no leading, repeated or missing trailing slashes.
  std::string clean;
  size_t start = 0;
  while (start < prefix.size()) {
    size_t end = prefix.find('/', start);
    if (end == std::string::npos) end = prefix.size();
    std::string part = prefix.substr(start, end - start);
    if (part == "." || part == "..") {
      return Status::InvalidArgument("store prefix may not contain '.' or '..': " + uri);
    }
    if (!part.empty()) clean += part + "/";
    start = end + 1;
  }
  loc.prefix = clean;
  loc.uri = "s3://" + loc.bucket + "/" + loc.prefix;
  return loc;
}

Result<std::unique_ptr<BlockStore>> OpenS3BlockStore(const StoreLocation& location,
                                                     const S3Options& options) {
  if (location.kind != StoreLocation::Kind::kS3) {
    return Status::InvalidArgument("not an S3 store: " + location.uri);
  }
  NOKV_ASSIGN_OR_RETURN(std::unique_ptr<S3Client> client,
                        S3Client::Create(location.bucket, options));
  NOKV_RETURN_IF_ERROR(client->CheckBucket().WithContext("open store " + location.uri));
  return std::unique_ptr<BlockStore>(std::make_unique<S3BlockStore>(location, std::move(client)));
}

}  // namespace nokv
