// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv snapshot create|list|show|renew|drop`: named, frozen views of a
// subtree (or of one file) at one commit version. Read commands take
// --snapshot NAME to read them.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/duration.h"
#include "cli/output.h"
#include "cli/paths.h"

namespace nokv::cli {
namespace {

bool Expired(const SnapshotInfo& s, int64_t now_ns) {
  return s.expires_ns != 0 && s.expires_ns < now_ns;
}

nlohmann::json SnapshotJson(const SnapshotInfo& s, int64_t now_ns) {
  nlohmann::json j = {
      {"name", s.name},
      {"path", s.path},
      {"kind", KindName(s.kind)},
      {"version", s.version},
      {"created", FormatTime(s.created_ns)},
      {"created_ns", s.created_ns},
      {"expires", nullptr},
      {"expires_ns", nullptr},
      {"expired", Expired(s, now_ns)},
  };
  if (s.expires_ns != 0) {
    j["expires"] = FormatTime(s.expires_ns);
    j["expires_ns"] = s.expires_ns;
  }
  return j;
}

// "never", "2026-03-01T12:00:00.000Z (in 6d23h)" or "... (expired)".
std::string ExpiryText(const SnapshotInfo& s, int64_t now_ns) {
  if (s.expires_ns == 0) return "never";
  if (Expired(s, now_ns)) return FormatTime(s.expires_ns) + " (expired)";
  return FormatTime(s.expires_ns) + " (in " +
         FormatDuration((s.expires_ns - now_ns + 999'999'999) / 1'000'000'000) + ")";
}

Status PrintSnapshot(const SnapshotInfo& s, bool json, const char* action = nullptr) {
  const int64_t now = NowUnixNs();
  if (json) {
    nlohmann::json j = SnapshotJson(s, now);
    if (action != nullptr) j["action"] = action;
    return PrintJson(j);
  }
  std::vector<std::pair<std::string, std::string>> rows = {
      {"name", s.name},
      {"path", HumanName(s.path)},
      {"kind", KindName(s.kind)},
      {"version", std::to_string(s.version)},
      {"created", FormatTime(s.created_ns)},
      {"expires", ExpiryText(s, now)},
  };
  std::string text;
  for (const auto& [key, value] : rows) {
    text += key + ":" + std::string(10 - key.size(), ' ') + value + "\n";
  }
  return Out().Write(text);
}

// Oldest first: by creation time, then version, then name.
void SortOldestFirst(std::vector<SnapshotInfo>* all) {
  std::sort(all->begin(), all->end(), [](const SnapshotInfo& a, const SnapshotInfo& b) {
    return std::tie(a.created_ns, a.version, a.name) < std::tie(b.created_ns, b.version, b.name);
  });
}

// The snapshot named `name`, expired or not; nullopt when there is none.
Result<std::optional<SnapshotInfo>> FindSnapshot(Namespace* ns, const std::string& name) {
  std::vector<SnapshotInfo> all;
  NOKV_ASSIGN_OR_RETURN(all, ns->ListSnapshots());
  for (SnapshotInfo& s : all) {
    if (s.name == name) return std::optional<SnapshotInfo>(std::move(s));
  }
  return std::optional<SnapshotInfo>();
}

// The TTL of --ttl; absent means 0 (no expiry).
Result<int64_t> TtlFrom(const std::string& text) {
  if (text.empty()) return int64_t{0};
  return ParseDuration(text, "--ttl");
}

// ---- create ----

struct CreateArgs {
  std::string path;
  std::string name;
  std::string ttl;
};

Status RunCreate(Context& ctx, const CreateArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  SnapshotOptions options;
  options.name = args.name;
  NOKV_ASSIGN_OR_RETURN(options.ttl_seconds, TtlFrom(args.ttl));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<SnapshotInfo> snap = ns->CreateSnapshot(path, options);
  if (!snap.ok()) {
    if (snap.status().code() == Code::kAlreadyExists) {
      ctx.SetHint("run `nokv snapshot show " + args.name + "` to see what the existing one pins");
    }
    return snap.status();
  }
  if (ctx.json()) return PrintSnapshot(*snap, true, "created");
  return Out().Write("created snapshot " + snap->name + " of " + HumanName(snap->path) +
                     " at version " + std::to_string(snap->version) + " (expires " +
                     ExpiryText(*snap, NowUnixNs()) + ")\n");
}

// ---- list ----

Status RunList(Context& ctx) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  std::vector<SnapshotInfo> all;
  NOKV_ASSIGN_OR_RETURN(all, ns->ListSnapshots());
  SortOldestFirst(&all);
  const int64_t now = NowUnixNs();
  if (ctx.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const SnapshotInfo& s : all) list.push_back(SnapshotJson(s, now));
    return PrintJson({{"snapshots", std::move(list)}});
  }
  if (all.empty()) {
    std::fprintf(stderr, "no snapshots; create one with `nokv snapshot create PATH`\n");
    return Status::OK();
  }
  size_t width = 4;
  for (const SnapshotInfo& s : all) width = std::max(width, s.name.size());
  auto row = [&](const std::string& name, const std::string& version, const std::string& created,
                 const std::string& expires, const std::string& path) {
    char cols[128];
    std::snprintf(cols, sizeof(cols), "%-*s  %10s  %-24s  %-24s  ", static_cast<int>(width),
                  name.c_str(), version.c_str(), created.c_str(), expires.c_str());
    return Out().Write(cols + path + "\n");
  };
  NOKV_RETURN_IF_ERROR(row("NAME", "VERSION", "CREATED", "EXPIRES", "PATH"));
  for (const SnapshotInfo& s : all) {
    std::string expires = s.expires_ns == 0 ? "never"
                          : Expired(s, now) ? "expired"
                                            : FormatTime(s.expires_ns);
    std::string path =
        HumanName(s.path) + (s.kind == FileKind::kDirectory && s.path != "/" ? "/" : "");
    NOKV_RETURN_IF_ERROR(
        row(s.name, std::to_string(s.version), FormatTime(s.created_ns), expires, path));
  }
  return Status::OK();
}

// ---- show, renew, drop ----

struct NameArgs {
  std::string name;
  std::string ttl;
};

Status RunShow(Context& ctx, const NameArgs& args) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  Result<SnapshotInfo> snap = ns->GetSnapshot(args.name);
  if (snap.ok()) return PrintSnapshot(*snap, ctx.json());
  if (snap.status().code() != Code::kExpired) return snap.status();
  // An expired snapshot can no longer be read, but it is still there until
  // gc or a drop removes it: show it, marked expired.
  std::optional<SnapshotInfo> expired;
  NOKV_ASSIGN_OR_RETURN(expired, FindSnapshot(ns.get(), args.name));
  if (!expired.has_value()) return snap.status();
  return PrintSnapshot(*expired, ctx.json());
}

