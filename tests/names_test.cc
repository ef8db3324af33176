// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Names must be UTF-8: every entry point that creates a name refuses one that
// is not, naming the byte and its offset, and changes nothing; reads of such a
// name are the same clear error, never a silent NotFound.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"
#include "util/utf8.h"

namespace nokv::test {
namespace {

// A bad name and what the error must say about it.
struct BadName {
  std::string name;
  std::string byte_at;  // "byte 0x.. at offset N"
};

std::vector<BadName> BadNames() {
  return {
      {"a\xff"
       "b",
       "byte 0xff at offset 1"},
      {"trunc\xc3", "byte 0xc3 at offset 5"},            // sequence cut short
      {"\xc0\xaf", "byte 0xc0 at offset 0"},             // overlong '/'
      {"x\xed\xa0\x80", "byte 0xed at offset 1"},        // a surrogate
      {"big\xf4\x90\x80\x80", "byte 0xf4 at offset 3"},  // past U+10FFFF
      {"\x80start", "byte 0x80 at offset 0"},            // a stray continuation byte
  };
}

TEST(Utf8Test, InvalidOffset) {
  EXPECT_EQ(InvalidUtf8Offset("plain"), std::string_view::npos);
  EXPECT_EQ(InvalidUtf8Offset("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), std::string_view::npos);
  EXPECT_EQ(InvalidUtf8Offset("ctl\x1b[31m\n\x7f"), std::string_view::npos);  // controls are UTF-8
  for (const BadName& b : BadNames()) {
    EXPECT_NE(InvalidUtf8Offset(b.name), std::string_view::npos) << b.byte_at;
  }
}

TEST(Utf8Test, NormalizePathNamesTheByte) {
  for (const BadName& b : BadNames()) {
    SCOPED_TRACE(b.byte_at);
    auto r = NormalizePath("/dir/" + b.name + "/x");
    ASSERT_CODE(r, Code::kInvalidArgument);
    const std::string& m = r.status().message();
    EXPECT_NE(m.find("is not valid UTF-8 (" + b.byte_at + ")"), std::string::npos) << m;
    EXPECT_NE(m.find("rename the local file"), std::string::npos) << m;
    // The message itself is clean UTF-8 without raw control bytes.
    EXPECT_TRUE(IsValidUtf8(m)) << m;
  }
  // Control characters and other UTF-8 are valid names.
  ASSERT_OK_AND_ASSIGN(std::string p, NormalizePath("/r\x1b[31mred/two\nlines/caf\xc3\xa9"));
  EXPECT_EQ(p, "/r\x1b[31mred/two\nlines/caf\xc3\xa9");
}

TEST(Utf8Test, ErrorMessageEscapesControlBytes) {
  auto r = NormalizePath(std::string("/a\x1b[31m\0b", 9));
  ASSERT_CODE(r, Code::kInvalidArgument);
  EXPECT_EQ(r.status().message().find('\x1b'), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("\\x1b[31m\\x00b"), std::string::npos)
      << r.status().message();
}

class NamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
    ASSERT_OK(PublishString(*ns_, "/ok/file", "x"));
  }

  // Every path below the root, so a test can check that nothing changed.
  std::vector<std::string> AllPaths() {
    std::vector<std::string> out;
    std::vector<std::string> pending_dirs = {"/"};
    while (!pending_dirs.empty()) {
      std::string dir = pending_dirs.back();
      pending_dirs.pop_back();
      auto entries = ListAll(*ns_, dir);
      EXPECT_OK(entries);
      if (!entries.ok()) break;
      for (const DirEntry& e : *entries) {
        std::string p = JoinPath(dir, e.name);
        out.push_back(p);
        if (e.kind == FileKind::kDirectory) pending_dirs.push_back(p);
      }
    }
    return out;
  }

  TempDir dir_{"nokv-names"};
  std::unique_ptr<Namespace> ns_;
};

TEST_F(NamesTest, EveryEntryPointRefusesAndChangesNothing) {
  const std::vector<std::string> before = AllPaths();
  const uint64_t version = ns_->LastVersion();
  for (const BadName& b : BadNames()) {
    SCOPED_TRACE(b.byte_at);
    const std::string bad = "/ok/" + b.name;

    // A multi-file publish with one bad name publishes none of them.
    std::vector<PublishItem> items;
    items.push_back(MakeItem("/ok/good-1", "1"));
    items.push_back(MakeItem(bad, "2"));
    items.push_back(MakeItem("/ok/good-3", "3"));
    EXPECT_CODE(ns_->Publish(std::move(items), PublishOptions{}), Code::kInvalidArgument);

    PublishOptions with_dir;
    with_dir.directories = {"/ok/" + b.name + "/sub"};
    std::vector<PublishItem> one;
    one.push_back(MakeItem("/ok/good", "g"));
    EXPECT_CODE(ns_->Publish(std::move(one), with_dir), Code::kInvalidArgument);

    EXPECT_CODE(ns_->Mkdir(bad, true, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->Rename("/ok/file", bad, false, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->Copy("/ok/file", bad, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->Clone("/ok/file", bad, ReadOptions{}, {}), Code::kInvalidArgument);

    std::vector<PublishItem> shards;
    shards.push_back(MakeItem("model.bin", "m"));
    shards.push_back(MakeItem(b.name, "s"));
    EXPECT_CODE(ns_->PublishCheckpoint("/ckpt", 1, std::move(shards), PublishOptions{}),
                Code::kInvalidArgument);
    std::vector<PublishItem> good_shard;
    good_shard.push_back(MakeItem("model.bin", "m"));
    EXPECT_CODE(ns_->PublishCheckpoint("/" + b.name, 1, std::move(good_shard), PublishOptions{}),
                Code::kInvalidArgument);

    // Reads of such a name are the same clear error, not a silent miss.
    EXPECT_CODE(ns_->Stat(bad, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->List(bad, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->OpenFile(bad, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns_->Remove(bad, true, Precondition::None(), {}), Code::kInvalidArgument);
  }
  EXPECT_EQ(AllPaths(), before);
  EXPECT_EQ(ns_->LastVersion(), version);
}

TEST_F(NamesTest, ControlCharactersAreKeptExactly) {
  const std::string name = "r\x1b[31mred\ttab\nline";
  ASSERT_OK(PublishString(*ns_, "/ok/" + name, "c"));
  ASSERT_OK_AND_ASSIGN(FileInfo info, ns_->Stat("/ok/" + name, {}));
  EXPECT_EQ(info.path, "/ok/" + name);
  ASSERT_OK_AND_ASSIGN(auto entries, ListAll(*ns_, "/ok"));
  bool found = false;
  for (const DirEntry& e : entries) found = found || e.name == name;
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace nokv::test
