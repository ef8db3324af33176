// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Edge cases of the time features: snapshots of files, dropping a snapshot a
// clone came from, renames across snapshot roots, watching paths that do not
// exist yet, foreign and expired cursors, reads below the GC floor, snapshot
// TTLs, generations across GC, diff methods, inode numbers across rollback and
// resumable GC runs.
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

const std::string kBig(10000, 'b');  // 3 blocks of 4 KiB in tests
const std::string kBig2(9000, 'c');  // 3 blocks

class TimeEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  Namespace& ns() { return *ns_; }
  size_t BlockFiles() const { return ListRegularFiles(BlocksDir(dir_.path())).size(); }

  void Put(const std::string& path, const std::string& data) {
    ASSERT_OK(PublishString(ns(), path, data));
  }
  Result<std::string> Read(const std::string& path, const ReadOptions& at) {
    return ReadWholeFileAt(ns(), path, at);
  }
  static ReadOptions AtSnapshot(const std::string& name) { return ReadOptions{0, name, 0}; }
  static ReadOptions AtVersion(uint64_t v) { return ReadOptions{v, "", 0}; }
  static ReadOptions AtGeneration(uint64_t g) { return ReadOptions{0, "", g}; }

  GcReport Gc(GcOptions o = {}) {
    o.history_retention_seconds = 0;
    auto r = ns().CollectGarbage(o);
    EXPECT_OK(r);
    return r.ok() ? *r : GcReport{};
  }
  std::vector<WatchEvent> Events(const std::string& path, const std::string& cursor,
                                 std::string* next = nullptr) {
    auto events = WatchAll(ns(), path, cursor, /*page_limit=*/2, next);
    EXPECT_OK(events);
    return events.ok() ? *events : std::vector<WatchEvent>{};
  }
  std::string NowCursor() {
    WatchOptions o;
    o.from_now = true;
    auto page = ns().Watch("/", o);
    EXPECT_OK(page);
    return page.ok() ? page->next_cursor : "";
  }
  static std::vector<std::string> Describe(const std::vector<WatchEvent>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      out.push_back(e.type + " " + e.path + (e.from_path.empty() ? "" : " <- " + e.from_path));
    }
    return out;
  }
  void ExpectFsckClean() {
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
    std::string issues;
    for (const auto& i : fsck.issues) issues += i.kind + ": " + i.detail + "\n";
    EXPECT_TRUE(fsck.clean()) << issues;
    EXPECT_EQ(fsck.orphan_objects, 0u);
  }

  TempDir dir_{"nokv-time-edge"};
  std::unique_ptr<Namespace> ns_;
};

