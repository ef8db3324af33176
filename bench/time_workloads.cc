// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "time_workloads.h"

#include <rocksdb/db.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "baselines.h"
#include "inputs.h"
#include "nokv_ops.h"
#include "time_baselines.h"
#include "time_ops.h"

namespace nokv::bench {

namespace {

constexpr uint64_t kFilesPerDir = 1000;

// `files` files in directories of kFilesPerDir (one directory when fewer).
TreeShape ShapeOf(uint64_t files) {
  uint64_t per_dir = std::min(files, kFilesPerDir);
  if (per_dir == 0 || files % per_dir != 0)
    Fail("tree sizes must be below 1000 or a multiple of it");
  return {files / per_dir, per_dir};
}

// "10K-file tree", "100K-file tree (100 dirs)".
std::string TreeName(const TreeShape& shape) {
  std::string name = Count(shape.files()) + "-file tree";
  if (shape.dirs > 1) name += " (" + Count(shape.dirs) + " dirs)";
  return name;
}

std::string Seconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f s", seconds);
  return buf;
}

// The local-filesystem copy baseline: `cp -r --reflink=auto` of `tree` to a
// new directory below `copies` (a plain copy where the filesystem has no
// reflinks, as ext4); ops = `ops`.
Measurement CopyTree(const std::string& tree, const std::string& copies, double ops) {
  static int copy = 0;
  return TimeProgram(
      ops, {"/bin/cp", "-r", "--reflink=auto", tree, copies + "/copy-" + std::to_string(copy++)});
}

// `passes` runs of `fn`, summed.
template <typename Fn>
Measurement Passes(int passes, Fn&& fn) {
  Measurement total;
  for (int pass = 0; pass < passes; ++pass) {
    Measurement m = fn();
    total.ops += m.ops;
    total.seconds += m.seconds;
  }
  return total;
}

}  // namespace

// ---- snapshot creation ----

// The same number of snapshots of a small and a large tree, each tree alone
// in its namespace: creation commits one record, so its cost should not
// depend on the tree. Baselines: raw RocksDB holding as many files, and a
// copy of the small tree on the local filesystem.
void SnapshotCreate(const Params& p, WorkRoot& root, Report* report) {
  TreeShape small = ShapeOf(p.snapshot_small_tree);
  TreeShape large = ShapeOf(p.snapshot_large_tree);
  std::cerr << "[snapshot_create] building " << TreeName(small) << " and " << TreeName(large)
            << " on each side\n";
  auto ns_small = OpenFresh(root.Fresh("nokv"));
  NokvCreateTree(*ns_small, "/t", small, "");
  auto ns_large = OpenFresh(root.Fresh("nokv"));
  Measurement build = NokvCreateTree(*ns_large, "/t", large, "");
  auto rocks_small = OpenRocks(root.Fresh("rocksdb"));
  RocksWrite(*rocks_small, {small.files(), kSetupBatch, "", true});
  auto rocks_large = OpenRocks(root.Fresh("rocksdb"));
  RocksWrite(*rocks_large, {large.files(), kSetupBatch, "", true});
  std::string fs_tree = root.Fresh("fs");
  FsCreateTree(fs_tree, small, "");
  std::string copies = root.Fresh("cp");
  report->AddNote("build " + TreeName(large) + " for snapshots (Publish, 1 dir/commit)",
                  Si(build.Rate()) + " files/s in " + Seconds(build.seconds));

  int runs = 0;
  auto snapshots = [&](Namespace& ns) {
    return NokvSnapshots(ns, "/t", p.snapshots, "run" + std::to_string(runs++));
  };
  std::string rocks_name = "rocksdb GetSnapshot + synced Put of a record, same files";
  Workload w;
  w.name = "create a snapshot of a " + TreeName(small) + " (" + Count(p.snapshots) + " snapshots)";
  w.unit = "us/snapshot";
  w.metric = Metric::kLatency;
  w.reps = p.reps;
  w.nokv = [&] { return snapshots(*ns_small); };
  w.baselines.push_back(
      {rocks_name, [&] { return RocksSnapshots(*rocks_small, p.snapshots); }, {}});
  w.baselines.push_back({"cp -r --reflink=auto of the same local tree (one copy)",
                         [&] { return CopyTree(fs_tree, copies, 1); },
                         {}});
  RunWorkload(w, report);

  // The two trees' snapshots alternate, so both see the same disk (one
  // synced commit each; their latency drifts with other load).
  Measurement best_small, best_large;
  for (int rep = 0; rep < p.reps; ++rep) {
    Measurement on_small, on_large;
    for (uint64_t i = 0; i < p.snapshots; ++i) {
      std::string prefix = "mix" + std::to_string(rep) + "-" + std::to_string(i);
      std::pair<Namespace*, Measurement*> sides[] = {{ns_small.get(), &on_small},
                                                     {ns_large.get(), &on_large}};
      for (auto [ns, sum] : sides) {
        Measurement m = NokvSnapshots(*ns, "/t", 1, prefix);
        sum->ops += m.ops;
        sum->seconds += m.seconds;
      }
    }
    if (rep == 0 || on_small.seconds < best_small.seconds) best_small = on_small;
    if (rep == 0 || on_large.seconds < best_large.seconds) best_large = on_large;
  }
  Workload big;
  big.name =
      "create a snapshot of a " + TreeName(large) + " (" + Count(p.snapshots) + " snapshots)";
  big.unit = w.unit;
  big.metric = w.metric;
  big.reps = p.reps;
  big.nokv_result = best_large;
  big.baselines.push_back(
      {rocks_name, [&] { return RocksSnapshots(*rocks_large, p.snapshots); }, {}});
  Target flat;
  flat.max_ratio = 1.5;
  big.baselines.push_back({"nokv: snapshot of the " + TreeName(small) + ", alternating with it",
                           [&] { return best_small; }, flat});
  RunWorkload(big, report);
}

