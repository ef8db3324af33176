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

nlohmann::json HoldJson(const GcHold& h) {
  return {{"versions", h.versions}, {"bodies", h.bodies}, {"bytes", h.bytes}};
}

// What the collection left and why; see GcHeld.
nlohmann::json HeldJson(const GcHeld& held) {
  nlohmann::json history = HoldJson(held.history);
  history["keep_history_seconds"] = held.history_retention_seconds;
  nlohmann::json snapshots = nlohmann::json::array();
  for (const GcSnapshotHold& s : held.snapshots) {
    nlohmann::json row = HoldJson(s.hold);
    row["name"] = s.name;
    row["version"] = s.version;
    snapshots.push_back(std::move(row));
  }
  return {{"history", std::move(history)},
          {"snapshots", std::move(snapshots)},
          {"jointly", HoldJson(held.jointly)},
          {"shared", HoldJson(held.shared)},
          {"exact", held.exact}};
}

nlohmann::json ReportJson(const GcReport& r, bool dry_run) {
  nlohmann::json j = {{"dry_run", dry_run},
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
                      {"last_error", r.last_error.empty() ? nlohmann::json(nullptr)
                                                          : nlohmann::json(r.last_error)}};
  j["held"] = HeldJson(r.held);
  return j;
}

std::string HoldText(const GcHold& h) {
  return FormatSize(h.bytes) + " in " + Plural(h.bodies, "body", "bodies") + " (" +
         Plural(h.versions, "retained version", "retained versions") + ")";
}

// "5.0 GiB held by history younger than --keep-history 1h; 0 B held by
// snapshots": why a run freed what it freed, and what would free more.
std::string HeldText(const GcHeld& held) {
  uint64_t snapshot_bytes = 0;
  for (const GcSnapshotHold& s : held.snapshots) snapshot_bytes += s.hold.bytes;
  const std::string approx = held.exact ? "" : "at least ";
  std::string text = "held:               " + approx + FormatSize(held.history.bytes) +
                     " by history younger than --keep-history " +
                     FormatDuration(held.history_retention_seconds) + "; " + approx +
                     FormatSize(snapshot_bytes) + " by snapshots";
  if (held.jointly.versions > 0) {
    text += "; " + approx + FormatSize(held.jointly.bytes) + " by several together";
  }
  text += "\n  history:          " + HoldText(held.history) + "\n";
  for (const GcSnapshotHold& s : held.snapshots) {
    text += "  snapshot " + s.name + ": " + HoldText(s.hold) + " at version " +
            std::to_string(s.version) + "\n";
  }
  if (held.jointly.versions > 0) {
    text += "  held jointly:     " + HoldText(held.jointly) +
            ": freed only once history and every snapshot needing them let go\n";
  }
  if (held.shared.versions > 0) {
    text += "  still named:      " + FormatSize(held.shared.bytes) + " in " +
            Plural(held.shared.bodies, "body", "bodies") + " of " +
            Plural(held.shared.versions, "pruned version", "pruned versions") +
            ": a live file, clone or fork, or a retained version names them\n";
  }
  text += "  (each figure: what releasing that hold alone would free)\n";
  if (!held.exact) text += "  (lower bounds: gc stopped examining retained entries)\n";
  return text;
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
  return text + HeldText(r.held);
}

Status RunGc(Context& ctx, const GcArgs& args) {
  GcOptions options;
  NOKV_ASSIGN_OR_RETURN(options, OptionsFrom(args));
  std::unique_ptr<Namespace> ns;
  // OpenMaintainer: abandoned uploads are reclaimed (and counted) by gc.
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenMaintainer());
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