// A snapshot may pin a single file: reads of that path work at the snapshot,
// every other path (parent, sibling, a path below the file) is rejected.
TEST_F(TimeEdgeTest, SnapshotOfAFile) {
  Put("/d/f.bin", kBig);
  Put("/d/g.txt", "g");
  ASSERT_OK_AND_ASSIGN(SnapshotInfo snap, ns().CreateSnapshot("/d/f.bin", {"file", 0}));
  EXPECT_EQ(snap.path, "/d/f.bin");
  EXPECT_EQ(snap.kind, FileKind::kFile);
  Put("/d/f.bin", "new");
  ASSERT_OK_AND_ASSIGN(std::string old, Read("/d/f.bin", AtSnapshot("file")));
  EXPECT_EQ(old, kBig);
  ASSERT_OK_AND_ASSIGN(FileInfo st, ns().Stat("/d/f.bin", AtSnapshot("file")));
  EXPECT_EQ(st.generation, 1u);
  EXPECT_EQ(st.size, kBig.size());
  EXPECT_CODE(ns().Stat("/d", AtSnapshot("file")), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/d/g.txt", AtSnapshot("file")), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/", AtSnapshot("file")), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/d/f.bin2", AtSnapshot("file")), Code::kInvalidArgument);
  ListOptions lo;
  lo.snapshot = "file";
  EXPECT_CODE(ns().List("/d/f.bin", lo), Code::kNotDirectory);
  EXPECT_CODE(ns().List("/d", lo), Code::kInvalidArgument);
  // The pinned generation survives GC; history at the snapshot shows it.
  Gc();
  ASSERT_OK_AND_ASSIGN(old, Read("/d/f.bin", AtSnapshot("file")));
  EXPECT_EQ(old, kBig);
  ASSERT_OK_AND_ASSIGN(auto hist, ns().History("/d/f.bin", AtSnapshot("file")));
  ASSERT_EQ(hist.size(), 1u);
  EXPECT_EQ(hist[0].generation, 1u);
  EXPECT_TRUE(hist[0].current);
  // Rolling the file back restores the snapshot's bytes as a new generation.
  ASSERT_OK(ns().Rollback("/d/f.bin", "file", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo now, ns().Stat("/d/f.bin", {}));
  EXPECT_EQ(now.generation, 3u);
  EXPECT_EQ(now.ino, st.ino);
  ASSERT_OK_AND_ASSIGN(std::string live, Read("/d/f.bin", {}));
  EXPECT_EQ(live, kBig);
  // A rollback of a path outside the snapshot is rejected.
  EXPECT_CODE(ns().Rollback("/d/g.txt", "file", {}), Code::kInvalidArgument);
  ExpectFsckClean();
}

// A clone of a snapshot shares its blocks; dropping the snapshot and
// collecting garbage leaves the clone whole.
TEST_F(TimeEdgeTest, DroppingTheSnapshotACloneCameFrom) {
  Put("/src/a.bin", kBig);
  Put("/src/sub/b.bin", kBig2);
  ASSERT_OK(ns().CreateSnapshot("/src", {"origin", 0}));
  ASSERT_OK(ns().Clone("/src", "/fork", AtSnapshot("origin"), {}));
  ASSERT_OK_AND_ASSIGN(FileInfo src_a, ns().Stat("/src/a.bin", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo fork_a, ns().Stat("/fork/a.bin", {}));
  EXPECT_EQ(fork_a.body_id, src_a.body_id) << "a clone copies no bytes";
  EXPECT_NE(fork_a.ino, src_a.ino);
  EXPECT_EQ(BlockFiles(), 6u);
  ASSERT_OK(ns().Remove("/src", true, Precondition::None(), {}));
  ASSERT_OK(ns().DropSnapshot("origin"));
  EXPECT_CODE(ns().GetSnapshot("origin"), Code::kNotFound);
  EXPECT_CODE(ns().Clone("/src", "/fork2", AtSnapshot("origin"), {}), Code::kNotFound);
  GcReport r = Gc();
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.bodies_freed, 0u);
  EXPECT_EQ(BlockFiles(), 6u);
  ASSERT_OK_AND_ASSIGN(std::string a, Read("/fork/a.bin", {}));
  EXPECT_EQ(a, kBig);
  ASSERT_OK_AND_ASSIGN(std::string b, Read("/fork/sub/b.bin", {}));
  EXPECT_EQ(b, kBig2);
  ExpectFsckClean();
  // The last reference goes: the blocks go.
  ASSERT_OK(ns().Remove("/fork", true, Precondition::None(), {}));
  r = Gc();
  EXPECT_EQ(r.bodies_freed, 2u);
  EXPECT_EQ(r.blocks_deleted, 6u);
  EXPECT_EQ(BlockFiles(), 0u);
  ExpectFsckClean();
}

// A rename out of a snapshot's root changes nothing the snapshot shows.
TEST_F(TimeEdgeTest, RenameAcrossSnapshotRoots) {
  Put("/a/x", kBig);
  Put("/a/y", "y");
  ASSERT_OK(ns().Mkdir("/b", false, {}));
  ASSERT_OK(ns().CreateSnapshot("/a", {"sa", 0}));
  ASSERT_OK(ns().CreateSnapshot("/b", {"sb", 0}));
  ASSERT_OK(ns().Rename("/a/x", "/b/x", false, {}));
  ASSERT_OK_AND_ASSIGN(std::string x, Read("/a/x", AtSnapshot("sa")));
  EXPECT_EQ(x, kBig);
  EXPECT_CODE(ns().Stat("/b/x", AtSnapshot("sa")), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/b/x", AtSnapshot("sb")), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/a/x", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::string live, Read("/b/x", {}));
  EXPECT_EQ(live, kBig);
  // Diff of /a between the snapshot and now: x is gone from /a.
  ASSERT_OK_AND_ASSIGN(DiffReport d, ns().Diff(AtSnapshot("sa"), ReadOptions{}, "/a"));
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(d.entries[0].path, "/a/x");
  EXPECT_EQ(d.entries[0].type, DiffEntry::Type::kRemoved);
  // Rolling /a back brings x back as a fresh inode: the moved one stays in /b.
  ASSERT_OK_AND_ASSIGN(FileInfo moved, ns().Stat("/b/x", {}));
  ASSERT_OK(ns().Rollback("/a", "sa", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo back, ns().Stat("/a/x", {}));
  EXPECT_NE(back.ino, moved.ino);
  EXPECT_EQ(back.body_id, moved.body_id);
  EXPECT_EQ(back.generation, 1u);
  ASSERT_OK_AND_ASSIGN(FileInfo still, ns().Stat("/b/x", {}));
  EXPECT_EQ(still.ino, moved.ino);
  Gc();
  ASSERT_OK_AND_ASSIGN(x, Read("/a/x", AtSnapshot("sa")));
  EXPECT_EQ(x, kBig);
  ExpectFsckClean();
}

// Watching a path that does not exist yet is allowed; its creation (also
// by a rename into it, or a clone) shows up.
TEST_F(TimeEdgeTest, WatchAPathThatDoesNotExistYet) {
  WatchOptions o;
  ASSERT_OK_AND_ASSIGN(WatchPage empty, ns().Watch("/later/deep", o));
  EXPECT_TRUE(empty.events.empty());
  EXPECT_FALSE(empty.next_cursor.empty());
  const std::string cursor = empty.next_cursor;
  Put("/other/file", "o");
  Put("/later/deep/f.txt", "f");
  Put("/tmp/g.txt", "g");
  ASSERT_OK(ns().Rename("/tmp", "/later/deep/tmp", false, {}));
  ASSERT_OK(ns().Clone("/other", "/later/deep/c", ReadOptions{}, {}));
  std::vector<std::string> want = {"mkdir /later/deep", "create /later/deep/f.txt",
                                   "rename /later/deep/tmp <- /tmp",
                                   "clone /later/deep/c <- /other"};
  EXPECT_EQ(Describe(Events("/later/deep", cursor)), want);
  // The parent directory's creation concerns the watched path's subtree only
  // once the path itself exists: "mkdir /later" is not an event of it.
  std::vector<std::string> all = Describe(Events("/later", cursor));
  EXPECT_EQ(all.front(), "mkdir /later");
}

TEST_F(TimeEdgeTest, CursorOfAnotherDataDirIsRejected) {
  Put("/a", "1");
  Put("/b", "2");
  TempDir other_dir("nokv-time-edge-other");
  ASSERT_OK_AND_ASSIGN(auto other, OpenTestNamespace(other_dir.path()));
  ASSERT_OK(PublishString(*other, "/a", "1"));
  ASSERT_OK(PublishString(*other, "/b", "2"));
  ASSERT_OK_AND_ASSIGN(WatchPage page, other->Watch("/", WatchOptions{}));
  ASSERT_EQ(page.events.size(), 2u);
  WatchOptions o;
  o.cursor = page.events[0].cursor;
  auto r = ns().Watch("/", o);
  EXPECT_CODE(r, Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("another data dir"), std::string::npos)
      << r.status().ToString();
  o.cursor = page.next_cursor;
  EXPECT_CODE(ns().Watch("/sub", o), Code::kInvalidArgument);
  o.cursor = "zz-not-a-cursor";
  EXPECT_CODE(ns().Watch("/", o), Code::kInvalidArgument);
  // Its own cursors still work after a reopen.
  ASSERT_OK_AND_ASSIGN(WatchPage mine, ns().Watch("/", WatchOptions{}));
  ASSERT_EQ(mine.events.size(), 2u);
  ns_.reset();
  ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
  o.cursor = mine.events[0].cursor;
  ASSERT_OK_AND_ASSIGN(WatchPage again, ns().Watch("/", o));
  ASSERT_EQ(again.events.size(), 1u);
  EXPECT_EQ(again.events[0].path, "/b");
}

// A cursor older than event retention is Expired; the message names the
// oldest valid cursor, and that cursor replays exactly the retained events.
TEST_F(TimeEdgeTest, ExpiredCursorAfterTrim) {
  const std::string start = NowCursor();
  for (int i = 0; i < 10; ++i) Put("/e/f" + std::to_string(i), "x");
  const std::vector<WatchEvent> before = Events("/", start);
  ASSERT_EQ(before.size(), 11u);  // mkdir /e + 10 creates
  GcOptions o;
  o.event_retention_count = 4;
  o.step_budget = 3;  // trimming takes several steps
  GcReport r = Gc(o);
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.events_trimmed, 7u);
  auto expired = ns().Watch("/", WatchOptions{start, false, 10});
  ASSERT_CODE(expired, Code::kExpired);
  const std::string& msg = expired.status().message();
  // The named cursor is the one after the last trimmed event.
  const std::string oldest = before[6].cursor;
  EXPECT_NE(msg.find(oldest), std::string::npos) << msg;
  std::vector<WatchEvent> rest = Events("/", oldest);
  ASSERT_EQ(rest.size(), 4u);
  for (size_t i = 0; i < rest.size(); ++i) {
    EXPECT_EQ(rest[i].path, before[7 + i].path);
    EXPECT_EQ(rest[i].version, before[7 + i].version);
  }
  // Without a cursor the watch starts at the oldest retained event.
  EXPECT_EQ(Describe(Events("/", "")), Describe(rest));
  // A cursor of a trimmed event itself is expired, the next valid one works.
  EXPECT_CODE(ns().Watch("/", WatchOptions{before[5].cursor, false, 10}), Code::kExpired);
  EXPECT_OK(ns().Watch("/", WatchOptions{before[6].cursor, false, 10}));
}

// With no history retention, versions below the floor are Expired unless a
// snapshot pins exactly that version.
TEST_F(TimeEdgeTest, ReadsBelowTheGcFloor) {
  Put("/v.txt", "one");
  const uint64_t v1 = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(SnapshotInfo snap, ns().CreateSnapshot("/", {"keep", 0}));
  Put("/v.txt", "two");
  const uint64_t v3 = ns().LastVersion();
  Put("/v.txt", "three");
  GcReport r = Gc();
  EXPECT_EQ(r.floor_version, ns().LastVersion());
  auto old = ns().Stat("/v.txt", AtVersion(v1));
  EXPECT_CODE(old, Code::kExpired);
  EXPECT_NE(old.status().message().find("snapshot"), std::string::npos) << old.status().ToString();
  EXPECT_CODE(ns().Stat("/v.txt", AtVersion(v3)), Code::kExpired);
  ASSERT_OK_AND_ASSIGN(std::string pinned, Read("/v.txt", AtVersion(snap.version)));
  EXPECT_EQ(pinned, "one");
  ASSERT_OK_AND_ASSIGN(pinned, Read("/v.txt", AtSnapshot("keep")));
  EXPECT_EQ(pinned, "one");
  ASSERT_OK_AND_ASSIGN(std::string now, Read("/v.txt", AtVersion(ns().LastVersion())));
  EXPECT_EQ(now, "three");
  // Diffs from an expired version are Expired too; from the snapshot they work.
  EXPECT_CODE(ns().Diff(AtVersion(v3), ReadOptions{}, "/"), Code::kExpired);
  ASSERT_OK_AND_ASSIGN(DiffReport d, ns().Diff(AtSnapshot("keep"), ReadOptions{}, "/"));
  ASSERT_EQ(d.entries.size(), 1u);
  EXPECT_EQ(d.entries[0].type, DiffEntry::Type::kModified);
  // Dropping the snapshot expires its version as well.
  ASSERT_OK(ns().DropSnapshot("keep"));
  EXPECT_CODE(ns().Stat("/v.txt", AtVersion(snap.version)), Code::kExpired);
  // The floor survives a reopen.
  ns_.reset();
  ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
  EXPECT_CODE(ns().Stat("/v.txt", AtVersion(v3)), Code::kExpired);
}

TEST_F(TimeEdgeTest, SnapshotTtlExpiry) {
  Put("/t/a.bin", kBig);
  ASSERT_OK_AND_ASSIGN(SnapshotInfo s, ns().CreateSnapshot("/t", {"short", 1}));
  EXPECT_GT(s.expires_ns, s.created_ns);
  ASSERT_OK(ns().CreateSnapshot("/t", {"long", 3600}));
  ASSERT_OK_AND_ASSIGN(SnapshotInfo renewed, ns().RenewSnapshot("long", 7200));
  EXPECT_GT(renewed.expires_ns, s.expires_ns);
  ASSERT_OK(ns().Remove("/t/a.bin", false, Precondition::None(), {}));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  EXPECT_CODE(ns().GetSnapshot("short"), Code::kExpired);
  EXPECT_CODE(ns().Stat("/t/a.bin", AtSnapshot("short")), Code::kExpired);
  EXPECT_CODE(ns().RenewSnapshot("short", 60), Code::kExpired);
  const std::string cursor = NowCursor();
  GcReport r = Gc();
  EXPECT_EQ(r.snapshots_expired, 1u);
  EXPECT_CODE(ns().GetSnapshot("short"), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(auto list, ns().ListSnapshots());
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].name, "long");
  // The expiry is a watch event.
  std::vector<WatchEvent> evs = Events("/", cursor);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].type, "snapshot-drop");
  EXPECT_NE(evs[0].detail.find("short"), std::string::npos);
  // "long" still pins the removed file.
  EXPECT_EQ(BlockFiles(), 3u);
  ASSERT_OK(ns().DropSnapshot("long"));
  Gc();
  EXPECT_EQ(BlockFiles(), 0u);
  ExpectFsckClean();
}

