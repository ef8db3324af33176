// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv fsck`: check the namespace and its blocks; exit 5 when anything is
// damaged. Uploads abandoned by a killed writer are pending cleanup, reported
// but not damage. With --repair they are reclaimed first.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"

namespace nokv::cli {
namespace {

struct FsckArgs {
  bool verify_data = false;
  bool repair = false;
};

nlohmann::json ReportJson(const FsckReport& report,
                          const std::optional<IntentCleanupReport>& cleanup) {
  nlohmann::json issues = nlohmann::json::array();
  for (const FsckIssue& issue : report.issues) {
    issues.push_back({{"kind", issue.kind}, {"detail", issue.detail}});
  }
  nlohmann::json j = {
      {"clean", report.clean()},
      {"directories", report.directories},
      {"files", report.files},
      {"inline_bodies", report.inline_bodies},
      {"blocks_checked", report.blocks_checked},
      {"bytes_verified", report.bytes_verified},
      {"pending_intents", report.pending_intents},
      {"orphan_objects", report.orphan_objects},
      {"pending_cleanup",
       {{"intents", report.abandoned_intents},
        {"blocks", report.abandoned_objects},
        {"bytes", report.abandoned_bytes}}},
      {"issues", std::move(issues)},
  };
  if (cleanup.has_value()) {
    j["repair"] = {{"intents_removed", cleanup->intents_removed},
                   {"objects_removed", cleanup->objects_removed},
                   {"bytes_removed", cleanup->bytes_removed}};
  }
  return j;
}

std::string ReportText(const FsckReport& report, const std::optional<IntentCleanupReport>& cleanup,
                       bool verify_data) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (cleanup.has_value()) {
    rows.emplace_back("repaired",
                      Plural(cleanup->intents_removed, "abandoned upload", "abandoned uploads") +
                          ", " + Plural(cleanup->objects_removed, "object", "objects") + " (" +
                          FormatSize(cleanup->bytes_removed) + ") removed");
  }
  rows.emplace_back("directories", std::to_string(report.directories));
  rows.emplace_back("files", std::to_string(report.files) + " (" +
                                 std::to_string(report.inline_bodies) + " inline)");
  rows.emplace_back("blocks checked", std::to_string(report.blocks_checked));
  if (verify_data) rows.emplace_back("bytes verified", FormatSize(report.bytes_verified));
  rows.emplace_back("pending intents", std::to_string(report.pending_intents));
  if (report.abandoned_intents > 0) {
    rows.emplace_back("pending cleanup",
                      Plural(report.abandoned_intents, "abandoned upload", "abandoned uploads") +
                          ", " + Plural(report.abandoned_objects, "block", "blocks") + " (" +
                          FormatSize(report.abandoned_bytes) +
                          "); not damage: `nokv fsck --repair`, `nokv gc` or the next "
                          "write reclaims them");
  }
  rows.emplace_back("orphan objects", std::to_string(report.orphan_objects));
  rows.emplace_back("status", report.clean()
                                  ? std::string("clean")
                                  : std::to_string(report.issues.size()) + " problem(s)");
  std::string text;
  for (const auto& [key, value] : rows) {
    text += key + ":" + std::string(17 - key.size(), ' ') + value + "\n";
  }
  for (const FsckIssue& issue : report.issues) {
    text += "  " + issue.kind + ": " + issue.detail + "\n";
  }
  return text;
}

Status RunFsck(Context& ctx, const FsckArgs& args) {
  std::unique_ptr<Namespace> ns;
  // Not OpenWriter: it would reclaim abandoned uploads itself, and the
  // repair could not report what was freed.
  NOKV_ASSIGN_OR_RETURN(ns, args.repair ? ctx.OpenMaintainer() : ctx.OpenReader());
  std::optional<IntentCleanupReport> cleanup;
  if (args.repair) {
    NOKV_ASSIGN_OR_RETURN(cleanup, ns->CleanupIntents());
  }
  FsckReport report;
  NOKV_ASSIGN_OR_RETURN(report, ns->Fsck(args.verify_data));
  NOKV_RETURN_IF_ERROR(ctx.json() ? PrintJson(ReportJson(report, cleanup))
                                  : Out().Write(ReportText(report, cleanup, args.verify_data)));
  if (report.clean()) return Status::OK();
  ctx.SetHint("the problems are listed on stdout; re-publish damaged files from their source");
  return Status::Corruption("fsck found " + std::to_string(report.issues.size()) +
                            " problem(s) in " + ctx.data_dir());
}

}  // namespace

void RegisterFsckCommand(App& app) {
  auto args = std::make_shared<FsckArgs>();
  CLI::App* cmd = app.AddCommand(
      "Maintenance", "fsck",
      "Check metadata invariants and blocks (exit 5 if anything is damaged; uploads a killed "
      "writer left are reported as pending cleanup, exit 0)",
      "  nokv fsck --verify-data\n"
      "  nokv fsck --repair        # clean up abandoned uploads first (takes the writer lock)\n",
      [args](Context& ctx) { return RunFsck(ctx, *args); });
  cmd->add_flag("--verify-data", args->verify_data,
                "Also read every block and check its checksum and each body's SHA-256");
  cmd->add_flag("--repair", args->repair,
                "Reclaim abandoned uploads before checking and report what that freed; needs "
                "the writer lock");
}

}  // namespace nokv::cli
