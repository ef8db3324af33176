// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The S3 block store against a real S3 server (Ceph RGW started by
// scripts/rgw.sh; ctest runs these under its fixture), directly and through
// tests/s3/fault_proxy.py, which drops connections, stalls and answers
// 500/503/SlowDown on a schedule.
//
// Env (set by `scripts/rgw.sh exec`): NOKV_S3_ENDPOINT, NOKV_S3_BUCKET,
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY. Without them every test skips.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "nokv/store.h"
#include "test_util.h"

namespace nokv::test {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// A unique prefix per test so runs never see each other's objects.
std::string UniquePrefix(const std::string& tag) {
  static int counter = 0;
  return "t-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + "-" +
         std::to_string(static_cast<unsigned>(Rng(::time(nullptr) ^ ::getpid()).Next() & 0xffff));
}

// fault_proxy.py in a child process, forwarding to the real endpoint.
class FaultProxy {
 public:
  static std::unique_ptr<FaultProxy> Start(const std::vector<std::string>& args,
                                           const std::string& err_path) {
    std::vector<std::string> argv = {NOKV_PYTHON,     NOKV_FAULT_PROXY,
                                     "--upstream",    Env("NOKV_S3_ENDPOINT"),
                                     "--max-seconds", "300"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto proc = Subprocess::Start(argv, err_path);
    if (!proc.ok()) return nullptr;
    auto line = (*proc)->WaitForLine("LISTENING ", 10000);
    if (!line) return nullptr;
    std::unique_ptr<FaultProxy> p(new FaultProxy());
    p->proc_ = std::move(proc.value());
    p->endpoint_ = "http://127.0.0.1:" + line->substr(10);
    return p;
  }
  const std::string& endpoint() const { return endpoint_; }
  // Stops the proxy (stdin EOF) and returns its counters, e.g. {"503": 2}.
  std::map<std::string, int> Stop() {
    proc_->CloseStdin();
    std::map<std::string, int> stats;
    auto line = proc_->WaitForLine("STATS", 10000);
    proc_->Wait(5000);
    if (!line) return stats;
    std::istringstream in(line->substr(5));
    std::string kv;
    while (in >> kv) {
      size_t eq = kv.find('=');
      if (eq != std::string::npos) stats[kv.substr(0, eq)] = std::stoi(kv.substr(eq + 1));
    }
    return stats;
  }

 private:
  FaultProxy() = default;
  std::unique_ptr<Subprocess> proc_;
  std::string endpoint_;
};

class S3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Env("NOKV_S3_ENDPOINT").empty() || Env("NOKV_S3_BUCKET").empty()) {
      GTEST_SKIP() << "no S3 endpoint: run under `scripts/rgw.sh exec DIR` (ctest does)";
    }
    bucket_ = Env("NOKV_S3_BUCKET");
  }

  // Fast retries so fault tests finish quickly.
  S3Options FastOptions(const std::string& endpoint = "") const {
    S3Options o = S3Options::FromEnvironment();
    if (!endpoint.empty()) o.endpoint = endpoint;
    o.backoff_base_ms = 10;
    o.backoff_max_ms = 200;
    o.stall_timeout_ms = 1000;
    o.connect_timeout_ms = 1000;
    return o;
  }

  std::string Uri(const std::string& prefix) const { return "s3://" + bucket_ + "/" + prefix; }

  std::unique_ptr<BlockStore> OpenStore(const std::string& prefix, const S3Options& o) {
    auto where = ParseStoreUri(Uri(prefix));
    EXPECT_OK(where);
    auto store = OpenS3BlockStore(*where, o);
    EXPECT_OK(store);
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  Options NsOptions(const std::string& data_dir, const std::string& prefix,
                    const S3Options& s3) const {
    Options o = TestOptions(data_dir);
    o.store = Uri(prefix);
    o.s3 = s3;
    return o;
  }

  std::string bucket_;
  TempDir tmp_{"nokv-s3"};
};

