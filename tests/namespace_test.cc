// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Focused tests of the Namespace API contract (include/nokv/namespace.h) and
// of the local BlockStore (include/nokv/block_store.h).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/block_store.h"
#include "nokv/byte_source.h"
#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

constexpr uint64_t kInl = kTestInlineThreshold;
constexpr uint64_t kBlk = kTestBlockSize;

uint64_t ExpectedBlocks(uint64_t size) { return size <= kInl ? 0 : (size + kBlk - 1) / kBlk; }

class NamespaceTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }

  void Reopen() {
    ns_.reset();
    ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
  }

  Namespace& ns() { return *ns_; }
  size_t BlockFiles() const { return ListRegularFiles(BlocksDir(dir_.path())).size(); }

  // Publishes and checks the result describes what was published.
  PublishResult Put(const std::string& path, const std::string& data,
                    Precondition pre = Precondition::None()) {
    auto r = PublishString(ns(), path, data, pre);
    EXPECT_TRUE(r.ok()) << "publish " << path << ": " << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_EQ(r->files.size(), 1u);
    if (r->files.size() == 1) {
      EXPECT_EQ(r->files[0].path, path);
      EXPECT_EQ(r->files[0].size, data.size());
      EXPECT_EQ(r->files[0].sha256_hex, Sha256Hex(data));
    }
    return std::move(r).value();
  }

  FileInfo StatOrDie(const std::string& path, uint64_t version = 0) {
    auto r = ns().Stat(path, ReadOptions{version});
    EXPECT_TRUE(r.ok()) << "stat " << path << ": " << r.status().ToString();
    return r.ok() ? *r : FileInfo{};
  }

  std::string ReadOrDie(const std::string& path, uint64_t version = 0) {
    auto r = ReadWholeFile(ns(), path, version);
    EXPECT_TRUE(r.ok()) << "read " << path << ": " << r.status().ToString();
    return r.ok() ? *r : std::string();
  }

  std::vector<std::string> Names(const std::string& dir, uint64_t version = 0) {
    auto r = ListAll(ns(), dir, version);
    EXPECT_TRUE(r.ok()) << "list " << dir << ": " << r.status().ToString();
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& e : *r) out.push_back(e.name);
    }
    return out;
  }

  TempDir dir_{"nokv-ns"};
  std::unique_ptr<Namespace> ns_;
};

// ---------------------------------------------------------------- publish / read

TEST_F(NamespaceTest, RoundTripAtBoundarySizes) {
  Rng rng(1);
  const std::vector<uint64_t> sizes = {
      0,    1,        kInl - 1, kInl,          kInl + 1,     kBlk - 1,
      kBlk, kBlk + 1, 2 * kBlk, 3 * kBlk + 17, 10 * kBlk + 1};
  std::map<std::string, std::string> bodies;
  for (uint64_t size : sizes) {
    SCOPED_TRACE("size " + std::to_string(size));
    std::string path = "/sizes/s" + std::to_string(size);
    std::string data = rng.Bytes(size);
    PublishResult r = Put(path, data);
    ASSERT_EQ(r.files.size(), 1u);
    const FileInfo& fi = r.files[0];
    EXPECT_EQ(fi.kind, FileKind::kFile);
    EXPECT_EQ(fi.generation, 1u);
    EXPECT_EQ(fi.version, r.version);
    EXPECT_EQ(fi.is_inline, size <= kInl);
    EXPECT_EQ(fi.block_count, ExpectedBlocks(size));
    FileInfo st = StatOrDie(path);
    EXPECT_EQ(st.path, path);
    EXPECT_EQ(st.size, size);
    EXPECT_EQ(st.ino, fi.ino);
    EXPECT_EQ(st.generation, 1u);
    EXPECT_EQ(st.is_inline, size <= kInl);
    EXPECT_EQ(st.block_count, ExpectedBlocks(size));
    EXPECT_EQ(st.sha256_hex, Sha256Hex(data));
    EXPECT_TRUE(ReadOrDie(path) == data);
    ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile(path, ReadOptions{}));
    EXPECT_EQ(reader->info().size, size);
    EXPECT_EQ(reader->info().ino, fi.ino);
    std::string all;
    ASSERT_OK(reader->ReadAt(0, size + 10, &all));
    EXPECT_TRUE(all == data);
    bodies[path] = data;
  }
  // Exactly the non-inline bodies' blocks are in the store.
  uint64_t blocks = 0;
  for (uint64_t s : sizes) blocks += ExpectedBlocks(s);
  EXPECT_EQ(BlockFiles(), blocks);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  for (const auto& [path, data] : bodies) EXPECT_TRUE(ReadOrDie(path) == data) << path;
}