Status RunRenew(Context& ctx, const NameArgs& args) {
  int64_t ttl;
  NOKV_ASSIGN_OR_RETURN(ttl, TtlFrom(args.ttl));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  SnapshotInfo snap;
  NOKV_ASSIGN_OR_RETURN(snap, ns->RenewSnapshot(args.name, ttl));
  if (ctx.json()) return PrintSnapshot(snap, true, "renewed");
  return Out().Write("renewed snapshot " + snap.name + ": expires " +
                     ExpiryText(snap, NowUnixNs()) + "\n");
}

Status RunDrop(Context& ctx, const NameArgs& args) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  std::optional<SnapshotInfo> dropped;  // what the drop removes, for the report
  NOKV_ASSIGN_OR_RETURN(dropped, FindSnapshot(ns.get(), args.name));
  MutationResult r;
  NOKV_ASSIGN_OR_RETURN(r, ns->DropSnapshot(args.name));
  if (ctx.json()) {
    nlohmann::json j = {{"action", "dropped"}, {"name", args.name}, {"version", r.version}};
    if (dropped.has_value()) j["snapshot"] = SnapshotJson(*dropped, NowUnixNs());
    return PrintJson(j);
  }
  std::string what = "dropped snapshot " + args.name;
  if (dropped.has_value()) {
    what += " of " + HumanName(dropped->path) + " (pinned version " +
            std::to_string(dropped->version) + ")";
  }
  return Out().Write(what + "\n");
}