TEST_F(S3Test, StoreKeepsTheBlockStoreContract) {
  auto store = OpenStore(UniquePrefix("contract"), FastOptions());
  ASSERT_NE(store, nullptr);
  EXPECT_NE(store->Describe().find("s3://" + bucket_), std::string::npos);
  ASSERT_OK(store->Put("u/01/a/00000000", "hello world"));
  ASSERT_OK(store->Put("u/01/a/00000001", std::string(10000, 'x')));
  ASSERT_OK(store->Put("u/02/b/00000000", ""));
  EXPECT_CODE(store->Put("u/01/a/00000000", "other"), Code::kAlreadyExists);

  std::string out = "stale";
  ASSERT_OK(store->Get("u/01/a/00000000", 0, 100, &out));
  EXPECT_EQ(out, "hello world");
  ASSERT_OK(store->Get("u/01/a/00000000", 6, 3, &out));
  EXPECT_EQ(out, "wor");
  ASSERT_OK(store->Get("u/01/a/00000000", 11, 5, &out));
  EXPECT_EQ(out, "");
  ASSERT_OK(store->Get("u/01/a/00000000", 50, 5, &out));
  EXPECT_EQ(out, "");
  EXPECT_CODE(store->Get("u/09/none/00000000", 0, 10, &out), Code::kNotFound);

  ASSERT_OK_AND_ASSIGN(uint64_t size, store->Size("u/01/a/00000001"));
  EXPECT_EQ(size, 10000u);
  EXPECT_CODE(store->Size("u/09/none/00000000").status(), Code::kNotFound);

  std::map<std::string, uint64_t> listed;
  ASSERT_OK(store->List("u/01/", [&](const ObjectInfo& o) {
    listed[o.key] = o.size;
    return true;
  }));
  EXPECT_EQ(listed,
            (std::map<std::string, uint64_t>{{"u/01/a/00000000", 11}, {"u/01/a/00000001", 10000}}));
  ASSERT_OK(store->Delete("u/02/b/00000000"));
  ASSERT_OK(store->Delete("u/02/b/00000000"));  // idempotent
  ASSERT_OK(store->DeleteMany({"u/01/a/00000000", "u/01/a/00000001", "u/03/absent"}));
  size_t left = 0;
  ASSERT_OK(store->List("", [&](const ObjectInfo&) {
    ++left;
    return true;
  }));
  EXPECT_EQ(left, 0u);
}

TEST_F(S3Test, ListFollowsContinuationPages) {
  auto store = OpenStore(UniquePrefix("pages"), FastOptions());
  ASSERT_NE(store, nullptr);
  std::vector<std::string> keys;
  for (int i = 0; i < 1100; ++i) keys.push_back("k/" + std::to_string(10000 + i));
  std::vector<std::future<Status>> puts;
  for (size_t start = 0; start < keys.size(); start += 100) {
    puts.push_back(std::async(std::launch::async, [&, start] {
      for (size_t i = start; i < std::min(keys.size(), start + 100); ++i) {
        Status s = store->Put(keys[i], "v");
        if (!s.ok()) return s;
      }
      return Status::OK();
    }));
  }
  for (auto& f : puts) ASSERT_OK(f.get());
  size_t n = 0;
  ASSERT_OK(store->List("k/", [&](const ObjectInfo&) {
    ++n;
    return true;
  }));
  EXPECT_EQ(n, keys.size());
  ASSERT_OK(store->DeleteMany(keys));  // two DeleteObjects batches
  n = 0;
  ASSERT_OK(store->List("k/", [&](const ObjectInfo&) {
    ++n;
    return true;
  }));
  EXPECT_EQ(n, 0u);
}

