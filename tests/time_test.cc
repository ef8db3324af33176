// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Focused tests of the time features of the Namespace API: snapshots,
// history, clone, rollback, diff, checkpoints, watch and GC.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

class TimeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  Namespace& ns() { return *ns_; }
  size_t BlockFiles() const { return ListRegularFiles(BlocksDir(dir_.path())).size(); }
  void Put(const std::string& path, const std::string& data) {
    ASSERT_OK(PublishString(ns(), path, data));
  }
  std::string Read(const std::string& path, const ReadOptions& at) {
    auto bytes = ReadWholeFileAt(ns(), path, at);
    EXPECT_OK(bytes);
    return bytes.ok() ? *bytes : "";
  }
  GcReport Gc(uint64_t budget = 10000) {
    GcOptions o;
    o.history_retention_seconds = 0;
    o.step_budget = budget;
    auto r = ns().CollectGarbage(o);
    EXPECT_OK(r);
    return r.ok() ? *r : GcReport{};
  }
  std::vector<WatchEvent> AllEvents(const std::string& path, std::string* cursor = nullptr) {
    auto events = WatchAll(ns(), path, cursor != nullptr ? *cursor : "", 1000, cursor);
    EXPECT_OK(events);
    return events.ok() ? *events : std::vector<WatchEvent>{};
  }

  TempDir dir_;
  std::unique_ptr<Namespace> ns_;
};

const std::string kBig(10000, 'b');  // 3 blocks of 4 KiB in tests

TEST_F(TimeTest, SnapshotReadsAreAConsistentCut) {
  Put("/run/a.txt", "one");
  Put("/run/big.bin", kBig);
  ASSERT_OK_AND_ASSIGN(SnapshotInfo snap, ns().CreateSnapshot("/run", {"s1", 0}));
  EXPECT_EQ(snap.name, "s1");
  EXPECT_EQ(snap.path, "/run");
  Put("/run/a.txt", "two");
  Put("/run/new.txt", "new");
  ASSERT_OK(ns().Remove("/run/big.bin", false, Precondition::None(), {}));
  EXPECT_EQ(Read("/run/a.txt", ReadOptions{0, "s1", 0}), "one");
  EXPECT_EQ(Read("/run/big.bin", ReadOptions{0, "s1", 0}), kBig);
  EXPECT_CODE(ns().Stat("/run/new.txt", ReadOptions{0, "s1", 0}), Code::kNotFound);
  EXPECT_EQ(Read("/run/a.txt", ReadOptions{}), "two");
  Put("/other.txt", "x");
  EXPECT_CODE(ns().Stat("/other.txt", ReadOptions{0, "s1", 0}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/run", ReadOptions{1, "s1", 0}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/run", ReadOptions{0, "nope", 0}), Code::kNotFound);
  ListOptions lo;
  lo.snapshot = "s1";
  ASSERT_OK_AND_ASSIGN(ListPage page, ns().List("/run", lo));
  ASSERT_EQ(page.entries.size(), 2u);
  EXPECT_EQ(page.entries[0].name, "a.txt");
  EXPECT_EQ(page.entries[1].name, "big.bin");
}

TEST_F(TimeTest, GcKeepsWhatSnapshotsNeedAndFreesTheRest) {
  Put("/d/big.bin", kBig);
  ASSERT_OK(ns().CreateSnapshot("/d", {"keep", 0}));
  Put("/d/big.bin", kBig + "2");  // new generation: 3 more blocks
  Put("/d/tmp.bin", kBig);
  ASSERT_OK(ns().Remove("/d/tmp.bin", false, Precondition::None(), {}));
  EXPECT_EQ(BlockFiles(), 9u);
  GcReport r = Gc(3);
  EXPECT_TRUE(r.finished);
  EXPECT_GT(r.steps, 3u);
  EXPECT_EQ(r.bodies_freed, 1u);  // tmp.bin
  EXPECT_EQ(r.bytes_freed, kBig.size());
  EXPECT_EQ(BlockFiles(), 6u);
  EXPECT_EQ(Read("/d/big.bin", ReadOptions{0, "keep", 0}), kBig);
  ASSERT_OK(ns().DropSnapshot("keep"));
  r = Gc();
  EXPECT_EQ(r.bodies_freed, 1u);  // the first generation of big.bin
  EXPECT_EQ(BlockFiles(), 3u);
  EXPECT_EQ(Read("/d/big.bin", ReadOptions{}), kBig + "2");
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean()) << (fsck.issues.empty() ? "" : fsck.issues[0].detail);
  // Nothing left to do: a second run frees nothing.
  r = Gc();
  EXPECT_EQ(r.bodies_freed, 0u);
  EXPECT_EQ(r.versions_pruned, 0u);
}