// ---- reads at a snapshot ----

// A tree of 1 KiB files is snapshotted, then every file is replaced once, so
// each read at the snapshot has to skip a newer version of the file.
void SnapshotRead(const Params& p, WorkRoot& root, Report* report) {
  TreeShape shape = ShapeOf(p.snapshot_read_files);
  std::cerr << "[snapshot_read] building a " << TreeName(shape)
            << " of 1 KiB files, snapshotting it, replacing every file\n";
  auto ns = OpenFresh(root.Fresh("nokv"));
  NokvCreateTree(*ns, "/r", shape, RandomBytes(1024, 1));
  SnapshotOptions snapshot;
  snapshot.name = "before";
  Check(ns->CreateSnapshot("/r", snapshot).status(), "snapshot /r");
  NokvCreateTree(*ns, "/r", shape, RandomBytes(1024, 2));
  ReadOptions at_snapshot;
  at_snapshot.snapshot = snapshot.name;

  std::vector<std::string> all = TreePathsOf("/r", shape, FirstN(shape.files()));
  if (Unwrap(ns->Stat(all[0], at_snapshot), "stat " + all[0]).generation != 1 ||
      Unwrap(ns->Stat(all[0], {}), "stat " + all[0]).generation != 2) {
    Fail("the snapshot does not read the first generation of " + all[0]);
  }
  NokvStat(*ns, all);  // one warm-up pass on each side
  NokvStat(*ns, all, at_snapshot);
  std::vector<std::string> stats =
      TreePathsOf("/r", shape, RandomIndices(shape.files(), p.snapshot_read_stats, 7));
  std::vector<std::string> reads =
      TreePathsOf("/r", shape, RandomIndices(shape.files(), shape.files(), 8));

  Workload stat;
  stat.name = "stat at a snapshot, random order (" + Count(p.snapshot_read_stats) + " stats, " +
              TreeName(shape) + ", every file replaced since)";
  stat.unit = "stats/s";
  stat.reps = p.reps;
  stat.nokv = [&] { return NokvStat(*ns, stats, at_snapshot); };
  stat.baselines.push_back(
      {"nokv: live stat of the same paths", [&] { return NokvStat(*ns, stats); }, {}});
  ReadOptions at_version;
  at_version.version = Unwrap(ns->GetSnapshot(snapshot.name), "snapshot " + snapshot.name).version;
  stat.baselines.push_back({"nokv: stat of the same paths at the snapshot's version",
                            [&] { return NokvStat(*ns, stats, at_version); },
                            {}});
  RunWorkload(stat, report);

  Workload read;
  read.name = "read a 1 KiB file at a snapshot (OpenFile + ReadAll), random order (" +
              Count(shape.files()) + " files)";
  read.unit = "files/s";
  read.reps = p.reps;
  read.nokv = [&] { return NokvReadFiles(*ns, reads, at_snapshot); };
  read.baselines.push_back(
      {"nokv: live read of the same files", [&] { return NokvReadFiles(*ns, reads); }, {}});
  RunWorkload(read, report);
}