TEST_F(TimeEdgeTest, HistoryAndGenerationsAcrossGc) {
  Put("/h.bin", kBig);   // generation 1
  Put("/h.bin", kBig2);  // 2
  ASSERT_OK(ns().CreateSnapshot("/h.bin", {"g2", 0}));
  Put("/h.bin", kBig + "3");   // 3
  Put("/h.bin", kBig2 + "4");  // 4
  ASSERT_OK_AND_ASSIGN(auto h, ns().History("/h.bin", {}));
  ASSERT_EQ(h.size(), 4u);
  for (uint64_t g = 1; g <= 4; ++g) {
    ASSERT_OK_AND_ASSIGN(FileInfo info, ns().Stat("/h.bin", AtGeneration(g)));
    EXPECT_EQ(info.generation, g);
    ASSERT_OK(Read("/h.bin", AtGeneration(g)));
  }
  ASSERT_OK_AND_ASSIGN(std::string g1, Read("/h.bin", AtGeneration(1)));
  EXPECT_EQ(g1, kBig);
  EXPECT_EQ(BlockFiles(), 12u);
  GcReport r = Gc(GcOptions{.step_budget = 2});
  EXPECT_TRUE(r.finished);
  EXPECT_EQ(r.bodies_freed, 2u);  // generations 1 and 3
  EXPECT_EQ(BlockFiles(), 6u);
  ASSERT_OK_AND_ASSIGN(h, ns().History("/h.bin", {}));
  std::vector<uint64_t> gens;
  for (const auto& g : h) gens.push_back(g.generation);
  EXPECT_EQ(gens, (std::vector<uint64_t>{4, 2})) << "the current and the pinned generation";
  ASSERT_OK_AND_ASSIGN(std::string cur, Read("/h.bin", AtGeneration(4)));
  EXPECT_EQ(cur, kBig2 + "4");
  ASSERT_OK_AND_ASSIGN(std::string pinned, Read("/h.bin", AtGeneration(2)));
  EXPECT_EQ(pinned, kBig2);
  EXPECT_CODE(Read("/h.bin", AtGeneration(1)), Code::kNotFound);
  EXPECT_CODE(Read("/h.bin", AtGeneration(3)), Code::kNotFound);
  // The pinned generation is readable at the snapshot.
  ASSERT_OK_AND_ASSIGN(auto hs, ns().History("/h.bin", AtSnapshot("g2")));
  ASSERT_GE(hs.size(), 1u);
  EXPECT_EQ(hs[0].generation, 2u);
  EXPECT_EQ(hs[0].sha256_hex, Sha256Hex(kBig2));
  ASSERT_OK_AND_ASSIGN(std::string g2, Read("/h.bin", AtSnapshot("g2")));
  EXPECT_EQ(g2, kBig2);
  ExpectFsckClean();
}