TEST_F(TimeTest, DryRunReportsWithoutChanging) {
  Put("/f.bin", kBig);
  ASSERT_OK(ns().Remove("/f.bin", false, Precondition::None(), {}));
  GcOptions o;
  o.history_retention_seconds = 0;
  o.dry_run = true;
  ASSERT_OK_AND_ASSIGN(GcReport dry, ns().CollectGarbage(o));
  EXPECT_EQ(dry.bodies_freed, 1u);
  EXPECT_EQ(dry.bytes_freed, kBig.size());
  EXPECT_EQ(BlockFiles(), 3u);
  GcReport real = Gc();
  EXPECT_EQ(real.bodies_freed, 1u);
  EXPECT_EQ(BlockFiles(), 0u);
}

TEST_F(TimeTest, CloneSharesBlocksWithoutALease) {
  Put("/src/m.bin", kBig);
  Put("/src/sub/x.txt", "x");
  ASSERT_OK(ns().Clone("/src", "/fork", ReadOptions{}, {}));
  EXPECT_EQ(BlockFiles(), 3u);
  ASSERT_OK(ns().Remove("/src", true, Precondition::None(), {}));
  Gc();
  EXPECT_EQ(BlockFiles(), 3u);
  EXPECT_EQ(Read("/fork/m.bin", ReadOptions{}), kBig);
  EXPECT_EQ(Read("/fork/sub/x.txt", ReadOptions{}), "x");
  ASSERT_OK(ns().Remove("/fork", true, Precondition::None(), {}));
  Gc();
  EXPECT_EQ(BlockFiles(), 0u);
}

TEST_F(TimeTest, CloneFromSnapshotAndRollback) {
  Put("/w/a.txt", "a1");
  Put("/w/b.txt", "b1");
  ASSERT_OK_AND_ASSIGN(FileInfo a_before, ns().Stat("/w/a.txt", {}));
  ASSERT_OK(ns().CreateSnapshot("/w", {"base", 0}));
  Put("/w/a.txt", "a2");
  ASSERT_OK(ns().Remove("/w/b.txt", false, Precondition::None(), {}));
  Put("/w/c.txt", "c");
  ASSERT_OK(ns().Clone("/w", "/w0", ReadOptions{0, "base", 0}, {}));
  EXPECT_EQ(Read("/w0/a.txt", {}), "a1");
  EXPECT_EQ(Read("/w0/b.txt", {}), "b1");
  ASSERT_OK(ns().Rollback("/w", "base", {}));
  EXPECT_EQ(Read("/w/a.txt", {}), "a1");
  EXPECT_EQ(Read("/w/b.txt", {}), "b1");
  EXPECT_CODE(ns().Stat("/w/c.txt", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(FileInfo a_after, ns().Stat("/w/a.txt", {}));
  EXPECT_EQ(a_after.ino, a_before.ino);
  EXPECT_EQ(a_after.generation, 3u);  // a1, a2, then a1 again as generation 3
  ASSERT_OK_AND_ASSIGN(ListPage page, ns().List("/w", {}));
  EXPECT_EQ(page.entries.size(), 2u);
  ASSERT_OK_AND_ASSIGN(FileInfo dir, ns().Stat("/w", {}));
  EXPECT_EQ(dir.child_count, 2u);
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean()) << (fsck.issues.empty() ? "" : fsck.issues[0].detail);
}

TEST_F(TimeTest, HistoryAndGenerationReads) {
  Put("/h.txt", "v1");
  Put("/h.txt", "v22");
  Put("/h.txt", "v333");
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> h, ns().History("/h.txt", {}));
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].generation, 3u);
  EXPECT_TRUE(h[0].current);
  EXPECT_EQ(h[2].generation, 1u);
  EXPECT_EQ(h[2].size, 2u);
  EXPECT_EQ(h[2].sha256_hex, Sha256Hex("v1"));
  EXPECT_EQ(Read("/h.txt", ReadOptions{0, "", 2}), "v22");
  EXPECT_CODE(ns().OpenFile("/h.txt", ReadOptions{0, "", 9}), Code::kNotFound);
  Gc();
  ASSERT_OK_AND_ASSIGN(h, ns().History("/h.txt", {}));
  EXPECT_EQ(h.size(), 1u);
  EXPECT_CODE(ns().Stat("/h.txt", ReadOptions{2, "", 0}), Code::kExpired);
}