TEST_F(NamespaceTest, Sha256OfKnownStrings) {
  Put("/abc", "abc");
  EXPECT_EQ(StatOrDie("/abc").sha256_hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Put("/empty", "");
  EXPECT_EQ(StatOrDie("/empty").sha256_hex,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(StatOrDie("/empty").size, 0u);
  EXPECT_EQ(ReadOrDie("/empty"), "");
  // The digest covers the whole multi-block body.
  std::string big = RandomSourceBytes(9, 5 * kBlk + 3);
  Put("/big", big);
  EXPECT_EQ(StatOrDie("/big").sha256_hex, Sha256Hex(big));
}

TEST_F(NamespaceTest, ExplicitContentTypeIsKept) {
  std::vector<PublishItem> items;
  items.push_back(MakeItem("/t/data.weird", "hello"));
  items[0].content_type = "application/x-nokv-test";
  ASSERT_OK(ns().Publish(std::move(items), {}));
  EXPECT_EQ(StatOrDie("/t/data.weird").content_type, "application/x-nokv-test");
}

TEST_F(NamespaceTest, MultiFilePublishCommitsAtOneVersion) {
  Rng rng(2);
  uint64_t before = ns().LastVersion();
  std::vector<std::string> data = {rng.Bytes(100), rng.Bytes(3 * kBlk + 5), rng.Bytes(kBlk)};
  std::vector<PublishItem> items;
  for (size_t i = 0; i < data.size(); ++i) {
    items.push_back(MakeItem("/ckpt/shard-" + std::to_string(i), data[i]));
  }
  PublishOptions po;
  po.directories = {"/ckpt/empty", "/other/deep/dir"};
  ASSERT_OK_AND_ASSIGN(PublishResult r, ns().Publish(std::move(items), po));
  EXPECT_FALSE(r.replayed);
  EXPECT_GT(r.version, before);
  EXPECT_EQ(ns().LastVersion(), r.version);
  ASSERT_EQ(r.files.size(), 3u);
  for (size_t i = 0; i < data.size(); ++i) {
    std::string path = "/ckpt/shard-" + std::to_string(i);
    EXPECT_EQ(r.files[i].path, path);
    EXPECT_EQ(r.files[i].version, r.version);
    EXPECT_EQ(StatOrDie(path).version, r.version);
    EXPECT_TRUE(ReadOrDie(path) == data[i]);
    // Nothing of the commit is visible just before it (version 0 means newest).
    if (r.version > 1) {
      EXPECT_CODE(ns().Stat(path, ReadOptions{r.version - 1}), Code::kNotFound);
    }
  }
  EXPECT_EQ(StatOrDie("/ckpt/empty").kind, FileKind::kDirectory);
  EXPECT_EQ(StatOrDie("/other/deep/dir").kind, FileKind::kDirectory);
  if (r.version > 1) {
    EXPECT_CODE(ns().Stat("/ckpt/empty", ReadOptions{r.version - 1}), Code::kNotFound);
  }
  EXPECT_EQ(Names("/ckpt"), (std::vector<std::string>{"empty", "shard-0", "shard-1", "shard-2"}));
}

TEST_F(NamespaceTest, FailedMultiFilePublishLeavesNothing) {
  Put("/m/existing", "old");
  Rng rng(3);
  std::vector<PublishItem> items;
  items.push_back(MakeItem("/m/new-a", rng.Bytes(2 * kBlk + 1)));
  items.push_back(MakeItem("/m/sub/new-b", rng.Bytes(5000)));
  items.push_back(MakeItem("/m/existing", "new", Precondition::Absent()));
  auto r = ns().Publish(std::move(items), {});
  ASSERT_FALSE(r.ok());
  EXPECT_CODE_IN(r, {Code::kAlreadyExists, Code::kConflict});
  EXPECT_CODE(ns().Stat("/m/new-a", {}), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/m/sub", {}), Code::kNotFound);
  EXPECT_EQ(ReadOrDie("/m/existing"), "old");
  EXPECT_EQ(StatOrDie("/m/existing").generation, 1u);
  EXPECT_EQ(Names("/m"), std::vector<std::string>{"existing"});
  // The failed upload leaves no pending intent and no stray objects behind.
  ASSERT_OK(ns().CleanupIntents());
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.pending_intents, 0u);
  EXPECT_EQ(fsck.orphan_objects, 0u);
  EXPECT_EQ(BlockFiles(), 0u) << "blocks of the failed publish were not removed";
}

TEST_F(NamespaceTest, PublishPreconditions) {
  ASSERT_OK(PublishString(ns(), "/p/f", "v1", Precondition::Absent()));
  EXPECT_CODE_IN(PublishString(ns(), "/p/f", "x", Precondition::Absent()),
                 {Code::kAlreadyExists, Code::kConflict});
  EXPECT_CODE_IN(PublishString(ns(), "/p/missing", "x", Precondition::Exists()),
                 {Code::kNotFound, Code::kConflict});
  EXPECT_CODE_IN(PublishString(ns(), "/p/missing", "x", Precondition::GenerationEquals(1)),
                 {Code::kNotFound, Code::kConflict});
  EXPECT_CODE(PublishString(ns(), "/p/f", "x", Precondition::GenerationEquals(2)), Code::kConflict);
  ASSERT_OK(PublishString(ns(), "/p/f", "v2", Precondition::GenerationEquals(1)));
  EXPECT_CODE(PublishString(ns(), "/p/f", "x", Precondition::GenerationEquals(1)), Code::kConflict);
  ASSERT_OK(PublishString(ns(), "/p/f", "v3", Precondition::Exists()));
  EXPECT_EQ(ReadOrDie("/p/f"), "v3");
  EXPECT_EQ(StatOrDie("/p/f").generation, 3u);
  EXPECT_CODE(ns().Stat("/p/missing", {}), Code::kNotFound);
}

TEST_F(NamespaceTest, PublishWithoutMakeParents) {
  PublishOptions po;
  po.make_parents = false;
  EXPECT_CODE(PublishString(ns(), "/np/x", "x", Precondition::None(), po), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/np", {}), Code::kNotFound);
  ASSERT_OK(ns().Mkdir("/np", false, {}));
  ASSERT_OK(PublishString(ns(), "/np/x", "x", Precondition::None(), po));
  EXPECT_EQ(ReadOrDie("/np/x"), "x");
}

TEST_F(NamespaceTest, PublishFromFileFdAndProgress) {
  std::string local = dir_.Sub("local.bin");
  std::string data = RandomSourceBytes(4, 4 * kBlk + 99);
  WriteLocalFile(local, data);
  ASSERT_OK_AND_ASSIGN(auto fsrc, FileSource(local));
  EXPECT_EQ(fsrc->SizeHint(), std::optional<uint64_t>(data.size()));
  std::vector<PublishItem> items;
  items.push_back({"/src/file", std::move(fsrc), "", Precondition::None()});
  uint64_t last_done = 0, last_total = 0;
  PublishOptions po;
  po.progress = [&](uint64_t done, uint64_t total) {
    EXPECT_GE(done, last_done) << "progress went backwards";
    last_done = done;
    last_total = total;
  };
  ASSERT_OK(ns().Publish(std::move(items), po));
  EXPECT_EQ(last_done, data.size());
  EXPECT_TRUE(last_total == data.size() || last_total == 0);
  EXPECT_TRUE(ReadOrDie("/src/file") == data);

  EXPECT_CODE(FileSource(dir_.Sub("no-such-file")), Code::kNotFound);

  // A pipe: size unknown in advance, fed from another thread.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::string piped = RandomSourceBytes(5, 3 * kBlk + 7);
  std::thread feeder([&] {
    size_t off = 0;
    while (off < piped.size()) {
      ssize_t n = write(fds[1], piped.data() + off, std::min<size_t>(1000, piped.size() - off));
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  std::vector<PublishItem> pitems;
  pitems.push_back({"/src/pipe", FdSource(fds[0]), "", Precondition::None()});
  EXPECT_FALSE(pitems[0].source->SizeHint().has_value());
  auto pr = ns().Publish(std::move(pitems), {});
  feeder.join();
  close(fds[0]);
  ASSERT_OK(pr);
  EXPECT_TRUE(ReadOrDie("/src/pipe") == piped);
  EXPECT_EQ(StatOrDie("/src/pipe").block_count, ExpectedBlocks(piped.size()));
  // A generated source whose size is unknown.
  std::vector<PublishItem> gitems;
  gitems.push_back({"/src/gen", RandomSource(6, 2 * kBlk, false), "", Precondition::None()});
  ASSERT_OK(ns().Publish(std::move(gitems), {}));
  EXPECT_TRUE(ReadOrDie("/src/gen") == RandomSourceBytes(6, 2 * kBlk));
}

// ---------------------------------------------------------------- ReadAt

TEST_F(NamespaceTest, ReadAtRanges) {
  Rng rng(5);
  std::string big = rng.Bytes(3 * kBlk + 100);
  std::string small = rng.Bytes(700);
  Put("/r/big", big);
  Put("/r/small", small);
  for (const auto& [path, body] : {std::pair{"/r/big", &big}, std::pair{"/r/small", &small}}) {
    SCOPED_TRACE(path);
    const std::string& b = *body;
    ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile(path, {}));
    auto check = [&](uint64_t off, uint64_t len) {
      std::string out;
      Status st = reader->ReadAt(off, len, &out);
      ASSERT_TRUE(st.ok()) << "ReadAt(" << off << ", " << len << "): " << st.ToString();
      std::string want = off >= b.size() ? "" : b.substr(off, len);
      EXPECT_TRUE(out == want) << "ReadAt(" << off << ", " << len << ") returned " << out.size()
                               << " bytes, want " << want.size();
    };
    check(0, b.size());
    check(0, 0);
    check(0, 1);
    check(b.size() - 1, 1);
    check(b.size() - 5, 100);       // short read at the end
    check(b.size(), 10);            // exactly at the end
    check(b.size() + 100, 10);      // past the end
    check(kBlk - 10, 20);           // across a block boundary
    check(kBlk - 1, 2 * kBlk + 2);  // across three blocks
    check(kBlk, kBlk);              // exactly one block
    for (int i = 0; i < 200; ++i) check(rng.Uniform(b.size() + 3), rng.Uniform(2 * kBlk));
  }
}

// ---------------------------------------------------------------- List

TEST_F(NamespaceTest, ListPagesArePinnedToOneVersion) {
  std::vector<PublishItem> items;
  std::vector<std::string> names;
  for (int i = 0; i < 25; ++i) {
    char name[8];
    snprintf(name, sizeof(name), "f%02d", i);
    names.push_back(name);
    items.push_back(MakeItem(std::string("/dir/") + name, std::string(i, 'x')));
  }
  ASSERT_OK_AND_ASSIGN(PublishResult created, ns().Publish(std::move(items), {}));

  ListOptions lo;
  lo.limit = 7;
  lo.with_attrs = true;
  ASSERT_OK_AND_ASSIGN(ListPage first, ns().List("/dir", lo));
  ASSERT_EQ(first.entries.size(), 7u);
  ASSERT_FALSE(first.next_cursor.empty());
  EXPECT_EQ(first.version, created.version);
  for (size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(first.entries[i].name, names[i]);
    EXPECT_EQ(first.entries[i].kind, FileKind::kFile);
    EXPECT_EQ(first.entries[i].size, i);
    EXPECT_EQ(first.entries[i].generation, 1u);
  }
  // Changes between pages must not show up in later pages of this listing.
  ASSERT_OK(PublishString(ns(), "/dir/f99", "new"));
  ASSERT_OK(PublishString(ns(), "/dir/f08x", "new"));
  ASSERT_OK(ns().Remove("/dir/f20", false, Precondition::None(), {}));
  ASSERT_OK(ns().Rename("/dir/f21", "/dir/f21-moved", false, {}));

  std::vector<std::string> seen;
  for (const auto& e : first.entries) seen.push_back(e.name);
  std::string cursor = first.next_cursor;
  int pages = 1;
  while (!cursor.empty()) {
    ListOptions next;
    next.limit = 7;
    next.cursor = cursor;
    ASSERT_OK_AND_ASSIGN(ListPage page, ns().List("/dir", next));
    EXPECT_EQ(page.version, first.version) << "page " << pages << " left the pinned version";
    EXPECT_LE(page.entries.size(), 7u);
    for (const auto& e : page.entries) seen.push_back(e.name);
    cursor = page.next_cursor;
    ASSERT_LT(++pages, 100) << "listing does not terminate";
  }
  EXPECT_EQ(seen, names);
  EXPECT_EQ(pages, 4);

  std::vector<std::string> now = Names("/dir");
  EXPECT_TRUE(std::count(now.begin(), now.end(), "f99"));
  EXPECT_TRUE(std::count(now.begin(), now.end(), "f08x"));
  EXPECT_TRUE(std::count(now.begin(), now.end(), "f21-moved"));
  EXPECT_FALSE(std::count(now.begin(), now.end(), "f20"));
  EXPECT_FALSE(std::count(now.begin(), now.end(), "f21"));
  EXPECT_TRUE(std::is_sorted(now.begin(), now.end()));
  // An explicit old version lists the old directory, page by page.
  auto old = ListAll(ns(), "/dir", created.version, 4);
  ASSERT_OK(old);
  std::vector<std::string> old_names;
  for (const auto& e : *old) old_names.push_back(e.name);
  EXPECT_EQ(old_names, names);
  // Pages of one entry.
  auto ones = ListAll(ns(), "/dir", 0, 1);
  ASSERT_OK(ones);
  EXPECT_EQ(ones->size(), now.size());
}

TEST_F(NamespaceTest, ListErrorsAndRoot) {
  ASSERT_OK_AND_ASSIGN(ListPage empty, ns().List("/", {}));
  EXPECT_TRUE(empty.entries.empty());
  EXPECT_TRUE(empty.next_cursor.empty());
  Put("/file", "x");
  EXPECT_CODE(ns().List("/file", {}), Code::kNotDirectory);
  EXPECT_CODE(ns().List("/missing", {}), Code::kNotFound);
  EXPECT_CODE(ns().List("/file/below", {}), Code::kNotDirectory);
  ListOptions bad;
  bad.cursor = "this is not a cursor";
  EXPECT_FALSE(ns().List("/", bad).ok()) << "a garbage cursor must be rejected";
  ASSERT_OK_AND_ASSIGN(ListPage root, ns().List("/", {}));
  ASSERT_EQ(root.entries.size(), 1u);
  EXPECT_EQ(root.entries[0].name, "file");
  FileInfo r = StatOrDie("/");
  EXPECT_EQ(r.kind, FileKind::kDirectory);
  EXPECT_EQ(r.ino, kRootInode);
  EXPECT_EQ(r.path, "/");
  EXPECT_EQ(r.child_count, 1u);
}

// ---------------------------------------------------------------- Stat

TEST_F(NamespaceTest, StatFieldsAcrossReplaces) {
  PublishResult r1 = Put("/s/f", "one");
  FileInfo s1 = StatOrDie("/s/f");
  EXPECT_EQ(s1.generation, 1u);
  EXPECT_EQ(s1.version, r1.version);
  EXPECT_GT(s1.ctime_ns, 0);
  EXPECT_GE(s1.mtime_ns, s1.ctime_ns);
  EXPECT_TRUE(s1.is_inline);
  EXPECT_EQ(s1.block_count, 0u);

  std::string two = RandomSourceBytes(7, 2 * kBlk + 1);
  PublishResult r2 = Put("/s/f", two);
  FileInfo s2 = StatOrDie("/s/f");
  EXPECT_GT(r2.version, r1.version);
  EXPECT_EQ(s2.generation, 2u);
  EXPECT_EQ(s2.version, r2.version);
  EXPECT_EQ(s2.ino, s1.ino) << "replace must keep the inode";
  EXPECT_EQ(s2.ctime_ns, s1.ctime_ns);
  EXPECT_GE(s2.mtime_ns, s1.mtime_ns);
  EXPECT_NE(s2.body_id, 0u);
  EXPECT_NE(s2.body_id, s1.body_id);
  EXPECT_FALSE(s2.is_inline);
  EXPECT_EQ(s2.block_count, 3u);
  EXPECT_EQ(s2.size, two.size());

  PublishResult r3 = Put("/s/f", "three");
  EXPECT_EQ(StatOrDie("/s/f").generation, 3u);
  EXPECT_GT(r3.version, r2.version);

  // Older versions stay readable (MVCC).
  FileInfo old = StatOrDie("/s/f", r1.version);
  EXPECT_EQ(old.generation, 1u);
  EXPECT_EQ(old.size, 3u);
  EXPECT_EQ(ReadOrDie("/s/f", r1.version), "one");
  EXPECT_TRUE(ReadOrDie("/s/f", r2.version) == two);
  EXPECT_EQ(ReadOrDie("/s/f", r3.version), "three");
  if (r1.version > 1) {  // version 0 would mean "newest"
    EXPECT_CODE(ns().Stat("/s/f", ReadOptions{r1.version - 1}), Code::kNotFound);
    EXPECT_CODE(ns().OpenFile("/s/f", ReadOptions{r1.version - 1}), Code::kNotFound);
  }

  // Directories.
  FileInfo d = StatOrDie("/s");
  EXPECT_EQ(d.kind, FileKind::kDirectory);
  EXPECT_EQ(d.generation, 0u);
  EXPECT_EQ(d.size, 0u);
  EXPECT_EQ(d.child_count, 1u);
  EXPECT_EQ(d.path, "/s");
  // Paths are reported normalized.
  EXPECT_EQ(StatOrDie("//s///f/").path, "/s/f");
  EXPECT_CODE(ns().OpenFile("/s", {}), Code::kIsDirectory);
}

TEST_F(NamespaceTest, LastVersionIsMonotonic) {
  uint64_t v = ns().LastVersion();
  auto bump = [&](uint64_t got) {
    EXPECT_GT(got, v);
    EXPECT_EQ(ns().LastVersion(), got);
    v = got;
  };
  bump(Put("/v/a", "a").version);
  ASSERT_OK_AND_ASSIGN(auto m, ns().Mkdir("/v/d", false, {}));
  bump(m.version);
  ASSERT_OK_AND_ASSIGN(auto mv, ns().Rename("/v/a", "/v/b", false, {}));
  bump(mv.version);
  ASSERT_OK_AND_ASSIGN(auto cp, ns().Copy("/v/b", "/v/c", {}));
  bump(cp.version);
  ASSERT_OK_AND_ASSIGN(auto rm, ns().Remove("/v/b", false, Precondition::None(), {}));
  bump(rm.version);
  // Reads and failed mutations do not go backwards.
  EXPECT_FALSE(ns().Remove("/v/b", false, Precondition::None(), {}).ok());
  EXPECT_GE(ns().LastVersion(), v);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_GE(ns().LastVersion(), v);
  bump(Put("/v/e", "e").version);
}

// ---------------------------------------------------------------- idempotency

TEST_F(NamespaceTest, GcForgetsIdempotencyKeysAfterTheirWindow) {
  PublishOptions po;
  po.idempotency_key = "nightly-7";
  ASSERT_OK_AND_ASSIGN(PublishResult first,
                       PublishString(ns(), "/k/f", "first", Precondition::None(), po));
  // Within the window (default one day) GC keeps the key: a retry replays.
  ASSERT_OK_AND_ASSIGN(GcReport kept, ns().CollectGarbage(GcOptions{}));
  EXPECT_EQ(kept.idempotency_trimmed, 0u);
  ASSERT_OK_AND_ASSIGN(PublishResult retry,
                       PublishString(ns(), "/k/f", "first", Precondition::None(), po));
  EXPECT_TRUE(retry.replayed);
  // A dry run counts without forgetting.
  GcOptions zero;
  zero.idempotency_retention_seconds = 0;
  zero.dry_run = true;
  ASSERT_OK_AND_ASSIGN(GcReport dry, ns().CollectGarbage(zero));
  EXPECT_EQ(dry.idempotency_trimmed, 1u);
  ASSERT_OK_AND_ASSIGN(retry, PublishString(ns(), "/k/f", "first", Precondition::None(), po));
  EXPECT_TRUE(retry.replayed);
  // Past the window the key is forgotten, in steps of at most step_budget
  // records, and the same key publishes anew.
  for (int i = 0; i < 5; ++i) {
    PublishOptions other;
    other.idempotency_key = "other-" + std::to_string(i);
    ASSERT_OK(PublishString(ns(), "/k/o" + std::to_string(i), "x", Precondition::None(), other));
  }
  zero.dry_run = false;
  zero.step_budget = 2;
  ASSERT_OK_AND_ASSIGN(GcReport trimmed, ns().CollectGarbage(zero));
  EXPECT_EQ(trimmed.idempotency_trimmed, 6u);
  EXPECT_TRUE(trimmed.finished);
  ASSERT_OK_AND_ASSIGN(PublishResult anew,
                       PublishString(ns(), "/k/f", "third", Precondition::None(), po));
  EXPECT_FALSE(anew.replayed);
  EXPECT_GT(anew.version, first.version);
  EXPECT_EQ(ReadOrDie("/k/f"), "third");
  ASSERT_OK_AND_ASSIGN(GcReport again, ns().CollectGarbage(GcOptions{}));
  EXPECT_EQ(again.idempotency_trimmed, 0u) << "the new record is within its window";
}

TEST_F(NamespaceTest, IdempotencyKeyReplaysTheFirstResult) {
  PublishOptions po;
  po.idempotency_key = "upload-42";
  ASSERT_OK_AND_ASSIGN(PublishResult first,
                       PublishString(ns(), "/i/f", "first", Precondition::None(), po));
  EXPECT_FALSE(first.replayed);
  ASSERT_OK_AND_ASSIGN(PublishResult again,
                       PublishString(ns(), "/i/f", "first", Precondition::None(), po));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.version, first.version);
  ASSERT_EQ(again.files.size(), 1u);
  EXPECT_EQ(again.files[0].generation, 1u);
  EXPECT_EQ(again.files[0].sha256_hex, Sha256Hex("first"));
  EXPECT_EQ(ns().LastVersion(), first.version) << "a replay must not commit";
  EXPECT_EQ(StatOrDie("/i/f").generation, 1u);
  EXPECT_EQ(ReadOrDie("/i/f"), "first");

  // The key with other bytes, or at another path, is not a retry: a conflict,
  // and the new bytes are not silently dropped behind a "replayed".
  auto other_body = PublishString(ns(), "/i/f", "second", Precondition::None(), po);
  EXPECT_EQ(other_body.status().code(), Code::kConflict) << other_body.status().ToString();
  auto other_path = PublishString(ns(), "/i/g", "first", Precondition::None(), po);
  EXPECT_EQ(other_path.status().code(), Code::kConflict) << other_path.status().ToString();
  EXPECT_EQ(ns().LastVersion(), first.version);
  EXPECT_EQ(ReadOrDie("/i/f"), "first");

  // Without the key the same publish is a new generation.
  PublishResult plain = Put("/i/f", "third");
  EXPECT_EQ(StatOrDie("/i/f").generation, 2u);
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(PublishResult later,
                       PublishString(ns(), "/i/f", "first", Precondition::None(), po));
  EXPECT_TRUE(later.replayed) << "idempotency keys must survive a reopen";
  EXPECT_EQ(later.version, first.version);
  EXPECT_EQ(ns().LastVersion(), plain.version);
  EXPECT_EQ(ReadOrDie("/i/f"), "third");

  // Mutations.
  MutationOptions mo;
  mo.idempotency_key = "mkdir-1";
  ASSERT_OK_AND_ASSIGN(MutationResult mk, ns().Mkdir("/i/d", false, mo));
  EXPECT_FALSE(mk.replayed);
  ASSERT_OK_AND_ASSIGN(MutationResult mk2, ns().Mkdir("/i/d", false, mo));
  EXPECT_TRUE(mk2.replayed) << "a retried mkdir must not fail with already_exists";
  EXPECT_EQ(mk2.version, mk.version);
  mo.idempotency_key = "rm-1";
  ASSERT_OK_AND_ASSIGN(MutationResult rm, ns().Remove("/i/d", false, Precondition::None(), mo));
  ASSERT_OK_AND_ASSIGN(MutationResult rm2, ns().Remove("/i/d", false, Precondition::None(), mo));
  EXPECT_TRUE(rm2.replayed);
  EXPECT_EQ(rm2.version, rm.version);
  mo.idempotency_key = "mv-1";
  ASSERT_OK_AND_ASSIGN(MutationResult mv, ns().Rename("/i/f", "/i/g", false, mo));
  ASSERT_OK_AND_ASSIGN(MutationResult mv2, ns().Rename("/i/f", "/i/g", false, mo));
  EXPECT_TRUE(mv2.replayed);
  EXPECT_EQ(mv2.version, mv.version);
  EXPECT_EQ(ReadOrDie("/i/g"), "third");
}

TEST_F(NamespaceTest, IdempotencyKeyOfAnotherOperationIsNotAReplay) {
  // A retry repeats the same request. A different operation that happens to
  // carry a used key is not a retry: replaying the other operation's result
  // would report success for something that never happened.
  MutationOptions mo;
  mo.idempotency_key = "shared-key";
  ASSERT_OK(ns().Mkdir("/k/dir", true, mo));
  PublishOptions po;
  po.idempotency_key = "shared-key";
  auto pub = PublishString(ns(), "/k/file", "x", Precondition::None(), po);
  if (pub.ok()) {
    EXPECT_EQ(pub->files.size(), 1u) << "PublishResult::files must have one entry per item";
    EXPECT_OK(ns().Stat("/k/file", {}))
        << "publish reported success (replayed=" << pub->replayed << ") but /k/file does not exist";
  }
  ASSERT_OK(PublishString(ns(), "/k/src", "s"));
  auto cp = ns().Copy("/k/src", "/k/dst", mo);
  if (cp.ok()) {
    EXPECT_OK(ns().Stat("/k/dst", {}))
        << "copy reported success (replayed=" << cp->replayed << ") but /k/dst does not exist";
  }
}

TEST_F(NamespaceTest, DuplicatePathsInOnePublishAreRejected) {
  std::vector<PublishItem> items;
  items.push_back(MakeItem("/dup/f", "a"));
  items.push_back(MakeItem("/dup/f", "b"));
  EXPECT_CODE(ns().Publish(std::move(items), {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/dup", {}), Code::kNotFound);
  std::vector<PublishItem> spelled;
  spelled.push_back(MakeItem("/dup/f", "a"));
  spelled.push_back(MakeItem("//dup//f/", "b"));  // the same path, spelled differently
  EXPECT_CODE(ns().Publish(std::move(spelled), {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Stat("/dup", {}), Code::kNotFound);
}

// A source that fails after a few blocks, like a local disk read error.
class FailingSource : public ByteSource {
 public:
  explicit FailingSource(size_t good_bytes) : left_(good_bytes) {}
  Result<size_t> Read(char* buf, size_t n) override {
    if (left_ == 0) return Status::IOError("simulated read error of the source");
    size_t k = std::min(n, left_);
    std::memset(buf, 'x', k);
    left_ -= k;
    return k;
  }
  std::optional<uint64_t> SizeHint() const override { return std::nullopt; }

 private:
  size_t left_;
};

TEST_F(NamespaceTest, FailingSourcePublishesNothing) {
  Put("/fs/keep", "keep");
  std::vector<PublishItem> items;
  items.push_back(MakeItem("/fs/ok", RandomSourceBytes(1, 2 * kBlk)));
  items.push_back(
      {"/fs/bad", std::make_unique<FailingSource>(3 * kBlk + 10), "", Precondition::None()});
  auto r = ns().Publish(std::move(items), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("simulated read error"), std::string::npos)
      << "the source's error is lost: " << r.status().ToString();
  EXPECT_CODE(ns().Stat("/fs/ok", {}), Code::kNotFound);
  EXPECT_CODE(ns().Stat("/fs/bad", {}), Code::kNotFound);
  EXPECT_EQ(Names("/fs"), std::vector<std::string>{"keep"});
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(false));
  EXPECT_EQ(fsck.pending_intents, 0u) << "a failed publish must drop its intent";
  EXPECT_EQ(BlockFiles(), 0u) << "a failed publish must remove the blocks it wrote";
}

TEST_F(NamespaceTest, ReaderKeepsItsGeneration) {
  std::string one = RandomSourceBytes(1, 3 * kBlk + 1);
  Put("/pin", one);
  ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile("/pin", {}));
  Put("/pin", RandomSourceBytes(2, 2 * kBlk));
  ASSERT_OK(ns().Remove("/pin", false, Precondition::None(), {}));
  EXPECT_EQ(reader->info().generation, 1u);
  std::string out;
  ASSERT_OK(reader->ReadAt(kBlk - 3, kBlk, &out));
  EXPECT_TRUE(out == one.substr(kBlk - 3, kBlk));
  std::string all;
  ASSERT_OK(reader->ReadAll([&](std::string_view c) {
    all.append(c);
    return Status::OK();
  }));
  EXPECT_TRUE(all == one);
}

TEST_F(NamespaceTest, SinkErrorStopsReadAll) {
  Put("/sink", RandomSourceBytes(3, 4 * kBlk));
  ASSERT_OK_AND_ASSIGN(auto reader, ns().OpenFile("/sink", {}));
  int calls = 0;
  Status st = reader->ReadAll([&](std::string_view) {
    ++calls;
    return Status::Conflict("consumer is full");
  });
  EXPECT_EQ(st.code(), Code::kConflict) << st.ToString();
  EXPECT_EQ(calls, 1) << "streaming must stop at the first sink error";
}

TEST_F(NamespaceTest, VersionsAndCursorsAreValidated) {
  Put("/a/x", "x");
  Put("/a/y", "y");
  Put("/b/x", "x");
  uint64_t last = ns().LastVersion();
  EXPECT_FALSE(ns().Stat("/a/x", ReadOptions{last + 1000}).ok())
      << "a version that was never committed must not be readable";
  ListOptions future;
  future.version = last + 1000;
  EXPECT_FALSE(ns().List("/a", future).ok());
  ListOptions lo;
  lo.limit = 1;
  ASSERT_OK_AND_ASSIGN(ListPage page, ns().List("/a", lo));
  ASSERT_FALSE(page.next_cursor.empty());
  ListOptions other;
  other.cursor = page.next_cursor;
  EXPECT_FALSE(ns().List("/b", other).ok()) << "a cursor of /a must not page through /b";
  // A removed file stays readable at the versions where it existed.
  ASSERT_OK(ns().Remove("/a", true, Precondition::None(), {}));
  EXPECT_CODE(ns().Stat("/a/x", {}), Code::kNotFound);
  EXPECT_EQ(ReadOrDie("/a/x", last), "x");
  EXPECT_EQ(Names("/a", last), (std::vector<std::string>{"x", "y"}));
}

TEST_F(NamespaceTest, LargeDirectoryPagesWithTheDefaultLimit) {
  constexpr int kEntries = 2500;
  std::vector<PublishItem> items;
  for (int i = 0; i < kEntries; ++i) {
    items.push_back(MakeItem("/big/e" + std::to_string(i), std::to_string(i)));
  }
  ASSERT_OK(ns().Publish(std::move(items), {}));
  ASSERT_OK_AND_ASSIGN(ListPage first, ns().List("/big", {}));
  EXPECT_EQ(first.entries.size(), 1000u);
  EXPECT_FALSE(first.next_cursor.empty());
  std::vector<std::string> names = Names("/big");
  EXPECT_EQ(names.size(), size_t{kEntries});
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), size_t{kEntries});
  EXPECT_EQ(StatOrDie("/big").child_count, uint64_t{kEntries});
}

// ---------------------------------------------------------------- copy / rename

TEST_F(NamespaceTest, CopySharesTheBody) {
  std::string data = RandomSourceBytes(11, 5 * kBlk + 12);
  Put("/c/src", data);
  size_t objects = BlockFiles();
  EXPECT_EQ(objects, 6u);
  FileInfo src = StatOrDie("/c/src");
  ASSERT_OK_AND_ASSIGN(MutationResult r, ns().Copy("/c/src", "/c/dst", {}));
  FileInfo dst = StatOrDie("/c/dst");
  EXPECT_EQ(BlockFiles(), objects) << "copy must not copy bytes";
  EXPECT_EQ(dst.sha256_hex, src.sha256_hex);
  EXPECT_EQ(dst.size, src.size);
  EXPECT_EQ(dst.block_count, src.block_count);
  EXPECT_NE(dst.ino, src.ino);
  EXPECT_EQ(dst.version, r.version);
  EXPECT_TRUE(ReadOrDie("/c/dst") == data);
  // The copy is independent of later changes to the source.
  Put("/c/src", "replaced");
  EXPECT_TRUE(ReadOrDie("/c/dst") == data);
  ASSERT_OK(ns().Remove("/c/src", false, Precondition::None(), {}));
  EXPECT_TRUE(ReadOrDie("/c/dst") == data);

  // Directory trees.
  Put("/tree/a", "A");
  Put("/tree/sub/b", data);
  ASSERT_OK(ns().Mkdir("/tree/empty", false, {}));
  size_t before = BlockFiles();
  ASSERT_OK(ns().Copy("/tree", "/tree2", {}));
  EXPECT_EQ(BlockFiles(), before);
  EXPECT_EQ(ReadOrDie("/tree2/a"), "A");
  EXPECT_TRUE(ReadOrDie("/tree2/sub/b") == data);
  EXPECT_EQ(StatOrDie("/tree2/empty").kind, FileKind::kDirectory);
  EXPECT_EQ(Names("/tree2"), Names("/tree"));
  EXPECT_NE(StatOrDie("/tree2/sub").ino, StatOrDie("/tree/sub").ino);

  EXPECT_CODE(ns().Copy("/tree/a", "/tree2/a", {}), Code::kAlreadyExists);
  EXPECT_CODE(ns().Copy("/tree/missing", "/tree2/x", {}), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.orphan_objects, 0u);
}

TEST_F(NamespaceTest, RenameKeepsInodes) {
  Put("/mv/a", "AAA");
  Put("/mv/dir/x", "X");
  FileInfo a = StatOrDie("/mv/a");
  FileInfo dir = StatOrDie("/mv/dir");
  FileInfo x = StatOrDie("/mv/dir/x");

  ASSERT_OK(ns().Rename("/mv/a", "/mv/b", false, {}));
  EXPECT_CODE(ns().Stat("/mv/a", {}), Code::kNotFound);
  FileInfo b = StatOrDie("/mv/b");
  EXPECT_EQ(b.ino, a.ino);
  EXPECT_EQ(b.generation, a.generation);
  EXPECT_EQ(b.sha256_hex, a.sha256_hex);
  EXPECT_EQ(ReadOrDie("/mv/b"), "AAA");

  ASSERT_OK(ns().Rename("/mv/dir", "/mv/dir2", false, {}));
  EXPECT_EQ(StatOrDie("/mv/dir2").ino, dir.ino);
  EXPECT_EQ(StatOrDie("/mv/dir2/x").ino, x.ino);
  EXPECT_EQ(ReadOrDie("/mv/dir2/x"), "X");
  EXPECT_CODE(ns().Stat("/mv/dir/x", {}), Code::kNotFound);

  // Onto an existing file: replaced, unless no_replace.
  Put("/mv/c", "CCC");
  EXPECT_CODE(ns().Rename("/mv/b", "/mv/c", true, {}), Code::kAlreadyExists);
  EXPECT_EQ(ReadOrDie("/mv/b"), "AAA");
  EXPECT_EQ(ReadOrDie("/mv/c"), "CCC");
  ASSERT_OK(ns().Rename("/mv/b", "/mv/c", false, {}));
  EXPECT_EQ(ReadOrDie("/mv/c"), "AAA");
  EXPECT_EQ(StatOrDie("/mv/c").ino, a.ino);
  EXPECT_CODE(ns().Stat("/mv/b", {}), Code::kNotFound);

  // Directory moves.
  EXPECT_CODE(ns().Rename("/mv/dir2", "/mv/dir2/inside", false, {}), Code::kInvalidArgument);
  EXPECT_CODE(ns().Rename("/mv/dir2", "/mv/dir2/x/y", false, {}), Code::kInvalidArgument);
  ASSERT_OK(ns().Mkdir("/mv/emptydir", false, {}));
  ASSERT_OK(ns().Rename("/mv/dir2", "/mv/emptydir", false, {}));
  EXPECT_EQ(StatOrDie("/mv/emptydir").ino, dir.ino);
  EXPECT_EQ(ReadOrDie("/mv/emptydir/x"), "X");
  Put("/mv/full/y", "Y");
  EXPECT_CODE_IN(ns().Rename("/mv/emptydir", "/mv/full", false, {}),
                 {Code::kNotEmpty, Code::kAlreadyExists});
  EXPECT_CODE_IN(ns().Rename("/mv/c", "/mv/full", false, {}),
                 {Code::kIsDirectory, Code::kAlreadyExists});
  EXPECT_CODE_IN(ns().Rename("/mv/full", "/mv/c", false, {}),
                 {Code::kNotDirectory, Code::kIsDirectory, Code::kAlreadyExists});
  EXPECT_CODE(ns().Rename("/mv/nope", "/mv/nope2", false, {}), Code::kNotFound);
  EXPECT_CODE(ns().Rename("/mv/c", "/mv/no/parent", false, {}), Code::kNotFound);
  // Onto itself: a no-op.
  ASSERT_OK(ns().Rename("/mv/c", "/mv/c", false, {}));
  EXPECT_EQ(ReadOrDie("/mv/c"), "AAA");
  EXPECT_EQ(Names("/mv"), (std::vector<std::string>{"c", "emptydir", "full"}));
}

TEST_F(NamespaceTest, MkdirAndRemoveSemantics) {
  ASSERT_OK(ns().Mkdir("/d1", false, {}));
  EXPECT_CODE(ns().Mkdir("/d1", false, {}), Code::kAlreadyExists);
  ASSERT_OK(ns().Mkdir("/d1", true, {}));
  EXPECT_CODE(ns().Mkdir("/x/y/z", false, {}), Code::kNotFound);
  ASSERT_OK(ns().Mkdir("/x/y/z", true, {}));
  EXPECT_EQ(StatOrDie("/x/y").kind, FileKind::kDirectory);
  Put("/f", "f");
  EXPECT_CODE(ns().Mkdir("/f/sub", true, {}), Code::kNotDirectory);
  EXPECT_CODE_IN(ns().Mkdir("/f", true, {}), {Code::kAlreadyExists, Code::kNotDirectory});
  EXPECT_CODE_IN(ns().Mkdir("/f", false, {}), {Code::kAlreadyExists, Code::kNotDirectory});

  EXPECT_CODE(ns().Remove("/x", false, Precondition::None(), {}), Code::kNotEmpty);
  EXPECT_EQ(StatOrDie("/x/y/z").kind, FileKind::kDirectory);
  EXPECT_CODE_IN(ns().Remove("/x", true, Precondition::DirectoryEmpty(), {}),
                 {Code::kConflict, Code::kNotEmpty});
  ASSERT_OK(ns().Remove("/x/y/z", false, Precondition::DirectoryEmpty(), {}));
  ASSERT_OK(ns().Remove("/x", true, Precondition::None(), {}));
  EXPECT_CODE(ns().Stat("/x/y", {}), Code::kNotFound);
  EXPECT_CODE(ns().Remove("/x", true, Precondition::None(), {}), Code::kNotFound);
  EXPECT_CODE(ns().Remove("/f", false, Precondition::GenerationEquals(2), {}), Code::kConflict);
  ASSERT_OK(ns().Remove("/f", false, Precondition::GenerationEquals(1), {}));
  EXPECT_CODE(ns().Stat("/f", {}), Code::kNotFound);
  EXPECT_EQ(Names("/"), std::vector<std::string>{"d1"});
}

// ---------------------------------------------------------------- concurrency

TEST_F(NamespaceTest, ConcurrentPublishesGetDistinctVersions) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<uint64_t>> versions(kThreads);
  std::vector<std::string> errors(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      for (int i = 0; i < kPerThread; ++i) {
        std::string path = "/conc/t" + std::to_string(t) + "/f" + std::to_string(i);
        std::string data = RandomSourceBytes(t * 1000 + i, (i % 3 == 0) ? 2 * kBlk + 5 : 100);
        auto r = PublishString(ns(), path, data);
        if (!r.ok()) {
          errors[t] = path + ": " + r.status().ToString();
          return;
        }
        versions[t].push_back(r->version);
        // The same path, replaced by everybody.
        auto s = PublishString(ns(), "/conc/shared", std::to_string(t));
        if (!s.ok()) {
          errors[t] = "shared: " + s.status().ToString();
          return;
        }
        versions[t].push_back(s->version);
      }
    });
  }
  go = true;
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(errors[t], "");
    EXPECT_TRUE(std::is_sorted(versions[t].begin(), versions[t].end()))
        << "versions seen by one thread went backwards";
    all.insert(versions[t].begin(), versions[t].end());
  }
  EXPECT_EQ(all.size(), size_t{kThreads * kPerThread * 2}) << "versions must be distinct";
  EXPECT_GE(ns().LastVersion(), *all.rbegin());
  EXPECT_EQ(StatOrDie("/conc/shared").generation, uint64_t{kThreads * kPerThread});
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; i += 7) {
      std::string path = "/conc/t" + std::to_string(t) + "/f" + std::to_string(i);
      EXPECT_TRUE(ReadOrDie(path) ==
                  RandomSourceBytes(t * 1000 + i, (i % 3 == 0) ? 2 * kBlk + 5 : 100));
    }
  }
}

