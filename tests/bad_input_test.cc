// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Bad input and hostile environments: malformed paths, operations on the
// wrong kind of entry, corrupted and missing blocks, a full disk, and a
// second writer on the same data dir.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

constexpr uint64_t kBlk = kTestBlockSize;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(Open()); }
  void Open() { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }
  void Reopen() {
    ns_.reset();
    ASSERT_NO_FATAL_FAILURE(Open());
  }
  Namespace& ns() { return *ns_; }

  std::vector<std::string> RootNames() {
    auto r = ListAll(ns(), "/");
    EXPECT_OK(r);
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& e : *r) out.push_back(e.name);
    }
    return out;
  }

  TempDir dir_{"nokv-bad"};
  std::unique_ptr<Namespace> ns_;
};

std::string Name(size_t n, char c = 'n') { return std::string(n, c); }

// Invalid per the rules in namespace.h.
std::vector<std::string> InvalidPaths() {
  std::string too_long;
  while (too_long.size() <= 4096) too_long += "/" + Name(100);
  return {
      "",
      "a",
      "a/b",
      "./a",
      "/a/../b",
      "/..",
      "/.",
      "/a/.",
      "/a/./b",
      "/a/..",
      std::string("/a\0b", 4),
      std::string("/\0", 2),
      std::string("/dir/x\0", 7),
      "/" + Name(256),
      "/ok/" + Name(256) + "/x",
      too_long,
  };
}

std::string Printable(const std::string& p) {
  std::string out;
  for (char c : p) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  if (out.size() > 60) out = out.substr(0, 60) + "...(" + std::to_string(p.size()) + " bytes)";
  return "'" + out + "'";
}

TEST(PathTest, NormalizePath) {
  const std::vector<std::pair<std::string, std::string>> good = {
      {"/", "/"},
      {"//", "/"},
      {"///", "/"},
      {"/a", "/a"},
      {"/a/", "/a"},
      {"//a///b/", "/a/b"},
      {"/a//b//c//", "/a/b/c"},
      {"/a.b/..c/...", "/a.b/..c/..."},
      {"/ spaced /x", "/ spaced /x"},
  };
  for (const auto& [in, want] : good) {
    auto r = NormalizePath(in);
    ASSERT_OK(r);
    EXPECT_EQ(*r, want) << "NormalizePath(" << Printable(in) << ")";
  }
  for (const auto& p : InvalidPaths()) {
    auto r = NormalizePath(p);
    EXPECT_CODE(r, Code::kInvalidArgument) << Printable(p);
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
    }
  }
  // Limits: a 255-byte component and a 4096-byte path are fine.
  EXPECT_OK(NormalizePath("/" + Name(255)));
  std::string max_path;
  for (int i = 0; i < 16; ++i) max_path += "/" + Name(255, static_cast<char>('a' + i));
  ASSERT_EQ(max_path.size(), 4096u);
  EXPECT_OK(NormalizePath(max_path));
  EXPECT_CODE(NormalizePath(max_path + "x"), Code::kInvalidArgument);
}

