// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "meta/records.h"

#include <gtest/gtest.h>

#include "util/checksum.h"
#include "util/coding.h"

namespace nokv {
namespace {

TEST(RecordsTest, VersionedKeysSortNewestFirstAndByName) {
  const std::string a1 = VersionedKey(DentryPrefix(5, "a"), 1);
  const std::string a9 = VersionedKey(DentryPrefix(5, "a"), 9);
  const std::string ab = VersionedKey(DentryPrefix(5, "ab"), 1);
  const std::string b = VersionedKey(DentryPrefix(5, "b"), 1);
  EXPECT_LT(a9, a1);  // newest first
  EXPECT_LT(a1, ab);  // "a" before "ab"
  EXPECT_LT(ab, b);
  std::string_view prefix;
  uint64_t version = 0;
  ASSERT_TRUE(SplitVersionedKey(a9, &prefix, &version));
  EXPECT_EQ(version, 9u);
  EXPECT_EQ(DentryName(prefix), "a");
}

TEST(RecordsTest, InodeRoundTripAndFormatByte) {
  InodeRecord r;
  r.kind = FileKind::kFile;
  r.generation = 7;
  r.size = 1234567;
  r.body_id = 99;
  r.ctime_ns = -5;
  r.mtime_ns = 1700000000000000000;
  const std::string enc = EncodeInode(r);
  EXPECT_EQ(static_cast<uint8_t>(enc[0]), kFormatV1);
  InodeRecord back;
  ASSERT_TRUE(DecodeInode(enc, &back).ok());
  EXPECT_EQ(back.generation, 7u);
  EXPECT_EQ(back.size, 1234567u);
  EXPECT_EQ(back.ctime_ns, -5);
  EXPECT_EQ(back.mtime_ns, r.mtime_ns);
  std::string future = enc;
  future[0] = 2;  // an unknown format version is rejected, not guessed at
  EXPECT_EQ(DecodeInode(future, &back).code(), Code::kCorruption);
  EXPECT_EQ(DecodeInode(enc.substr(0, enc.size() - 1), &back).code(), Code::kCorruption);
  EXPECT_TRUE(IsTombstone(TombstoneValue()));
  EXPECT_FALSE(IsTombstone(enc));
}

TEST(RecordsTest, BodyDescriptorRoundTrip) {
  BodyDescriptor b;
  b.size = 10;
  b.sha256 = Sha256::Digest("0123456789");
  b.content_type = "text/plain";
  b.is_inline = false;
  b.upload_id = 0x1234;
  b.block_size = 4;
  b.block_crc32c = {1, 2, 3};
  BodyDescriptor back;
  ASSERT_TRUE(DecodeBody(EncodeBody(b), &back).ok());
  EXPECT_EQ(back.block_crc32c, b.block_crc32c);
  EXPECT_EQ(back.BlockLength(2), 2u);
  EXPECT_EQ(back.content_type, "text/plain");
  b.block_crc32c.pop_back();  // block count inconsistent with size
  EXPECT_EQ(DecodeBody(EncodeBody(b), &back).code(), Code::kCorruption);
  EXPECT_EQ(BlockKey(0x1234, 2), "u/34/0000000000001234/00000002");
}

TEST(ChecksumTest, KnownVectors) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c("6789", Crc32c("12345")), 0xE3069283u);
  EXPECT_EQ(HexEncode(Sha256::Digest("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CodingTest, VarintsRoundTrip) {
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, ~uint64_t{0}}) {
    std::string s;
    PutVarint64(&s, v);
    std::string_view in(s);
    uint64_t back = 1;
    ASSERT_TRUE(GetVarint64(&in, &back));
    EXPECT_EQ(back, v);
    EXPECT_TRUE(in.empty());
  }
  std::string_view truncated("\x80", 1);
  uint64_t v;
  EXPECT_FALSE(GetVarint64(&truncated, &v));
}

}  // namespace
}  // namespace nokv