// ---- watch replay ----

// A log of creates followed by replaces of the same files (one publish event
// per commit of 1000 files besides), replayed from the oldest event.
// Baselines: the same events, encoded as JSON, as the values of a RocksDB
// key range scanned with one iterator, and as a JSON-lines file.
void WatchReplay(const Params& p, WorkRoot& root, Report* report) {
  uint64_t files = p.watch_events / 2;
  std::cerr << "[watch_replay] creating and then replacing " << Count(files) << " files\n";
  auto ns = OpenFresh(root.Fresh("nokv"));
  NokvCreate(*ns, "/w", {files, 1000, RandomBytes(100, 1), true});
  NokvCreate(*ns, "/w", {files, 1000, RandomBytes(100, 2), true});
  std::vector<WatchEvent> events;
  NokvReplay(*ns, "/", 1000, &events);  // also the nokv warm-up pass
  std::vector<std::string> lines;
  lines.reserve(events.size());
  uint64_t bytes = 0;
  for (const WatchEvent& e : events) {
    lines.push_back(EventJson(e));
    bytes += lines.back().size();
  }
  events.clear();
  std::string jsonl = root.Fresh("jsonl") + "/events.jsonl";
  WriteLines(jsonl, lines);
  auto db = OpenRocks(root.Fresh("rocksdb"));
  RocksAppendLog(*db, lines);
  uint64_t n = lines.size();
  lines.clear();
  RocksScan(*db, n);  // warm-up passes
  ReadLines(jsonl, n);
  report->AddNote("watch replay: one event as JSON",
                  std::to_string(bytes / std::max<uint64_t>(n, 1)) + " bytes on average");

  constexpr int kPasses = 3;
  Workload w;
  w.name = "replay the event log from the start (" + Si(static_cast<double>(n)) +
           " events, Watch pages of 1000, " + std::to_string(kPasses) + " passes)";
  w.unit = "events/s";
  w.reps = p.reps;
  w.nokv = [&] {
    return Passes(kPasses, [&] {
      Measurement m = NokvReplay(*ns, "/", 1000);
      if (m.ops != static_cast<double>(n)) Fail("watch replay saw a different number of events");
      return m;
    });
  };
  w.baselines.push_back({"rocksdb iterator over as many keys (value: the event as JSON)",
                         [&] { return Passes(kPasses, [&] { return RocksScan(*db, n); }); },
                         {}});
  w.baselines.push_back({"read a JSON-lines file of the same events (getline)",
                         [&] { return Passes(kPasses, [&] { return ReadLines(jsonl, n); }); },
                         {}});
  RunWorkload(w, report);
}

// ---- clone ----

