// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/app.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>

#include <rocksdb/version.h>

#include "cli/duration.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace nokv::cli {
namespace {

constexpr const char* kDefaultDataDir = "./.nokv";
constexpr const char* kDataDirEnv = "NOKV_DATA_DIR";
constexpr const char* kWaitEnv = "NOKV_WAIT";
// What a bare --wait stands for (see NormalizeWaitArgs).
constexpr const char* kWaitForever = "forever";

using Clock = std::chrono::steady_clock;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string FormatMillis(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f ms", ms);
  return buf;
}

// Milliseconds in a --wait value: "250ms", or a duration of ParseDuration.
Result<int64_t> ParseWait(std::string_view text, std::string_view source) {
  if (text == kWaitForever) return int64_t{-1};
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    std::string_view digits = text.substr(0, text.size() - 2);
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
    if (ec == std::errc() && end == digits.data() + digits.size() && ms >= 0) return ms;
  }
  auto seconds = ParseDuration(text, source);
  if (!seconds.ok()) {
    return Status::InvalidArgument(std::string(source) + " '" + std::string(text) +
                                   "' is not a duration; use e.g. 500ms, 30s, 5m, 1h or forever");
  }
  if (*seconds > INT64_MAX / 1000) return int64_t{-1};
  return *seconds * 1000;
}

// A --wait value as its own argument: "500ms", "30s", "2m", "1h", "90".
bool LooksLikeWaitValue(std::string_view arg) {
  if (arg == kWaitForever) return true;
  const size_t digits = arg.find_first_not_of("0123456789");
  if (digits == 0) return false;
  if (digits == std::string_view::npos) return true;
  const std::string_view unit = arg.substr(digits);
  return unit == "ms" || unit == "s" || unit == "m" || unit == "h" || unit == "d" || unit == "w";
}

// CLI11 cannot parse an option whose value is optional without taking the
// next argument (often a path) as its value. So before parsing, a bare
// `--wait` becomes `--wait=forever`, unless the next argument is a
// duration (`--wait 30s`).
std::vector<std::string> NormalizeWaitArgs(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--") break;
    if (args[i] != "--wait") continue;
    if (i + 1 < args.size() && LooksLikeWaitValue(args[i + 1])) {
      ++i;
    } else {
      args[i] = std::string("--wait=") + kWaitForever;
    }
  }
  return args;
}

// How many .sst files the metadata holds and their bytes; -vv shows it.
std::string MetaFilesSummary(const std::string& meta_dir) {
  DIR* d = ::opendir(meta_dir.c_str());
  if (d == nullptr) return "no metadata dir";
  uint64_t sst = 0, sst_bytes = 0, logs = 0, log_bytes = 0;
  while (struct dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    const bool is_sst = name.size() > 4 && name.substr(name.size() - 4) == ".sst";
    const bool is_log = name.size() > 4 && name.substr(name.size() - 4) == ".log";
    if (!is_sst && !is_log) continue;
    struct stat st;
    const uint64_t size = ::stat((meta_dir + "/" + e->d_name).c_str(), &st) == 0 ? st.st_size : 0;
    (is_sst ? sst : logs) += 1;
    (is_sst ? sst_bytes : log_bytes) += size;
  }
  ::closedir(d);
  return std::to_string(sst) + " table files (" + FormatSize(sst_bytes) + "), " +
         std::to_string(logs) + " write-ahead logs (" + FormatSize(log_bytes) + ")";
}

const char* BuildType() {
#if defined(__OPTIMIZE__) && defined(NDEBUG)
  return "release";
#elif defined(__OPTIMIZE__)
  return "optimized with assertions";
#else
  return "debug";
#endif
}

nlohmann::json VersionJson() {
  nlohmann::json sanitizers = nlohmann::json::array();
#if defined(__SANITIZE_ADDRESS__)
  sanitizers.push_back("address");
#endif
#if defined(__SANITIZE_THREAD__)
  sanitizers.push_back("thread");
#endif
  std::string version = kVersionString;
  version = version.substr(version.find(' ') + 1);  // "nokv 0.1.0" -> "0.1.0"
  return {{"version", version},
          {"rocksdb_version", std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) +
                                  "." + std::to_string(ROCKSDB_PATCH)},
          {"build_type", BuildType()},
          {"assertions",
#ifdef NDEBUG
           false
#else
           true
#endif
          },
          {"sanitizers", std::move(sanitizers)},
          {"compiler", __VERSION__}};
}