TEST_F(S3Test, MultipartUploadAndParallelRangedReads) {
  S3Options o = FastOptions();
  o.multipart_threshold = 300 << 10;
  o.part_size = 128 << 10;  // the test gateway allows 64 KiB parts
  o.read_part_size = 100 << 10;
  o.transfer_concurrency = 4;
  auto store = OpenStore(UniquePrefix("multipart"), o);
  ASSERT_NE(store, nullptr);
  const std::string body = RandomSourceBytes(7, (1 << 20) + 12345);
  ASSERT_OK(store->Put("big", body));
  EXPECT_CODE(store->Put("big", body), Code::kAlreadyExists);
  ASSERT_OK_AND_ASSIGN(uint64_t size, store->Size("big"));
  EXPECT_EQ(size, body.size());
  std::string out;
  ASSERT_OK(store->Get("big", 0, body.size() + 1, &out));  // split into ranges
  EXPECT_TRUE(out == body);
  ASSERT_OK(store->Get("big", 333333, 400000, &out));
  EXPECT_TRUE(out == body.substr(333333, 400000));
  ASSERT_OK(store->Get("big", body.size() - 10, 1 << 20, &out));
  EXPECT_TRUE(out == body.substr(body.size() - 10));
}

TEST_F(S3Test, NamespaceOverS3PublishesReadsAndChecks) {
  const std::string prefix = UniquePrefix("ns");
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(tmp_.Sub("d"), prefix, FastOptions())));
  const std::string body = RandomSourceBytes(3, 3 * kTestBlockSize + 17);
  ASSERT_OK(PublishString(*ns, "/run/ckpt.bin", body));
  ASSERT_OK(PublishString(*ns, "/run/small.json", "{}"));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns, "/run/ckpt.bin"));
  EXPECT_TRUE(got == body);
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.blocks_checked, 4u);

  // A block vanishes behind nokv's back: reads name file and block, fsck lists it.
  ASSERT_OK_AND_ASSIGN(FileInfo info, ns->Stat("/run/ckpt.bin", {}));
  auto raw = OpenStore(prefix, FastOptions());
  ASSERT_NE(raw, nullptr);
  std::string victim;
  ASSERT_OK(raw->List("u/", [&](const ObjectInfo& o) {
    if (o.key.size() > 8 && o.key.compare(o.key.size() - 8, 8, "00000001") == 0) victim = o.key;
    return true;
  }));
  ASSERT_FALSE(victim.empty());
  ASSERT_OK(raw->Delete(victim));
  auto read = ReadWholeFile(*ns, "/run/ckpt.bin");
  EXPECT_CODE(read, Code::kCorruption);
  EXPECT_NE(read.status().message().find("/run/ckpt.bin"), std::string::npos)
      << read.status().ToString();
  EXPECT_NE(read.status().message().find("block 1"), std::string::npos) << read.status().ToString();
  ASSERT_OK_AND_ASSIGN(fsck, ns->Fsck(false));
  ASSERT_FALSE(fsck.clean());
  bool listed = false;
  for (const FsckIssue& i : fsck.issues) {
    if (i.kind == "missing_block" && i.detail.find("/run/ckpt.bin") != std::string::npos &&
        i.detail.find(victim) != std::string::npos) {
      listed = true;
    }
  }
  EXPECT_TRUE(listed) << "fsck did not list the vanished block " << victim;
}

TEST_F(S3Test, DataDirRefusesADifferentStore) {
  const std::string dir = tmp_.Sub("d");
  const std::string prefix = UniquePrefix("bind");
  {
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(dir, prefix, FastOptions())));
    ASSERT_OK(PublishString(*ns, "/a", std::string(5000, 'a')));
  }
  auto other = OpenNamespace(NsOptions(dir, prefix + "-other", FastOptions()));
  EXPECT_CODE(other, Code::kInvalidArgument);
  EXPECT_NE(other.status().message().find(Uri(prefix)), std::string::npos)
      << other.status().ToString();
  Options local = TestOptions(dir);
  local.store = "local";
  EXPECT_CODE(OpenNamespace(local), Code::kInvalidArgument);
  Options reader = NsOptions(dir, prefix, FastOptions());
  reader.read_only = true;
  ASSERT_OK_AND_ASSIGN(auto ro, OpenNamespace(reader));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ro, "/a"));
  EXPECT_EQ(got, std::string(5000, 'a'));
  // A local data dir refuses S3 as well.
  const std::string local_dir = tmp_.Sub("l");
  {
    Options l = TestOptions(local_dir);
    l.store.clear();
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(l));
    ASSERT_OK(PublishString(*ns, "/x", "y"));
  }
  EXPECT_CODE(OpenNamespace(NsOptions(local_dir, prefix, FastOptions())), Code::kInvalidArgument);
}

