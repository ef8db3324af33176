// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv gc`: snapshot-aware garbage collection. Reclaims what no live path,
// snapshot, fork or retention window can reach, in bounded resumable steps.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/output.h"

namespace nokv::cli {
namespace {

struct GcArgs {
  bool dry_run = false;
  std::string keep_history;
  std::string keep_events;
  std::string keep_idempotency;
  uint64_t max_events = 0;
  size_t max_steps = 0;
  CLI::Option* max_events_opt = nullptr;
};

Result<GcOptions> OptionsFrom(const GcArgs& args) {
  GcOptions options;
  options.dry_run = args.dry_run;
  if (!args.keep_history.empty()) {
    NOKV_ASSIGN_OR_RETURN(options.history_retention_seconds,
                          ParseDuration(args.keep_history, "--keep-history"));
  }
  if (!args.keep_events.empty()) {
    NOKV_ASSIGN_OR_RETURN(options.event_retention_seconds,
                          ParseDuration(args.keep_events, "--keep-events"));
  }
  if (!args.keep_idempotency.empty()) {
    NOKV_ASSIGN_OR_RETURN(options.idempotency_retention_seconds,
                          ParseDuration(args.keep_idempotency, "--keep-idempotency"));
  }
  if (args.max_events_opt->count() > 0) options.event_retention_count = args.max_events;
  options.max_steps = args.max_steps;
  return options;
}

nlohmann::json ReportJson(const GcReport& r, bool dry_run) {
  return {{"dry_run", dry_run},
          {"floor_version", r.floor_version},
          {"snapshots_expired", r.snapshots_expired},
          {"versions_pruned", r.versions_pruned},
          {"versions_pinned", r.versions_pinned},
          {"bodies_freed", r.bodies_freed},
          {"blocks_deleted", r.blocks_deleted},
          {"bytes_freed", r.bytes_freed},
          {"intents_removed", r.intents_removed},
          {"events_trimmed", r.events_trimmed},
          {"idempotency_trimmed", r.idempotency_trimmed},
          {"steps", r.steps},
          {"finished", r.finished},
          {"delete_failures", r.delete_failures},
          {"last_error",
           r.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.last_error)}};
}

std::string ReportText(const GcReport& r, bool dry_run) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"floor version", std::to_string(r.floor_version)},
      {"snapshots expired", std::to_string(r.snapshots_expired)},
      {"versions pruned", std::to_string(r.versions_pruned)},
      {"versions pinned", std::to_string(r.versions_pinned) + " (kept for snapshots)"},
      {"bodies freed", std::to_string(r.bodies_freed)},
      {"blocks deleted", std::to_string(r.blocks_deleted)},
      {"bytes freed", std::to_string(r.bytes_freed) + " (" + FormatSize(r.bytes_freed) + ")"},
      {"intents removed", std::to_string(r.intents_removed)},
      {"events trimmed", std::to_string(r.events_trimmed)},
      {"idempotency keys", std::to_string(r.idempotency_trimmed) + " forgotten"},
      {"steps", std::to_string(r.steps)},
      {"finished", r.finished ? "yes" : "no (--max-steps reached; run gc again)"},
      {"delete failures", std::to_string(r.delete_failures)},
  };
  if (!r.last_error.empty()) rows.emplace_back("last error", r.last_error);
  std::string text = dry_run ? "dry run: nothing was changed; a real run would free:\n" : "";
  for (const auto& [key, value] : rows) {
    text += key + ":" + std::string(19 - key.size(), ' ') + value + "\n";
  }
  return text;
}

Status RunGc(Context& ctx, const GcArgs& args) {
  GcOptions options;
  NOKV_ASSIGN_OR_RETURN(options, OptionsFrom(args));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  GcReport report;
  NOKV_ASSIGN_OR_RETURN(report, ns->CollectGarbage(options));
  NOKV_RETURN_IF_ERROR(ctx.json() ? PrintJson(ReportJson(report, args.dry_run))
                                  : Out().Write(ReportText(report, args.dry_run)));
  if (report.delete_failures > 0) {
    ctx.SetHint("the records were kept; run `nokv gc` again once the store is healthy");
    return Status::IOError("gc could not delete " + std::to_string(report.delete_failures) +
                           " objects: " + report.last_error);
  }
  return Status::OK();
}

}  // namespace

void RegisterGcCommand(App& app) {
  auto args = std::make_shared<GcArgs>();
  CLI::App* cmd = app.AddCommand("Maintenance", "gc",
                                 "Reclaim what no path, snapshot, fork or retention window needs",
                                 "  nokv gc --dry-run\n"
                                 "  nokv gc --keep-history 1d --keep-events 30d\n",
                                 [args](Context& ctx) { return RunGc(ctx, *args); });
  cmd->add_flag("--dry-run", args->dry_run, "Report what would be freed; change nothing");
  cmd->add_option("--keep-history", args->keep_history,
                  "Keep versions of the last DURATION readable with --version (default 1h)")
      ->type_name("DURATION");
  cmd->add_option("--keep-events", args->keep_events,
                  "Keep watch events of the last DURATION (default 7d)")
      ->type_name("DURATION");
  cmd->add_option("--keep-idempotency", args->keep_idempotency,
                  "Remember idempotency keys of the last DURATION (default 1d)")
      ->type_name("DURATION");
  args->max_events_opt = AddNumberOption(cmd, "--max-events", &args->max_events,
                                         "Keep at most N watch events (default 10000000)");
  AddNumberOption(cmd, "--max-steps", &args->max_steps,
                  "Stop after N bounded steps (default: until no work is left)");
}

}  // namespace nokv::cli