TEST_F(NamespaceTest, GenerationPreconditionIsAtomicUnderContention) {
  Put("/counter", "0");
  constexpr int kThreads = 8;
  constexpr int kIncrements = 10;
  std::atomic<int> conflicts{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int done = 0; done < kIncrements;) {
        auto reader = ns().OpenFile("/counter", {});
        if (!reader.ok()) {
          errors[t] = reader.status().ToString();
          return;
        }
        uint64_t gen = (*reader)->info().generation;
        std::string value;
        Status st = (*reader)->ReadAll([&](std::string_view c) {
          value.append(c);
          return Status::OK();
        });
        if (!st.ok()) {
          errors[t] = st.ToString();
          return;
        }
        auto r = PublishString(ns(), "/counter", std::to_string(std::stoi(value) + 1),
                               Precondition::GenerationEquals(gen));
        if (r.ok()) {
          ++done;
        } else if (r.status().code() == Code::kConflict) {
          ++conflicts;
        } else {
          errors[t] = r.status().ToString();
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(ReadOrDie("/counter"), std::to_string(kThreads * kIncrements));
  EXPECT_EQ(StatOrDie("/counter").generation, uint64_t{kThreads * kIncrements + 1});
}

TEST_F(NamespaceTest, ConcurrentReadersSeeConsistentSnapshots) {
  Put("/ring/a/token", "t");
  ASSERT_OK(ns().Mkdir("/ring/b", false, {}));
  ASSERT_OK(ns().Mkdir("/sets", false, {}));
  std::atomic<bool> done{false};
  std::vector<std::string> errors(5);
  std::atomic<uint64_t> reads{0};
  std::vector<std::thread> threads;
  // Writer 1: moves one token back and forth between two directories.
  threads.emplace_back([&] {
    for (int i = 0; i < 150 && errors[0].empty(); ++i) {
      const char* from = i % 2 ? "/ring/b/token" : "/ring/a/token";
      const char* to = i % 2 ? "/ring/a/token" : "/ring/b/token";
      auto r = ns().Rename(from, to, true, {});
      if (!r.ok()) errors[0] = r.status().ToString();
    }
  });
  // Writer 2: publishes sets of three files in one commit each.
  threads.emplace_back([&] {
    for (int i = 0; i < 60 && errors[1].empty(); ++i) {
      std::vector<PublishItem> items;
      for (int k = 0; k < 3; ++k) {
        items.push_back(MakeItem("/sets/s" + std::to_string(i) + "/p" + std::to_string(k),
                                 RandomSourceBytes(i * 3 + k, k == 0 ? 2 * kBlk : 100)));
      }
      auto r = ns().Publish(std::move(items), {});
      if (!r.ok()) errors[1] = r.status().ToString();
    }
  });
  // Readers: every walk pinned to one version sees exactly one token and
  // only complete sets.
  for (int t = 2; t < 5; ++t) {
    threads.emplace_back([&, t] {
      while (!done.load() && errors[t].empty()) {
        uint64_t v = ns().LastVersion();
        auto a = ListAll(ns(), "/ring/a", v, 1);
        auto b = ListAll(ns(), "/ring/b", v, 1);
        if (!a.ok() || !b.ok()) {
          errors[t] = "list ring: " + (a.ok() ? b.status() : a.status()).ToString();
          break;
        }
        if (a->size() + b->size() != 1) {
          errors[t] = "at version " + std::to_string(v) + " the token is seen " +
                      std::to_string(a->size() + b->size()) + " times";
          break;
        }
        auto sets = ListAll(ns(), "/sets", v, 2);
        if (!sets.ok()) {
          errors[t] = "list sets: " + sets.status().ToString();
          break;
        }
        for (const auto& e : *sets) {
          auto parts = ListAll(ns(), "/sets/" + e.name, v);
          if (!parts.ok() || parts->size() != 3) {
            errors[t] = "set " + e.name + " at version " + std::to_string(v) + " is partial";
            break;
          }
        }
        ++reads;
      }
    });
  }
  threads[0].join();
  threads[1].join();
  done = true;
  for (size_t i = 2; i < threads.size(); ++i) threads[i].join();
  for (size_t i = 0; i < errors.size(); ++i) EXPECT_EQ(errors[i], "") << "thread " << i;
  EXPECT_GT(reads.load(), 0u);
  EXPECT_EQ(Names("/sets").size(), 60u);
  EXPECT_EQ(Names("/ring/a"), std::vector<std::string>{"token"});
}

// ---------------------------------------------------------------- persistence

TEST_F(NamespaceTest, ReopenPersistsEverything) {
  Rng rng(8);
  Put("/keep/a", rng.Bytes(10));
  Put("/keep/b", rng.Bytes(3 * kBlk + 1));
  PublishResult old = Put("/keep/c", "old");
  Put("/keep/c", "new");
  ASSERT_OK(ns().Mkdir("/keep/empty", false, {}));
  ASSERT_OK_AND_ASSIGN(Tree before, DumpTree(ns()));
  uint64_t last = ns().LastVersion();
  ASSERT_NO_FATAL_FAILURE(Reopen());
  EXPECT_EQ(ns().LastVersion(), last);
  ASSERT_OK_AND_ASSIGN(Tree after, DumpTree(ns()));
  ASSERT_EQ(before.size(), after.size());
  for (const auto& [path, b] : before) {
    SCOPED_TRACE(path);
    ASSERT_TRUE(after.count(path));
    const FileInfo& x = b.info;
    const FileInfo& y = after.at(path).info;
    EXPECT_EQ(x.ino, y.ino);
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.generation, y.generation);
    EXPECT_EQ(x.version, y.version);
    EXPECT_EQ(x.ctime_ns, y.ctime_ns);
    EXPECT_EQ(x.mtime_ns, y.mtime_ns);
    EXPECT_EQ(x.sha256_hex, y.sha256_hex);
    EXPECT_EQ(x.body_id, y.body_id);
    EXPECT_EQ(x.child_count, y.child_count);
    EXPECT_TRUE(b.bytes == after.at(path).bytes);
  }
  EXPECT_EQ(ReadOrDie("/keep/c", old.version), "old");
  // New inodes after a reopen never collide with old ones.
  PublishResult fresh = Put("/keep/d", "d");
  std::set<uint64_t> inos;
  for (const auto& [p, n] : after) inos.insert(n.info.ino);
  EXPECT_FALSE(inos.count(fresh.files[0].ino)) << "inode number reused after reopen";
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.files, 4u);
  EXPECT_GE(fsck.blocks_checked, 4u);
  EXPECT_GE(fsck.bytes_verified, 3 * kBlk + 1);
}