TEST_F(S3Test, WrongSecretIsAnAccessError) {
  S3Options o = FastOptions();
  o.access_key_id = Env("AWS_ACCESS_KEY_ID");
  o.secret_access_key = "not-the-secret";
  auto where = ParseStoreUri(Uri("x"));
  ASSERT_OK(where);
  auto store = OpenS3BlockStore(*where, o);
  EXPECT_CODE(store, Code::kIOError);
  EXPECT_NE(store.status().message().find("403"), std::string::npos) << store.status().ToString();
  EXPECT_NE(store.status().message().find("credentials"), std::string::npos);
}

TEST_F(S3Test, CredentialsFromAProfileFile) {
  const std::string file = tmp_.Sub("credentials");
  WriteLocalFile(file,
                 "[default]\naws_access_key_id = WRONG\naws_secret_access_key = WRONG\n\n"
                 "[nokvtest]\naws_access_key_id = " +
                     Env("AWS_ACCESS_KEY_ID") +
                     "\naws_secret_access_key = " + Env("AWS_SECRET_ACCESS_KEY") + "\n");
  const std::string key = Env("AWS_ACCESS_KEY_ID"), secret = Env("AWS_SECRET_ACCESS_KEY");
  ::unsetenv("AWS_ACCESS_KEY_ID");
  ::unsetenv("AWS_SECRET_ACCESS_KEY");
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", file.c_str(), 1);
  ::setenv("AWS_PROFILE", "nokvtest", 1);
  auto where = ParseStoreUri(Uri("profile"));
  auto store = OpenS3BlockStore(*where, FastOptions());
  ::setenv("AWS_PROFILE", "missing", 1);
  auto missing = OpenS3BlockStore(*where, FastOptions());
  ::unsetenv("AWS_PROFILE");
  ::unsetenv("AWS_SHARED_CREDENTIALS_FILE");
  ::setenv("AWS_ACCESS_KEY_ID", key.c_str(), 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", secret.c_str(), 1);
  ASSERT_OK(store);
  ASSERT_OK((*store)->Put("k", "v"));
  EXPECT_CODE(missing, Code::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("AWS_ACCESS_KEY_ID"), std::string::npos);
}

TEST_F(S3Test, RetriesThroughInjectedFaults) {
  auto proxy = FaultProxy::Start(
      {"--plan", "503,slowdown,500,drop,reset,stall:4,503x2,lose,pass,slowdown,drop,500,lose"},
      tmp_.Sub("proxy.err"));
  ASSERT_NE(proxy, nullptr) << ReadLocalFile(tmp_.Sub("proxy.err"));
  const std::string prefix = UniquePrefix("faults");
  // Concurrent requests draw from one plan: one request may meet many faults.
  S3Options o = FastOptions(proxy->endpoint());
  o.max_attempts = 16;
  {
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(tmp_.Sub("d"), prefix, o)));
    std::vector<std::string> bodies;
    std::vector<PublishItem> items;
    for (int i = 0; i < 4; ++i) {
      bodies.push_back(RandomSourceBytes(100 + i, 5 * kTestBlockSize + i));
      items.push_back(MakeItem("/set/shard-" + std::to_string(i), bodies.back()));
    }
    ASSERT_OK(ns->Publish(std::move(items), {}));
    for (int i = 0; i < 4; ++i) {
      ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns, "/set/shard-" + std::to_string(i)));
      EXPECT_TRUE(got == bodies[i]);
    }
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(true));
    EXPECT_TRUE(fsck.clean());
  }
  std::map<std::string, int> stats = proxy->Stop();
  EXPECT_EQ(stats["503"], 3);
  EXPECT_EQ(stats["slowdown"], 2);
  EXPECT_EQ(stats["500"], 2);
  EXPECT_EQ(stats["drop"], 2);
  EXPECT_EQ(stats["reset"], 1);
  EXPECT_EQ(stats["stall"], 1);
  EXPECT_EQ(stats["lose"], 2);
  EXPECT_GT(stats["pass"], 20);
}

