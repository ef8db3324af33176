// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// MetaEngine: versions, MVCC reads, group commit, predicates inside commands,
// idempotency, cache exactness and id allocation across reopen.
#include "meta/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "test_util.h"

namespace nokv {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen(size_t cache_entries = 1024) {
    engine_.reset();
    EngineOptions o;
    o.db_path = dir_.Sub("meta");
    o.sync = false;
    o.cache_entries = cache_entries;
    auto e = MetaEngine::Open(o);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e.value());
  }

  Result<CommitResult> PutValue(const std::string& key, const std::string& value,
                                const std::string& idem = "", Family family = Family::kInodes) {
    return engine_->Commit(
        [&](Txn& txn) {
          txn.Put(family, key, value);
          return Status::OK();
        },
        idem);
  }

  std::optional<std::string> ValueAt(const std::string& key, uint64_t version) {
    auto v = engine_->ReadAt(Family::kInodes, key, version);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->value : std::nullopt;
  }

  test::TempDir dir_;
  std::unique_ptr<MetaEngine> engine_;
};

TEST_F(EngineTest, FreshStoreStartsAtVersionOneWithRoot) {
  EXPECT_EQ(engine_->VisibleVersion(), 1u);
  auto root = engine_->ReadAt(Family::kInodes, InodePrefix(kRootInode), 1);
  ASSERT_TRUE(root.ok());
  ASSERT_TRUE(root->value.has_value());
  InodeRecord r;
  ASSERT_TRUE(DecodeInode(*root->value, &r).ok());
  EXPECT_EQ(r.kind, FileKind::kDirectory);
}

TEST_F(EngineTest, VersionsAreConsecutiveAndReadsAtOldVersionsSeeOldValues) {
  const std::string key = InodePrefix(77);
  std::vector<uint64_t> versions;
  for (int i = 0; i < 5; ++i) {
    auto r = PutValue(key, "v" + std::to_string(i));
    ASSERT_TRUE(r.ok());
    versions.push_back(r->version);
  }
  for (size_t i = 1; i < versions.size(); ++i) EXPECT_EQ(versions[i], versions[i - 1] + 1);
  EXPECT_FALSE(ValueAt(key, versions[0] - 1).has_value());
  for (size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(ValueAt(key, versions[i]), "v" + std::to_string(i));
  }
  // Deletion is a tombstone: older versions stay readable.
  auto del = engine_->Commit([&](Txn& txn) {
    txn.Delete(Family::kInodes, key);
    return Status::OK();
  });
  ASSERT_TRUE(del.ok());
  EXPECT_FALSE(ValueAt(key, del->version).has_value());
  EXPECT_EQ(ValueAt(key, versions.back()), "v4");
}

TEST_F(EngineTest, FailedOrEmptyCommandsDoNotConsumeVersions) {
  const uint64_t before = engine_->VisibleVersion();
  auto failed = engine_->Commit([](Txn& txn) {
    txn.Put(Family::kInodes, InodePrefix(5), "x");
    return Status::Conflict("no");
  });
  EXPECT_EQ(failed.status().code(), Code::kConflict);
  auto empty = engine_->Commit([](Txn&) { return Status::OK(); });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->version, before);
  EXPECT_EQ(engine_->VisibleVersion(), before);
  EXPECT_FALSE(ValueAt(InodePrefix(5), before).has_value());
  auto ok = PutValue(InodePrefix(5), "y");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->version, before + 1);
}

TEST_F(EngineTest, TxnSeesItsOwnWritesAndScanMergesThem) {
  ASSERT_TRUE(PutValue(DentryPrefix(9, "a"), "A", "", Family::kDentries).ok());
  ASSERT_TRUE(PutValue(DentryPrefix(9, "c"), "C", "", Family::kDentries).ok());
  std::vector<std::string> seen;
  auto r = engine_->Commit([&](Txn& txn) -> Status {
    txn.Put(Family::kDentries, DentryPrefix(9, "b"), "B");
    txn.Delete(Family::kDentries, DentryPrefix(9, "c"));
    NOKV_ASSIGN_OR_RETURN(auto b, txn.Get(Family::kDentries, DentryPrefix(9, "b")));
    if (b != std::optional<std::string>("B")) return Status::Internal("own write not visible");
    return txn.Scan(Family::kDentries, DirPrefix(9), [&](std::string_view k, std::string_view v) {
      seen.push_back(std::string(DentryName(k)) + "=" + std::string(v));
      return true;
    });
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{"a=A", "b=B"}));
}

