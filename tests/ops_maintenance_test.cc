// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Operations after the fact: waiting for the writer lock, what fsck says
// about an upload a killed writer left, and what gc says it could not free.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include <gtest/gtest.h>

#include "ns/data_dir.h"
#include "test_util.h"

namespace nokv::test {
namespace {

using Clock = std::chrono::steady_clock;

int64_t MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

TEST(WriterLockWaitTest, TimesOutWithBusyNamingTheHolder) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto held, WriterLock::Acquire(dir.path()));
  const auto start = Clock::now();
  auto second = WriterLock::Acquire(dir.path(), 200);
  EXPECT_CODE(second, Code::kBusy);
  EXPECT_GE(MillisSince(start), 200);
  EXPECT_LT(MillisSince(start), 5000);
  EXPECT_NE(second.status().message().find("pid " + std::to_string(::getpid())), std::string::npos)
      << second.status().message();
  EXPECT_NE(second.status().message().find("waited"), std::string::npos);
  // Without a wait it fails at once, as before.
  EXPECT_CODE(WriterLock::Acquire(dir.path()), Code::kBusy);
}

TEST(WriterLockWaitTest, GetsTheLockWhenTheHolderLetsGo) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(auto held, WriterLock::Acquire(dir.path()));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    held.reset();
  });
  const auto start = Clock::now();
  auto second = WriterLock::Acquire(dir.path(), 10000);
  releaser.join();
  ASSERT_OK(second);
  EXPECT_GE(MillisSince(start), 250);
  // A negative wait means no limit; the lock is ours now, so a third waits
  // until we let go too.
  std::thread releaser2([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    second->reset();
  });
  EXPECT_OK(WriterLock::Acquire(dir.path(), -1));
  releaser2.join();
}

// A body that ends the process after `blocks` full blocks were read, as a
// kill -9 in the middle of an upload would.
class DyingSource : public ByteSource {
 public:
  explicit DyingSource(size_t blocks) : left_(blocks * kTestBlockSize) {}
  Result<size_t> Read(char* buf, size_t n) override {
    if (left_ == 0) ::_exit(0);
    n = std::min(n, left_);
    std::memset(buf, 'd', n);
    left_ -= n;
    return n;
  }
  std::optional<uint64_t> SizeHint() const override { return std::nullopt; }

 private:
  size_t left_;
};

uint64_t BytesOf(const std::vector<std::string>& files) {
  uint64_t total = 0;
  for (const std::string& f : files) {
    struct stat st;
    if (::stat(f.c_str(), &st) == 0) total += st.st_size;
  }
  return total;
}

class AbandonedUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      ASSERT_OK_AND_ASSIGN(auto ns, OpenTestNamespace(dir_.path()));
      ASSERT_OK(PublishString(*ns, "/kept.bin", std::string(3 * kTestBlockSize, 'k')));
    }
    kept_blocks_ = ListRegularFiles(BlocksDir(dir_.path()));
    ASSERT_EQ(kept_blocks_.size(), 3u);
    // A child process publishes a body and dies after 5 blocks were read:
    // with one upload at a time, at least 4 of them are in the store.
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      Options options = TestOptions(dir_.path());
      options.upload_concurrency = 1;
      auto ns = OpenNamespace(options);
      if (!ns.ok()) ::_exit(2);
      std::vector<PublishItem> items(1);
      items[0].path = "/dying.bin";
      items[0].source = std::make_unique<DyingSource>(5);
      (void)(*ns)->Publish(std::move(items), {});
      ::_exit(3);  // not reached: the source ends the process
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    const std::vector<std::string> all = ListRegularFiles(BlocksDir(dir_.path()));
    for (const std::string& f : all) {
      if (std::find(kept_blocks_.begin(), kept_blocks_.end(), f) == kept_blocks_.end()) {
        left_blocks_.push_back(f);
      }
    }
    ASSERT_GE(left_blocks_.size(), 4u);
    left_bytes_ = BytesOf(left_blocks_);
  }

  TempDir dir_;
  std::vector<std::string> kept_blocks_, left_blocks_;
  uint64_t left_bytes_ = 0;
};