// `nokv --version --json` (in either order, nothing else).
bool IsVersionJson(const std::vector<std::string>& args) {
  if (args.size() != 3) return false;
  return (args[1] == "--version" && args[2] == "--json") ||
         (args[1] == "--json" && args[2] == "--version");
}

// --quiet: stderr goes to /dev/null while the command runs (warnings,
// progress bars, notes), and comes back for the error message.
class StderrSilencer {
 public:
  explicit StderrSilencer(bool active) {
    if (!active) return;
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved_ < 0 || null_fd < 0 || ::dup2(null_fd, 2) < 0) Restore();
    if (null_fd >= 0) ::close(null_fd);
  }
  ~StderrSilencer() { Restore(); }
  StderrSilencer(const StderrSilencer&) = delete;
  StderrSilencer& operator=(const StderrSilencer&) = delete;

  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
  }

 private:
  int saved_ = -1;
};

std::string ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  const char* env = std::getenv(kDataDirEnv);
  if (env != nullptr && env[0] != '\0') return env;
  return kDefaultDataDir;
}

// Advice for errors whose library message cannot know the user's next step.
// (Busy needs none: the library names the holder and says that reads work.)
std::string DefaultHint(const Status& status, const Context& ctx) {
  switch (status.code()) {
    case Code::kCorruption:
      if (status.message().find("nokv fsck") != std::string::npos) return "";  // said already
      return "run `nokv fsck --verify-data` for a full report";
    case Code::kNoSpace:
      return "free space on the disk holding " + ctx.data_dir() + " and retry";
    case Code::kInternal:
      return "this is a bug in nokv; please report it with the command you ran";
    default:
      return "";
  }
}

bool ArgvHasJson(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) break;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

constexpr const char* kRootDescription =
    "nokv: a filesystem-shaped metadata namespace with atomic publish.\n"
    "Paths are absolute namespace paths such as /runs/exp1/model.bin; a relative\n"
    "path is refused (exit 2). Names are UTF-8.";

constexpr const char* kRootFooter =
    "Environment:\n"
    "  NOKV_DATA_DIR  data directory when --data-dir is not given (default ./.nokv)\n"
    "  NOKV_WAIT      how long writers wait for the writer lock when --wait is not\n"
    "                 given (e.g. 30s, 500ms, forever; default: fail at once, exit 7)\n"
    "  NOKV_STORE     body store when --store is not given (s3://BUCKET/PREFIX or local)\n"
    "  NOKV_S3_ENDPOINT, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,\n"
    "  AWS_SESSION_TOKEN, AWS_PROFILE: S3 endpoint, region and credentials\n"
    "\n"
    "Run `nokv COMMAND --help` for the options and an example of each command.\n";

}  // namespace

const CLI::Validator& UnsignedNumber() {
  static const CLI::Validator* validator = new CLI::Validator(
      [](std::string& value) -> std::string {
        bool digits = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
        return digits ? "" : "'" + value + "' is not a non-negative integer";
      },
      "");
  return *validator;
}

Result<int64_t> ResolveLockWait(const std::string& flag) {
  if (!flag.empty()) return ParseWait(flag, "--wait");
  const char* env = std::getenv(kWaitEnv);
  if (env != nullptr && env[0] != '\0') return ParseWait(env, kWaitEnv);
  return int64_t{0};
}

Context::Context(const GlobalFlags& flags, int64_t lock_wait_ms)
    : data_dir_(ResolveDataDir(flags.data_dir)),
      json_(flags.json),
      store_(flags.store),
      lock_wait_ms_(lock_wait_ms),
      verbosity_(flags.verbosity) {}

