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
//
// The time modes of the writer (clone, rollback, checkpoint, gc) are killed
// the same way, many times during GC runs with tiny step budgets. After each
// kill every tracked subtree is in its last acknowledged state or in the
// state of the one operation in flight (a clone, rollback or checkpoint is
// all or nothing; a checkpoint step exists only complete with its manifest),
// snapshots read what they read before, and a GC after recovery finishes,
// leaves fsck clean and the block store holding exactly the blocks of the
// live tree and the snapshots.
//
// Both tests define an index with one row per file before the first cycle.
// Index records are written in the same RocksDB batch as the commit they
// describe, so after every kill its rows and postings must describe exactly
// the visible files.
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "meta/records.h"
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

// An index with one row per file (its size), maintained by every commit of
// the writer; defined before the first cycle.
void DefineFilesIndex(const std::string& data_dir) {
  ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(CrashWriterOptions(data_dir)));
  ASSERT_OK(ns->DefineIndex("/",
                            "name: files\nrows: {files: \"*\"}\nfields:\n"
                            "  bytes: {size: true}\n",
                            {})
                .status());
}

// The index changed in the same commits as the files: its rows and
// postings describe exactly the files of `tree`.
void VerifyFilesIndex(Namespace& ns, const Tree& tree) {
  std::map<std::string, int64_t> want, rows, postings;
  for (const auto& [path, node] : tree) {
    if (node.info.kind == FileKind::kFile) want[path] = static_cast<int64_t>(node.info.size);
  }
  ASSERT_OK(ns.ScanIndexRows("files", "/", ns.LastVersion(), [&](const IndexRow& row) {
    auto it = row.values.find("bytes");
    rows[row.path] = it == row.values.end() ? -1 : static_cast<int64_t>(it->second.number());
    return true;
  }));
  IndexScan scan;
  scan.index = "files";
  scan.field = "bytes";
  scan.version = ns.LastVersion();
  ASSERT_OK_AND_ASSIGN(bool current,
                       ns.ScanIndex(scan, [&](const IndexValue& v, const std::string& row) {
                         postings[row] = static_cast<int64_t>(v.number());
                         return true;
                       }));
  EXPECT_TRUE(current) << "the index is older than the newest commit";
  EXPECT_EQ(rows, want) << "index rows differ from the visible files";
  EXPECT_EQ(postings, want) << "index postings differ from the visible files";
  ASSERT_OK_AND_ASSIGN(IndexInfo info, ns.GetIndex("files"));
  EXPECT_EQ(info.row_count, want.size());
}

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

    // 0. The index over every file changed in the same commits as the
    //    files: its rows and postings describe exactly the visible files.
    ASSERT_NO_FATAL_FAILURE(VerifyFilesIndex(*ns, tree));

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
  ASSERT_NO_FATAL_FAILURE(DefineFilesIndex(DataDir()));
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

// ---------------------------------------------------------------- time modes

// What one run of a time mode printed (see crash_writer_main.cc).
struct TimeLog {
  std::map<std::string, std::string> acked;   // dir -> last acknowledged state
  std::map<std::string, std::string> intent;  // dir -> state of the op in flight
  struct Snap {
    std::string dir, state;
    uint64_t version = 0;
  };
  std::map<std::string, Snap> snaps;  // acknowledged creates
  std::string snap_intent;            // create in flight
  std::set<std::string> dropped;      // acknowledged drops
  std::string drop_intent;            // drop in flight
  uint64_t acks = 0;
  uint64_t max_version = 0;
  uint64_t gc_runs = 0;
  bool killed_in_gc = false;
  std::string error;
};

