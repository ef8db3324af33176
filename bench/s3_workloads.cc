// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "s3_workloads.h"

#include <unistd.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "baselines.h"
#include "inputs.h"
#include "nokv/namespace.h"
#include "nokv_ops.h"
#include "store/s3_client.h"
#include "store/s3_credentials.h"

namespace nokv::bench {

namespace {

constexpr int kConcurrency = 16;
constexpr uint64_t kSampleBytes = 16 << 10;
constexpr const char* kAws = "/usr/bin/aws";
constexpr const char* kCurl = "/usr/bin/curl";

// Everything one S3 run needs: the server, a raw client for setup, cleanup
// and the direct-GET baseline, and unique key prefixes.
class S3Bench {
 public:
  explicit S3Bench(const Params& p) : p_(p) {
    options_ = S3Options::FromEnvironment();
    options_.endpoint = p.s3_endpoint;
    options_.transfer_concurrency = kConcurrency;
    client_ = Unwrap(S3Client::Create(p.s3_bucket, options_), "S3 client");
    Check(client_->CheckBucket(), "S3 bucket");
    creds_ = Unwrap(ResolveS3Credentials(options_), "S3 credentials");
  }

  S3Client& client() { return *client_; }
  const std::string& bucket() const { return p_.s3_bucket; }

  std::string NewPrefix(const std::string& what) {
    return "bench-" + std::to_string(::getpid()) + "-" + what + "-" + std::to_string(next_++);
  }
  std::string Url(const std::string& key) const {
    return client_->endpoint() + "/" + bucket() + "/" + key;
  }

  // Removes every object under `prefix` (untimed cleanup).
  void Drop(const std::string& prefix) {
    std::vector<std::string> keys;
    Check(client_->ListObjects(prefix + "/",
                               [&](const std::string& k, uint64_t) {
                                 keys.push_back(k);
                                 return true;
                               }),
          "list " + prefix);
    Check(client_->DeleteObjects(keys), "delete " + prefix);
  }

  // A namespace whose bodies go to s3://bucket/prefix.
  std::unique_ptr<Namespace> Open(const std::string& data_dir, const std::string& prefix,
                                  uint64_t inline_threshold) {
    Options o;
    o.data_dir = data_dir;
    o.store = "s3://" + bucket() + "/" + prefix;
    o.s3 = options_;
    o.upload_concurrency = kConcurrency;
    o.inline_threshold = inline_threshold;
    return Unwrap(OpenNamespace(o), "open namespace on " + o.store);
  }

  std::vector<std::string> AwsArgs() const {
    return {kAws, "--endpoint-url", client_->endpoint(), "--region", client_->options().region};
  }
  std::vector<std::string> CurlArgs() const {
    return {kCurl,         "-sSf",
            "--aws-sigv4", "aws:amz:" + client_->options().region + ":s3",
            "--user",      creds_.access_key_id + ":" + creds_.secret_access_key,
            "-H",          "x-amz-content-sha256: UNSIGNED-PAYLOAD"};
  }

 private:
  const Params& p_;
  S3Options options_;
  std::unique_ptr<S3Client> client_;
  S3Credentials creds_;
  int next_ = 0;
};

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Runs fn(i) for i in [0, n) on kConcurrency threads.
template <typename Fn>
void Parallel(size_t n, Fn fn) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kConcurrency; ++t) {
    threads.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    });
  }
  for (auto& t : threads) t.join();
}

void Checkpoint(const Params& p, S3Bench& s3, WorkRoot& root, Report* report) {
  const std::string size = Bytes(p.s3_checkpoint_bytes);
  const std::string source = root.Fresh("s3-ckpt") + "/ckpt.bin";
  std::cerr << "[s3] writing a " << size << " checkpoint\n";
  WriteRandomFile(source, p.s3_checkpoint_bytes);
  const double mib = static_cast<double>(p.s3_checkpoint_bytes) / kMiB;

  std::unique_ptr<Namespace> ns;
  std::string nokv_prefix;
  Workload publish;
  publish.name = "S3: publish " + size + " checkpoint (4 MiB blocks, 16 in flight)";
  publish.unit = "MiB/s";
  publish.reps = p.reps;
  publish.nokv = [&] {
    if (ns) {
      ns.reset();
      s3.Drop(nokv_prefix);
    }
    nokv_prefix = s3.NewPrefix("nokv");
    ns = s3.Open(root.Fresh("s3-nokv"), nokv_prefix, 64 << 10);
    return NokvPublishFile(*ns, "/ckpt/model.bin", source);
  };
  publish.baselines.push_back(
      {"aws s3 cp (awscli multipart)",
       [&] {
         const std::string prefix = s3.NewPrefix("aws");
         Measurement m = Time(mib, [&] {
           RunProgram(Concat(s3.AwsArgs(), {"s3", "cp", "--only-show-errors", source,
                                            "s3://" + s3.bucket() + "/" + prefix + "/ckpt.bin"}));
         });
         s3.Drop(prefix);
         return m;
       },
       {}});
  publish.baselines.push_back(
      {"curl -T (one signed PUT)",
       [&] {
         const std::string prefix = s3.NewPrefix("curl");
         Measurement m = Time(mib, [&] {
           RunProgram(Concat(s3.CurlArgs(),
                             {"-o", "/dev/null", "-T", source, s3.Url(prefix + "/ckpt.bin")}));
         });
         s3.Drop(prefix);
         return m;
       },
       {}});
  RunWorkload(publish, report);

  // One plain copy of the same bytes for the direct readers (untimed).
  const std::string plain = s3.NewPrefix("plain");
  RunProgram(Concat(s3.CurlArgs(), {"-o", "/dev/null", "-T", source, s3.Url(plain + "/ckpt.bin")}));
  Workload read;
  read.name = "S3: read back " + size + " checkpoint (verifies SHA-256)";
  read.unit = "MiB/s";
  read.reps = p.reps;
  read.nokv = [&] { return NokvReadAll(*ns, "/ckpt/model.bin"); };
  read.baselines.push_back(
      {"aws s3 cp to stdout",
       [&] {
         return Time(mib, [&] {
           RunProgram(
               Concat(s3.AwsArgs(), {"s3", "cp", "--only-show-errors",
                                     "s3://" + s3.bucket() + "/" + plain + "/ckpt.bin", "-"}),
               "/dev/null");
         });
       },
       {}});
  read.baselines.push_back(
      {"curl GET (one signed GET)",
       [&] {
         return Time(mib, [&] {
           RunProgram(Concat(s3.CurlArgs(), {"-o", "/dev/null", s3.Url(plain + "/ckpt.bin")}));
         });
       },
       {}});
  RunWorkload(read, report);
  ns.reset();
  s3.Drop(nokv_prefix);
  s3.Drop(plain);
}

