// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/app.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string_view>

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace nokv::cli {
namespace {

constexpr const char* kDefaultDataDir = "./.nokv";
constexpr const char* kDataDirEnv = "NOKV_DATA_DIR";

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
    "Paths are absolute namespace paths such as /runs/exp1/model.bin.";

constexpr const char* kRootFooter =
    "Environment:\n"
    "  NOKV_DATA_DIR  data directory when --data-dir is not given (default ./.nokv)\n"
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

Context::Context(const GlobalFlags& flags)
    : data_dir_(ResolveDataDir(flags.data_dir)), json_(flags.json), store_(flags.store) {}

Result<std::unique_ptr<Namespace>> Context::OpenReader() const { return Open(true); }
Result<std::unique_ptr<Namespace>> Context::OpenWriter() const { return Open(false); }

Result<std::unique_ptr<Namespace>> Context::Open(bool read_only) const {
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
  NOKV_RETURN_IF_ERROR(ApplyStoreFlags(store_, &options));
  return OpenNamespace(options);
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
  try {
    root_.parse(argc, argv);
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
    if (cmd->parsed()) return RunCommand(run);
  }
  PrintError(Status::InvalidArgument("no command given"), "run `nokv --help`", flags_.json);
  return kExitUsage;
}

int App::RunCommand(const CommandFn& run) {
  Context ctx(flags_);
  Status s;
  try {
    s = run(ctx);
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  Status flushed = Out().Flush();
  if (s.ok()) s = flushed;
  // The reader of our stdout went away (e.g. `nokv cat f | head`): that is
  // a normal way to stop, not an error.
  if (Out().closed()) return kExitOk;
  if (s.ok()) return kExitOk;
  PrintError(s, ctx.hint().empty() ? DefaultHint(s, ctx) : ctx.hint(), ctx.json());
  return ExitCodeFor(s.code());
}

}  // namespace nokv::cli