TimeLog ParseTimeLog(const std::vector<std::string>& lines) {
  TimeLog log;
  for (const auto& line : lines) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "TINTENT") {
      std::string dir, state;
      in >> dir >> state;
      log.intent[dir] = state;
    } else if (tag == "TACK") {
      std::string dir, state;
      uint64_t version = 0;
      in >> dir >> version >> state;
      if (!log.intent.count(dir) || log.intent[dir] != state) {
        log.error += "TACK without a matching TINTENT: " + line + "\n";
      }
      log.intent.erase(dir);
      log.acked[dir] = state;
      log.max_version = std::max(log.max_version, version);
      ++log.acks;
    } else if (tag == "SNAPINTENT") {
      in >> log.snap_intent;
    } else if (tag == "SNAP") {
      std::string name;
      TimeLog::Snap s;
      in >> name >> s.version >> s.dir >> s.state;
      if (name != log.snap_intent) log.error += "SNAP without SNAPINTENT: " + line + "\n";
      log.snap_intent.clear();
      log.snaps[name] = s;
      log.max_version = std::max(log.max_version, s.version);
      ++log.acks;
    } else if (tag == "DROPINTENT") {
      in >> log.drop_intent;
    } else if (tag == "DROP") {
      std::string name;
      in >> name;
      if (name != log.drop_intent) log.error += "DROP without DROPINTENT: " + line + "\n";
      log.drop_intent.clear();
      log.dropped.insert(name);
      ++log.acks;
    } else if (tag == "GCSTART") {
      log.killed_in_gc = true;
    } else if (tag == "GCDONE") {
      log.killed_in_gc = false;
      ++log.gc_runs;
    } else if (tag != "OPENED") {
      log.error += "unexpected line: " + line + "\n";
    }
  }
  return log;
}

// The state string (crash_writer_main.cc) of the files below `dir` in `tree`.
std::string StateOf(const Tree& tree, const std::string& dir, bool checkpoint) {
  auto root = tree.find(dir);
  if (root == tree.end()) return "-";
  std::string out = "=";
  const std::string prefix = dir + "/";
  for (auto it = tree.lower_bound(prefix);
       it != tree.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (it->second.info.kind != FileKind::kFile) continue;
    std::string rel = it->first.substr(prefix.size());
    if (checkpoint && rel == "MANIFEST.json") continue;
    if (out.size() > 1) out += ",";
    out += rel + "=" + it->second.info.sha256_hex;
  }
  return out;
}

bool IsCheckpointDir(const std::string& dir) { return dir.find("/run/step-") != std::string::npos; }