TEST_F(TimeTest, DiffReportsChangesByEventsAndByWalk) {
  Put("/p/keep.txt", "k");
  Put("/p/mod.txt", "m1");
  Put("/p/gone.txt", "g");
  Put("/p/dir/moved.txt", "mv");
  const uint64_t v1 = ns().LastVersion();
  Put("/p/mod.txt", "m22");
  Put("/p/new.txt", "n");
  ASSERT_OK(ns().Remove("/p/gone.txt", false, Precondition::None(), {}));
  ASSERT_OK(ns().Rename("/p/dir", "/p/dir2", false, {}));
  const uint64_t v2 = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(DiffReport d, ns().Diff(ReadOptions{v1}, ReadOptions{v2}, "/p"));
  EXPECT_EQ(d.method, "events");
  std::vector<std::string> got;
  for (const DiffEntry& e : d.entries) {
    got.push_back(std::string(DiffTypeName(e.type)) + " " + e.path +
                  (e.old_path.empty() ? "" : " <- " + e.old_path));
  }
  const std::vector<std::string> want = {"renamed /p/dir2 <- /p/dir", "removed /p/gone.txt",
                                         "modified /p/mod.txt", "added /p/new.txt"};
  EXPECT_EQ(got, want);
  // Once the log no longer covers the range, both trees are walked instead,
  // with the same answer (the default history retention keeps v1 readable).
  GcOptions o;
  o.event_retention_count = 0;
  ASSERT_OK(ns().CollectGarbage(o));
  ASSERT_OK_AND_ASSIGN(DiffReport walked, ns().Diff(ReadOptions{v1}, ReadOptions{v2}, "/p"));
  EXPECT_EQ(walked.method, "walk");
  EXPECT_EQ(walked.entries.size(), d.entries.size());
  for (const DiffEntry& e : d.entries) {
    if (e.type == DiffEntry::Type::kModified) {
      EXPECT_EQ(e.old_size, 2u);
      EXPECT_EQ(e.new_size, 3u);
      EXPECT_EQ(e.new_sha256_hex, Sha256Hex("m22"));
    }
  }
}

