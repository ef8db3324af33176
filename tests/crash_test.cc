// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Crash test: tests/crash_writer_main.cc publishes in a loop and is killed
// with SIGKILL at a random moment, over and over, on one data dir. After each
// kill the namespace must hold every acknowledged publish byte for byte, show
// no part of a multi-file set without the rest, hold for each path either its
// last acknowledged body or the body of the one publish that was in flight,
// and be clean (fsck, no leftover objects) once abandoned uploads are cleaned.
//
// Env: NOKV_CRASH_CYCLES (default 50), NOKV_CRASH_SEED (default 1),
// NOKV_CRASH_FULL_EVERY (default 5: every 5th and the last cycle read every
// body and run Fsck(true); the others read and verify the bodies written in
// that cycle and run Fsck(false), which checks every block's presence and size;
// 1 makes every cycle a full check).
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

struct Known {
  std::string sha;
  uint64_t generation = 0;
};

// What one writer run printed.
struct WriterLog {
  std::map<std::string, Known> acked;            // last ACK per path
  std::map<std::string, std::string> in_flight;  // INTENT lines after the last ACK
  uint64_t acks = 0;
  uint64_t acked_blocks = 0;  // blocks of every acknowledged body
  uint64_t max_version = 0;
  std::string error;
};

uint64_t BlocksOf(uint64_t size) {
  return size <= kCrashInlineThreshold ? 0 : (size + kCrashBlockSize - 1) / kCrashBlockSize;
}

WriterLog ParseLog(const std::vector<std::string>& lines) {
  WriterLog log;
  uint64_t last_version = 0;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "INTENT") {
      std::string path, sha;
      in >> path >> sha;
      log.in_flight[path] = sha;
    } else if (tag == "ACK") {
      std::string path, sha;
      uint64_t gen = 0, version = 0, size = 0;
      in >> path >> gen >> sha >> version >> size;
      log.acked_blocks += BlocksOf(size);
      if (!log.in_flight.count(path) || log.in_flight[path] != sha) {
        log.error += "ACK without a matching INTENT: " + line + "\n";
      }
      log.in_flight.erase(path);
      if (version < last_version) log.error += "ACK versions go backwards: " + line + "\n";
      last_version = version;
      log.max_version = std::max(log.max_version, version);
      log.acked[path] = {sha, gen};
      ++log.acks;
    } else if (tag != "OPENED") {
      log.error += "unexpected line: " + line + "\n";
    }
  }
  return log;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "/w12/set7/part1" -> ("/w12/set7", 1); false for other paths.
bool ParseSetPart(const std::string& path, std::string* dir, int* part) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return false;
  std::string d = path.substr(0, slash);
  std::string leaf = path.substr(slash + 1);
  if (d.find("/set") == std::string::npos || !StartsWith(leaf, "part")) return false;
  *dir = d;
  *part = std::atoi(leaf.c_str() + 4);
  return true;
}

struct Totals {
  uint64_t acks = 0;
  uint64_t in_flight_committed = 0;
  uint64_t in_flight_lost = 0;
  uint64_t intents_removed = 0;
  uint64_t objects_removed = 0;
  uint64_t pending_before_cleanup = 0;
  uint64_t leftover_files = 0;
};

class CrashTest : public ::testing::Test {
 protected:
  std::string DataDir() const { return dir_.Sub("data"); }

  void RunCycle(int cycle, uint64_t seed, const std::string& mode, int run_ms, bool full) {
    std::string err_path = dir_.Sub("writer-" + std::to_string(cycle) + ".stderr");
    auto proc = Subprocess::Start({NOKV_CRASH_WRITER_PATH, DataDir(), std::to_string(seed), mode},
                                  err_path);
    ASSERT_OK(proc);
    auto opened = (*proc)->WaitForLine("OPENED", 60000);
    ASSERT_TRUE(opened.has_value())
        << "the writer did not open the namespace; stderr: " << ReadLocalFile(err_path);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(run_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (!(*proc)->Pump(static_cast<int>(std::max<int64_t>(1, left)))) break;
    }
    int status = (*proc)->KillAndWait();
    (*proc)->Drain();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "the writer exited by itself (status " << status
        << "); stderr: " << ReadLocalFile(err_path) << "\nstdout tail: "
        << (*proc)->output().substr(
               (*proc)->output().size() > 2000 ? (*proc)->output().size() - 2000 : 0);
    WriterLog log = ParseLog((*proc)->Lines());
    ASSERT_TRUE(log.error.empty()) << log.error;
    ASSERT_NO_FATAL_FAILURE(Verify(seed, log, full));
  }

  void Verify(uint64_t seed, const WriterLog& log, bool full) {
    const std::string prefix = "/w" + std::to_string(seed) + "/";
    // What the crash left behind, seen by a reader before any writer cleans up.
    size_t files_before = ListStoredObjects(DataDir()).size();
    {
      Options ro = CrashWriterOptions(DataDir());
      ro.read_only = true;
      ASSERT_OK_AND_ASSIGN(auto reader, OpenNamespace(ro));
      ASSERT_OK_AND_ASSIGN(FsckReport left, reader->Fsck(false));
      totals_.pending_before_cleanup += left.pending_intents;
    }
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(CrashWriterOptions(DataDir())));
    EXPECT_GE(ns->LastVersion(), log.max_version)
        << "an acknowledged commit is newer than the recovered LastVersion";