void Context::Verbose(int level, const std::string& message) const {
  if (verbosity_ < level) return;
  std::fprintf(stderr, "nokv: %s\n", message.c_str());
}

Result<std::unique_ptr<Namespace>> Context::OpenReader() const { return Open(true, false); }
Result<std::unique_ptr<Namespace>> Context::OpenWriter() const { return Open(false, true); }
Result<std::unique_ptr<Namespace>> Context::OpenMaintainer() const { return Open(false, false); }

Result<std::unique_ptr<Namespace>> Context::Open(bool read_only, bool cleanup_on_open) const {
  struct stat st;
  if (read_only && ::stat(data_dir_.c_str(), &st) != 0) {
    return Status::NotFound("no nokv data dir at " + data_dir_ +
                            "; publish something first with `nokv put`, or point --data-dir "
                            "or NOKV_DATA_DIR at an existing one");
  }
  Options options;
  options.data_dir = data_dir_;
  options.read_only = read_only;
  options.create_if_missing = !read_only;
  options.lock_wait_ms = lock_wait_ms_;
  options.cleanup_intents_on_open = cleanup_on_open;
  NOKV_RETURN_IF_ERROR(ApplyStoreFlags(store_, &options));
  const std::string store = options.store.empty() ? "local" : options.store;
  Verbose(1, "data dir " + data_dir_ + ", store " + store + ", opening " +
                 (read_only ? "read-only" : "as the writer"));
  if (verbosity_ >= 2) {
    Verbose(2, "metadata before open: " + MetaFilesSummary(data_dir_ + "/meta"));
    if (!read_only) {
      Verbose(2,
              "writer lock wait: " + (lock_wait_ms_ < 0 ? std::string("no limit")
                                                        : std::to_string(lock_wait_ms_) + " ms"));
    }
  }
  const auto start = Clock::now();
  auto ns = OpenNamespace(options);
  if (ns.ok()) {
    Verbose(1, "opened in " + FormatMillis(MillisSince(start)) + " at version " +
                   std::to_string((*ns)->LastVersion()));
  }
  return ns;
}

App::App() : root_(kRootDescription, "nokv") {
  root_.set_version_flag("--version", kVersionString, "Print the version and exit");
  // One subcommand per call. Sub-apps inherit the maximum, so once a command
  // is chosen a positional such as a local file named "ls" stays a positional.
  root_.require_subcommand(1);
  root_.fallthrough();
  root_.get_formatter()->label("TEXT", "");  // "PATH", not "PATH TEXT"
  AddGlobalFlags(&root_);
}

void App::AddGlobalFlags(CLI::App* app) {
  app->add_option("--data-dir", flags_.data_dir,
                  "Data directory (default: $NOKV_DATA_DIR, else ./.nokv)")
      ->type_name("DIR");
  app->add_flag("--json", flags_.json, "Print machine-readable JSON on stdout");
  app->add_option("--wait", flags_.wait,
                  "Writers: wait for another writer to finish instead of failing with exit 7; "
                  "--wait alone waits without a limit, --wait=DURATION (500ms, 30s, 5m) at "
                  "most that long (default: $NOKV_WAIT, else no wait)")
      ->type_name("[=DURATION]");
  // Counted across the root and the command: `nokv -v ls -v` is -vv.
  app->add_flag_function(
      "-v,--verbose", [this](int64_t n) { flags_.verbosity += static_cast<int>(n); },
      "More detail on stderr: data dir, store, timings; -vv adds metadata file counts");
  app->add_flag("-q,--quiet", flags_.quiet,
                "Errors only: no warnings, notes or progress bars on stderr");
  AddStoreFlags(app, &flags_.store);
}

CLI::App* App::AddCommand(const std::string& group, const std::string& name,
                          const std::string& description, const std::string& example,
                          CommandFn run) {
  CLI::App* cmd = root_.add_subcommand(name, description);
  cmd->group(group);
  return AddRunnable(cmd, example, std::move(run));
}

CLI::App* App::AddCommandGroup(const std::string& group, const std::string& name,
                               const std::string& description) {
  CLI::App* cmd = root_.add_subcommand(name, description);
  cmd->group(group);
  cmd->require_subcommand(1);
  AddGlobalFlags(cmd);
  return cmd;
}

