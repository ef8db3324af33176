// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// A file source must fail, not return a torn mix, when the file changes
// between its open and its end of stream.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "nokv/byte_source.h"
#include "test_util.h"

namespace nokv {
namespace {

void WriteLocal(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// Reads `source` to its end: the bytes, or the first error.
Result<std::string> Drain(ByteSource& source) {
  std::string out;
  char buf[4096];
  while (true) {
    NOKV_ASSIGN_OR_RETURN(size_t n, source.Read(buf, sizeof(buf)));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

class StableReadTest : public ::testing::Test {
 protected:
  // Opens `data` as a FileSource and reads its first 4 KiB.
  std::unique_ptr<ByteSource> OpenAndStart(const std::string& data) {
    WriteLocal(path_, data);
    auto source = FileSource(path_);
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    char buf[4096];
    auto first = (*source)->Read(buf, sizeof(buf));
    EXPECT_TRUE(first.ok());
    return std::move(source.value());
  }

  test::TempDir dir_;
  const std::string path_ = dir_.Sub("f.bin");
};

TEST_F(StableReadTest, UnchangedFileReadsWhole) {
  const std::string data(20000, 'a');
  WriteLocal(path_, data);
  auto source = FileSource(path_);
  ASSERT_TRUE(source.ok());
  auto all = Drain(**source);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, data);
}

TEST_F(StableReadTest, TruncatedWhileReadIsAConflict) {
  auto source = OpenAndStart(std::string(100000, 'a'));
  ASSERT_EQ(::truncate(path_.c_str(), 5000), 0);
  auto rest = Drain(*source);
  ASSERT_FALSE(rest.ok()) << "a torn read of " << rest->size() << " more bytes was accepted";
  EXPECT_EQ(rest.status().code(), Code::kConflict);
  EXPECT_NE(rest.status().message().find(path_ + " changed while it was read"), std::string::npos)
      << rest.status().ToString();
  EXPECT_NE(rest.status().message().find("retry when it is stable"), std::string::npos);
}

TEST_F(StableReadTest, GrownWhileReadIsAConflict) {
  auto source = OpenAndStart(std::string(10000, 'a'));
  std::ofstream(path_, std::ios::binary | std::ios::app) << std::string(10, 'b');
  auto rest = Drain(*source);
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.status().code(), Code::kConflict);
}

TEST_F(StableReadTest, RewrittenInPlaceWithTheSameSizeIsAConflict) {
  auto source = OpenAndStart(std::string(10000, 'a'));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a later timestamp tick
  {
    std::fstream f(path_, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(9000);
    f << std::string(1000, 'z');
  }
  auto rest = Drain(*source);
  ASSERT_FALSE(rest.ok());
  EXPECT_EQ(rest.status().code(), Code::kConflict);
  EXPECT_NE(rest.status().message().find("it was modified"), std::string::npos)
      << rest.status().ToString();
}

}  // namespace
}  // namespace nokv
