// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// History follows the path: every version of the contents a path held,
// also across a rename over it (how editors and careful writers save) and
// rm followed by a new put, within what retention keeps.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

class HistoryPathTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  Namespace& ns() { return *ns_; }
  uint64_t Put(const std::string& path, const std::string& data) {
    auto r = PublishString(ns(), path, data);
    EXPECT_OK(r);
    return r.ok() ? r->version : 0;
  }
  // sha256 of each entry, newest first.
  std::vector<std::string> Shas(const std::string& path, const ReadOptions& at = {}) {
    auto h = ns().History(path, at);
    EXPECT_OK(h);
    std::vector<std::string> out;
    if (h.ok()) {
      for (const FileGeneration& g : *h) out.push_back(g.sha256_hex);
    }
    return out;
  }

  TempDir dir_{"nokv-history-path"};
  std::unique_ptr<Namespace> ns_;
};

TEST_F(HistoryPathTest, RenameOverKeepsEarlierVersions) {
  const uint64_t v1 = Put("/c/params.json", "one");
  Put("/c/params.json", "two");
  Put("/c/.params.json.tmp", "three");
  ASSERT_OK_AND_ASSIGN(MutationResult mv,
                       ns().Rename("/c/.params.json.tmp", "/c/params.json", false, {}));
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> h, ns().History("/c/params.json", {}));
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].sha256_hex, Sha256Hex("three"));
  EXPECT_TRUE(h[0].current);
  EXPECT_EQ(h[0].version, mv.version) << "the path held it from the rename on";
  EXPECT_EQ(h[0].from_path, "/c/.params.json.tmp");
  EXPECT_EQ(h[1].sha256_hex, Sha256Hex("two"));
  EXPECT_FALSE(h[1].current);
  EXPECT_NE(h[1].ino, h[0].ino);
  EXPECT_EQ(h[2].sha256_hex, Sha256Hex("one"));
  EXPECT_EQ(h[2].version, v1);
  EXPECT_EQ(h[2].generation, 1u);
  EXPECT_TRUE(h[2].from_path.empty());
  // Every listed version reads back at the version it names.
  for (const FileGeneration& g : h) {
    ASSERT_OK_AND_ASSIGN(FileInfo at, ns().Stat("/c/params.json", ReadOptions{g.version, "", 0}));
    EXPECT_EQ(at.sha256_hex, g.sha256_hex);
  }
  // The temp name's own history is its one generation, which it held
  // until the rename; it is gone now.
  EXPECT_EQ(Shas("/c/.params.json.tmp"), (std::vector<std::string>{Sha256Hex("three")}));
}

TEST_F(HistoryPathTest, RemoveThenPutKeepsEarlierVersions) {
  Put("/r/a.bin", "first");
  Put("/r/a.bin", "second");
  ASSERT_OK(ns().Remove("/r/a.bin", false, Precondition::None(), {}));
  // While the path is absent its history is still there, none current.
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> absent, ns().History("/r/a.bin", {}));
  ASSERT_EQ(absent.size(), 2u);
  EXPECT_FALSE(absent[0].current);
  Put("/r/a.bin", "third");
  EXPECT_EQ(Shas("/r/a.bin"), (std::vector<std::string>{Sha256Hex("third"), Sha256Hex("second"),
                                                        Sha256Hex("first")}));
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> h, ns().History("/r/a.bin", {}));
  EXPECT_TRUE(h[0].current);
  EXPECT_EQ(h[0].generation, 1u) << "generations count per file";
  EXPECT_EQ(h[1].generation, 2u);
  // A path that never held a file is still NotFound; a directory is refused.
  EXPECT_CODE(ns().History("/r/never", {}), Code::kNotFound);
  EXPECT_CODE(ns().History("/r", {}), Code::kIsDirectory);
}

// A parent directory replaced (rm -r, then written again) or renamed into
// place does not cut the history of the paths below it.
TEST_F(HistoryPathTest, FollowsThePathThroughReplacedParents) {
  Put("/runs/x/m.txt", "1");
  ASSERT_OK(ns().Remove("/runs/x", true, Precondition::None(), {}));
  Put("/runs/x/m.txt", "2");
  Put("/staging/x/m.txt", "3");
  ASSERT_OK(ns().Remove("/runs/x", true, Precondition::None(), {}));
  ASSERT_OK(ns().Rename("/staging/x", "/runs/x", false, {}));
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> h, ns().History("/runs/x/m.txt", {}));
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].sha256_hex, Sha256Hex("3"));
  EXPECT_EQ(h[0].from_path, "/staging/x/m.txt");
  EXPECT_EQ(h[1].sha256_hex, Sha256Hex("2"));
  EXPECT_EQ(h[2].sha256_hex, Sha256Hex("1"));
}

// History read at a version or a snapshot shows what the path had held by
// then; the current mark is the version that state sees.
TEST_F(HistoryPathTest, ReadAtVersionAndSnapshot) {
  Put("/s/f.txt", "a");
  Put("/s/.f.tmp", "b");
  ASSERT_OK(ns().Rename("/s/.f.tmp", "/s/f.txt", false, {}));
  ASSERT_OK(ns().CreateSnapshot("/s", {"snap", 0}));
  const uint64_t at = ns().LastVersion();
  ASSERT_OK(ns().Remove("/s/f.txt", false, Precondition::None(), {}));
  Put("/s/f.txt", "c");
  EXPECT_EQ(Shas("/s/f.txt"),
            (std::vector<std::string>{Sha256Hex("c"), Sha256Hex("b"), Sha256Hex("a")}));
  const std::vector<std::string> then = {Sha256Hex("b"), Sha256Hex("a")};
  EXPECT_EQ(Shas("/s/f.txt", ReadOptions{0, "snap", 0}), then);
  EXPECT_EQ(Shas("/s/f.txt", ReadOptions{at, "", 0}), then);
  ASSERT_OK_AND_ASSIGN(std::vector<FileGeneration> h,
                       ns().History("/s/f.txt", ReadOptions{0, "snap", 0}));
  EXPECT_TRUE(h[0].current);
  // After GC with no history retention, the snapshot's contents and the
  // current ones remain; "a" is gone.
  GcOptions o;
  o.history_retention_seconds = 0;
  ASSERT_OK(ns().CollectGarbage(o));
  EXPECT_EQ(Shas("/s/f.txt"), (std::vector<std::string>{Sha256Hex("c"), Sha256Hex("b")}));
  EXPECT_EQ(Shas("/s/f.txt", ReadOptions{0, "snap", 0}),
            (std::vector<std::string>{Sha256Hex("b")}));
}

}  // namespace
}  // namespace nokv::test