TEST_F(NamespaceTest, FsckCountsACleanNamespace) {
  Rng rng(9);
  Put("/f/inline1", rng.Bytes(10));
  Put("/f/inline2", rng.Bytes(kInl));
  Put("/f/blocks", rng.Bytes(2 * kBlk + 1));
  ASSERT_OK(ns().Mkdir("/f/d", false, {}));
  ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns().Fsck(true));
  EXPECT_TRUE(fsck.clean());
  EXPECT_EQ(fsck.files, 3u);
  EXPECT_EQ(fsck.inline_bodies, 2u);
  EXPECT_EQ(fsck.blocks_checked, 3u);
  EXPECT_EQ(fsck.pending_intents, 0u);
  EXPECT_EQ(fsck.orphan_objects, 0u);
  EXPECT_GE(fsck.directories, 2u);  // /f and /f/d (whether "/" counts is not specified)
  EXPECT_LE(fsck.directories, 3u);
  ASSERT_OK_AND_ASSIGN(IntentCleanupReport cleanup, ns().CleanupIntents());
  EXPECT_EQ(cleanup.intents_removed, 0u);
  EXPECT_EQ(cleanup.objects_removed, 0u);
  EXPECT_EQ(ReadOrDie("/f/blocks").size(), 2 * kBlk + 1);
}

