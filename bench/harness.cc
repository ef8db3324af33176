// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "harness.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <rocksdb/version.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace nokv::bench {

namespace fs = std::filesystem;

void Fail(const std::string& what) { throw BenchError(what); }

void Check(const Status& status, std::string_view what) {
  if (!status.ok()) Fail(std::string(what) + ": " + status.ToString());
}

void CheckErrno(bool ok, std::string_view what) {
  if (!ok) Fail(std::string(what) + ": " + std::strerror(errno));
}

// ---- command line ----

bool Config::Selected(std::string_view group) const {
  return only.empty() || std::find(only.begin(), only.end(), group) != only.end();
}

namespace {

std::vector<std::string> SplitComma(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += sep;
    out += part;
  }
  return out;
}

void PrintUsage(const std::vector<std::string>& groups) {
  std::cout << "usage: nokv-bench [--scale=small|full] [--dir=PATH] [--only=NAME,...] "
               "[--json[=PATH]]\n"
               "  --scale  small: a ~1 minute smoke run; full (default): the real numbers\n"
               "  --dir    where to make the run's work dir (default $TMPDIR or /tmp); the work\n"
               "           dir (nokv-bench-XXXXXX) is removed at the end\n"
               "  --only   workload groups: "
            << Join(groups, ",")
            << "\n"
               "  --json   also print the results as JSON (to stdout, or to PATH)\n"
               "  --s3-endpoint=URL [--s3-bucket=NAME]  run the s3 group against that server\n"
               "           (bucket default nokv-bench; credentials from AWS_* or AWS_PROFILE)\n";
}

}  // namespace

std::optional<Config> ParseArgs(int argc, char** argv, const std::vector<std::string>& groups) {
  Config config;
  for (int i = 0; i < argc; ++i) {
    if (i > 0) config.command_line += ' ';
    config.command_line += argv[i];
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value_of = [&](std::string_view flag) { return std::string(arg.substr(flag.size())); };
    if (arg == "--help" || arg == "-h") {
      PrintUsage(groups);
      return std::nullopt;
    } else if (arg == "--scale=small") {
      config.scale = Scale::kSmall;
    } else if (arg == "--scale=full") {
      config.scale = Scale::kFull;
    } else if (arg.starts_with("--dir=")) {
      config.dir = value_of("--dir=");
    } else if (arg.starts_with("--only=")) {
      config.only = SplitComma(value_of("--only="));
      for (const auto& name : config.only) {
        if (std::find(groups.begin(), groups.end(), name) == groups.end()) {
          Fail("unknown workload '" + name + "' in --only; choose from " + Join(groups, ","));
        }
      }
    } else if (arg.starts_with("--s3-endpoint=")) {
      config.s3_endpoint = value_of("--s3-endpoint=");
    } else if (arg.starts_with("--s3-bucket=")) {
      config.s3_bucket = value_of("--s3-bucket=");
    } else if (arg == "--json") {
      config.json = true;
    } else if (arg.starts_with("--json=")) {
      config.json = true;
      config.json_path = value_of("--json=");
    } else {
      Fail("unknown argument '" + std::string(arg) + "'; see --help");
    }
  }
  return config;
}

// ---- formatting ----

std::string Si(double value) {
  static constexpr const char* kSuffix[] = {"", "K", "M", "G", "T"};
  int i = 0;
  while (std::fabs(value) >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  char buf[32];
  int decimals = std::fabs(value) >= 100 ? 0 : (std::fabs(value) >= 10 ? 1 : 2);
  std::snprintf(buf, sizeof(buf), "%.*f%s", decimals, value, kSuffix[i]);
  return buf;
}

std::string Bytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= (uint64_t{1} << 30)) {
    std::snprintf(buf, sizeof(buf), "%.1f GiB", static_cast<double>(bytes) / (1 << 30));
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f MiB", static_cast<double>(bytes) / (1 << 20));
  }
  return buf;
}

std::string Count(uint64_t n) {
  if (n >= 1'000'000 && n % 1'000'000 == 0) return std::to_string(n / 1'000'000) + "M";
  if (n >= 1'000 && n % 1'000 == 0) return std::to_string(n / 1'000) + "K";
  return std::to_string(n);
}

namespace {

std::string FormatValue(double value, Metric metric, std::string_view unit) {
  if (metric == Metric::kLatency) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), value >= 100 ? "%.0f" : "%.1f", value);
    return std::string(buf) + " " + std::string(unit);
  }
  return Si(value) + " " + std::string(unit);
}

std::string FormatRatio(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), ratio >= 10 ? "%.1fx" : "%.2fx", ratio);
  return buf;
}

}  // namespace

std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

std::string JsonNumber(double value) {
  if (!std::isfinite(value)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}

}  // namespace