    DumpOptions dump;
    dump.read_bodies = full;  // digests of all bodies are verified by the walk
    auto tree_or = DumpTree(*ns, dump);
    ASSERT_TRUE(tree_or.ok()) << tree_or.status().ToString();
    Tree& tree = *tree_or;

    std::map<std::string, const TreeNode*> files;
    for (const auto& [path, node] : tree) {
      if (node.info.kind == FileKind::kFile) {
        files[path] = &node;
      } else if (path != "/") {
        // Directories only come into being with the files of a commit.
        EXPECT_GT(node.info.child_count, 0u)
            << "empty directory " << path << " (a partially applied commit?)";
      }
    }

    // 1. Everything seen after earlier kills is still there, unchanged.
    for (const auto& [path, k] : committed_) {
      auto it = files.find(path);
      if (it == files.end()) {
        ADD_FAILURE() << "committed file vanished: " << path;
        continue;
      }
      EXPECT_EQ(it->second->info.sha256_hex, k.sha) << path << " changed after a crash";
      EXPECT_EQ(it->second->info.generation, k.generation) << path;
    }

    // 2. Every acknowledged publish is present: its body, or the one later
    //    publish of the same path that was in flight.
    for (const auto& [path, k] : log.acked) {
      auto it = files.find(path);
      if (it == files.end()) {
        ADD_FAILURE() << "acknowledged file is missing after the crash: " << path;
        continue;
      }
      const FileInfo& fi = it->second->info;
      if (fi.sha256_hex == k.sha) {
        EXPECT_EQ(fi.generation, k.generation) << path;
        continue;
      }
      auto fl = log.in_flight.find(path);
      if (fl != log.in_flight.end() && fl->second == fi.sha256_hex) {
        EXPECT_EQ(fi.generation, k.generation + 1) << path;
        ++totals_.in_flight_committed;
        committed_blocks_ += BlocksOf(fi.size);
        continue;
      }
      ADD_FAILURE() << path << " holds neither its acknowledged body nor the in-flight one";
    }

    // 3. Files of this run that were never acknowledged must be the in-flight publish.
    for (const auto& [path, node] : files) {
      if (!StartsWith(path, prefix)) {
        EXPECT_TRUE(committed_.count(path)) << "file from nowhere: " << path;
        continue;
      }
      if (log.acked.count(path)) continue;
      auto fl = log.in_flight.find(path);
      if (fl == log.in_flight.end()) {
        ADD_FAILURE() << "visible file that was never in flight: " << path;
        continue;
      }
      EXPECT_EQ(node->info.sha256_hex, fl->second) << path << " has a body nobody published";
      EXPECT_EQ(node->info.generation, 1u) << path;
      ++totals_.in_flight_committed;
      committed_blocks_ += BlocksOf(node->info.size);
    }
    for (const auto& [path, sha] : log.in_flight) {
      auto it = files.find(path);
      if (it == files.end() || it->second->info.sha256_hex != sha) ++totals_.in_flight_lost;
    }

    // 4. Read this run's files (all files on full cycles) and check their
    //    headers: sets are all-or-none and generations match the writer's.
    std::map<std::string, std::set<int>> sets;
    for (const auto& [path, node] : files) {
      if (!full && !StartsWith(path, prefix)) continue;
      std::string body = node->bytes;
      if (!full) {
        auto r = ReadWholeFile(*ns, path);
        ASSERT_TRUE(r.ok()) << "read " << path << ": " << r.status().ToString();
        body = std::move(*r);
      }
      ASSERT_EQ(Sha256Hex(body), node->info.sha256_hex) << path;
      std::string header = body.substr(0, body.find('\n'));
      std::string dir;
      int part = -1;
      if (ParseSetPart(path, &dir, &part)) {
        // "SET <seed>-<i> part <k> of 3"
        std::string id = dir.substr(dir.rfind("/set") + 4);
        std::string want_prefix = "SET ";
        EXPECT_TRUE(StartsWith(header, want_prefix)) << path << ": " << header;
        EXPECT_NE(header.find("-" + id + " part " + std::to_string(part) + " of 3"),
                  std::string::npos)
            << path << ": " << header;
        sets[dir].insert(part);
      } else {
        EXPECT_EQ(header, "FILE " + path + " gen " + std::to_string(node->info.generation))
            << "the body does not belong to this path and generation";
      }
    }
    for (const auto& [dir, parts] : sets) {
      EXPECT_EQ(parts, (std::set<int>{0, 1, 2})) << "set " << dir << " is partly visible";
      auto it = tree.find(dir);
      if (it != tree.end()) {
        EXPECT_EQ(it->second.info.child_count, 3u) << dir;
      }
    }