// A tree of empty files cloned in one commit, each run to a new destination
// (every nokv file has a body record whatever its size, and a clone shares
// it, so the size does not matter to nokv; empty files spare `cp` copying
// bytes). Baselines: a copy of the same local tree, and raw RocksDB writing
// as many entries (two keys each) in one synced batch.
void CloneTree(const Params& p, WorkRoot& root, Report* report) {
  TreeShape shape = ShapeOf(p.clone_files);
  std::cerr << "[clone] building a " << TreeName(shape) << " of empty files on each side\n";
  auto ns = OpenFresh(root.Fresh("nokv"));
  NokvCreateTree(*ns, "/src", shape, "");
  std::string fs_tree = root.Fresh("fs");
  FsCreateTree(fs_tree, shape, "");
  std::string copies = root.Fresh("cp");
  double entries = static_cast<double>(shape.entries());

  int runs = 0;
  double best_seconds = 0;
  Workload w;
  w.name = "clone a " + TreeName(shape) + " of empty files in one commit (" +
           Count(shape.entries()) + " entries)";
  w.unit = "entries/s";
  w.reps = p.reps;
  w.nokv = [&] {
    Measurement m = NokvClone(*ns, "/src", "/clone-" + std::to_string(runs++), shape);
    if (best_seconds == 0 || m.seconds < best_seconds) best_seconds = m.seconds;
    return m;
  };
  w.baselines.push_back({"cp -r --reflink=auto of the same local tree",
                         [&] { return CopyTree(fs_tree, copies, entries); },
                         {}});
  w.baselines.push_back(
      {"rocksdb one WriteBatch of as many entries, 2 keys each, sync",
       [&] {
         return RocksCreate(root.Fresh("rocksdb"), {shape.entries(), shape.entries(), "", true});
       },
       {}});
  RunWorkload(w, report);
  report->AddNote("clone of the " + TreeName(shape) + ", one commit", Seconds(best_seconds));
}

// ---- garbage collection ----

namespace {

// One GC run: in a fresh namespace, files of `body_bytes` under /g are
// published, each replaced once, then /g is removed; the timed part is one
// CollectGarbage with retention 0, which frees every version and body.
struct GcSetup {
  TreeShape shape;
  uint64_t body_bytes = 0;
  uint64_t inline_threshold = Options{}.inline_threshold;
};

GcRun RunGc(const GcSetup& setup, WorkRoot& root) {
  Options options;
  options.data_dir = root.Fresh("nokv");
  options.inline_threshold = setup.inline_threshold;
  auto ns = OpenFresh(options);
  NokvCreateTree(*ns, "/g", setup.shape, RandomBytes(setup.body_bytes, 1));
  NokvCreateTree(*ns, "/g", setup.shape, RandomBytes(setup.body_bytes, 2));
  Check(ns->Remove("/g", /*recursive=*/true, {}, {}).status(), "remove /g");
  return NokvCollectGarbage(*ns);
}

std::string GcNote(const GcRun& run) {
  const GcReport& r = run.report;
  return std::to_string(r.versions_pruned) + " versions pruned, " + std::to_string(r.bodies_freed) +
         " bodies and " + std::to_string(r.blocks_deleted) + " blocks freed (" +
         Bytes(r.bytes_freed) + "), " + std::to_string(r.steps) + " steps in " +
         Seconds(run.seconds);
}

// Local trees of `files` files of `body_bytes` each, one per run, all made
// before anything is deleted.
std::vector<std::string> RemovalTrees(uint64_t files, uint64_t body_bytes, int reps,
                                      WorkRoot& root) {
  std::vector<std::string> trees;
  std::string body = RandomBytes(body_bytes, 4);
  for (int rep = 0; rep < reps; ++rep) {
    trees.push_back(root.Fresh("fs"));
    FsCreateTree(trees.back(), ShapeOf(files), body);
  }
  return trees;
}

// `rm -rf` of one of `trees` (each used once); ops = `ops`.
Measurement RemoveTree(std::vector<std::string>& trees, double ops) {
  if (trees.empty()) Fail("no local tree left to remove");
  std::string tree = std::move(trees.back());
  trees.pop_back();
  return TimeProgram(ops, {"/bin/rm", "-rf", tree});
}

}  // namespace

