// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli_workloads.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "baselines.h"
#include "inputs.h"
#include "nokv_ops.h"

namespace nokv::bench {
namespace {

// The nokv binary built beside nokv-bench.
std::string NokvBinary() {
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof(self) - 1);
  CheckErrno(n > 0, "readlink /proc/self/exe");
  std::string dir(self, static_cast<size_t>(n));
  dir = dir.substr(0, dir.rfind('/'));
  std::string path = dir + "/nokv";
  if (::access(path.c_str(), X_OK) != 0) Fail("no nokv binary beside nokv-bench at " + path);
  return path;
}

// Runs argv with the standard output discarded (and `stdin_path` as its
// standard input when given); fails unless it exits 0.
void RunQuiet(const std::vector<std::string>& argv, const std::string& stdin_path = "") {
  RunProgram(argv, "/dev/null", stdin_path);
}

// A nokv data dir holding `shape` below /data, built through the library.
void BuildNokvTree(const std::string& data_dir, const TreeShape& shape) {
  std::unique_ptr<Namespace> ns = OpenFresh(data_dir);
  for (uint64_t d = 0; d < shape.dirs; ++d) {
    CreateSpec spec;
    spec.files = shape.files_per_dir;
    spec.batch = kSetupBatch;
    spec.body = "x";
    NokvCreate(*ns, "/data/" + DirName(d), spec);
  }
}

// A git repository whose HEAD holds the same tree (every file "x"), built
// with fast-import, and an index matching HEAD (no checkout: 1M files on
// disk would measure the filesystem, not git).
void BuildGitTree(const std::string& repo, const TreeShape& shape) {
  RunQuiet({"/usr/bin/git", "init", "-q", repo});
  const std::string stream_path = repo + "/../fast-import.stream";
  {
    std::ofstream stream(stream_path, std::ios::binary);
    stream << "blob\nmark :1\ndata 1\nx\n";
    stream << "commit refs/heads/main\ncommitter bench <bench@example.invalid> 0 +0000\n"
           << "data 5\nsetup\n";
    for (uint64_t d = 0; d < shape.dirs; ++d) {
      for (uint64_t f = 0; f < shape.files_per_dir; ++f) {
        stream << "M 100644 :1 data/" << DirName(d) << "/" << FileName(f) << "\n";
      }
    }
    stream << "\n";
    if (!stream) Fail("write " + stream_path);
  }
  RunQuiet({"/usr/bin/git", "-C", repo, "fast-import", "--quiet"}, stream_path);
  RunQuiet({"/usr/bin/git", "-C", repo, "symbolic-ref", "HEAD", "refs/heads/main"});
  RunQuiet({"/usr/bin/git", "-C", repo, "read-tree", "HEAD"});
  ::unlink(stream_path.c_str());
}

// Times `commands` (each a list of argvs run one after another); ops =
// commands.
Measurement TimeCommands(const std::vector<std::vector<std::vector<std::string>>>& commands,
                         const std::string& stdin_path = "") {
  return Time(static_cast<double>(commands.size()), [&] {
    for (const auto& steps : commands) {
      for (const auto& argv : steps) RunQuiet(argv, stdin_path);
    }
  });
}

}  // namespace

void CliOneShot(const Params& params, WorkRoot& root, Report* report) {
  if (::access("/usr/bin/git", X_OK) != 0) Fail("the cli group needs git (/usr/bin/git)");
  const std::string nokv = NokvBinary();
  const TreeShape shape{params.cli_dirs, params.cli_files_per_dir};
  const std::string data_dir = root.Fresh("cli-nokv") + "/data";
  const std::string repo = root.Fresh("cli-git") + "/repo";
  std::cerr << "[cli] building " << Count(shape.files()) << " files for nokv and git\n";
  BuildNokvTree(data_dir, shape);
  BuildGitTree(repo, shape);
  // Git commits fsync their objects and refs, as nokv syncs its log.
  const std::vector<std::string> git = {"/usr/bin/git",
                                        "-C",
                                        repo,
                                        "-c",
                                        "core.fsync=committed",
                                        "-c",
                                        "user.name=bench",
                                        "-c",
                                        "user.email=b@x.invalid"};
  auto git_argv = [&git](std::vector<std::string> tail) {
    std::vector<std::string> argv = git;
    argv.insert(argv.end(), tail.begin(), tail.end());
    return argv;
  };

  const std::vector<uint64_t> picks =
      RandomIndices(shape.files(), params.cli_commands, /*seed=*/1234);
  std::vector<std::vector<std::vector<std::string>>> nokv_stats, git_stats;
  for (uint64_t k : picks) {
    const std::string rel =
        "data/" + DirName(k / shape.files_per_dir) + "/" + FileName(k % shape.files_per_dir);
    nokv_stats.push_back({{nokv, "--data-dir", data_dir, "stat", "/" + rel}});
    git_stats.push_back({git_argv({"cat-file", "-s", "HEAD:" + rel})});
  }
  Target stat_target;
  stat_target.max_value = 20'000;  // us: 20 ms
  Workload stat{
      "one-shot `nokv stat` (a process per command), " + Count(shape.files()) + " files",
      "us/command",
      Metric::kLatency,
      [&] { return TimeCommands(nokv_stats); },
      std::nullopt,
      {{"git cat-file -s HEAD:PATH", [&] { return TimeCommands(git_stats); }, stat_target}},
      params.reps};
  RunWorkload(stat, report);

  const std::string body = root.Fresh("cli-body") + "/small.txt";
  std::ofstream(body) << "step 1 loss 0.25\n";
  int round = 0;
  auto nokv_puts = [&] {
    std::vector<std::vector<std::vector<std::string>>> commands;
    for (uint64_t i = 0; i < params.cli_commands; ++i) {
      commands.push_back({{nokv, "--data-dir", data_dir, "put", body,
                           "/new/r" + std::to_string(round) + "/f" + std::to_string(i) + ".txt"}});
    }
    ++round;
    return TimeCommands(commands);
  };
  auto git_commits = [&] {
    std::vector<std::vector<std::vector<std::string>>> commands;
    const std::string dir = "new/r" + std::to_string(round++);
    CheckErrno(::mkdir((repo + "/new").c_str(), 0755) == 0 || errno == EEXIST, "mkdir new");
    CheckErrno(::mkdir((repo + "/" + dir).c_str(), 0755) == 0, "mkdir " + dir);
    // A git commit rewrites the whole index (seconds at 1M files): a tenth
    // of the commands gives the per-command time without taking an hour.
    const uint64_t commits = std::max<uint64_t>(2, params.cli_commands / 10);
    for (uint64_t i = 0; i < commits; ++i) {
      const std::string rel = dir + "/f" + std::to_string(i) + ".txt";
      std::ofstream(repo + "/" + rel) << "step 1 loss 0.25\n";
      commands.push_back({git_argv({"add", rel}), git_argv({"commit", "-q", "-m", rel})});
    }
    return TimeCommands(commands);
  };
  Target put_target;
  put_target.max_value = 40'000;  // us: 40 ms
  Workload put{"one-shot `nokv put` of a small file, " + Count(shape.files()) + " files",
               "us/command",
               Metric::kLatency,
               nokv_puts,
               std::nullopt,
               {{"git add + git commit", git_commits, put_target}},
               /*reps=*/1};
  RunWorkload(put, report);
}

}  // namespace nokv::bench
