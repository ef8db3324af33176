// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Diff reports what a user sees (paths and contents), also across a
// rollback that recreated entries with new inodes; rollback reports and
// logs every path it restored or removed.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

class RollbackDiffTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  Namespace& ns() { return *ns_; }
  void Put(const std::string& path, const std::string& data) {
    ASSERT_OK(PublishString(ns(), path, data));
  }
  static ReadOptions AtSnapshot(const std::string& name) { return ReadOptions{0, name, 0}; }
  static std::vector<std::string> Describe(const DiffReport& d) {
    std::vector<std::string> out;
    for (const DiffEntry& e : d.entries) {
      out.push_back(std::string(DiffTypeName(e.type)) + " " + e.path +
                    (e.old_path.empty() ? "" : " <- " + e.old_path));
    }
    return out;
  }
  static std::vector<std::string> Describe(const std::vector<WatchEvent>& events) {
    std::vector<std::string> out;
    for (const WatchEvent& e : events) out.push_back(e.type + " " + e.path);
    return out;
  }
  std::string NowCursor() {
    WatchOptions o;
    o.from_now = true;
    auto page = ns().Watch("/", o);
    EXPECT_OK(page);
    return page.ok() ? page->next_cursor : "";
  }

  TempDir dir_{"nokv-rollback-diff"};
  std::unique_ptr<Namespace> ns_;
};

// rm -r then rollback: the tree equals the snapshot, so the diff from the
// snapshot is empty, by either method, although every inode is new.
TEST_F(RollbackDiffTest, DiffAfterRollbackOfRemovedTreeIsEmpty) {
  Put("/train/run-a/model.bin", "weights");
  Put("/train/run-a/logs/0.txt", "loss 1.0");
  Put("/train/run-b/keep.txt", "b");
  ASSERT_OK(ns().CreateSnapshot("/train", {"before", 0}));
  ASSERT_OK(ns().Remove("/train/run-a", true, Precondition::None(), {}));
  ASSERT_OK_AND_ASSIGN(DiffReport gone, ns().Diff(AtSnapshot("before"), {}, "/train"));
  EXPECT_EQ(Describe(gone),
            (std::vector<std::string>{"removed /train/run-a", "removed /train/run-a/logs",
                                      "removed /train/run-a/logs/0.txt",
                                      "removed /train/run-a/model.bin"}));
  ASSERT_OK(ns().Rollback("/train/run-a", "before", {}));
  ASSERT_OK_AND_ASSIGN(DiffReport d, ns().Diff(AtSnapshot("before"), {}, "/train"));
  EXPECT_EQ(d.method, "events");
  EXPECT_TRUE(d.entries.empty()) << ::testing::PrintToString(Describe(d));
  // The same answer when both trees are walked.
  GcOptions trim;
  trim.event_retention_count = 0;
  ASSERT_OK(ns().CollectGarbage(trim));
  ASSERT_OK_AND_ASSIGN(DiffReport walked, ns().Diff(AtSnapshot("before"), {}, "/train"));
  EXPECT_EQ(walked.method, "walk");
  EXPECT_TRUE(walked.entries.empty()) << ::testing::PrintToString(Describe(walked));
}

// A path whose entry was replaced by a new inode is compared by contents:
// same bytes is no change, other bytes is "modified" (not removed+added).
TEST_F(RollbackDiffTest, ReplacedInodeComparedByContents) {
  Put("/d/same.txt", "same");
  Put("/d/other.txt", "old");
  const uint64_t v1 = ns().LastVersion();
  ASSERT_OK(ns().Remove("/d/same.txt", false, Precondition::None(), {}));
  Put("/d/same.txt", "same");
  ASSERT_OK(ns().Remove("/d/other.txt", false, Precondition::None(), {}));
  Put("/d/other.txt", "new!");
  const uint64_t v2 = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(DiffReport d,
                       ns().Diff(ReadOptions{v1, "", 0}, ReadOptions{v2, "", 0}, "/d"));
  ASSERT_EQ(Describe(d), (std::vector<std::string>{"modified /d/other.txt"}));
  EXPECT_EQ(d.entries[0].old_sha256_hex, Sha256Hex("old"));
  EXPECT_EQ(d.entries[0].new_sha256_hex, Sha256Hex("new!"));
  EXPECT_EQ(d.entries[0].old_size, 3u);
  EXPECT_EQ(d.entries[0].new_size, 4u);
}