TEST_F(NamespaceTest, ExternalBlockStoreReceivesTheBlocks) {
  TempDir store_dir("nokv-store");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<BlockStore> store,
                       OpenLocalBlockStore(store_dir.Sub("objects")));
  std::shared_ptr<BlockStore> shared = std::move(store);
  TempDir data("nokv-ext");
  Options o = TestOptions(data.path());
  o.block_store = shared;
  ASSERT_OK_AND_ASSIGN(auto ns2, OpenNamespace(o));
  std::string body = RandomSourceBytes(12, 3 * kBlk);
  ASSERT_OK(PublishString(*ns2, "/x", body));
  size_t objects = 0;
  ASSERT_OK(shared->List("", [&](const ObjectInfo& oi) {
    ++objects;
    EXPECT_EQ(oi.size, kBlk) << oi.key;
    return true;
  }));
  EXPECT_EQ(objects, 3u);
  EXPECT_TRUE(ListRegularFiles(BlocksDir(data.path())).empty());
  ASSERT_OK_AND_ASSIGN(std::string got, ReadWholeFile(*ns2, "/x"));
  EXPECT_TRUE(got == body);
}

// ---------------------------------------------------------------- BlockStore

TEST(LocalBlockStoreContractTest, Contract) {
  TempDir dir("nokv-bs");
  ASSERT_OK_AND_ASSIGN(auto store, OpenLocalBlockStore(dir.Sub("root/nested")));
  EXPECT_FALSE(store->Describe().empty());
  ASSERT_OK(store->Put("k/1", "hello world"));
  EXPECT_CODE(store->Put("k/1", "other"), Code::kAlreadyExists);
  std::string out = "garbage";
  ASSERT_OK(store->Get("k/1", 0, 100, &out));
  EXPECT_EQ(out, "hello world");
  ASSERT_OK(store->Get("k/1", 6, 3, &out));
  EXPECT_EQ(out, "wor");
  ASSERT_OK(store->Get("k/1", 8, 100, &out));
  EXPECT_EQ(out, "rld");
  ASSERT_OK(store->Get("k/1", 11, 5, &out));
  EXPECT_EQ(out, "");
  EXPECT_CODE(store->Get("k/missing", 0, 1, &out), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(uint64_t size, store->Size("k/1"));
  EXPECT_EQ(size, 11u);
  EXPECT_CODE(store->Size("k/missing"), Code::kNotFound);
  ASSERT_OK(store->Put("k/0", ""));
  ASSERT_OK(store->Put("k/2", std::string(5000, 'z')));
  ASSERT_OK(store->Put("other/1", "x"));
  std::vector<std::string> keys;
  ASSERT_OK(store->List("k/", [&](const ObjectInfo& oi) {
    keys.push_back(oi.key);
    if (oi.key == "k/2") {
      EXPECT_EQ(oi.size, 5000u);
    }
    return true;
  }));
  EXPECT_EQ(keys, (std::vector<std::string>{"k/0", "k/1", "k/2"}));
  keys.clear();
  ASSERT_OK(store->List("", [&](const ObjectInfo& oi) {
    keys.push_back(oi.key);
    return keys.size() < 2;
  }));
  EXPECT_EQ(keys.size(), 2u) << "List must stop when fn returns false";
  ASSERT_OK(store->Delete("k/1"));
  ASSERT_OK(store->Delete("k/1"));
  EXPECT_CODE(store->Get("k/1", 0, 1, &out), Code::kNotFound);
  ASSERT_OK(store->Put("k/1", "again"));  // a deleted key can be written again
  ASSERT_OK(store->Get("k/1", 0, 10, &out));
  EXPECT_EQ(out, "again");
  // Reopening sees the same objects.
  store.reset();
  ASSERT_OK_AND_ASSIGN(store, OpenLocalBlockStore(dir.Sub("root/nested")));
  ASSERT_OK_AND_ASSIGN(size, store->Size("k/2"));
  EXPECT_EQ(size, 5000u);
}

TEST(LocalBlockStoreContractTest, ConcurrentPutsOfOneKeyHaveOneWinner) {
  TempDir dir("nokv-bs");
  ASSERT_OK_AND_ASSIGN(auto store, OpenLocalBlockStore(dir.path()));
  std::atomic<int> ok{0}, exists{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Status st = store->Put("race", std::string(10000, static_cast<char>('a' + t)));
      if (st.ok()) {
        ++ok;
      } else if (st.code() == Code::kAlreadyExists) {
        ++exists;
      } else {
        ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(exists.load(), 7);
  EXPECT_EQ(other.load(), 0);
  std::string out;
  ASSERT_OK(store->Get("race", 0, 20000, &out));
  ASSERT_EQ(out.size(), 10000u);
  EXPECT_EQ(out, std::string(10000, out[0])) << "a torn object";
}

}  // namespace
}  // namespace nokv::test
