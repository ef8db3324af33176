// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "workloads.h"

#include <cstdio>
#include <iostream>

#include "baselines.h"
#include "cli_workloads.h"
#include "index_workloads.h"
#include "inputs.h"
#include "nokv_ops.h"
#include "s3_workloads.h"
#include "time_workloads.h"

namespace nokv::bench {

Params ParamsFor(Scale scale) {
  Params p;
  bool small = scale == Scale::kSmall;
  p.batched_files = small ? 20'000 : 200'000;
  p.batch = 1000;
  p.single_files = small ? 500 : 2'000;
  p.stat_files = small ? 10'000 : 100'000;
  p.stat_ops = 4 * p.stat_files;
  p.list_entries = small ? 20'000 : 100'000;
  p.list_passes = 3;
  p.page_entries = small ? 100'000 : 1'000'000;
  p.page_samples = small ? 500 : 2'000;
  p.big_bytes = small ? (uint64_t{256} << 20) : (uint64_t{1} << 30);
  p.snapshot_small_tree = small ? 1'000 : 10'000;
  p.index_rows = small ? 20'000 : 1'000'000;
  p.index_reps = small ? 50 : 200;
  p.grep_files = small ? 16 : 128;
  p.snapshot_large_tree = small ? 10'000 : 1'000'000;
  p.snapshots = small ? 50 : 200;
  p.snapshot_read_files = small ? 10'000 : 100'000;
  p.snapshot_read_stats = 2 * p.snapshot_read_files;
  p.watch_events = small ? 10'000 : 100'000;
  p.clone_files = small ? 10'000 : 100'000;
  p.gc_files = small ? 10'000 : 100'000;
  p.gc_block_files = small ? 250 : 1'000;
  p.gc_removed_files = small ? 500 : 2'000;
  p.reps = small ? 1 : 3;
  p.s3_checkpoint_bytes = small ? (uint64_t{64} << 20) : (uint64_t{1} << 30);
  p.s3_samples = small ? 500 : 2'000;
  p.cli_dirs = small ? 10 : 1'000;
  p.cli_files_per_dir = small ? 100 : 1'000;
  p.cli_commands = small ? 10 : 50;
  return p;
}

namespace {

// ---- create ----

// One create workload: nokv Publish vs raw RocksDB vs the filesystem, all
// creating spec.files files with spec.body, batched the same way.
void RunCreate(const std::string& label, const CreateSpec& spec, const Target& rocks_target,
               const Target& fs_target, int reps, WorkRoot& root, Report* report) {
  bool batched = spec.batch > 1;
  std::string per = batched ? std::to_string(spec.batch) + "/commit" : "1/commit";
  std::string body = spec.body.empty() ? "" : "+write " + std::to_string(spec.body.size()) + " B";

  Workload w;
  w.name = label + ", " + per + " (" + Count(spec.files) + " files, sync)";
  w.unit = "files/s";
  w.reps = reps;
  w.nokv = [&] {
    auto ns = OpenFresh(root.Fresh("nokv"));
    return NokvCreate(*ns, "/d", spec);
  };
  std::string rocks_name = batched ? "rocksdb WriteBatch " + per + ", 2 keys/file, sync"
                                   : "rocksdb Write per file, 2 keys, sync";
  w.baselines.push_back(
      {rocks_name, [&] { return RocksCreate(root.Fresh("rocksdb"), spec); }, rocks_target});
  w.baselines.push_back({"fs create" + body + " (no fsync)",
                         [&] { return FsCreate(root.Fresh("fs"), spec.files, spec.body); },
                         fs_target});
  RunWorkload(w, report);
}

void RunCreateGroup(const std::string& label, const std::string& body, bool with_targets,
                    const Params& p, WorkRoot& root, Report* report) {
  Target rocks_target, fs_target;
  if (with_targets) {
    rocks_target.min_value = 250'000;
    rocks_target.min_ratio = 0.6;
    fs_target.min_ratio = 5;
  }
  RunCreate(label, {p.batched_files, p.batch, body, true}, rocks_target, fs_target, p.reps, root,
            report);
  RunCreate(label, {p.single_files, 1, body, true}, {}, {}, p.reps, root, report);
}

void CreateEmpty(const Params& p, WorkRoot& root, Report* report) {
  RunCreateGroup("create empty", "", /*with_targets=*/false, p, root, report);
}

void Create1K(const Params& p, WorkRoot& root, Report* report) {
  RunCreateGroup("create 1 KiB inline", RandomBytes(1024, 42), /*with_targets=*/true, p, root,
                 report);
}

// ---- stat ----

// Stat and list run against data built once per workload (untimed), after
// one untimed warm-up pass on each side: the kernel's dentry and inode caches
// are warm right after the creates, so nokv's caches get the same chance.
void StatFiles(const Params& p, WorkRoot& root, Report* report) {
  std::cerr << "[stat] creating " << Count(p.stat_files) << " files on each side\n";
  auto ns = OpenFresh(root.Fresh("nokv"));
  NokvCreate(*ns, "/s", {p.stat_files, kSetupBatch, "", true});
  std::string fs_dir = root.Fresh("fs");
  FsCreate(fs_dir, p.stat_files, "");
  std::vector<uint64_t> all = FirstN(p.stat_files);
  NokvStat(*ns, PathsOf("/s", all));
  FsStat(PathsOf(fs_dir, all));

  std::vector<uint64_t> order = RandomIndices(p.stat_files, p.stat_ops, 7);
  std::vector<std::string> nokv_paths = PathsOf("/s", order);
  std::vector<std::string> fs_paths = PathsOf(fs_dir, order);
  Workload w;
  w.name =
      "stat, random order (" + Count(p.stat_ops) + " stats over " + Count(p.stat_files) + " files)";
  w.unit = "stats/s";
  w.reps = p.reps;
  w.nokv = [&] { return NokvStat(*ns, nokv_paths); };
  Target target;
  target.min_value = 500'000;
  w.baselines.push_back({"stat(2) of local files", [&] { return FsStat(fs_paths); }, target});
  RunWorkload(w, report);
}

// ---- list ----

void ListDir(const Params& p, WorkRoot& root, Report* report) {
  std::cerr << "[list] creating " << Count(p.list_entries) << " files on each side\n";
  auto ns = OpenFresh(root.Fresh("nokv"));
  NokvCreate(*ns, "/l", {p.list_entries, kSetupBatch, "", true});
  std::string fs_dir = root.Fresh("fs");
  FsCreate(fs_dir, p.list_entries, "");
  NokvListAll(*ns, "/l", 1000, 1, p.list_entries);
  FsReaddir(fs_dir, 1, p.list_entries);

  Workload w;
  w.name = "list " + Count(p.list_entries) + "-entry dir, pages of 1000 (" +
           std::to_string(p.list_passes) + " passes)";
  w.unit = "entries/s";
  w.reps = p.reps;
  w.nokv = [&] { return NokvListAll(*ns, "/l", 1000, p.list_passes, p.list_entries); };
  Target target;
  target.min_value = 1'000'000;
  w.baselines.push_back({"readdir(3) of a local dir",
                         [&] { return FsReaddir(fs_dir, p.list_passes, p.list_entries); }, target});
  RunWorkload(w, report);
}

// ---- paging a huge directory ----

std::string Mib(double value) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f MiB", value);
  return buf;
}

std::string RateNote(const Measurement& m, const char* unit) {
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%s %s in %.2f s", Si(m.Rate()).c_str(), unit, m.seconds);
  return buf;
}

void PageDir(const Params& p, WorkRoot& root, Report* report) {
  bool hwm = ResetHighWaterRss();
  auto ns = OpenFresh(root.Fresh("nokv"));
  std::string big = Count(p.page_entries);
  std::cerr << "[page] building a " << big << "-entry directory\n";
  Measurement build = NokvCreate(*ns, "/big", {p.page_entries, kSetupBatch, "", true});
  NokvCreate(*ns, "/small", {100, 100, "", true});
  std::vector<std::string> cursors;
  Measurement walk = NokvCursors(*ns, "/big", 100, &cursors);
  report->AddNote("build " + big + "-entry dir (Publish, " + Count(kSetupBatch) + "/commit)",
                  RateNote(build, "files/s"));
  report->AddNote("list " + big + "-entry dir, pages of 100", RateNote(walk, "entries/s"));

  std::vector<std::string> sampled;
  for (uint64_t i : RandomIndices(cursors.size(), p.page_samples, 11)) {
    sampled.push_back(cursors[i]);
  }
  Workload w;
  w.name = "one List page (limit 100) at a random cursor, " + big + "-entry dir";
  w.unit = "us/page";
  w.reps = p.reps;
  w.metric = Metric::kLatency;
  w.nokv = [&] { return NokvPages(*ns, "/big", sampled, 100); };
  Target target;
  target.max_ratio = 1.5;
  w.baselines.push_back({"nokv: first page of a 100-entry dir",
                         [&] {
                           std::vector<std::string> first(p.page_samples, "");
                           return NokvPages(*ns, "/small", first, 100);
                         },
                         target});
  RunWorkload(w, report);
  report->AddNote("process peak RSS (getrusage) after the " + big + "-entry workload",
                  Mib(PeakRssMiB()) + " (peak within this workload, VmHWM: " +
                      (hwm ? Mib(HighWaterRssMiB()) : "unavailable") + ")");
}

// ---- one big file ----

void BigFile(const Params& p, WorkRoot& root, Report* report) {
  std::string size = Bytes(p.big_bytes);
  std::string source = root.Fresh("bigfile") + "/source.bin";
  std::cerr << "[bigfile] writing a " << size << " source file\n";
  WriteRandomFile(source, p.big_bytes);
  double mib = static_cast<double>(p.big_bytes) / kMiB;
  std::string nokv_dir = root.Fresh("nokv");
  auto ns = OpenFresh(nokv_dir);
  std::string copies = root.Fresh("cp");
  int runs = 0;

  // The source is evicted from the page cache before every side, so each one
  // reads it from the device.
  Workload publish;
  publish.name = "publish " + size + " file (4 MiB blocks, SHA-256, fsync)";
  publish.unit = "MiB/s";
  publish.reps = p.reps;
  // Every run publishes a new path, so each one creates (never replaces).
  std::string published;
  publish.nokv = [&] {
    EvictFromPageCache(source);
    published = "/big/blob-" + std::to_string(runs++) + ".bin";
    return NokvPublishFile(*ns, published, source);
  };
  Target cp_target;
  cp_target.min_ratio = 0.8;
  publish.baselines.push_back({"cp (no fsync)",
                               [&] {
                                 EvictFromPageCache(source);
                                 std::string copy = copies + "/" + std::to_string(runs++);
                                 return TimeProgram(mib, {"/bin/cp", source, copy});
                               },
                               cp_target});
  publish.baselines.push_back({"cp + sync of the copy",
                               [&] {
                                 EvictFromPageCache(source);
                                 std::string copy = copies + "/" + std::to_string(runs++);
                                 return Time(mib, [&] {
                                   RunProgram({"/bin/cp", source, copy});
                                   RunProgram({"/bin/sync", copy});
                                 });
                               },
                               {}});
  RunWorkload(publish, report);

  Workload read;
  read.name = "read back " + size + " (ReadAll, verifies SHA-256), cold cache";
  read.unit = "MiB/s";
  read.reps = p.reps;
  read.nokv = [&] {
    EvictFromPageCache(nokv_dir);
    return NokvReadAll(*ns, published);
  };
  read.baselines.push_back({"cat > /dev/null, cold cache",
                            [&] {
                              EvictFromPageCache(source);
                              return TimeProgram(mib, {"/bin/cat", source}, "/dev/null");
                            },
                            {}});
  RunWorkload(read, report);
}

}  // namespace

const std::vector<Group>& Groups() {
  static const std::vector<Group> groups = {
      {"create_empty", CreateEmpty},
      {"create_1k", Create1K},
      {"stat", StatFiles},
      {"list", ListDir},
      {"page", PageDir},
      {"bigfile", BigFile},
      // Last, and gc at the very end: GC and its `rm -rf` baselines delete
      // files, which slows file creation on ext4 for a while afterwards.
      {"snapshot_create", SnapshotCreate},
      {"snapshot_read", SnapshotRead},
      {"watch_replay", WatchReplay},
      {"clone", CloneTree},
      {"gc", CollectGarbage},
      {"s3", S3Workloads},
      {"index", IndexQueries},
      {"grep", GrepThroughput},
      {"cli", CliOneShot},
  };
  return groups;
}

std::vector<std::string> GroupNames() {
  std::vector<std::string> names;
  for (const Group& group : Groups()) names.push_back(group.name);
  return names;
}

}  // namespace nokv::bench
