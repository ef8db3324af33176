// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/uploader.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <future>

#include "util/checksum.h"
#include "util/clock.h"

namespace nokv {

namespace {

// Reads until `n` bytes or end of stream.
Result<std::string> ReadUpTo(ByteSource& source, size_t n) {
  std::string buf(n, '\0');
  size_t got = 0;
  while (got < n) {
    NOKV_ASSIGN_OR_RETURN(size_t r, source.Read(buf.data() + got, n - got));
    if (r == 0) break;
    got += r;
  }
  buf.resize(got);
  return buf;
}

}  // namespace

Uploader::Uploader(MetaEngine* engine, BlockStore* store, const Options& options,
                   std::string session)
    : engine_(engine), store_(store), options_(options), session_(std::move(session)) {}

Result<UploadedBody> Uploader::Upload(ByteSource& source, const std::string& content_type,
                                      const std::function<void(uint64_t)>& progress) {
  // Read just past the inline threshold to learn whether the body fits inline;
  // a known size avoids reserving the whole threshold for small bodies.
  uint64_t probe = options_.inline_threshold + 1;
  if (auto hint = source.SizeHint(); hint.has_value()) probe = std::min(probe, *hint + 1);
  NOKV_ASSIGN_OR_RETURN(std::string head, ReadUpTo(source, probe));
  if (head.size() == probe && probe <= options_.inline_threshold) {
    // The source grew beyond its size hint: read on up to the threshold.
    NOKV_ASSIGN_OR_RETURN(std::string more,
                          ReadUpTo(source, options_.inline_threshold + 1 - probe));
    head += more;
  }
  if (progress) progress(head.size());
  NOKV_ASSIGN_OR_RETURN(uint64_t body_id, engine_->AllocateId(IdKind::kBody));
  BodyDescriptor desc;
  desc.content_type = content_type;
  if (head.size() <= options_.inline_threshold) {
    desc.is_inline = true;
    desc.size = head.size();
    desc.sha256 = Sha256::Digest(head);
    desc.inline_data = std::move(head);
    return UploadedBody{body_id, std::move(desc), false};
  }
  return UploadBlocks(source, std::move(head), body_id, std::move(desc), progress);
}

Result<UploadedBody> Uploader::UploadBlocks(ByteSource& source, std::string head, uint64_t body_id,
                                            BodyDescriptor desc,
                                            const std::function<void(uint64_t)>& progress) {
  UploadedBody out{body_id, std::move(desc), true};
  BodyDescriptor& d = out.descriptor;
  d.is_inline = false;
  d.upload_id = body_id;
  d.block_size = options_.block_size;
  const int64_t now = NowUnixNanos();
  IntentRecord intent{body_id, session_, now, now + options_.intent_ttl_seconds * 1'000'000'000};
  NOKV_RETURN_IF_ERROR(
      engine_->PutPlainDirect(Family::kIntents, IdKey(body_id), EncodeIntent(intent))
          .WithContext("record upload intent"));

  Sha256 sha;
  std::deque<std::future<Status>> in_flight;
  const size_t max_in_flight = static_cast<size_t>(std::max(1, options_.upload_concurrency));
  Status failure;
  auto drain_one = [&]() {
    Status s = in_flight.front().get();
    in_flight.pop_front();
    if (failure.ok() && !s.ok()) failure = s;
  };
  const size_t block_size = d.block_size;
  std::future<void> hashing;
  std::string_view carry = head;  // bytes read while probing for inline
  bool eof = false;
  for (uint64_t index = 0; failure.ok() && !(eof && carry.empty()); ++index) {
    // One block: leftover probe bytes first, then straight from the source
    // into an uninitialised buffer (no zero fill, no shuffling).
    std::shared_ptr<char[]> block(new char[block_size]);
    size_t filled = std::min(carry.size(), block_size);
    std::memcpy(block.get(), carry.data(), filled);
    carry.remove_prefix(filled);
    while (filled < block_size && !eof) {
      auto r = source.Read(block.get() + filled, block_size - filled);
      if (!r.ok()) {
        failure = r.status();
        break;
      }
      if (*r == 0) eof = true;
      filled += *r;
      if (progress) progress(*r);
    }
    if (!failure.ok() || filled == 0) break;
    const std::string_view bytes(block.get(), filled);
    d.block_crc32c.push_back(Crc32c(bytes));
    // Hash block i while block i+1 is read (SHA-256 must see blocks in order).
    if (hashing.valid()) hashing.get();
    hashing = std::async(std::launch::async, [&sha, block, bytes] { sha.Update(bytes); });
    d.size += filled;
    while (in_flight.size() >= max_in_flight) drain_one();
    in_flight.push_back(
        std::async(std::launch::async, [this, key = BlockKey(body_id, index), block, filled]() {
          return store_->Put(key, std::string_view(block.get(), filled));
        }));
  }
  if (hashing.valid()) hashing.get();
  while (!in_flight.empty()) drain_one();
  if (!failure.ok()) {
    Discard(out);
    return failure.WithContext("upload failed, nothing was published");
  }
  d.sha256 = sha.Finish();
  return out;
}

void Uploader::Discard(const UploadedBody& body) {
  if (!body.has_intent) return;
  uint64_t objects = 0, bytes = 0;
  if (DeleteObjects(body.descriptor.upload_id, &objects, &bytes).ok()) {
    (void)engine_->DeletePlainDirect(Family::kIntents, IdKey(body.descriptor.upload_id));
  }
}

Status Uploader::DeleteObjects(uint64_t upload_id, uint64_t* objects, uint64_t* bytes) {
  std::vector<ObjectInfo> found;
  NOKV_RETURN_IF_ERROR(store_->List(UploadPrefix(upload_id), [&](const ObjectInfo& o) {
    found.push_back(o);
    return true;
  }));
  std::vector<std::string> keys;
  for (const ObjectInfo& o : found) keys.push_back(o.key);
  NOKV_RETURN_IF_ERROR(store_->DeleteMany(keys));
  for (const ObjectInfo& o : found) {
    ++*objects;
    *bytes += o.size;
  }
  return Status::OK();
}

std::string GuessContentType(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".json", "application/json"}, {".jsonl", "application/x-ndjson"},
      {".yaml", "application/yaml"}, {".yml", "application/yaml"},
      {".csv", "text/csv"},          {".tsv", "text/tab-separated-values"},
      {".txt", "text/plain"},        {".log", "text/plain"},
      {".md", "text/markdown"},      {".py", "text/x-python"},
      {".patch", "text/x-diff"},     {".diff", "text/x-diff"},
      {".html", "text/html"},        {".toml", "application/toml"},
      {".png", "image/png"},         {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},       {".parquet", "application/vnd.apache.parquet"},
      {".gz", "application/gzip"},   {".tar", "application/x-tar"},
      {".zip", "application/zip"},   {".safetensors", "application/octet-stream"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (name.size() > ext.size() && name.substr(name.size() - ext.size()) == ext) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

}  // namespace nokv