CLI::App* App::AddSubcommand(CLI::App* parent, const std::string& name,
                             const std::string& description, const std::string& example,
                             CommandFn run) {
  CLI::App* cmd = parent->add_subcommand(name, description);
  cmd->group("Subcommands");
  return AddRunnable(cmd, example, std::move(run));
}

CLI::App* App::AddRunnable(CLI::App* cmd, const std::string& example, CommandFn run) {
  cmd->footer("Example:\n" + example);
  AddGlobalFlags(cmd);
  commands_.emplace_back(cmd, std::move(run));
  return cmd;
}

int App::Run(int argc, char** argv) {
  root_.footer(std::string(kRootFooter) + "\n" + kExitCodesHelp);
  if (argc <= 1) {
    std::string help = root_.help();
    std::fwrite(help.data(), 1, help.size(), stderr);
    return kExitUsage;
  }
  std::vector<std::string> args = NormalizeWaitArgs(argc, argv);
  if (IsVersionJson(args)) {
    Status s = PrintJson(VersionJson());
    if (s.ok()) s = Out().Flush();
    return s.ok() || Out().closed() ? kExitOk : ExitCodeFor(s.code());
  }
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend() - 1);  // CLI11 wants it so
    root_.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      root_.exit(e);  // --help or --version
      return kExitOk;
    }
    // The deepest command chosen, e.g. "snapshot create"; empty for none.
    std::string chosen_name;
    const CLI::App* chosen = &root_;
    while (!chosen->get_subcommands().empty()) {
      chosen = chosen->get_subcommands().front();
      chosen_name += (chosen_name.empty() ? "" : " ") + chosen->get_name();
    }
    const std::string help_cmd = chosen_name.empty() ? "nokv" : "nokv " + chosen_name;
    std::string message = e.what();
    const bool needs_sub = chosen == &root_ || chosen->get_require_subcommand_min() > 0;
    if (needs_sub && !root_.remaining().empty()) {
      message = "unknown command '" + chosen_name + (chosen_name.empty() ? "" : " ") +
                root_.remaining().front() + "'";
    }
    PrintError(Status::InvalidArgument(message), "run `" + help_cmd + " --help` for usage",
               flags_.json || ArgvHasJson(argc, argv));
    return kExitUsage;
  }
  for (const auto& [cmd, run] : commands_) {
    if (!cmd->parsed()) continue;
    std::string name = cmd->get_name();
    for (const CLI::App* p = cmd->get_parent(); p != nullptr && p != &root_; p = p->get_parent()) {
      name = p->get_name() + " " + name;
    }
    return RunCommand(run, name);
  }
  PrintError(Status::InvalidArgument("no command given"), "run `nokv --help`", flags_.json);
  return kExitUsage;
}

int App::RunCommand(const CommandFn& run, const std::string& name) {
  auto lock_wait = ResolveLockWait(flags_.wait);
  if (!lock_wait.ok()) {
    PrintError(lock_wait.status(), "run `nokv --help` for the forms of DURATION", flags_.json);
    return kExitUsage;
  }
  const auto start = Clock::now();
  Context ctx(flags_, *lock_wait);
  StderrSilencer silencer(flags_.quiet && flags_.verbosity == 0);
  Status s;
  try {
    s = run(ctx);
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  Status flushed = Out().Flush();
  if (s.ok()) s = flushed;
  ctx.Verbose(1, name + " took " + FormatMillis(MillisSince(start)) +
                     (s.ok() ? "" : " and failed (" + std::string(CodeName(s.code())) + ")"));
  silencer.Restore();
  // The reader of our stdout went away (e.g. `nokv cat f | head`): that is
  // a normal way to stop, not an error.
  if (Out().closed()) return kExitOk;
  if (s.ok()) return kExitOk;
  PrintError(s, ctx.hint().empty() ? DefaultHint(s, ctx) : ctx.hint(), ctx.json());
  return ExitCodeFor(s.code());
}

}  // namespace nokv::cli