TEST_F(AbandonedUploadTest, FsckReportsPendingCleanupAsInformation) {
  ASSERT_OK_AND_ASSIGN(auto reader, OpenTestNamespace(dir_.path(), /*read_only=*/true));
  ASSERT_OK_AND_ASSIGN(FsckReport report, reader->Fsck(false));
  EXPECT_TRUE(report.clean()) << report.issues[0].kind << ": " << report.issues[0].detail;
  EXPECT_EQ(report.abandoned_intents, 1u);
  EXPECT_EQ(report.abandoned_objects, left_blocks_.size());
  EXPECT_EQ(report.abandoned_bytes, left_bytes_);
  EXPECT_EQ(report.orphan_objects, 0u);
}

TEST_F(AbandonedUploadTest, CleanupReportsWhatItFrees) {
  Options options = TestOptions(dir_.path());
  options.cleanup_intents_on_open = false;
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(options));
  ASSERT_OK_AND_ASSIGN(IntentCleanupReport cleanup, ns->CleanupIntents());
  EXPECT_EQ(cleanup.intents_removed, 1u);
  EXPECT_EQ(cleanup.objects_removed, left_blocks_.size());
  EXPECT_EQ(cleanup.bytes_removed, left_bytes_);
  EXPECT_GT(cleanup.bytes_removed, 0u);
  EXPECT_EQ(ListRegularFiles(BlocksDir(dir_.path())), kept_blocks_);
  ASSERT_OK_AND_ASSIGN(FsckReport report, ns->Fsck(false));
  EXPECT_TRUE(report.clean());
  EXPECT_EQ(report.abandoned_intents, 0u);
}

TEST_F(AbandonedUploadTest, GcCountsTheAbandonedUploadItFrees) {
  Options options = TestOptions(dir_.path());
  options.cleanup_intents_on_open = false;
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(options));
  ASSERT_OK_AND_ASSIGN(GcReport gc, ns->CollectGarbage(GcOptions{}));
  EXPECT_EQ(gc.intents_removed, 1u);
  EXPECT_EQ(gc.bytes_freed, left_bytes_);
}

TEST_F(AbandonedUploadTest, DamageIsStillAnIssue) {
  ASSERT_EQ(::unlink(kept_blocks_[1].c_str()), 0);
  ASSERT_OK_AND_ASSIGN(auto reader, OpenTestNamespace(dir_.path(), /*read_only=*/true));
  ASSERT_OK_AND_ASSIGN(FsckReport report, reader->Fsck(false));
  ASSERT_FALSE(report.clean());
  EXPECT_EQ(report.issues[0].kind, "missing_block");
  EXPECT_EQ(report.abandoned_intents, 1u);
}

class GcHeldTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  void Put(const std::string& path, const std::string& data) {
    ASSERT_OK(PublishString(*ns_, path, data));
  }
  GcReport Gc(int64_t keep_history_seconds, bool dry_run = false) {
    GcOptions o;
    o.history_retention_seconds = keep_history_seconds;
    o.dry_run = dry_run;
    auto r = ns_->CollectGarbage(o);
    EXPECT_OK(r);
    return r.ok() ? *r : GcReport{};
  }

  TempDir dir_;
  std::unique_ptr<Namespace> ns_;
};

const std::string kOld(10000, 'o');
const std::string kNew(7000, 'n');

TEST_F(GcHeldTest, HistoryInsideTheWindowIsHeld) {
  Put("/m.bin", kOld);
  Put("/m.bin", kNew);
  for (bool dry_run : {true, false}) {
    GcReport r = Gc(3600, dry_run);
    EXPECT_EQ(r.bytes_freed, 0u);
    EXPECT_TRUE(r.held.exact);
    EXPECT_EQ(r.held.history_retention_seconds, 3600);
    EXPECT_GE(r.held.history.versions, 1u);
    EXPECT_EQ(r.held.history.bodies, 1u);
    EXPECT_EQ(r.held.history.bytes, kOld.size());
    EXPECT_TRUE(r.held.snapshots.empty());
  }
  // Without retention the same body is freed, and nothing is held.
  GcReport r = Gc(0);
  EXPECT_EQ(r.bytes_freed, kOld.size());
  EXPECT_EQ(r.held.history.bytes, 0u);
  EXPECT_EQ(r.held.history.versions, 0u);
}