constexpr const char* kTtlHelp =
    "Expire after DURATION (90s, 15m, 2h, 7d, 1w or seconds); 0 or omitted: never";

}  // namespace

void RegisterSnapshotCommands(App& app) {
  CLI::App* group =
      app.AddCommandGroup("Time", "snapshot", "Create, list, show, renew and drop named snapshots");
  group->footer(
      "Examples:\n"
      "  nokv snapshot create /runs/exp1 --name before-sweep --ttl 7d\n"
      "  nokv cat --snapshot before-sweep /runs/exp1/params.json\n"
      "  nokv diff before-sweep now /runs/exp1\n"
      "  nokv snapshot list\n"
      "  nokv snapshot drop before-sweep\n");

  auto create = std::make_shared<CreateArgs>();
  CLI::App* cmd = app.AddSubcommand(
      group, "create",
      "Freeze a subtree (or one file) at the current commit; reads take --snapshot NAME",
      "  nokv snapshot create /runs/exp1 --name exp1-before-sweep --ttl 7d\n"
      "  nokv ls --snapshot exp1-before-sweep /runs/exp1\n",
      [create](Context& ctx) { return RunCreate(ctx, *create); });
  cmd->add_option("PATH", create->path, "Directory or file to pin")->required();
  cmd->add_option("--name", create->name,
                  "Snapshot name: letters, digits and - _ . @ : (default snap-VERSION)")
      ->type_name("NAME");
  cmd->add_option("--ttl", create->ttl, kTtlHelp)->type_name("DURATION");

  app.AddSubcommand(group, "list",
                    "List snapshots, oldest first: name, pinned version, created, expires "
                    "(never, a time, or expired) and path (a directory ends in '/')",
                    "  nokv snapshot list\n"
                    "  nokv snapshot list --json | jq -r '.snapshots[].name'\n",
                    [](Context& ctx) { return RunList(ctx); });

  auto show = std::make_shared<NameArgs>();
  cmd = app.AddSubcommand(group, "show",
                          "Show one snapshot; an expired one is shown too, marked expired "
                          "(until gc removes it)",
                          "  nokv snapshot show nightly\n"
                          "  nokv snapshot show nightly --json | jq .expires\n",
                          [show](Context& ctx) { return RunShow(ctx, *show); });
  cmd->add_option("NAME", show->name, "Snapshot name")->required();

  auto renew = std::make_shared<NameArgs>();
  cmd = app.AddSubcommand(group, "renew", "Set a new TTL counted from now",
                          "  nokv snapshot renew nightly --ttl 2d\n"
                          "  nokv snapshot renew nightly --ttl 0   # never expire\n",
                          [renew](Context& ctx) { return RunRenew(ctx, *renew); });
  cmd->add_option("NAME", renew->name, "Snapshot name")->required();
  cmd->add_option("--ttl", renew->ttl, kTtlHelp)->type_name("DURATION")->required();

  auto drop = std::make_shared<NameArgs>();
  cmd = app.AddSubcommand(group, "drop",
                          "Drop a snapshot; what only it kept becomes garbage for `nokv gc`",
                          "  nokv snapshot drop nightly\n"
                          "  nokv snapshot drop nightly && nokv gc   # free what only it kept\n",
                          [drop](Context& ctx) { return RunDrop(ctx, *drop); });
  cmd->add_option("NAME", drop->name, "Snapshot name")->required();
}

}  // namespace nokv::cli