// Diff by events and by walking both trees agree, also for clones, rollbacks
// and renames of directories.
TEST_F(TimeEdgeTest, DiffMethodsAgree) {
  Put("/p/keep.txt", "k");
  Put("/p/mod.bin", kBig);
  Put("/p/gone.txt", "g");
  Put("/p/dir/moved.txt", "mv");
  Put("/p/dir/sub/deep.txt", "d");
  ASSERT_OK(ns().CreateSnapshot("/p", {"before", 0}));
  const uint64_t v1 = ns().LastVersion();
  Put("/p/mod.bin", kBig2);
  Put("/p/new.txt", "n");
  ASSERT_OK(ns().Remove("/p/gone.txt", false, Precondition::None(), {}));
  ASSERT_OK(ns().Rename("/p/dir", "/p/dir2", false, {}));
  ASSERT_OK(ns().Clone("/p/dir2", "/p/copy", ReadOptions{}, {}));
  ASSERT_OK(ns().Rename("/p/keep.txt", "/p/kept.txt", false, {}));
  const uint64_t v2 = ns().LastVersion();
  auto describe = [](const DiffReport& d) {
    std::vector<std::string> out;
    for (const DiffEntry& e : d.entries) {
      out.push_back(std::string(DiffTypeName(e.type)) + " " + e.path +
                    (e.old_path.empty() ? "" : " <- " + e.old_path) + " " +
                    std::to_string(e.old_size) + "->" + std::to_string(e.new_size) + " " +
                    e.old_sha256_hex.substr(0, 8) + "->" + e.new_sha256_hex.substr(0, 8));
    }
    return out;
  };
  ASSERT_OK_AND_ASSIGN(DiffReport by_events, ns().Diff(AtVersion(v1), AtVersion(v2), "/p"));
  EXPECT_EQ(by_events.method, "events");
  ASSERT_OK_AND_ASSIGN(DiffReport snap_events,
                       ns().Diff(AtSnapshot("before"), AtVersion(v2), "/p"));
  EXPECT_EQ(describe(snap_events), describe(by_events));
  ASSERT_OK(ns().Rollback("/p", "before", {}));
  const uint64_t v3 = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(DiffReport back_events, ns().Diff(AtVersion(v2), AtVersion(v3), "/p"));
  // After the rollback nothing differs from the snapshot: gone.txt came
  // back with the same bytes as a new inode, which a diff does not show.
  ASSERT_OK_AND_ASSIGN(DiffReport none, ns().Diff(AtSnapshot("before"), AtVersion(v3), "/p"));
  EXPECT_TRUE(none.entries.empty()) << ::testing::PrintToString(describe(none));
  // Trim the whole event log (history is kept by the default retention).
  GcOptions o;
  o.event_retention_count = 0;
  ASSERT_OK(ns().CollectGarbage(o));
  ASSERT_OK_AND_ASSIGN(DiffReport by_walk, ns().Diff(AtVersion(v1), AtVersion(v2), "/p"));
  EXPECT_EQ(by_walk.method, "walk");
  EXPECT_EQ(describe(by_walk), describe(by_events));
  ASSERT_OK_AND_ASSIGN(DiffReport back_walk, ns().Diff(AtVersion(v2), AtVersion(v3), "/p"));
  EXPECT_EQ(back_walk.method, "walk");
  EXPECT_EQ(describe(back_walk), describe(back_events));
  EXPECT_FALSE(by_events.entries.empty());
}