// Inline bodies measure the metadata side (versions pruned, bodies freed);
// bodies of one block each (a lower inline threshold) measure freeing bytes.
void CollectGarbage(const Params& p, WorkRoot& root, Report* report) {
  GcSetup inline_setup{ShapeOf(p.gc_files), 1024};
  GcSetup block_setup{ShapeOf(p.gc_block_files), 16 * 1024, 4 * 1024};
  // rm -rf removes fewer files than nokv frees (at most p.gc_removed_files):
  // the rates compare, and unlinking is slow on filesystems mounted with
  // `discard`.
  uint64_t removed = std::min(p.gc_removed_files, 2 * inline_setup.shape.files());
  uint64_t removed_blocks = std::min(p.gc_removed_files, 2 * block_setup.shape.files());
  std::cerr << "[gc] building local trees for rm -rf\n";
  std::vector<std::string> inline_trees =
      RemovalTrees(removed, inline_setup.body_bytes, p.reps, root);
  std::vector<std::string> block_trees =
      RemovalTrees(removed_blocks, block_setup.body_bytes, p.reps, root);
  std::string what =
      Count(inline_setup.shape.files()) + " 1 KiB files replaced once, then removed; retention 0";

  GcRun best;
  Workload versions;
  versions.name = "gc: versions pruned (" + what + ")";
  versions.unit = "versions/s";
  versions.reps = p.reps;
  versions.nokv = [&] {
    GcRun run = RunGc(inline_setup, root);
    if (best.seconds == 0 || run.seconds < best.seconds) best = run;
    return Measurement{static_cast<double>(run.report.versions_pruned), run.seconds};
  };
  versions.baselines.push_back({"rocksdb Delete of as many keys, 10K keys/batch, sync",
                                [&] {
                                  auto db = OpenRocks(root.Fresh("rocksdb"));
                                  CreateSpec spec{best.report.versions_pruned / 2, 5000, "", true};
                                  RocksWrite(*db, spec);
                                  return RocksDelete(*db, spec);
                                },
                                {}});
  RunWorkload(versions, report);

  Workload freed;
  freed.name = "gc: bodies freed (same runs)";
  freed.unit = "bodies/s";
  freed.reps = p.reps;
  freed.nokv_result = Measurement{static_cast<double>(best.report.bodies_freed), best.seconds};
  freed.baselines.push_back({"rm -rf of a local tree of " + Count(removed) + " 1 KiB files",
                             [&] { return RemoveTree(inline_trees, removed); },
                             {}});
  RunWorkload(freed, report);
  report->AddNote("gc of " + Count(inline_setup.shape.files()) + " inline files (best run)",
                  GcNote(best));

  GcRun best_blocks;
  double removed_mib = static_cast<double>(removed_blocks * block_setup.body_bytes) / kMiB;
  Workload bytes;
  bytes.name = "gc: bytes freed (" + Count(block_setup.shape.files()) +
               " 16 KiB files, inline threshold 4 KiB so one block each, replaced once, then "
               "removed)";
  bytes.unit = "MiB/s";
  bytes.reps = p.reps;
  bytes.nokv = [&] {
    GcRun run = RunGc(block_setup, root);
    if (best_blocks.seconds == 0 || run.seconds < best_blocks.seconds) best_blocks = run;
    return Measurement{static_cast<double>(run.report.bytes_freed) / kMiB, run.seconds};
  };
  bytes.baselines.push_back({"rm -rf of a local tree of " + Count(removed_blocks) + " 16 KiB files",
                             [&] { return RemoveTree(block_trees, removed_mib); },
                             {}});
  RunWorkload(bytes, report);
  report->AddNote("gc of " + Count(block_setup.shape.files()) + " block-backed files (best run)",
                  GcNote(best_blocks));
}

}  // namespace nokv::bench
