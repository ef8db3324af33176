// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv watch`: the typed events of a subtree from the durable event log,
// replayed from a cursor and, with --follow, as they commit, also when
// another process is the writer.
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/changes.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"

namespace nokv::cli {
namespace {

constexpr size_t kPageSize = 1000;
constexpr long kPollIntervalMs = 150;

volatile sig_atomic_t g_stop = 0;

void OnStopSignal(int) { g_stop = 1; }

// SIGINT and SIGTERM end a --follow loop cleanly (exit 0). No SA_RESTART,
// so a sleep returns early.
void InstallStopHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

void SleepMs(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1'000'000};
  nanosleep(&ts, nullptr);
}

struct WatchArgs {
  std::string path;
  std::string from;
  bool follow = false;
  size_t limit = 0;
  CLI::Option* limit_opt = nullptr;
};

// A change (see changes.h) with where it sits in the log.
nlohmann::json EventJson(const WatchEvent& e) {
  nlohmann::json j = ChangeJson(e);
  j["version"] = e.version;
  j["cursor"] = e.cursor;
  j["time"] = FormatTime(e.time_ns);
  j["time_ns"] = e.time_ns;
  return j;
}

// VERSION TYPE PATH, or VERSION TYPE FROM -> PATH for renames and clones,
// then [gen N, SIZE, sha256 PREFIX] for file bodies and the detail.
std::string EventText(const WatchEvent& e) {
  std::string line = std::to_string(e.version) + " " + e.type + " ";
  if (!e.from_path.empty()) line += HumanName(e.from_path) + " -> ";
  line += HumanName(e.path);
  if (!e.sha256_hex.empty()) {
    line += " [gen " + std::to_string(e.generation) + ", " + FormatSize(e.size) + ", sha256 " +
            ShortDigest(e.sha256_hex) + "]";
  }
  if (!e.detail.empty()) line += " " + e.detail;
  return line + "\n";
}

class WatchPrinter {
 public:
  explicit WatchPrinter(bool json) : json_(json) {}

  Status Event(const WatchEvent& e) {
    return Out().Write(json_ ? JsonLine(EventJson(e)) : EventText(e));
  }

  // The cursor to resume from: the last line of JSON output, or a line on
  // stderr so stdout stays the events alone.
  Status End(const std::string& next_cursor) {
    if (json_) return PrintJson({{"next_cursor", next_cursor}});
    NOKV_RETURN_IF_ERROR(Out().Flush());
    std::fprintf(stderr, "next cursor: %s\n", next_cursor.c_str());
    return Status::OK();
  }

 private:
  const bool json_;
};

Status RunWatch(Context& ctx, const WatchArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  if (args.limit_opt->count() > 0 && args.limit == 0) {
    return Status::InvalidArgument("--limit must be at least 1");
  }
  const bool limited = args.limit_opt->count() > 0;
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  if (args.follow) InstallStopHandlers();

  WatchOptions options;
  if (args.from == "now") {
    options.from_now = true;
  } else {
    options.cursor = args.from;
  }
  WatchPrinter printer(ctx.json());
  size_t printed = 0;
  std::string cursor = options.cursor;
  while (g_stop == 0) {
    options.limit = limited ? std::min(kPageSize, args.limit - printed) : kPageSize;
    WatchPage page;
    NOKV_ASSIGN_OR_RETURN(page, ns->Watch(path, options));
    for (const WatchEvent& e : page.events) {
      NOKV_RETURN_IF_ERROR(printer.Event(e));
      ++printed;
    }
    // After a page stopped by --limit, resume right after its last event.
    cursor = limited && printed == args.limit && !page.events.empty() ? page.events.back().cursor
                                                                      : page.next_cursor;
    options.cursor = cursor;
    options.from_now = false;
    if (limited && printed == args.limit) break;
    if (page.more) continue;
    if (!args.follow) break;
    NOKV_RETURN_IF_ERROR(Out().Flush());  // a closed pipe ends the loop here
    SleepMs(kPollIntervalMs);
    NOKV_RETURN_IF_ERROR(ns->Refresh());
  }
  return printer.End(cursor);
}

}  // namespace

void RegisterWatchCommand(App& app) {
  auto args = std::make_shared<WatchArgs>();
  CLI::App* cmd = app.AddCommand(
      "Time", "watch", "Print a subtree's typed change events from a cursor; --follow for new ones",
      "  nokv watch /runs/exp1                       # retained events, then the cursor\n"
      "  nokv watch /runs/exp1 --from C --follow --json\n"
      "  nokv watch / --from now --follow            # only what commits from now on\n",
      [args](Context& ctx) { return RunWatch(ctx, *args); });
  cmd->add_option("PATH", args->path, "Subtree to watch (need not exist yet)")->required();
  cmd->add_option("--from", args->from,
                  "Start after cursor C (default: the oldest retained event); `now`: only new "
                  "events")
      ->type_name("C");
  cmd->add_flag("-f,--follow", args->follow,
                "Keep printing events as they commit, until interrupted (exit 0)");
  args->limit_opt =
      AddNumberOption(cmd, "--limit", &args->limit,
                      "Stop after N events; the printed cursor resumes after the last one");
}

}  // namespace nokv::cli
