// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Mutations of several paths are one commit (all or nothing, the failing
// path named); mutations report what they did; rename and copy can create
// the destination's parents in the same commit.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

class MultiPathTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  Namespace& ns() { return *ns_; }
  void Put(const std::string& path, const std::string& data) {
    ASSERT_OK(PublishString(ns(), path, data));
  }
  bool Exists(const std::string& path) { return ns().Stat(path, {}).ok(); }
  static std::vector<std::string> Describe(const std::vector<WatchEvent>& events) {
    std::vector<std::string> out;
    for (const WatchEvent& e : events) {
      out.push_back(e.type + " " + (e.from_path.empty() ? "" : e.from_path + " -> ") + e.path);
    }
    return out;
  }

  TempDir dir_{"nokv-multi-path"};
  std::unique_ptr<Namespace> ns_;
};

TEST_F(MultiPathTest, RemoveOfSeveralPathsIsAllOrNothing) {
  Put("/x1", "1");
  Put("/x2", "2");
  const uint64_t before = ns().LastVersion();
  auto r = ns().RemovePaths({"/x1", "/nonexistent", "/x2"}, false, {});
  EXPECT_CODE(r, Code::kNotFound);
  EXPECT_NE(r.status().message().find("/nonexistent"), std::string::npos) << r.status().ToString();
  EXPECT_TRUE(Exists("/x1"));
  EXPECT_TRUE(Exists("/x2"));
  EXPECT_EQ(ns().LastVersion(), before);
  // A non-empty directory without recursive fails the same way.
  Put("/d/f", "f");
  EXPECT_CODE(ns().RemovePaths({"/x1", "/d"}, false, {}), Code::kNotEmpty);
  EXPECT_TRUE(Exists("/x1"));
  const uint64_t last = ns().LastVersion();
  ASSERT_OK_AND_ASSIGN(MutationResult ok, ns().RemovePaths({"/x1", "/x2"}, false, {}));
  EXPECT_EQ(ok.version, last + 1) << "one commit";
  EXPECT_EQ(Describe(ok.changes), (std::vector<std::string>{"remove /x1", "remove /x2"}));
  EXPECT_FALSE(Exists("/x1"));
  EXPECT_FALSE(Exists("/x2"));
  // A path below one removed earlier in the same call is covered by it.
  ASSERT_OK(ns().RemovePaths({"/d", "/d/f"}, true, {}));
  EXPECT_FALSE(Exists("/d"));
}

TEST_F(MultiPathTest, MkdirOfSeveralPathsIsAllOrNothing) {
  Put("/taken", "file");
  const uint64_t before = ns().LastVersion();
  auto r = ns().MkdirPaths({"/a", "/taken", "/b"}, false, {});
  EXPECT_CODE(r, Code::kAlreadyExists);
  EXPECT_NE(r.status().message().find("/taken"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(Exists("/a"));
  EXPECT_FALSE(Exists("/b"));
  r = ns().MkdirPaths({"/a", "/missing/c"}, false, {});
  EXPECT_CODE(r, Code::kNotFound);
  EXPECT_NE(r.status().message().find("/missing/c"), std::string::npos) << r.status().ToString();
  EXPECT_FALSE(Exists("/a"));
  EXPECT_EQ(ns().LastVersion(), before);
  ASSERT_OK_AND_ASSIGN(MutationResult ok, ns().MkdirPaths({"/a", "/b/c"}, true, {}));
  EXPECT_EQ(ok.version, before + 1);
  EXPECT_EQ(Describe(ok.changes), (std::vector<std::string>{"mkdir /a", "mkdir /b", "mkdir /b/c"}));
}

TEST_F(MultiPathTest, RenameWithParentsCreatesThemInTheSameCommit) {
  Put("/runs/exp1/m.bin", "m");
  MutationOptions plain;
  EXPECT_CODE(ns().Rename("/runs/exp1", "/archive/exp1", false, plain), Code::kNotFound);
  EXPECT_FALSE(Exists("/archive"));
  MutationOptions parents;
  parents.make_parents = true;
  // A failing move leaves no parents behind.
  EXPECT_CODE(ns().Rename("/runs/nope", "/archive/x/y", false, parents), Code::kNotFound);
  EXPECT_FALSE(Exists("/archive"));
  ASSERT_OK_AND_ASSIGN(MutationResult r,
                       ns().Rename("/runs/exp1", "/archive/2026/exp1", false, parents));
  EXPECT_EQ(Describe(r.changes),
            (std::vector<std::string>{"mkdir /archive", "mkdir /archive/2026",
                                      "rename /runs/exp1 -> /archive/2026/exp1"}));
  ASSERT_OK_AND_ASSIGN(std::string m, ReadWholeFile(ns(), "/archive/2026/exp1/m.bin"));
  EXPECT_EQ(m, "m");
  ASSERT_OK_AND_ASSIGN(MutationResult cp, ns().Copy("/archive/2026/exp1", "/fork/exp1", parents));
  EXPECT_EQ(Describe(cp.changes),
            (std::vector<std::string>{"mkdir /fork", "clone /archive/2026/exp1 -> /fork/exp1"}));
}

}  // namespace
}  // namespace nokv::test