class TimeCrashTest : public ::testing::Test {
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
        << "); stderr: " << ReadLocalFile(err_path);
    TimeLog log = ParseTimeLog((*proc)->Lines());
    ASSERT_TRUE(log.error.empty()) << log.error;
    totals_.acks += log.acks;
    totals_.gc_runs += log.gc_runs;
    if (log.killed_in_gc) ++totals_.kills_in_gc;
    if (!log.intent.empty()) ++totals_.kills_in_op;
    ASSERT_NO_FATAL_FAILURE(Verify(log, full));
  }

  void Verify(const TimeLog& log, bool full) {
    ASSERT_OK_AND_ASSIGN(auto ns, OpenNamespace(CrashWriterOptions(DataDir())));
    EXPECT_GE(ns->LastVersion(), log.max_version)
        << "an acknowledged commit is newer than the recovered LastVersion";
    DumpOptions dump;
    dump.read_bodies = full;
    ASSERT_OK_AND_ASSIGN(Tree tree, DumpTree(*ns, dump));
    ASSERT_NO_FATAL_FAILURE(VerifyFilesIndex(*ns, tree));

    // 1. Every tracked subtree holds its last acknowledged state, or the
    //    state of the one operation in flight: never a mix.
    std::set<std::string> dirs;
    for (const auto& [d, s] : baseline_) dirs.insert(d);
    for (const auto& [d, s] : log.acked) dirs.insert(d);
    for (const auto& [d, s] : log.intent) dirs.insert(d);
    std::map<std::string, std::vector<CheckpointInfo>> checkpoints;  // by run dir
    for (const auto& dir : dirs) {
      const bool ckpt = IsCheckpointDir(dir);
      std::string actual = StateOf(tree, dir, ckpt);
      std::string want = "-";
      if (auto it = log.acked.find(dir); it != log.acked.end()) {
        want = it->second;
      } else if (auto b = baseline_.find(dir); b != baseline_.end()) {
        want = b->second;
      }
      auto in_flight = log.intent.find(dir);
      if (actual != want) {
        if (in_flight != log.intent.end() && actual == in_flight->second) {
          ++totals_.in_flight_committed;
        } else {
          ADD_FAILURE() << dir << " is neither in its acknowledged state nor in the state of the "
                        << "operation in flight (a lost or partly applied commit)\n  actual: "
                        << actual << "\n  acked:  " << want << "\n  intent: "
                        << (in_flight == log.intent.end() ? "(none)" : in_flight->second);
        }
      }
      if (ckpt && actual != "-") {
        // A step directory exists only with its manifest and every shard.
        EXPECT_TRUE(tree.count(dir + "/MANIFEST.json")) << dir << " has no manifest";
        const std::string run = ParentPath(dir);
        if (!checkpoints.count(run)) {
          ASSERT_OK_AND_ASSIGN(checkpoints[run], ns->ListCheckpoints(run, ReadOptions{}));
        }
        bool found = false;
        for (const auto& c : checkpoints[run]) {
          if (c.path != dir) continue;
          found = true;
          EXPECT_TRUE(c.complete) << dir << ": " << c.problem;
        }
        EXPECT_TRUE(found) << dir << " is not listed as a checkpoint";
        ++totals_.checkpoints_checked;
      }
      baseline_[dir] = actual;
    }

    // 2. Snapshots: acknowledged ones exist, acknowledged drops are gone, and
    //    each reads exactly what it read when first seen.
    ASSERT_OK_AND_ASSIGN(auto list, ns->ListSnapshots());
    std::map<std::string, SnapshotInfo> present;
    for (const auto& s : list) present[s.name] = s;
    for (const auto& [name, s] : log.snaps) {
      if (log.dropped.count(name)) continue;
      if (name == log.drop_intent) continue;
      EXPECT_TRUE(present.count(name)) << "acknowledged snapshot " << name << " is missing";
    }
    for (const auto& name : log.dropped) {
      EXPECT_FALSE(present.count(name)) << "acknowledged drop of " << name << " is undone";
      snap_reads_.erase(name);
    }
    for (const auto& [name, prev] : snap_reads_) {
      if (!present.count(name) && name != log.drop_intent) {
        ADD_FAILURE() << "snapshot " << name << " vanished";
      }
    }
    for (const auto& [name, info] : present) {
      std::string state;
      ASSERT_NO_FATAL_FAILURE(ReadSnapshotState(*ns, name, info.path, &state));
      auto seen = snap_reads_.find(name);
      if (seen != snap_reads_.end()) {
        EXPECT_EQ(state, seen->second) << "snapshot " << name << " reads differently after a crash";
      } else if (auto acked = log.snaps.find(name); acked != log.snaps.end()) {
        EXPECT_EQ(state, acked->second.state) << "snapshot " << name << " is not what was pinned";
        EXPECT_EQ(info.version, acked->second.version);
      } else {
        EXPECT_EQ(name, log.snap_intent) << "snapshot " << name << " that nobody created";
      }
      snap_reads_[name] = state;
    }
    for (auto it = snap_reads_.begin(); it != snap_reads_.end();) {
      it = present.count(it->first) ? std::next(it) : snap_reads_.erase(it);
    }

    // Keep the number of snapshots bounded: drop the oldest ones (their
    // history becomes garbage for the GC below).
    while (present.size() > kKeptSnapshots) {
      auto oldest = present.begin();
      for (auto it = present.begin(); it != present.end(); ++it) {
        if (it->second.version < oldest->second.version) oldest = it;
      }
      ASSERT_OK(ns->DropSnapshot(oldest->first));
      snap_reads_.erase(oldest->first);
      present.erase(oldest);
    }

    // 3. A GC after recovery finishes (also over what the killed writer left)
    //    and leaves exactly the blocks the live tree and the snapshots use.
    GcOptions o;
    o.history_retention_seconds = 0;
    o.step_budget = 3;
    ASSERT_OK_AND_ASSIGN(GcReport gc, ns->CollectGarbage(o));
    EXPECT_TRUE(gc.finished);
    EXPECT_EQ(gc.delete_failures, 0u) << gc.last_error;
    totals_.intents_removed += gc.intents_removed;
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns->Fsck(full));
    std::string issues;
    for (const auto& i : fsck.issues) issues += "  " + i.kind + ": " + i.detail + "\n";
    EXPECT_TRUE(fsck.clean()) << issues;
    EXPECT_EQ(fsck.orphan_objects, 0u);
    EXPECT_EQ(fsck.pending_intents, 0u);
    std::set<std::string> want;
    DumpOptions meta;
    meta.read_bodies = false;
    ASSERT_OK_AND_ASSIGN(Tree live, DumpTree(*ns, meta));
    AddBlockKeys(live, &want);
    for (const auto& [name, info] : present) {
      meta.version = info.version;
      ASSERT_OK_AND_ASSIGN(Tree at, DumpTree(*ns, meta));
      AddBlockKeys(at, &want);
      // Every body a snapshot holds is still readable after the GC.
      std::string state;
      ASSERT_NO_FATAL_FAILURE(ReadSnapshotState(*ns, name, info.path, &state));
      EXPECT_EQ(state, snap_reads_[name]) << "snapshot " << name << " after the GC";
    }
    size_t leaked = 0;
    std::string example;
    for (const std::string& f : ListStoredObjects(DataDir())) {
      if (want.erase(f) == 0) {
        ++leaked;
        example = f;
      }
    }
    EXPECT_EQ(leaked, 0u) << "objects no live file or snapshot references, e.g. " << example;
    EXPECT_TRUE(want.empty()) << want.size() << " referenced blocks are missing, e.g. "
                              << *want.begin();
    // Reads of the live tree still work after the GC.
    for (const auto& [p, n] : live) {
      if (n.info.kind != FileKind::kFile || !full) continue;
      auto r = ReadWholeFile(*ns, p);
      ASSERT_TRUE(r.ok()) << "read " << p << " after gc: " << r.status().ToString();
    }
    last_version_ = ns->LastVersion();
  }

  // The state string of a snapshot's root, read through ReadOptions{snapshot}.
  void ReadSnapshotState(Namespace& ns, const std::string& name, const std::string& root,
                         std::string* state) {
    Tree t;
    ASSERT_NO_FATAL_FAILURE(WalkAt(ns, name, root, &t));
    *state = StateOf(t, root, false);
  }
  void WalkAt(Namespace& ns, const std::string& name, const std::string& path, Tree* out) {
    ReadOptions ro;
    ro.snapshot = name;
    auto info = ns.Stat(path, ro);
    ASSERT_TRUE(info.ok()) << "stat " << path << " at snapshot " << name << ": "
                           << info.status().ToString();
    TreeNode node;
    node.info = *info;
    (*out)[path] = node;
    if (info->kind == FileKind::kFile) {
      auto reader = ns.OpenFile(path, ro);
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      std::string bytes;
      ASSERT_OK((*reader)->ReadAll([&](std::string_view c) {
        bytes.append(c);
        return Status::OK();
      }));
      EXPECT_EQ(Sha256Hex(bytes), info->sha256_hex) << path << " at snapshot " << name;
      return;
    }
    ListOptions lo;
    lo.snapshot = name;
    ASSERT_OK_AND_ASSIGN(ListPage page, ns.List(path, lo));
    for (const auto& e : page.entries) {
      ASSERT_NO_FATAL_FAILURE(WalkAt(ns, name, JoinPath(path, e.name), out));
    }
  }

  struct TimeTotals {
    uint64_t acks = 0, gc_runs = 0, kills_in_gc = 0, kills_in_op = 0, in_flight_committed = 0,
             checkpoints_checked = 0, intents_removed = 0;
  };

  static constexpr size_t kKeptSnapshots = 8;
  TempDir dir_{"nokv-crash-time"};
  std::map<std::string, std::string> baseline_;    // dir -> state after the last cycle
  std::map<std::string, std::string> snap_reads_;  // snapshot -> state it reads
  TimeTotals totals_;
  uint64_t last_version_ = 0;
};