    // 5. Abandoned uploads are cleaned up completely.
    ASSERT_OK_AND_ASSIGN(IntentCleanupReport cleanup, ns->CleanupIntents());
    totals_.intents_removed += cleanup.intents_removed;
    totals_.objects_removed += cleanup.objects_removed;
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(full));
    std::string issues;
    for (const auto& i : fsck.issues) issues += "  " + i.kind + ": " + i.detail + "\n";
    EXPECT_TRUE(fsck.clean()) << issues;
    EXPECT_EQ(fsck.pending_intents, 0u) << "intents left after CleanupIntents";
    EXPECT_EQ(fsck.orphan_objects, 0u) << "objects left after CleanupIntents";
    EXPECT_EQ(fsck.files, files.size());
    // Every object on disk belongs to a committed body: a current one or an
    // older generation kept as history (nothing here is ever deleted, and GC
    // could only lower the count). More means leaked blocks or temp files.
    committed_blocks_ += log.acked_blocks;
    std::vector<std::string> on_disk = ListStoredObjects(DataDir());
    totals_.leftover_files += files_before - std::min(files_before, on_disk.size());
    EXPECT_GE(on_disk.size(), TotalBlocks(tree)) << "blocks of visible bodies are missing";
    EXPECT_LE(on_disk.size(), committed_blocks_)
        << "objects in the store of " << DataDir()
        << " beyond the blocks of every body ever committed (leaked uploads?), e.g. "
        << (on_disk.empty() ? "" : on_disk.back());

    // 6. What is visible now is the baseline for the next cycles.
    for (const auto& [path, node] : files) {
      committed_[path] = {node->info.sha256_hex, node->info.generation};
    }
    totals_.acks += log.acks;
    last_version_ = ns->LastVersion();
  }

  TempDir dir_{"nokv-crash"};
  std::map<std::string, Known> committed_;
  Totals totals_;
  uint64_t committed_blocks_ = 0;  // blocks of every body committed so far
  uint64_t last_version_ = 0;
};

TEST_F(CrashTest, KillNineNeverLosesOrTearsPublishes) {
  int cycles = static_cast<int>(EnvU64("NOKV_CRASH_CYCLES", 50));
  uint64_t base = EnvU64("NOKV_CRASH_SEED", 1);
  // Cycles between full checks (every body read, Fsck(true)); the others
  // read this cycle's bodies only and run Fsck(false).
  int full_every = std::max(1, static_cast<int>(EnvU64("NOKV_CRASH_FULL_EVERY", 5)));
  Rng rng(base);
  const char* modes[] = {"mixed", "sets", "replace"};
  auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < cycles; ++c) {
    uint64_t seed = base * 100000 + static_cast<uint64_t>(c);
    std::string mode = modes[c % 3];
    int run_ms = static_cast<int>(rng.Range(50, 400));
    bool full = c % full_every == full_every - 1 || c == cycles - 1;
    SCOPED_TRACE("cycle " + std::to_string(c) + " seed " + std::to_string(seed) + " mode " + mode +
                 " run " + std::to_string(run_ms) +
                 " ms (rerun with NOKV_CRASH_SEED=" + std::to_string(base) + ")");
    ASSERT_NO_FATAL_FAILURE(RunCycle(c, seed, mode, run_ms, full));
    ASSERT_FALSE(HasFailure()) << "stopping after the first failed cycle";
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ crash    ] " << cycles << " cycles in " << secs << " s: " << totals_.acks
            << " acknowledged publishes, " << committed_.size() << " files, "
            << totals_.in_flight_committed << " in-flight publishes committed, "
            << totals_.in_flight_lost << " lost (never acknowledged), "
            << totals_.pending_before_cleanup << " pending intents found, "
            << totals_.leftover_files << " leftover files removed, " << totals_.intents_removed
            << " intents / " << totals_.objects_removed
            << " objects removed by an explicit cleanup\n";
  EXPECT_GT(totals_.pending_before_cleanup, 0u)
      << "no kill ever landed during an upload; the test proves nothing";
  EXPECT_GT(totals_.acks, 0u) << "the writer never got a publish acknowledged";
  // A last reopen in read-only mode sees the same namespace.
  ASSERT_OK_AND_ASSIGN(auto ro, OpenNamespace([&] {
                         Options o = CrashWriterOptions(DataDir());
                         o.read_only = true;
                         return o;
                       }()));
  DumpOptions dump;
  dump.read_bodies = false;
  ASSERT_OK_AND_ASSIGN(Tree tree, DumpTree(*ro, dump));
  uint64_t files = 0;
  for (const auto& [path, node] : tree) {
    if (node.info.kind != FileKind::kFile) continue;
    ++files;
    ASSERT_TRUE(committed_.count(path)) << path;
    EXPECT_EQ(node.info.sha256_hex, committed_[path].sha) << path;
  }
  EXPECT_EQ(files, committed_.size());
  EXPECT_EQ(ro->LastVersion(), last_version_);
}

}  // namespace
}  // namespace nokv::test