TEST_F(TimeTest, CheckpointsPublishAtomicallyAndResolveLatest) {
  std::vector<PublishItem> shards;
  shards.push_back(MakeItem("model.bin", kBig));
  shards.push_back(MakeItem("optim/state.bin", "opt"));
  ASSERT_OK_AND_ASSIGN(CheckpointInfo c1,
                       ns().PublishCheckpoint("/runs/r1", 100, std::move(shards), {}));
  EXPECT_EQ(c1.path, "/runs/r1/step-0000000100");
  EXPECT_EQ(c1.shards.size(), 2u);
  std::vector<PublishItem> again;
  again.push_back(MakeItem("model.bin", "x"));
  EXPECT_CODE(ns().PublishCheckpoint("/runs/r1", 100, std::move(again), {}), Code::kAlreadyExists);
  std::vector<PublishItem> s2;
  s2.push_back(MakeItem("model.bin", "m2"));
  ASSERT_OK(ns().PublishCheckpoint("/runs/r1", 200, std::move(s2), {}));
  ASSERT_OK_AND_ASSIGN(std::vector<CheckpointInfo> all, ns().ListCheckpoints("/runs/r1", {}));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(all[0].complete);
  EXPECT_EQ(all[1].step, 200u);
  EXPECT_EQ(all[0].shards[0].sha256_hex, Sha256Hex(kBig));
  // Replacing a shard makes that checkpoint incomplete.
  Put("/runs/r1/step-0000000200/model.bin", "tampered");
  ASSERT_OK_AND_ASSIGN(all, ns().ListCheckpoints("/runs/r1", {}));
  EXPECT_FALSE(all[1].complete);
  EXPECT_TRUE(all[0].complete);
}

TEST_F(TimeTest, WatchReplaysTypedEventsInOrder) {
  std::string cursor;
  EXPECT_TRUE(AllEvents("/", &cursor).size() == 0u);
  Put("/w/a.txt", "1");   // mkdir /w, create
  Put("/w/a.txt", "22");  // replace
  ASSERT_OK(ns().Rename("/w/a.txt", "/w/b.txt", false, {}));
  ASSERT_OK(ns().CreateSnapshot("/w", {"s", 0}));
  ASSERT_OK(ns().Remove("/w", true, Precondition::None(), {}));
  Put("/elsewhere.txt", "e");
  std::vector<WatchEvent> ev = AllEvents("/w", &cursor);
  std::vector<std::string> got;
  for (const WatchEvent& e : ev) got.push_back(e.type + " " + e.path);
  const std::vector<std::string> want = {"mkdir /w",           "create /w/a.txt",
                                         "replace /w/a.txt",   "rename /w/b.txt",
                                         "snapshot-create /w", "remove /w"};
  EXPECT_EQ(got, want);
  ASSERT_EQ(ev.size(), want.size());
  EXPECT_EQ(ev[2].generation, 2u);
  EXPECT_EQ(ev[2].size, 2u);
  EXPECT_EQ(ev[2].sha256_hex, Sha256Hex("22"));
  EXPECT_EQ(ev[3].from_path, "/w/a.txt");
  // Resuming from the middle yields exactly the rest; nothing new after the end.
  std::string mid = ev[2].cursor;
  std::vector<WatchEvent> rest = AllEvents("/w", &mid);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].type, "rename");
  EXPECT_TRUE(AllEvents("/w", &cursor).empty());
  // Across a reopen.
  ns_.reset();
  ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
  mid = ev[2].cursor;
  EXPECT_EQ(AllEvents("/w", &mid).size(), 3u);
}

TEST_F(TimeTest, ExpiredCursorNamesTheOldestValidOne) {
  std::string start;
  AllEvents("/", &start);
  for (int i = 0; i < 5; ++i) Put("/e" + std::to_string(i), "x");
  GcOptions o;
  o.event_retention_count = 2;
  ASSERT_OK_AND_ASSIGN(GcReport r, ns().CollectGarbage(o));
  EXPECT_EQ(r.events_trimmed, 3u);
  WatchOptions w;
  w.cursor = start;
  auto expired = ns().Watch("/", w);
  ASSERT_CODE(expired, Code::kExpired);
  const std::string& msg = expired.status().message();
  const std::string marker = "oldest valid cursor is ";
  ASSERT_NE(msg.find(marker), std::string::npos) << msg;
  w.cursor = msg.substr(msg.find(marker) + marker.size());
  w.cursor = w.cursor.substr(0, w.cursor.find(';'));
  ASSERT_OK_AND_ASSIGN(WatchPage page, ns().Watch("/", w));
  ASSERT_EQ(page.events.size(), 2u);
  EXPECT_EQ(page.events[0].path, "/e3");
}

}  // namespace
}  // namespace nokv::test