// ---- targets and rows ----

bool Target::Met(double nokv_value, double ratio) const {
  if (min_value && nokv_value < *min_value) return false;
  if (max_value && nokv_value > *max_value) return false;
  if (min_ratio && ratio < *min_ratio) return false;
  if (max_ratio && ratio > *max_ratio) return false;
  return true;
}

std::string Target::Describe(std::string_view unit) const {
  std::vector<std::string> parts;
  if (min_value) parts.push_back(">= " + Si(*min_value) + " " + std::string(unit));
  if (max_value) parts.push_back("<= " + Si(*max_value) + " " + std::string(unit));
  if (min_ratio) parts.push_back(">= " + FormatRatio(*min_ratio));
  if (max_ratio) parts.push_back("<= " + FormatRatio(*max_ratio));
  return Join(parts, ", ");
}

void Report::PrintTable(std::ostream& out) const {
  std::vector<std::vector<std::string>> cells = {{"workload", "nokv throughput", "baseline name",
                                                  "baseline throughput", "ratio (nokv/baseline)",
                                                  "target"}};
  for (const Row& row : rows_) {
    std::string target = "-";
    if (!row.target.empty()) {
      target = row.target.Describe(row.unit) + (row.met ? " (met)" : " (MISSED)");
    }
    cells.push_back({row.workload, FormatValue(row.nokv_value, row.metric, row.unit), row.baseline,
                     FormatValue(row.baseline_value, row.metric, row.unit), FormatRatio(row.ratio),
                     target});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    out << '|';
    for (size_t c = 0; c < line.size(); ++c) {
      out << ' ' << line[c] << std::string(width[c] - line[c].size(), ' ') << " |";
    }
    out << '\n';
  };
  print_line(cells[0]);
  out << '|';
  for (size_t w : width) out << std::string(w + 2, '-') << '|';
  out << '\n';
  for (size_t i = 1; i < cells.size(); ++i) print_line(cells[i]);
}

void Report::PrintNotes(std::ostream& out) const {
  for (const Note& note : notes_) out << note.key << ": " << note.text << '\n';
}

std::string Report::Json(const Config& config, const MachineFacts& facts) const {
  std::ostringstream out;
  out << "{\n  \"command\": " << JsonString(config.command_line)
      << ",\n  \"scale\": " << JsonString(config.small() ? "small" : "full")
      << ",\n  \"machine\": {";
  for (size_t i = 0; i < facts.lines.size(); ++i) {
    out << (i ? ", " : "") << JsonString(facts.lines[i].key) << ": "
        << JsonString(facts.lines[i].text);
  }
  out << "},\n  \"notes\": {";
  for (size_t i = 0; i < notes_.size(); ++i) {
    out << (i ? ", " : "") << JsonString(notes_[i].key) << ": " << JsonString(notes_[i].text);
  }
  out << "},\n  \"rows\": [";
  for (size_t i = 0; i < rows_.size(); ++i) {
    const Row& row = rows_[i];
    out << (i ? ",\n" : "\n") << "    {\"workload\": " << JsonString(row.workload)
        << ", \"unit\": " << JsonString(row.unit)
        << ", \"metric\": " << JsonString(row.metric == Metric::kRate ? "rate" : "latency")
        << ", \"nokv\": " << JsonNumber(row.nokv_value)
        << ", \"baseline\": " << JsonString(row.baseline)
        << ", \"baseline_value\": " << JsonNumber(row.baseline_value)
        << ", \"ratio\": " << JsonNumber(row.ratio)
        << ", \"target\": " << JsonString(row.target.Describe(row.unit))
        << ", \"target_met\": " << (row.target.empty() ? "null" : (row.met ? "true" : "false"))
        << "}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

namespace {

double Displayed(const Measurement& m, Metric metric) {
  return metric == Metric::kRate ? m.Rate() : m.LatencyUs();
}

bool Better(const Measurement& a, const Measurement& b, Metric metric) {
  return metric == Metric::kRate ? a.Rate() > b.Rate() : a.LatencyUs() < b.LatencyUs();
}

Measurement RunSide(const std::string& label, const std::function<Measurement()>& fn, Metric metric,
                    int reps) {
  std::cerr << "  " << label << ":" << std::flush;
  Measurement best;
  for (int rep = 0; rep < reps; ++rep) {
    Measurement m = fn();
    ::sync();
    char buf[64];
    std::snprintf(buf, sizeof(buf), " %s ops/%.3fs", Si(m.ops).c_str(), m.seconds);
    std::cerr << buf << std::flush;
    if (rep == 0 || Better(m, best, metric)) best = m;
  }
  std::cerr << "\n";
  return best;
}

}  // namespace

void RunWorkload(const Workload& workload, Report* report) {
  std::cerr << "[" << workload.name << "]\n";
  Measurement nokv;
  if (workload.nokv_result) {
    nokv = *workload.nokv_result;
    char buf[96];
    std::snprintf(buf, sizeof(buf), "  nokv (measured beforehand): %s ops/%.3fs\n",
                  Si(nokv.ops).c_str(), nokv.seconds);
    std::cerr << buf;
  } else {
    nokv = RunSide("nokv", workload.nokv, workload.metric, workload.reps);
  }
  double nokv_value = Displayed(nokv, workload.metric);
  for (const Baseline& baseline : workload.baselines) {
    Measurement base = RunSide(baseline.name, baseline.run, workload.metric, workload.reps);
    Row row;
    row.workload = workload.name;
    row.unit = workload.unit;
    row.metric = workload.metric;
    row.nokv_value = nokv_value;
    row.baseline = baseline.name;
    row.baseline_value = Displayed(base, workload.metric);
    row.ratio = row.baseline_value > 0 ? nokv_value / row.baseline_value : 0;
    row.target = baseline.target;
    row.met = baseline.target.Met(nokv_value, row.ratio);
    report->Add(std::move(row));
  }
}

// ---- files ----

namespace {

// Sets the "top of directory hierarchy" attribute (chattr +T) where the
// filesystem supports it: ext4's Orlov allocator then spreads our
// subdirectories over block groups like top-level ones, instead of packing
// them next to other recent (possibly deleted) files of the same parent. This
// only ever helps the filesystem baselines. Best effort.
void MarkTopDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  int flags = 0;
  if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
    flags |= FS_TOPDIR_FL;
    (void)::ioctl(fd, FS_IOC_SETFLAGS, &flags);
  }
  ::close(fd);
}

}  // namespace

