// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The benchmark harness: options, timing, the "nokv vs baseline" runner, the
// result table and its JSON form, scratch directories and machine facts.
// Every failure is a BenchError so stack unwinding removes scratch data.
#ifndef NOKV_BENCH_HARNESS_H_
#define NOKV_BENCH_HARNESS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nokv/status.h"

namespace nokv::bench {

class BenchError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] void Fail(const std::string& what);
// Throws BenchError("<what>: <status>") unless `status` is OK.
void Check(const Status& status, std::string_view what);
// Throws BenchError("<what>: <strerror(errno)>") unless `ok`.
void CheckErrno(bool ok, std::string_view what);

template <typename T>
T Unwrap(Result<T> result, std::string_view what) {
  Check(result.status(), what);
  return std::move(result).value();
}

// ---- command line ----

enum class Scale { kSmall, kFull };

struct Config {
  Scale scale = Scale::kFull;
  std::string dir;                // work dir; empty: a fresh temporary one
  std::vector<std::string> only;  // workload groups to run; empty: all
  bool json = false;
  std::string json_path;                 // with --json=PATH; empty: JSON goes to stdout
  std::string s3_endpoint;               // --s3-endpoint=URL enables the "s3" group
  std::string s3_bucket = "nokv-bench";  // --s3-bucket=NAME (must exist)
  std::string command_line;

  bool small() const { return scale == Scale::kSmall; }
  bool Selected(std::string_view group) const;
};

// Parses argv. Returns nullopt after printing --help. Throws on bad input.
std::optional<Config> ParseArgs(int argc, char** argv, const std::vector<std::string>& groups);

// ---- timing ----

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

inline constexpr double kMiB = 1 << 20;

// Work done in one timed region: `ops` units (files, entries, MiB, pages).
struct Measurement {
  double ops = 0;
  double seconds = 0;
  double Rate() const { return seconds > 0 ? ops / seconds : 0; }
  double LatencyUs() const { return ops > 0 ? seconds * 1e6 / ops : 0; }
};

// Runs `fn` once and reports `ops` units over its wall time.
template <typename Fn>
Measurement Time(double ops, Fn&& fn) {
  Stopwatch watch;
  fn();
  return {ops, watch.Seconds()};
}

// ---- workloads and their rows ----

// Rate rows compare throughput (ops/s, higher is better); latency rows compare
// microseconds per op (lower is better). The ratio is always nokv/baseline of
// the displayed value.
enum class Metric { kRate, kLatency };

struct Target {
  std::optional<double> min_value;  // nokv's displayed value must be >= this
  std::optional<double> max_value;  // ... and <= this (latency rows)
  std::optional<double> min_ratio;
  std::optional<double> max_ratio;

  bool empty() const { return !min_value && !max_value && !min_ratio && !max_ratio; }
  bool Met(double nokv_value, double ratio) const;
  std::string Describe(std::string_view unit) const;
};

struct Baseline {
  std::string name;
  std::function<Measurement()> run;
  Target target;
};

struct Workload {
  std::string name;
  std::string unit;  // e.g. "files/s", "MiB/s", "us/page"
  Metric metric = Metric::kRate;
  std::function<Measurement()> nokv;
  // Set instead of `nokv` when one nokv run is reported in several rows (in
  // different units): the best of runs measured beforehand.
  std::optional<Measurement> nokv_result;
  std::vector<Baseline> baselines;
  int reps = 1;  // each side runs this often; the best run counts
};

struct Row {
  std::string workload;
  std::string unit;
  Metric metric = Metric::kRate;
  double nokv_value = 0;
  std::string baseline;
  double baseline_value = 0;
  double ratio = 0;
  Target target;
  bool met = true;
};

struct Note {
  std::string key;
  std::string text;
};

struct MachineFacts {
  std::vector<Note> lines;  // ordered (label, value) pairs
};

class Report {
 public:
  void Add(Row row) { rows_.push_back(std::move(row)); }
  void AddNote(std::string key, std::string text) {
    notes_.push_back({std::move(key), std::move(text)});
  }
  const std::vector<Row>& rows() const { return rows_; }

  // A Markdown table, so the output pastes into docs/benchmarks.md as is.
  void PrintTable(std::ostream& out) const;
  void PrintNotes(std::ostream& out) const;
  std::string Json(const Config& config, const MachineFacts& facts) const;

 private:
  std::vector<Row> rows_;
  std::vector<Note> notes_;
};

// Measures nokv, then every baseline, each producing one row; every side runs
// `reps` times and its best run counts (filters interference from other load).
// Calls sync(2) after each run so write-back of one side does not land in the
// next side's timed region. Progress goes to stderr.
void RunWorkload(const Workload& workload, Report* report);

// ---- files and machine ----

// The run's work dir: a fresh mkdtemp directory inside --dir, or inside
// $TMPDIR or /tmp, removed with everything in it when the run ends.
//
// Nothing is deleted before then: on ext4 without a journal, creating files
// soon after many were deleted nearby is up to 20x slower (the inode
// allocator skips inodes deleted in the last 60 s, recently_deleted()), which
// would penalize whichever side runs after a deletion.
class WorkRoot {
 public:
  explicit WorkRoot(const std::string& parent);
  ~WorkRoot();
  WorkRoot(const WorkRoot&) = delete;
  WorkRoot& operator=(const WorkRoot&) = delete;

  const std::string& path() const { return path_; }
  // A new empty directory "<name>-<n>", unique within the run.
  std::string Fresh(std::string_view name);

 private:
  std::string path_;
  int next_ = 0;
};

MachineFacts CollectMachineFacts(const std::string& work_dir);

// Peak resident set size of the process so far (getrusage), in MiB.
double PeakRssMiB();
// Resets the kernel's RSS high-water mark (/proc/self/clear_refs) so the next
// HighWaterRssMiB() covers only what follows. Returns false if unsupported.
bool ResetHighWaterRss();
// VmHWM from /proc/self/status, in MiB (0 if unavailable).
double HighWaterRssMiB();

// `text` as a quoted JSON string.
std::string JsonString(std::string_view text);

// "12.3K", "1.23M": three significant digits with an SI suffix.
std::string Si(double value);
std::string Bytes(uint64_t bytes);
// "200K", "1M", "500": exact counts, abbreviated when round.
std::string Count(uint64_t n);

}  // namespace nokv::bench

#endif  // NOKV_BENCH_HARNESS_H_