// Rollback keeps the inode of every entry that still exists and gives files
// whose body changed the next generation; unchanged files keep theirs.
TEST_F(TimeEdgeTest, RollbackKeepsInodesAndBumpsGenerations) {
  Put("/r/same.txt", "same");
  Put("/r/changed.bin", kBig);
  Put("/r/removed.txt", "removed");
  Put("/r/sub/inner.txt", "inner");
  ASSERT_OK(ns().CreateSnapshot("/r", {"r0", 0}));
  ASSERT_OK_AND_ASSIGN(FileInfo same0, ns().Stat("/r/same.txt", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo changed0, ns().Stat("/r/changed.bin", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo removed0, ns().Stat("/r/removed.txt", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo sub0, ns().Stat("/r/sub", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo inner0, ns().Stat("/r/sub/inner.txt", {}));
  Put("/r/changed.bin", kBig2);
  Put("/r/changed.bin", kBig2 + "x");
  ASSERT_OK(ns().Remove("/r/removed.txt", false, Precondition::None(), {}));
  Put("/r/added.txt", "added");
  ASSERT_OK(ns().Rename("/r/sub/inner.txt", "/r/inner-moved.txt", false, {}));
  const std::string cursor = NowCursor();
  ASSERT_OK_AND_ASSIGN(MutationResult rb, ns().Rollback("/r", "r0", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo same1, ns().Stat("/r/same.txt", {}));
  EXPECT_EQ(same1.ino, same0.ino);
  EXPECT_EQ(same1.generation, same0.generation);
  EXPECT_EQ(same1.body_id, same0.body_id);
  ASSERT_OK_AND_ASSIGN(FileInfo changed1, ns().Stat("/r/changed.bin", {}));
  EXPECT_EQ(changed1.ino, changed0.ino);
  EXPECT_EQ(changed1.generation, 4u);  // 1, 2, 3, then the snapshot's body again
  EXPECT_EQ(changed1.body_id, changed0.body_id);
  ASSERT_OK_AND_ASSIGN(FileInfo removed1, ns().Stat("/r/removed.txt", {}));
  EXPECT_NE(removed1.ino, removed0.ino) << "a removed file comes back as a new inode";
  EXPECT_EQ(removed1.generation, 1u);
  ASSERT_OK_AND_ASSIGN(FileInfo sub1, ns().Stat("/r/sub", {}));
  EXPECT_EQ(sub1.ino, sub0.ino);
  EXPECT_EQ(sub1.child_count, 1u);
  // A file moved within the subtree goes back to its place with its inode.
  ASSERT_OK_AND_ASSIGN(FileInfo inner1, ns().Stat("/r/sub/inner.txt", {}));
  EXPECT_EQ(inner1.ino, inner0.ino);
  EXPECT_EQ(inner1.generation, inner0.generation);
  EXPECT_CODE(ns().Stat("/r/inner-moved.txt", {}), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/r/added.txt", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(FileInfo root, ns().Stat("/r", {}));
  EXPECT_EQ(root.child_count, 4u);
  ASSERT_OK_AND_ASSIGN(auto hist, ns().History("/r/changed.bin", {}));
  ASSERT_EQ(hist.size(), 4u);
  EXPECT_EQ(hist[0].generation, 4u);
  EXPECT_EQ(hist[0].version, rb.version);
  // The rollback event, then one event per path it changed.
  std::vector<WatchEvent> evs = Events("/", cursor);
  EXPECT_EQ(Describe(evs),
            (std::vector<std::string>{"rollback /r", "remove /r/added.txt",
                                      "remove /r/inner-moved.txt", "replace /r/changed.bin",
                                      "create /r/removed.txt", "create /r/sub/inner.txt"}));
  ASSERT_FALSE(evs.empty());
  EXPECT_EQ(evs[0].type, "rollback");
  EXPECT_EQ(evs[0].path, "/r");
  EXPECT_EQ(evs[0].detail, "r0");
  EXPECT_EQ(evs[0].version, rb.version);
  ExpectFsckClean();
}

// Rolling back to the same snapshot twice: the second rollback finds the
// subtree equal to the snapshot and changes nothing, also for entries the
// first rollback had to re-create.
TEST_F(TimeEdgeTest, RollbackTwiceChangesNothing) {
  Put("/r/a.txt", "a");
  Put("/r/b.txt", "b");
  ASSERT_OK(ns().CreateSnapshot("/r", {"r0", 0}));
  ASSERT_OK(ns().Remove("/r/b.txt", false, Precondition::None(), {}));
  ASSERT_OK_AND_ASSIGN(MutationResult first, ns().Rollback("/r", "r0", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo b1, ns().Stat("/r/b.txt", {}));
  const std::string cursor = NowCursor();
  ASSERT_OK_AND_ASSIGN(MutationResult second, ns().Rollback("/r", "r0", {}));
  ASSERT_OK_AND_ASSIGN(FileInfo b2, ns().Stat("/r/b.txt", {}));
  EXPECT_EQ(b2.ino, b1.ino) << "the second rollback replaced /r/b.txt by yet another inode";
  EXPECT_EQ(second.version, first.version) << "a rollback with nothing to restore committed";
  EXPECT_TRUE(Describe(Events("/", cursor)).empty());
  ASSERT_OK_AND_ASSIGN(DiffReport d,
                       ns().Diff(AtVersion(first.version), AtVersion(second.version), "/r"));
  EXPECT_TRUE(d.entries.empty());
}

// A collection limited to a few steps per call resumes where the previous
// call stopped: calling it repeatedly finishes and frees everything.
TEST_F(TimeEdgeTest, GcWithMaxStepsFinishesWhenRepeated) {
  for (int i = 0; i < 4; ++i) Put("/g/f" + std::to_string(i), kBig);
  ASSERT_OK(ns().Remove("/g", true, Precondition::None(), {}));
  EXPECT_EQ(BlockFiles(), 12u);
  GcOptions o;
  o.history_retention_seconds = 0;
  o.step_budget = 2;
  o.max_steps = 1;
  int runs = 0;
  uint64_t freed = 0;
  for (; runs < 100; ++runs) {
    ASSERT_OK_AND_ASSIGN(GcReport r, ns().CollectGarbage(o));
    EXPECT_LE(r.steps, 1u);
    freed += r.bodies_freed;
    if (r.finished) break;
  }
  EXPECT_LT(runs, 100) << "GC with max_steps=1 never reports finished";
  EXPECT_EQ(freed, 4u);
  EXPECT_EQ(BlockFiles(), 0u) << "repeated GC runs with max_steps=1 never free a block";
}

// Pinned history parked for several snapshots: with max_steps=3 the runs
// must still get past the parked entries to the blocks.
TEST_F(TimeEdgeTest, GcWithMaxStepsAndManySnapshots) {
  Put("/s/f", kBig);
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(ns().CreateSnapshot("/s", {"p" + std::to_string(i), 0}));
    Put("/s/f", kBig + std::to_string(i));
  }
  Put("/t", kBig2);
  ASSERT_OK(ns().Remove("/t", false, Precondition::None(), {}));
  GcOptions o;
  o.history_retention_seconds = 0;
  o.step_budget = 5;
  o.max_steps = 3;
  bool finished = false;
  for (int runs = 0; runs < 100 && !finished; ++runs) {
    ASSERT_OK_AND_ASSIGN(GcReport r, ns().CollectGarbage(o));
    finished = r.finished;
  }
  EXPECT_TRUE(finished) << "GC with max_steps=3 never finishes while 4 snapshots pin history";
  EXPECT_EQ(BlockFiles(), 15u) << "the removed /t should be gone, the 5 pinned generations kept";
}

}  // namespace
}  // namespace nokv::test