TEST_F(EngineTest, ConcurrentCommandsGetDistinctConsecutiveVersions) {
  constexpr int kThreads = 8, kPerThread = 200;
  std::vector<std::thread> threads;
  std::mutex mu;
  std::set<uint64_t> versions;
  // Every command increments one shared counter: lost updates would show.
  const std::string counter = InodePrefix(1000);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto r = engine_->Commit([&](Txn& txn) -> Status {
          NOKV_ASSIGN_OR_RETURN(auto cur, txn.Get(Family::kInodes, counter));
          int n = cur.has_value() ? std::stoi(*cur) : 0;
          txn.Put(Family::kInodes, counter, std::to_string(n + 1));
          txn.Put(Family::kInodes, InodePrefix(2000 + t * kPerThread + i), "x");
          return Status::OK();
        });
        ASSERT_TRUE(r.ok());
        std::lock_guard<std::mutex> l(mu);
        versions.insert(r->version);
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(versions.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*versions.rbegin() - *versions.begin() + 1, versions.size());  // no holes
  EXPECT_EQ(ValueAt(counter, engine_->VisibleVersion()), std::to_string(kThreads * kPerThread));
  // Every intermediate version shows the counter value of exactly that commit.
  uint64_t first = *versions.begin();
  for (uint64_t v = first; v < first + 50; ++v) {
    EXPECT_EQ(ValueAt(counter, v), std::to_string(v - first + 1));
  }
}

TEST_F(EngineTest, IdempotencyKeyReplaysTheFirstCommit) {
  auto first = PutValue(InodePrefix(3), "one", "key-1");
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto again = PutValue(InodePrefix(3), "two", "key-1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->version, first->version);
  EXPECT_EQ(ValueAt(InodePrefix(3), engine_->VisibleVersion()), "one");
  Reopen();
  auto after_reopen = PutValue(InodePrefix(3), "three", "key-1");
  ASSERT_TRUE(after_reopen.ok());
  EXPECT_TRUE(after_reopen->replayed);
  EXPECT_EQ(after_reopen->version, first->version);
}

TEST_F(EngineTest, StateSurvivesReopenAndIdsAreNeverReused) {
  std::set<uint64_t> ids;
  for (int i = 0; i < 10; ++i) {
    auto id = engine_->AllocateId(IdKind::kInode);
    ASSERT_TRUE(id.ok());
    ids.insert(*id);
  }
  ASSERT_TRUE(PutValue(InodePrefix(42), "kept").ok());
  const uint64_t version = engine_->VisibleVersion();
  Reopen();
  EXPECT_EQ(engine_->VisibleVersion(), version);
  EXPECT_EQ(ValueAt(InodePrefix(42), version), "kept");
  for (int i = 0; i < 10; ++i) {
    auto id = engine_->AllocateId(IdKind::kInode);
    ASSERT_TRUE(id.ok());
    EXPECT_TRUE(ids.insert(*id).second) << "id reused: " << *id;
    EXPECT_EQ(ShardOf(*id), 0u);
  }
}

TEST_F(EngineTest, CachedReadsStayExactUnderConcurrentWrites) {
  Reopen(/*cache_entries=*/64);  // small: constant eviction
  constexpr int kKeys = 200;
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  // The writer sets key k to the commit version it is written at; a reader
  // at version V must never see a value greater than V or an older value
  // than the newest one committed at or below V.
  std::thread writer([&] {
    for (int i = 0; i < 3000; ++i) {
      const std::string key = InodePrefix(10 + (i % kKeys));
      auto r = engine_->Commit([&](Txn& txn) {
        txn.Put(Family::kInodes, key, std::to_string(txn.version()));
        return Status::OK();
      });
      if (!r.ok()) ++errors;
    }
    stop = true;
  });
  std::thread reader([&] {
    uint64_t n = 0;
    while (!stop) {
      const uint64_t at = engine_->VisibleVersion();
      const std::string key = InodePrefix(10 + (n++ % kKeys));
      auto v = engine_->ReadAt(Family::kInodes, key, at);
      if (!v.ok()) {
        ++errors;
        continue;
      }
      if (v->value.has_value() && std::stoull(*v->value) > at) ++errors;
      if (v->value.has_value() && std::stoull(*v->value) != v->version) ++errors;
    }
  });
  writer.join();
  reader.join();
  EXPECT_EQ(errors.load(), 0);
  // Final state equals an uncached read.
  const uint64_t at = engine_->VisibleVersion();
  for (int k = 0; k < kKeys; ++k) {
    auto cached = engine_->ReadAt(Family::kInodes, InodePrefix(10 + k), at);
    ASSERT_TRUE(cached.ok());
    ASSERT_TRUE(cached->value.has_value());
    EXPECT_EQ(std::stoull(*cached->value), cached->version);
  }
}

TEST_F(EngineTest, ReadOnlyEngineRefusesCommits) {
  const std::string path = dir_.Sub("meta");
  EngineOptions o;
  o.db_path = path;
  o.read_only = true;
  o.secondary_path = dir_.Sub("secondary");
  auto ro = MetaEngine::Open(o);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  ASSERT_TRUE(PutValue(InodePrefix(8), "fresh").ok());
  EXPECT_EQ((*ro)->Commit([](Txn&) { return Status::OK(); }).status().code(),
            Code::kInvalidArgument);
  ASSERT_TRUE((*ro)->CatchUp().ok());
  EXPECT_EQ((*ro)->VisibleVersion(), engine_->VisibleVersion());
  auto v = (*ro)->ReadAt(Family::kInodes, InodePrefix(8), (*ro)->VisibleVersion());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->value, std::optional<std::string>("fresh"));
}

}  // namespace
}  // namespace nokv