TEST_F(BadInputTest, InvalidPathsAreRejectedEverywhere) {
  ASSERT_OK(PublishString(ns(), "/ok/file", "x"));
  for (const auto& p : InvalidPaths()) {
    SCOPED_TRACE("path " + Printable(p));
    EXPECT_CODE(ns().Stat(p, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().List(p, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().OpenFile(p, {}), Code::kInvalidArgument);
    EXPECT_CODE(PublishString(ns(), p, "data"), Code::kInvalidArgument);
    EXPECT_CODE(ns().Mkdir(p, true, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().Remove(p, true, Precondition::None(), {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().Rename("/ok/file", p, false, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().Rename(p, "/ok/other", false, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().Copy("/ok/file", p, {}), Code::kInvalidArgument);
    EXPECT_CODE(ns().Copy(p, "/ok/other", {}), Code::kInvalidArgument);
    PublishOptions po;
    po.directories = {p};
    std::vector<PublishItem> items;
    items.push_back(MakeItem("/ok/with-bad-dir", "x"));
    EXPECT_CODE(ns().Publish(std::move(items), po), Code::kInvalidArgument);
  }
  // Nothing was created, nothing removed.
  EXPECT_EQ(RootNames(), std::vector<std::string>{"ok"});
  auto names = ListAll(ns(), "/ok");
  ASSERT_OK(names);
  ASSERT_EQ(names->size(), 1u);
  EXPECT_EQ((*names)[0].name, "file");
  ASSERT_OK_AND_ASSIGN(std::string body, ReadWholeFile(ns(), "/ok/file"));
  EXPECT_EQ(body, "x");
}

TEST_F(BadInputTest, NameAndPathLengthLimits) {
  std::string longest = "/" + Name(255);
  ASSERT_OK(PublishString(ns(), longest, "255"));
  ASSERT_OK_AND_ASSIGN(std::string body, ReadWholeFile(ns(), longest));
  EXPECT_EQ(body, "255");
  ASSERT_OK_AND_ASSIGN(FileInfo fi, ns().Stat(longest, {}));
  EXPECT_EQ(fi.path, longest);
  EXPECT_CODE(PublishString(ns(), "/" + Name(256), "256"), Code::kInvalidArgument);
  EXPECT_CODE(ns().Mkdir("/" + Name(256), false, {}), Code::kInvalidArgument);

  std::string max_path;
  for (int i = 0; i < 16; ++i) max_path += "/" + Name(255, static_cast<char>('a' + i));
  ASSERT_OK(PublishString(ns(), max_path, "deep"));
  ASSERT_OK_AND_ASSIGN(body, ReadWholeFile(ns(), max_path));
  EXPECT_EQ(body, "deep");
  // Renaming into a longer path is checked too.
  EXPECT_CODE(ns().Rename(max_path, max_path + "x", false, {}), Code::kInvalidArgument);
  EXPECT_CODE(PublishString(ns(), max_path + "x", "x"), Code::kInvalidArgument);
  // A name with bytes that are unusual but legal (names must be UTF-8; see
  // names_test.cc for the ones that are not).
  std::string odd = "/odd name \xc3\xa9\x01 tab\t";
  ASSERT_OK(PublishString(ns(), odd, "odd"));
  ASSERT_OK_AND_ASSIGN(fi, ns().Stat(odd, {}));
  EXPECT_EQ(fi.path, odd);
}

TEST_F(BadInputTest, MissingPathsAreNotFound) {
  ASSERT_OK(PublishString(ns(), "/dir/file", "x"));
  EXPECT_CODE(ns().Stat("/nope", {}), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/dir/nope", {}), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/nope/deeper/still", {}), Code::kNotFound);
  EXPECT_CODE(ns().OpenFile("/nope", {}), Code::kNotFound);
  EXPECT_CODE(ns().OpenFile("/dir/nope", {}), Code::kNotFound);
  EXPECT_CODE(ns().List("/nope", {}), Code::kNotFound);
  EXPECT_CODE(ns().Remove("/nope", false, Precondition::None(), {}), Code::kNotFound);
  EXPECT_CODE(ns().Rename("/nope", "/other", false, {}), Code::kNotFound);
  EXPECT_CODE(ns().Copy("/nope", "/other", {}), Code::kNotFound);
  // Onto itself: the source is what is missing; "/nope already exists" would be false.
  EXPECT_CODE_IN(ns().Copy("/nope", "/nope", {}), {Code::kNotFound, Code::kInvalidArgument});
  EXPECT_CODE_IN(ns().Rename("/nope", "/nope", false, {}),
                 {Code::kNotFound, Code::kInvalidArgument});
  // Below a file.
  EXPECT_CODE_IN(ns().Stat("/dir/file/x", {}), {Code::kNotDirectory, Code::kNotFound});
  EXPECT_CODE_IN(ns().OpenFile("/dir/file/x", {}), {Code::kNotDirectory, Code::kNotFound});
  Status st = ns().Stat("/dir/nope", {}).status();
  EXPECT_NE(st.message().find("/dir/nope"), std::string::npos)
      << "errors must name the path: " << st.ToString();
  EXPECT_EQ(RootNames(), std::vector<std::string>{"dir"});
}

TEST_F(BadInputTest, WrongKindOfEntry) {
  ASSERT_OK(PublishString(ns(), "/d/f", "file"));
  ASSERT_OK(ns().Mkdir("/d/sub", false, {}));
  ASSERT_OK_AND_ASSIGN(FileInfo before, ns().Stat("/d/f", {}));
  uint64_t last = ns().LastVersion();

  EXPECT_CODE(PublishString(ns(), "/d", "over a dir"), Code::kIsDirectory);
  EXPECT_CODE(PublishString(ns(), "/d/sub", "over a dir"), Code::kIsDirectory);
  EXPECT_CODE(PublishString(ns(), "/d/f/under", "under a file"), Code::kNotDirectory);
  EXPECT_CODE(PublishString(ns(), "/d/f/a/b/c", "under a file"), Code::kNotDirectory);
  EXPECT_CODE(ns().Mkdir("/d/f/x", true, {}), Code::kNotDirectory);
  EXPECT_CODE(ns().List("/d/f", {}), Code::kNotDirectory);
  EXPECT_CODE(ns().OpenFile("/d", {}), Code::kIsDirectory);
  EXPECT_CODE_IN(PublishString(ns(), "/", "root"), {Code::kIsDirectory, Code::kInvalidArgument});

  // Nothing changed.
  ASSERT_OK_AND_ASSIGN(FileInfo after, ns().Stat("/d/f", {}));
  EXPECT_EQ(after.generation, before.generation);
  EXPECT_EQ(after.version, before.version);
  ASSERT_OK_AND_ASSIGN(std::string body, ReadWholeFile(ns(), "/d/f"));
  EXPECT_EQ(body, "file");
  ASSERT_OK_AND_ASSIGN(FileInfo sub, ns().Stat("/d/sub", {}));
  EXPECT_EQ(sub.kind, FileKind::kDirectory);
  EXPECT_EQ(sub.child_count, 0u);
  auto names = ListAll(ns(), "/d");
  ASSERT_OK(names);
  EXPECT_EQ(names->size(), 2u);
  ReadOptions ro;
  ro.version = last;
  auto at_last = ns().Stat("/d/f", ro);
  EXPECT_OK(at_last);
}

TEST_F(BadInputTest, RemoveNonEmptyDirectoryNeedsRecursive) {
  ASSERT_OK(PublishString(ns(), "/tree/a/b/c", "c"));
  ASSERT_OK(PublishString(ns(), "/tree/x", "x"));
  EXPECT_CODE(ns().Remove("/tree", false, Precondition::None(), {}), Code::kNotEmpty);
  EXPECT_CODE(ns().Remove("/tree/a/b", false, Precondition::None(), {}), Code::kNotEmpty);
  ASSERT_OK_AND_ASSIGN(std::string c, ReadWholeFile(ns(), "/tree/a/b/c"));
  EXPECT_EQ(c, "c");
  ASSERT_OK_AND_ASSIGN(std::string x, ReadWholeFile(ns(), "/tree/x"));
  EXPECT_EQ(x, "x");
  ASSERT_OK_AND_ASSIGN(FileInfo tree, ns().Stat("/tree", {}));
  EXPECT_EQ(tree.child_count, 2u);
}

TEST_F(BadInputTest, RootCannotBeRemovedOrMoved) {
  ASSERT_OK(PublishString(ns(), "/a/f", "f"));
  EXPECT_CODE(ns().Remove("/", false, Precondition::None(), {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Remove("/", true, Precondition::None(), {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Remove("//", true, Precondition::None(), {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Rename("/", "/b", false, {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Rename("/", "/a/x", false, {}), Code::kInvalidArgument);
  EXPECT_FALSE(ns().Rename("/a", "/", false, {}).ok());
  EXPECT_FALSE(ns().Rename("/a/f", "/", false, {}).ok());
  EXPECT_CODE(ns().Copy("/", "/copy", {}), Code::kInvalidArgument);
  EXPECT_FALSE(ns().Copy("/a", "/", {}).ok());
  EXPECT_CODE_IN(ns().Mkdir("/", false, {}), {Code::kAlreadyExists, Code::kInvalidArgument});
  EXPECT_EQ(RootNames(), std::vector<std::string>{"a"});
  ASSERT_OK_AND_ASSIGN(std::string f, ReadWholeFile(ns(), "/a/f"));
  EXPECT_EQ(f, "f");
  ASSERT_OK_AND_ASSIGN(FileInfo root, ns().Stat("/", {}));
  EXPECT_EQ(root.ino, kRootInode);
}

// ---------------------------------------------------------------- damaged blocks

// True if `got` is a prefix of `want` no longer than `limit` bytes.
::testing::AssertionResult IsCleanPrefix(const std::string& got, const std::string& want,
                                         uint64_t limit) {
  if (got.size() > limit) {
    return ::testing::AssertionFailure() << got.size() << " bytes delivered, but only " << limit
                                         << " bytes precede the damaged block";
  }
  if (want.compare(0, got.size(), got) != 0) {
    return ::testing::AssertionFailure() << "delivered bytes differ from the published body";
  }
  return ::testing::AssertionSuccess();
}

class DamagedBlockTest : public BadInputTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(BadInputTest::SetUp());
    data_ = RandomSourceBytes(77, 4 * kBlk + 100);  // 5 blocks
    ASSERT_OK(PublishString(ns(), "/big", data_));
    other_ = RandomSourceBytes(78, kBlk);  // 1 block
    ASSERT_OK(PublishString(ns(), "/other", other_));
    ASSERT_OK(PublishString(ns(), "/inline", "small"));
    ns_.reset();  // damage the store while nothing is open
    files_ = ListRegularFiles(BlocksDir(dir_.path()));
    ASSERT_EQ(files_.size(), 6u) << "expected one object per block in " << BlocksDir(dir_.path());
  }

  // Index of the block of /big that no longer reads back, found by reading
  // block by block; -1 if none or more than one fails.
  int ProbeDamagedBlock(Code* code) {
    auto reader = ns().OpenFile("/big", {});
    EXPECT_OK(reader);
    if (!reader.ok()) return -1;
    int bad = -1;
    for (uint64_t i = 0; i * kBlk < data_.size(); ++i) {
      std::string out;
      Status st = (*reader)->ReadAt(i * kBlk, kBlk, &out);
      if (st.ok()) {
        EXPECT_TRUE(out == data_.substr(i * kBlk, kBlk)) << "block " << i << " read wrong bytes";
        continue;
      }
      EXPECT_EQ(bad, -1) << "more than one block fails: " << st.ToString();
      bad = static_cast<int>(i);
      *code = st.code();
    }
    return bad;
  }

  // Finds which block file holds block `index` of /big by its bytes.
  std::string FileOfBigBlock(uint64_t index) {
    std::string want = data_.substr(index * kBlk, kBlk);
    for (const auto& f : files_) {
      if (ReadLocalFile(f) == want) return f;
    }
    return "";
  }

  // The object key of a file below the blocks dir (its relative path).
  std::string Key(const std::string& file) const {
    return std::filesystem::relative(file, BlocksDir(dir_.path())).string();
  }
  // Whether `detail` names the namespace path or the object behind `file`.
  bool Names(const std::string& detail, const std::string& path, const std::string& file) const {
    return detail.find(path) != std::string::npos || detail.find(Key(file)) != std::string::npos;
  }

  std::string data_;
  std::string other_;
  std::vector<std::string> files_;
};

TEST_F(DamagedBlockTest, CorruptedBlockIsDetected) {
  // Damage the third block of /big; if objects are not stored as raw bytes,
  // damage the first object file instead.
  std::string victim = FileOfBigBlock(2);
  if (victim.empty()) victim = files_[0];
  std::string bytes = ReadLocalFile(victim);
  ASSERT_FALSE(bytes.empty());
  bytes[bytes.size() / 2] ^= 0x5a;
  WriteLocalFile(victim, bytes);
  ASSERT_NO_FATAL_FAILURE(Open());

  Code code = Code::kOk;
  int bad = ProbeDamagedBlock(&code);
  bool big_damaged = bad >= 0;
  if (FileOfBigBlock(2).empty() && !big_damaged) {
    // The damaged object was not one of /big's (only possible when objects
    // are not raw bytes); then /other must be the damaged file.
    auto r = ReadWholeFile(ns(), "/other");
    EXPECT_CODE(r, Code::kCorruption);
    return;
  }
  ASSERT_TRUE(big_damaged) << "no block of /big reports the damage";
  EXPECT_EQ(code, Code::kCorruption);
  if (!FileOfBigBlock(0).empty()) {
    EXPECT_EQ(bad, 2);
  }
  uint64_t limit = static_cast<uint64_t>(bad) * kBlk;

  // ReadAll stops before handing out the damaged block.
  ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile("/big", {}));
  std::string got;
  Status st = reader->ReadAll([&](std::string_view chunk) {
    got.append(chunk);
    return Status::OK();
  });
  EXPECT_EQ(st.code(), Code::kCorruption) << st.ToString();
  EXPECT_FALSE(st.message().empty());
  EXPECT_TRUE(IsCleanPrefix(got, data_, limit));

  // ReadAt over the whole body fails the same way.
  std::string out;
  st = reader->ReadAt(0, data_.size(), &out);
  EXPECT_EQ(st.code(), Code::kCorruption) << st.ToString();
  EXPECT_TRUE(IsCleanPrefix(out, data_, limit));
  out.clear();
  st = reader->ReadAt(limit + 10, 20, &out);
  EXPECT_EQ(st.code(), Code::kCorruption) << st.ToString();
  EXPECT_TRUE(out.empty()) << "bytes of a corrupted block were handed out";

  // Other files are unaffected.
  ASSERT_OK_AND_ASSIGN(std::string o, ReadWholeFile(ns(), "/other"));
  EXPECT_TRUE(o == other_);
  ASSERT_OK_AND_ASSIGN(std::string s, ReadWholeFile(ns(), "/inline"));
  EXPECT_EQ(s, "small");

  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_FALSE(fsck.clean()) << "fsck with data verification missed a corrupted block";
  bool named = false;
  for (const auto& i : fsck.issues) named |= Names(i.detail, "/big", victim);
  EXPECT_TRUE(named) << "no fsck issue names /big or " << Key(victim);
}

TEST_F(DamagedBlockTest, TruncatedBlockIsDetected) {
  std::string victim = FileOfBigBlock(1);
  if (victim.empty()) victim = files_[0];
  std::string bytes = ReadLocalFile(victim);
  WriteLocalFile(victim, bytes.substr(0, bytes.size() / 2));
  ASSERT_NO_FATAL_FAILURE(Open());
  auto r = ReadWholeFile(ns(), "/big");
  auto o = ReadWholeFile(ns(), "/other");
  EXPECT_TRUE(!r.ok() || !o.ok()) << "a truncated block went unnoticed";
  if (!r.ok()) {
    EXPECT_CODE_IN(r, {Code::kCorruption, Code::kIOError});
  }
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(false));
  EXPECT_FALSE(fsck.clean()) << "fsck must check block sizes even without verify_data";
}

TEST_F(DamagedBlockTest, DeletedBlockIsReported) {
  std::string victim = FileOfBigBlock(3);
  bool raw = !victim.empty();
  if (!raw) victim = files_[0];
  ASSERT_EQ(::unlink(victim.c_str()), 0);
  ASSERT_NO_FATAL_FAILURE(Open());

  std::string damaged_path = "/big";
  if (!raw) {
    // Which file lost a block is unknown; find it.
    if (ReadWholeFile(ns(), "/big").ok()) damaged_path = "/other";
  }
  ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile(damaged_path, {}));
  std::string got;
  Status st = reader->ReadAll([&](std::string_view chunk) {
    got.append(chunk);
    return Status::OK();
  });
  ASSERT_FALSE(st.ok()) << "reading a file whose block is gone succeeded";
  EXPECT_NE(st.message().find(damaged_path), std::string::npos)
      << "the error must name the file: " << st.ToString();
  if (raw) {
    EXPECT_TRUE(IsCleanPrefix(got, data_, 3 * kBlk));
  }

  std::string out;
  if (raw) {
    // Ranges that do not touch the missing block still read.
    ASSERT_OK(reader->ReadAt(0, 3 * kBlk, &out));
    EXPECT_TRUE(out == data_.substr(0, 3 * kBlk));
    out.clear();
    EXPECT_FALSE(reader->ReadAt(3 * kBlk + 5, 10, &out).ok());
  }
  ASSERT_OK_AND_ASSIGN(std::string s, ReadWholeFile(ns(), "/inline"));
  EXPECT_EQ(s, "small");

  for (bool verify : {false, true}) {
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(verify));
    bool missing = false;
    for (const auto& i : fsck.issues) {
      if (i.kind == "missing_block") {
        missing = true;
        EXPECT_TRUE(Names(i.detail, damaged_path, victim))
            << "missing_block issue names neither the file nor the object: " << i.detail;
      }
    }
    std::string issues;
    for (const auto& i : fsck.issues) issues += "\n  " + i.kind + ": " + i.detail;
    EXPECT_TRUE(missing) << "fsck(verify_data=" << verify << ") lists no missing_block:" << issues;
  }
}

// ---------------------------------------------------------------- full disk

class TmpfsMount {
 public:
  explicit TmpfsMount(std::string dir) : dir_(std::move(dir)) {}
  ~TmpfsMount() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  std::string Mount(const std::string& size) {
    ::mkdir(dir_.c_str(), 0755);
    std::string opts = "size=" + size;
    if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, opts.c_str()) != 0) {
      return std::string("mount -t tmpfs -o ") + opts + " " + dir_ + ": " + std::strerror(errno);
    }
    mounted_ = true;
    return "";
  }

 private:
  std::string dir_;
  bool mounted_ = false;
};

TEST(FullDiskTest, PublishFailsCleanlyAndRecovers) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a tmpfs";
  TempDir dir("nokv-full");
  std::string mnt = dir.Sub("mnt");
  TmpfsMount mount(mnt);
  std::string err = mount.Mount("24m");
  if (!err.empty()) GTEST_SKIP() << err;
  std::unique_ptr<Namespace> ns;  // declared after `mount`: closed before the unmount

  Options o = TestOptions(mnt + "/data");
  o.block_size = 1 << 20;
  o.sync = true;
  auto opened = OpenNamespace(o);
  ASSERT_OK(opened);
  ns = std::move(opened).value();

  std::string small = RandomSourceBytes(1, 10 * 1024);
  ASSERT_OK(PublishString(*ns, "/small", small));
  ASSERT_OK(PublishString(*ns, "/tiny", "tiny"));

  std::vector<PublishItem> items;
  items.push_back({"/huge", RandomSource(2, 64ull << 20), "", Precondition::None()});
  auto huge = ns->Publish(std::move(items), {});
  ASSERT_FALSE(huge.ok()) << "a 64 MiB publish fit on a 24 MiB tmpfs";
  EXPECT_CODE_IN(huge, {Code::kNoSpace, Code::kIOError});
  EXPECT_FALSE(huge.status().message().empty());

  EXPECT_CODE(ns->Stat("/huge", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns, "/small"));
  EXPECT_TRUE(got == small);
  ASSERT_OK_AND_ASSIGN(got, ReadWholeFile(*ns, "/tiny"));
  EXPECT_EQ(got, "tiny");

  ASSERT_OK(ns->CleanupIntents());
  std::string again = RandomSourceBytes(3, 10 * 1024);
  ASSERT_OK(PublishString(*ns, "/again", again)) << "publishing after a full disk must work";
  ASSERT_OK_AND_ASSIGN(got, ReadWholeFile(*ns, "/again"));
  EXPECT_TRUE(got == again);

  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(true));
  std::string issues;
  for (const auto& i : fsck.issues) issues += i.kind + ": " + i.detail + "\n";
  EXPECT_TRUE(fsck.clean()) << issues;
  EXPECT_EQ(fsck.pending_intents, 0u);
  EXPECT_EQ(fsck.orphan_objects, 0u);
  ASSERT_OK_AND_ASSIGN(Tree tree, DumpTree(*ns));
  EXPECT_EQ(ListRegularFiles(BlocksDir(o.data_dir)).size(), TotalBlocks(tree))
      << "blocks of the failed upload are still on disk";
  struct statvfs vfs {};
  ASSERT_EQ(::statvfs(mnt.c_str(), &vfs), 0);
  EXPECT_GT(uint64_t{vfs.f_bavail} * vfs.f_frsize, 8ull << 20) << "the failed upload leaked space";

  // And the namespace reopens fine.
  ns.reset();
  ASSERT_OK_AND_ASSIGN(ns, OpenNamespace(o));
  ASSERT_OK_AND_ASSIGN(got, ReadWholeFile(*ns, "/small"));
  EXPECT_TRUE(got == small);
  ns.reset();
}

// ---------------------------------------------------------------- second writer

TEST_F(BadInputTest, SecondWriterInProcessIsBusy) {
  ASSERT_OK(PublishString(ns(), "/held", "by me"));
  auto second = OpenTestNamespace(dir_.path());
  ASSERT_FALSE(second.ok()) << "two writers opened the same data dir";
  EXPECT_EQ(second.status().code(), Code::kBusy) << second.status().ToString();
  EXPECT_NE(second.status().message().find(std::to_string(::getpid())), std::string::npos)
      << "Busy must name the holder's pid: " << second.status().ToString();

  ASSERT_OK_AND_ASSIGN(auto ro, OpenTestNamespace(dir_.path(), /*read_only=*/true));
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ro, "/held"));
  EXPECT_EQ(got, "by me");
  EXPECT_FALSE(PublishString(*ro, "/ro-write", "x").ok()) << "read_only namespace accepted a write";
  EXPECT_FALSE(ro->Mkdir("/ro-dir", false, {}).ok());
  EXPECT_FALSE(ro->Remove("/held", false, Precondition::None(), {}).ok());
  EXPECT_CODE(ns().Stat("/ro-write", {}), Code::kNotFound);

  // Once the writer closes, another writer may open (a reader does not block it).
  ns_.reset();
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_OK_AND_ASSIGN(got, ReadWholeFile(ns(), "/held"));
  EXPECT_EQ(got, "by me");
}

TEST(SecondWriterTest, OtherProcessHoldingTheDirIsNamed) {
  TempDir dir("nokv-busy");
  std::string data_dir = dir.Sub("data");
  auto proc =
      Subprocess::Start({NOKV_CRASH_WRITER_PATH, data_dir, "5", "hold"}, dir.Sub("writer.stderr"));
  ASSERT_OK(proc);
  auto held = (*proc)->WaitForLine("HELD", 30000);
  ASSERT_TRUE(held.has_value()) << "writer did not start; stdout: " << (*proc)->output()
                                << "\nstderr: " << ReadLocalFile(dir.Sub("writer.stderr"));
  pid_t pid = (*proc)->pid();

  auto second = OpenTestNamespace(data_dir);
  ASSERT_FALSE(second.ok()) << "a second process opened the data dir for writing";
  EXPECT_EQ(second.status().code(), Code::kBusy) << second.status().ToString();
  EXPECT_NE(second.status().message().find(std::to_string(pid)), std::string::npos)
      << "Busy must name the holder's pid " << pid << ": " << second.status().ToString();

  {
    ASSERT_OK_AND_ASSIGN(auto ro, OpenTestNamespace(data_dir, /*read_only=*/true));
    ASSERT_OK_AND_ASSIGN(FileInfo fi, ro->Stat("/held/5", {}));
    EXPECT_EQ(fi.kind, FileKind::kFile);
    EXPECT_FALSE(PublishString(*ro, "/x", "x").ok());
  }

  (*proc)->CloseStdin();
  auto status = (*proc)->Wait(30000);
  ASSERT_TRUE(status.has_value()) << "holder did not exit when its stdin closed";
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << "holder exit status " << *status
      << "; stderr: " << ReadLocalFile(dir.Sub("writer.stderr"));
  ASSERT_OK_AND_ASSIGN(auto ns, OpenTestNamespace(data_dir));
  ASSERT_OK_AND_ASSIGN(FileInfo fi, ns->Stat("/held/5", {}));
  EXPECT_EQ(fi.generation, 1u);
}

}  // namespace
}  // namespace nokv::test