// Env: NOKV_CRASH_TIME_CYCLES (cycles per mode, default 6; 3 under
// AddressSanitizer), NOKV_CRASH_SEED, NOKV_CRASH_FULL_EVERY (as above).
TEST_F(TimeCrashTest, KillNineDuringCloneRollbackCheckpointAndGc) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr uint64_t kDefaultPerMode = 3;
#else
  constexpr uint64_t kDefaultPerMode = 6;
#endif
  int per_mode = static_cast<int>(EnvU64("NOKV_CRASH_TIME_CYCLES", kDefaultPerMode));
  uint64_t base = EnvU64("NOKV_CRASH_SEED", 1);
  int full_every = std::max(1, static_cast<int>(EnvU64("NOKV_CRASH_FULL_EVERY", 5)));
  Rng rng(base + 17);
  const char* modes[] = {"clone", "rollback", "checkpoint", "gc"};
  const int cycles = per_mode * 4;
  ASSERT_NO_FATAL_FAILURE(DefineFilesIndex(DataDir()));
  auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < cycles; ++c) {
    uint64_t seed = base * 100000 + 50000 + static_cast<uint64_t>(c);
    std::string mode = modes[c % 4];
    int run_ms = static_cast<int>(rng.Range(80, 600));
    bool full = c % full_every == full_every - 1 || c == cycles - 1;
    SCOPED_TRACE("cycle " + std::to_string(c) + " seed " + std::to_string(seed) + " mode " + mode +
                 " run " + std::to_string(run_ms) +
                 " ms (rerun with NOKV_CRASH_SEED=" + std::to_string(base) + ")");
    ASSERT_NO_FATAL_FAILURE(RunCycle(c, seed, mode, run_ms, full));
    ASSERT_FALSE(HasFailure()) << "stopping after the first failed cycle";
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ crash    ] " << cycles << " time-mode cycles in " << secs
            << " s: " << totals_.acks << " acknowledged operations, " << totals_.gc_runs
            << " finished GC runs, " << totals_.kills_in_gc << " kills during GC, "
            << totals_.kills_in_op << " kills with an operation in flight ("
            << totals_.in_flight_committed << " of them committed), " << totals_.checkpoints_checked
            << " checkpoint checks, " << totals_.intents_removed
            << " abandoned uploads removed by GC, " << baseline_.size() << " subtrees and "
            << snap_reads_.size() << " snapshots tracked\n";
  EXPECT_GT(totals_.acks, 0u);
  EXPECT_GT(totals_.gc_runs, 0u);
  if (per_mode >= 6) {
    EXPECT_GT(totals_.kills_in_gc, 0u) << "no kill landed during GC; the test proves little";
    EXPECT_GT(totals_.kills_in_op, 0u) << "no kill landed during an operation";
  }
  // A read-only open sees the same namespace.
  Options ro = CrashWriterOptions(DataDir());
  ro.read_only = true;
  ASSERT_OK_AND_ASSIGN(auto reader, OpenNamespace(ro));
  EXPECT_EQ(reader->LastVersion(), last_version_);
  DumpOptions dump;
  dump.read_bodies = false;
  ASSERT_OK_AND_ASSIGN(Tree tree, DumpTree(*reader, dump));
  for (const auto& [dir, state] : baseline_) {
    EXPECT_EQ(StateOf(tree, dir, IsCheckpointDir(dir)), state) << dir;
  }
}

}  // namespace
}  // namespace nokv::test