TEST_F(GcHeldTest, SnapshotsAreHeldByName) {
  Put("/d/a.bin", kOld);
  Put("/d/b.bin", kNew);
  ASSERT_OK(ns_->CreateSnapshot("/d", {"before", 0}));
  Put("/d/a.bin", kNew + "2");
  ASSERT_OK(ns_->Remove("/d/b.bin", false, Precondition::None(), {}));
  for (bool dry_run : {true, false}) {
    GcReport r = Gc(0, dry_run);
    EXPECT_EQ(r.bytes_freed, 0u);
    EXPECT_EQ(r.held.history.bytes, 0u);
    ASSERT_EQ(r.held.snapshots.size(), 1u);
    EXPECT_EQ(r.held.snapshots[0].name, "before");
    EXPECT_EQ(r.held.snapshots[0].hold.bodies, 2u);
    EXPECT_EQ(r.held.snapshots[0].hold.bytes, kOld.size() + kNew.size());
  }
  ASSERT_OK(ns_->DropSnapshot("before"));
  GcReport r = Gc(0);
  EXPECT_EQ(r.bytes_freed, kOld.size() + kNew.size());
  EXPECT_TRUE(r.held.snapshots.empty());
}

TEST_F(GcHeldTest, BodiesTwoSnapshotsKeepCountForNeither) {
  Put("/d/a.bin", kOld);
  ASSERT_OK(ns_->CreateSnapshot("/d", {"one", 0}));
  ASSERT_OK(ns_->CreateSnapshot("/d", {"two", 0}));
  ASSERT_OK(ns_->Remove("/d/a.bin", false, Precondition::None(), {}));
  GcReport r = Gc(0);
  EXPECT_EQ(r.bytes_freed, 0u);
  ASSERT_FALSE(r.held.snapshots.empty());
  for (const GcSnapshotHold& row : r.held.snapshots) {
    EXPECT_GE(row.hold.versions, 1u) << row.name;
    EXPECT_EQ(row.hold.bytes, 0u) << row.name;  // dropping one alone frees nothing
  }
  ASSERT_OK(ns_->DropSnapshot("one"));
  r = Gc(0);
  ASSERT_EQ(r.held.snapshots.size(), 1u);
  EXPECT_EQ(r.held.snapshots[0].name, "two");
  EXPECT_EQ(r.held.snapshots[0].hold.bytes, kOld.size());
}

TEST_F(GcHeldTest, HistoryASnapshotAlsoPinsIsHeldJointly) {
  Put("/d/a.bin", kOld);
  ASSERT_OK(ns_->CreateSnapshot("/d", {"s", 0}));
  ASSERT_OK(ns_->Remove("/d/a.bin", false, Precondition::None(), {}));
  GcReport r = Gc(3600);
  EXPECT_EQ(r.bytes_freed, 0u);
  EXPECT_EQ(r.held.history.bytes, 0u);  // the snapshot would still keep it
  EXPECT_TRUE(r.held.snapshots.empty());
  EXPECT_GE(r.held.jointly.versions, 1u);
  EXPECT_EQ(r.held.jointly.bodies, 1u);
  EXPECT_EQ(r.held.jointly.bytes, kOld.size());
}

TEST_F(GcHeldTest, BodiesACloneStillNamesAreShared) {
  Put("/src/m.bin", kOld);
  ASSERT_OK(ns_->Clone("/src", "/fork", ReadOptions{}, {}));
  ASSERT_OK(ns_->Remove("/src", true, Precondition::None(), {}));
  GcReport r = Gc(0);
  EXPECT_EQ(r.bytes_freed, 0u);
  EXPECT_EQ(r.held.shared.bodies, 1u);
  EXPECT_EQ(r.held.shared.bytes, kOld.size());
  EXPECT_GE(r.held.shared.versions, 1u);
}

}  // namespace
}  // namespace nokv::test