WorkRoot::WorkRoot(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp && *tmp ? tmp : "/tmp";
  }
  std::error_code ec;
  fs::create_directories(base, ec);
  if (ec) Fail("cannot create " + base + ": " + ec.message());
  std::string tmpl = fs::absolute(base).string() + "/nokv-bench-XXXXXX";
  CheckErrno(::mkdtemp(tmpl.data()) != nullptr, "mkdtemp " + tmpl);
  path_ = tmpl;
  MarkTopDir(path_);
}

WorkRoot::~WorkRoot() {
  std::cerr << "removing " << path_ << "\n";
  std::error_code ec;
  fs::remove_all(path_, ec);
  if (ec) std::cerr << "warning: could not remove " << path_ << ": " << ec.message() << "\n";
  ::sync();  // written-back inode tables shorten ext4's recently-deleted window to 60 s
}

std::string WorkRoot::Fresh(std::string_view name) {
  std::string dir = path_ + "/" + std::string(name) + "-" + std::to_string(next_++);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) Fail("cannot create " + dir + ": " + ec.message());
  return dir;
}

// ---- machine ----

namespace {

std::string ReadKey(const std::string& file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with(key)) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "unknown";
}

// The mount holding `dir`: the longest mount point that prefixes it.
std::string FilesystemOf(const std::string& dir) {
  std::ifstream in("/proc/self/mounts");
  std::string device, mount_point, type, rest, best = "unknown";
  size_t best_len = 0;
  while (in >> device >> mount_point >> type && std::getline(in, rest)) {
    bool prefix =
        dir.starts_with(mount_point) &&
        (dir.size() == mount_point.size() || mount_point == "/" || dir[mount_point.size()] == '/');
    if (prefix && mount_point.size() >= best_len) {
      best_len = mount_point.size();
      best = type + " (" + device + " on " + mount_point + ")";
    }
  }
  return best;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return buf;
}

}  // namespace

MachineFacts CollectMachineFacts(const std::string& work_dir) {
  MachineFacts facts;
  struct utsname uts {};
  ::uname(&uts);
  facts.lines = {
      {"date", Today()},
      {"nproc", std::to_string(::sysconf(_SC_NPROCESSORS_ONLN))},
      {"cpu", ReadKey("/proc/cpuinfo", "model name")},
      {"memory", ReadKey("/proc/meminfo", "MemTotal")},
      {"kernel", std::string(uts.sysname) + " " + uts.release},
      {"load average at start", LoadAverage()},
      {"work dir", work_dir},
      {"filesystem", FilesystemOf(work_dir)},
      {"rocksdb", rocksdb::GetRocksVersionAsString()},
  };
  return facts;
}

double PeakRssMiB() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is KiB on Linux
}

bool ResetHighWaterRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

double HighWaterRssMiB() {
  std::string hwm = ReadKey("/proc/self/status", "VmHWM");  // "123456 kB"
  return std::strtod(hwm.c_str(), nullptr) / 1024.0;
}

}  // namespace nokv::bench