TEST_F(S3Test, RandomFaultsNeverCorruptOrLose) {
  auto proxy = FaultProxy::Start({"--fail-percent", "15", "--seed", "7"}, tmp_.Sub("proxy.err"));
  ASSERT_NE(proxy, nullptr) << ReadLocalFile(tmp_.Sub("proxy.err"));
  S3Options o = FastOptions(proxy->endpoint());
  o.max_attempts = 10;
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(tmp_.Sub("d"), UniquePrefix("random"), o)));
  std::map<std::string, std::string> want;
  for (int i = 0; i < 12; ++i) {
    const std::string path = "/r/f" + std::to_string(i);
    want[path] = RandomSourceBytes(500 + i, (i % 4) * kTestBlockSize + 700 + i);
    ASSERT_OK(PublishString(*ns, path, want[path]));
  }
  for (const auto& [path, body] : want) {
    ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns, path));
    EXPECT_TRUE(got == body) << path;
  }
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(true));
  EXPECT_TRUE(fsck.clean());
  std::map<std::string, int> stats = proxy->Stop();
  EXPECT_GT(stats["pass"], 0);
  EXPECT_GT(stats["503"] + stats["500"] + stats["slowdown"] + stats["drop"] + stats["reset"] +
                stats["stall"],
            0);
}

TEST_F(S3Test, StoreGoneFailsCleanlyAndLosesNothing) {
  auto proxy = FaultProxy::Start({}, tmp_.Sub("proxy.err"));
  ASSERT_NE(proxy, nullptr) << ReadLocalFile(tmp_.Sub("proxy.err"));
  const std::string dir = tmp_.Sub("d");
  const std::string prefix = UniquePrefix("gone");
  const std::string kept = RandomSourceBytes(9, 2 * kTestBlockSize + 5);
  S3Options through_proxy = FastOptions(proxy->endpoint());
  through_proxy.max_attempts = 3;
  {
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(dir, prefix, through_proxy)));
    ASSERT_OK(PublishString(*ns, "/kept", kept));
    const uint64_t version = ns->LastVersion();
    proxy->Stop();  // the store goes away
    auto failed = PublishString(*ns, "/lost", RandomSourceBytes(10, 3 * kTestBlockSize));
    EXPECT_CODE(failed, Code::kIOError);
    EXPECT_NE(failed.status().message().find("nothing was published"), std::string::npos)
        << failed.status().ToString();
    EXPECT_NE(failed.status().message().find("attempts"), std::string::npos)
        << failed.status().ToString();
    EXPECT_EQ(ns->LastVersion(), version);
    EXPECT_CODE(ns->Stat("/lost", {}), Code::kNotFound);
    EXPECT_CODE(ReadWholeFile(*ns, "/kept"), Code::kIOError);
  }
  // The store is back (same bucket and prefix, direct endpoint): nothing
  // published is lost and the abandoned upload is reclaimed.
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(NsOptions(dir, prefix, FastOptions())));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns, "/kept"));
  EXPECT_TRUE(got == kept);
  EXPECT_CODE(ns->Stat("/lost", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.pending_intents, 0u);
  EXPECT_EQ(fsck.orphan_objects, 0u);
}

}  // namespace
}  // namespace nokv::test
