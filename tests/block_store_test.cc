// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include <gtest/gtest.h>

#include <set>

#include "nokv/block_store.h"
#include "test_util.h"

namespace nokv {
namespace {

TEST(LocalBlockStoreTest, PutGetNeverOverwrite) {
  test::TempDir dir;
  auto store = OpenLocalBlockStore(dir.Sub("blocks"));
  ASSERT_TRUE(store.ok());
  BlockStore& s = **store;
  ASSERT_TRUE(s.Put("u/01/abc/00000000", "hello world").ok());
  EXPECT_EQ(s.Put("u/01/abc/00000000", "other").code(), Code::kAlreadyExists);
  std::string out;
  ASSERT_TRUE(s.Get("u/01/abc/00000000", 6, 100, &out).ok());
  EXPECT_EQ(out, "world");
  auto size = s.Size("u/01/abc/00000000");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 11u);
  EXPECT_EQ(s.Get("u/01/nope", 0, 1, &out).code(), Code::kNotFound);
  // No temporary files are left behind.
  EXPECT_EQ(test::ListRegularFiles(dir.Sub("blocks")).size(), 1u);
}

TEST(LocalBlockStoreTest, ListByPrefixAndDelete) {
  test::TempDir dir;
  auto store = OpenLocalBlockStore(dir.Sub("blocks"));
  ASSERT_TRUE(store.ok());
  BlockStore& s = **store;
  for (const char* k : {"u/01/a/0", "u/01/a/1", "u/01/ab/0", "u/02/c/0"}) {
    ASSERT_TRUE(s.Put(k, "x").ok());
  }
  std::set<std::string> keys;
  ASSERT_TRUE(s.List("u/01/a/", [&](const ObjectInfo& o) {
                 keys.insert(o.key);
                 return true;
               }).ok());
  EXPECT_EQ(keys, (std::set<std::string>{"u/01/a/0", "u/01/a/1"}));
  keys.clear();
  ASSERT_TRUE(s.List("u/", [&](const ObjectInfo& o) {
                 keys.insert(o.key);
                 return true;
               }).ok());
  EXPECT_EQ(keys.size(), 4u);
  ASSERT_TRUE(s.Delete("u/01/a/0").ok());
  ASSERT_TRUE(s.Delete("u/01/a/0").ok());  // idempotent
  EXPECT_EQ(s.Size("u/01/a/0").status().code(), Code::kNotFound);
}

TEST(LocalBlockStoreTest, RejectsKeysThatEscapeTheRoot) {
  test::TempDir dir;
  auto store = OpenLocalBlockStore(dir.Sub("blocks"));
  ASSERT_TRUE(store.ok());
  for (const char* bad : {"", "/abs", "a/../b", "a//b", "a/./b", "sp ace"}) {
    EXPECT_EQ((*store)->Put(bad, "x").code(), Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace nokv