// Renames are still found where an inode moved paths, also when a new file
// took the old name.
TEST_F(RollbackDiffTest, RenameStillDetectedWhenNameIsReused) {
  Put("/r/a.txt", "a");
  const uint64_t v1 = ns().LastVersion();
  ASSERT_OK(ns().Rename("/r/a.txt", "/r/b.txt", false, {}));
  Put("/r/a.txt", "fresh");
  const uint64_t v2 = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(DiffReport d,
                       ns().Diff(ReadOptions{v1, "", 0}, ReadOptions{v2, "", 0}, "/r"));
  EXPECT_EQ(Describe(d),
            (std::vector<std::string>{"added /r/a.txt", "renamed /r/b.txt <- /r/a.txt"}));
}

// Rollback returns, and logs for watch, one typed event per path it changed.
TEST_F(RollbackDiffTest, RollbackReportsAndLogsEachChangedPath) {
  Put("/t/keep.txt", "keep");
  Put("/t/edit.txt", "v1");
  Put("/t/gone/x.txt", "x");
  ASSERT_OK(ns().CreateSnapshot("/t", {"s", 0}));
  Put("/t/edit.txt", "v2");
  Put("/t/extra.txt", "extra");
  ASSERT_OK(ns().Remove("/t/gone", true, Precondition::None(), {}));
  const std::string cursor = NowCursor();
  ASSERT_OK_AND_ASSIGN(MutationResult r, ns().Rollback("/t", "s", {}));
  const std::vector<std::string> want = {"rollback /t", "remove /t/extra.txt",
                                         "replace /t/edit.txt", "mkdir /t/gone",
                                         "create /t/gone/x.txt"};
  EXPECT_EQ(Describe(r.changes), want);
  for (const WatchEvent& e : r.changes) EXPECT_EQ(e.version, r.version);
  ASSERT_OK_AND_ASSIGN(std::vector<WatchEvent> logged, WatchAll(ns(), "/t", cursor, 100));
  EXPECT_EQ(Describe(logged), want);
  // The restored file carries its new generation and the snapshot's bytes.
  const WatchEvent& edit = r.changes[2];
  EXPECT_EQ(edit.generation, 3u);
  EXPECT_EQ(edit.sha256_hex, Sha256Hex("v1"));
  // A second rollback finds nothing to change: no commit, no changes.
  ASSERT_OK_AND_ASSIGN(MutationResult again, ns().Rollback("/t", "s", {}));
  EXPECT_EQ(again.version, r.version);
  EXPECT_TRUE(again.changes.empty()) << ::testing::PrintToString(Describe(again.changes));
  ASSERT_OK_AND_ASSIGN(DiffReport d, ns().Diff(AtSnapshot("s"), {}, "/t"));
  EXPECT_TRUE(d.entries.empty()) << ::testing::PrintToString(Describe(d));
}

// Rolling back a path the snapshot does not hold removes it and every
// entry below it, each logged.
TEST_F(RollbackDiffTest, RollbackOfPathAbsentInSnapshotLogsEachRemoval) {
  Put("/p/old.txt", "o");
  ASSERT_OK(ns().CreateSnapshot("/p", {"s", 0}));
  Put("/p/new/a.txt", "a");
  ASSERT_OK_AND_ASSIGN(MutationResult r, ns().Rollback("/p/new", "s", {}));
  EXPECT_EQ(Describe(r.changes),
            (std::vector<std::string>{"rollback /p/new", "remove /p/new", "remove /p/new/a.txt"}));
}

}  // namespace
}  // namespace nokv::test