void Samples(const Params& p, S3Bench& s3, WorkRoot& root, Report* report) {
  const uint64_t n = p.s3_samples;
  std::cerr << "[s3] publishing " << n << " samples of 16 KiB, twice\n";
  // Blocked: every sample is one S3 object. Inline: nokv's default keeps
  // bodies up to 64 KiB in its metadata, so no object round trip at all.
  const std::string blocked_prefix = s3.NewPrefix("samples");
  auto blocked = s3.Open(root.Fresh("s3-samples"), blocked_prefix, 4 << 10);
  const std::string inline_prefix = s3.NewPrefix("inline");
  auto inlined = s3.Open(root.Fresh("s3-inline"), inline_prefix, 64 << 10);
  for (Namespace* ns : {blocked.get(), inlined.get()}) {
    for (uint64_t first = 0; first < n; first += 100) {
      std::vector<PublishItem> items;
      for (uint64_t i = first; i < std::min(n, first + 100); ++i) {
        PublishItem item;
        item.path = "/samples/" + FileName(i);
        item.source = StringSource(RandomBytes(kSampleBytes, i));
        items.push_back(std::move(item));
      }
      Check(ns->Publish(std::move(items), {}).status(), "publish samples");
    }
  }
  std::vector<std::string> keys;
  Check(s3.client().ListObjects(blocked_prefix + "/u/",
                                [&](const std::string& k, uint64_t) {
                                  keys.push_back(k);
                                  return true;
                                }),
        "list samples");
  if (keys.size() != n) Fail("expected one object per sample");
  const std::vector<uint64_t> order = RandomIndices(n, n, 42);

  auto read_nokv = [&](Namespace& ns) {
    return Time(static_cast<double>(n), [&] {
      Parallel(n, [&](size_t i) {
        const std::string path = "/samples/" + FileName(order[i]);
        auto reader = Unwrap(ns.OpenFile(path, {}), "open " + path);
        std::string out;
        Check(reader->ReadAt(0, kSampleBytes, &out), "read " + path);
        if (out.size() != kSampleBytes) Fail("short sample " + path);
      });
    });
  };
  Baseline direct{"direct signed GETs of the same objects (libcurl, 16 threads)",
                  [&] {
                    return Time(static_cast<double>(n), [&] {
                      Parallel(n, [&](size_t i) {
                        std::string out;
                        Check(s3.client().GetObject(keys[order[i]], 0, 0, &out), "GET");
                        if (out.size() != kSampleBytes) Fail("short GET");
                      });
                    });
                  },
                  {}};
  Workload w;
  w.name = "S3: read " + std::to_string(n) + " samples of 16 KiB, 16 threads, one object each";
  w.unit = "samples/s";
  w.reps = p.reps;
  w.nokv = [&] { return read_nokv(*blocked); };
  w.baselines.push_back(direct);
  RunWorkload(w, report);

  Workload in;
  in.name = "S3: read " + std::to_string(n) + " samples of 16 KiB, 16 threads, inline (default)";
  in.unit = "samples/s";
  in.reps = p.reps;
  in.nokv = [&] { return read_nokv(*inlined); };
  in.baselines.push_back(direct);
  RunWorkload(in, report);
  blocked.reset();
  inlined.reset();
  s3.Drop(blocked_prefix);
}

}  // namespace

void S3Workloads(const Params& p, WorkRoot& root, Report* report) {
  if (p.s3_endpoint.empty()) {
    report->AddNote("s3", "skipped; pass --s3-endpoint=URL (and AWS_* credentials) to run it");
    return;
  }
  S3Bench s3(p);
  report->AddNote("s3 endpoint", p.s3_endpoint + ", bucket " + p.s3_bucket);
  Checkpoint(p, s3, root, report);
  Samples(p, s3, root, report);
}

}  // namespace nokv::bench
