// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Reading and restoring the past: history, diff, clone and rollback.
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/changes.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/read_at.h"

namespace nokv::cli {
namespace {

// "+1.5 KiB", "-512 B", "+0 B".
std::string SizeChange(uint64_t from, uint64_t to) {
  return to >= from ? "+" + FormatSize(to - from) : "-" + FormatSize(from - to);
}

// ---- history ----

struct HistoryArgs {
  std::string path;
  ReadAtArgs at;
};

nlohmann::json GenerationJson(const FileGeneration& g) {
  return {
      {"generation", g.generation},
      {"version", g.version},
      {"time", FormatTime(g.mtime_ns)},
      {"time_ns", g.mtime_ns},
      {"size", g.size},
      {"sha256", g.sha256_hex},
      {"current", g.current},
      {"ino", g.ino},
      {"from_path", g.from_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(g.from_path)}};
}

// How to read an entry that is not a generation of the newest file at the
// path, and where renamed contents came from.
std::string GenerationNote(const FileGeneration& g, uint64_t newest_ino) {
  std::string note;
  if (!g.from_path.empty()) note += "renamed from " + HumanName(g.from_path);
  if (g.ino != newest_ino) {
    if (!note.empty()) note += "; ";
    note += "earlier file, read with --version " + std::to_string(g.version);
  }
  return note.empty() ? note : "  (" + note + ")";
}

Status RunHistory(Context& ctx, const HistoryArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  std::vector<FileGeneration> generations;
  NOKV_ASSIGN_OR_RETURN(generations, ns->History(path, at));
  if (ctx.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const FileGeneration& g : generations) list.push_back(GenerationJson(g));
    return PrintJson({{"path", path}, {"generations", std::move(list)}});
  }
  // '*' marks the generation the read state sees.
  auto row = [](char mark, const std::string& gen, const std::string& version,
                const std::string& time, const std::string& size, const std::string& sha,
                const std::string& note) {
    char line[160];
    std::snprintf(line, sizeof(line), "%c %4s  %10s  %-24s  %10s  %s", mark, gen.c_str(),
                  version.c_str(), time.c_str(), size.c_str(), sha.c_str());
    return Out().Write(line + note + "\n");
  };
  NOKV_RETURN_IF_ERROR(row(' ', "GEN", "VERSION", "TIME", "SIZE", "SHA256", ""));
  const uint64_t newest_ino = generations.empty() ? 0 : generations.front().ino;
  for (const FileGeneration& g : generations) {
    NOKV_RETURN_IF_ERROR(row(g.current ? '*' : ' ', std::to_string(g.generation),
                             std::to_string(g.version), FormatTime(g.mtime_ns), FormatSize(g.size),
                             g.sha256_hex, GenerationNote(g, newest_ino)));
  }
  return Status::OK();
}

// ---- clone ----

struct CloneArgs {
  std::string src;
  std::string dst;
  ReadAtArgs at;
};

Status RunClone(Context& ctx, const CloneArgs& args) {
  std::string src;
  NOKV_ASSIGN_OR_RETURN(src, ParsePath(args.src));
  std::string dst;
  NOKV_ASSIGN_OR_RETURN(dst, ParsePath(args.dst));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<MutationResult> r = ns->Clone(src, dst, at, MutationOptions());
  if (!r.ok()) {
    if (r.status().code() == Code::kAlreadyExists) {
      ctx.SetHint("clone never replaces; remove " + dst + " first or choose another name");
    }
    return r.status();
  }
  return ctx.json() ? PrintJson(MutationJson(*r)) : Status::OK();
}

// ---- rollback ----

struct RollbackArgs {
  std::string path;
  std::string snapshot;
};

Status RunRollback(Context& ctx, const RollbackArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  MutationResult r;
  NOKV_ASSIGN_OR_RETURN(r, ns->Rollback(path, args.snapshot, MutationOptions()));
  // The rollback's own event is the summary; the others are the paths it
  // changed.
  std::vector<const WatchEvent*> restored, removed;
  for (const WatchEvent& e : r.changes) {
    if (e.type == "rollback") continue;
    (e.type == "remove" ? removed : restored).push_back(&e);
  }
  if (ctx.json()) {
    nlohmann::json j = MutationJson(r);
    j["path"] = path;
    j["snapshot"] = args.snapshot;
    auto list = [](const std::vector<const WatchEvent*>& events) {
      nlohmann::json out = nlohmann::json::array();
      for (const WatchEvent* e : events) out.push_back(ChangeJson(*e));
      return out;
    };
    j["restored"] = list(restored);
    j["removed"] = list(removed);
    return PrintJson(j);
  }
  for (const WatchEvent* e : restored) {
    std::string line = "restored " + HumanName(e->path);
    if (e->kind == FileKind::kDirectory) {
      line += "/";
    } else {
      line += "  " + FormatSize(e->size) + "  gen " + std::to_string(e->generation);
      if (!e->sha256_hex.empty()) line += "  sha256 " + ShortDigest(e->sha256_hex);
    }
    NOKV_RETURN_IF_ERROR(Out().Write(line + "\n"));
  }
  for (const WatchEvent* e : removed) {
    NOKV_RETURN_IF_ERROR(Out().Write("removed  " + HumanName(e->path) +
                                     (e->kind == FileKind::kDirectory ? "/" : "") + "\n"));
  }
  if (restored.empty() && removed.empty()) {
    return Out().Write(HumanName(path) + " already matches snapshot " + args.snapshot +
                       ": nothing to restore (version " + std::to_string(r.version) + ")\n");
  }
  return Out().Write("rolled back " + HumanName(path) + " to snapshot " + args.snapshot + ": " +
                     Plural(restored.size(), "path", "paths") + " restored, " +
                     std::to_string(removed.size()) + " removed (version " +
                     std::to_string(r.version) + ")\n");
}

// ---- diff ----

struct DiffArgs {
  std::string from;
  std::string to;
  std::string path;  // empty: the root of A's (else B's) snapshot, else "/"
};

// The subtree a diff compares when no PATH is given.
Result<std::string> DefaultDiffPath(Namespace* ns, const ReadOptions& from, const ReadOptions& to) {
  const std::string& snapshot = !from.snapshot.empty() ? from.snapshot : to.snapshot;
  if (snapshot.empty()) return std::string("/");
  SnapshotInfo snap;
  NOKV_ASSIGN_OR_RETURN(snap, ns->GetSnapshot(snapshot));
  return snap.path;
}

nlohmann::json DiffEntryJson(const DiffEntry& e) {
  auto digest = [](const std::string& hex) {
    return hex.empty() ? nlohmann::json(nullptr) : nlohmann::json(hex);
  };
  nlohmann::json j = {
      {"type", DiffTypeName(e.type)},
      {"path", e.path},
      {"old_path", e.old_path.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.old_path)},
      {"kind", KindName(e.kind)},
      {"ino", e.ino},
  };
  if (e.kind == FileKind::kFile) {
    // The side an entry does not have (old of an added one, new of a
    // removed one) is null.
    const bool has_old = e.type != DiffEntry::Type::kAdded;
    const bool has_new = e.type != DiffEntry::Type::kRemoved;
    auto side = [](bool present, auto value) {
      return present ? nlohmann::json(value) : nlohmann::json(nullptr);
    };
    j["old_size"] = side(has_old, e.old_size);
    j["new_size"] = side(has_new, e.new_size);
    j["size_change"] = static_cast<int64_t>(e.new_size) - static_cast<int64_t>(e.old_size);
    j["old_generation"] = side(has_old, e.old_generation);
    j["new_generation"] = side(has_new, e.new_generation);
    j["old_sha256"] = has_old ? digest(e.old_sha256_hex) : nlohmann::json(nullptr);
    j["new_sha256"] = has_new ? digest(e.new_sha256_hex) : nlohmann::json(nullptr);
  }
  return j;
}

// One line per entry:
//   added    /p/new.bin  1.0 KiB  sha256 3f2a9c1b0d4e
//   removed  /p/old.bin  2.0 KiB  sha256 9b1c...
//   modified /p/a.bin  1.0 KiB -> 2.0 KiB (+1.0 KiB)  sha256 3f2a.. -> 9b1c..
//   renamed  /p/x -> /p/y  (and the modification, if any)
std::string DiffEntryText(const DiffEntry& e) {
  const bool dir = e.kind == FileKind::kDirectory;
  const std::string slash = dir ? "/" : "";
  char type[16];
  std::snprintf(type, sizeof(type), "%-9s", DiffTypeName(e.type));
  std::string line = type;
  switch (e.type) {
    case DiffEntry::Type::kAdded:
      line += HumanName(e.path) + slash;
      if (!dir) line += "  " + FormatSize(e.new_size) + "  sha256 " + ShortDigest(e.new_sha256_hex);
      break;
    case DiffEntry::Type::kRemoved:
      line += HumanName(e.path) + slash;
      if (!dir) line += "  " + FormatSize(e.old_size) + "  sha256 " + ShortDigest(e.old_sha256_hex);
      break;
    case DiffEntry::Type::kModified:
    case DiffEntry::Type::kRenamed:
      if (e.type == DiffEntry::Type::kRenamed) line += HumanName(e.old_path) + slash + " -> ";
      line += HumanName(e.path) + slash;
      if (!dir && (e.old_sha256_hex != e.new_sha256_hex || e.old_size != e.new_size)) {
        line += "  " + FormatSize(e.old_size) + " -> " + FormatSize(e.new_size) + " (" +
                SizeChange(e.old_size, e.new_size) + ")  sha256 " + ShortDigest(e.old_sha256_hex) +
                " -> " + ShortDigest(e.new_sha256_hex);
      }
      break;
  }
  return line + "\n";
}

Status RunDiff(Context& ctx, const DiffArgs& args) {
  ReadOptions from;
  NOKV_ASSIGN_OR_RETURN(from, ParseStateRef(args.from));
  ReadOptions to;
  NOKV_ASSIGN_OR_RETURN(to, ParseStateRef(args.to));
  std::string path;
  if (!args.path.empty()) {
    NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  }
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  if (path.empty()) {
    NOKV_ASSIGN_OR_RETURN(path, DefaultDiffPath(ns.get(), from, to));
  }
  DiffReport report;
  NOKV_ASSIGN_OR_RETURN(report, ns->Diff(from, to, path));
  if (ctx.json()) {
    nlohmann::json entries = nlohmann::json::array();
    for (const DiffEntry& e : report.entries) entries.push_back(DiffEntryJson(e));
    return PrintJson({{"path", path},
                      {"from_version", report.from_version},
                      {"to_version", report.to_version},
                      {"method", report.method},
                      {"paths_examined", report.paths_examined},
                      {"entries", std::move(entries)}});
  }
  for (const DiffEntry& e : report.entries) NOKV_RETURN_IF_ERROR(Out().Write(DiffEntryText(e)));
  return Out().Write(Plural(report.entries.size(), "change", "changes") + " under " +
                     HumanName(path) + " from version " + std::to_string(report.from_version) +
                     " to " + std::to_string(report.to_version) + " (method " + report.method +
                     ", " + Plural(report.paths_examined, "path", "paths") + " examined)\n");
}

}  // namespace

void RegisterTimeCommands(App& app) {
  auto history = std::make_shared<HistoryArgs>();
  CLI::App* cmd =
      app.AddCommand("Time", "history",
                     "List every retained version of a path's contents, newest first (also of "
                     "the files it held before a rename over it or rm and put)",
                     "  nokv history /runs/exp1/params.json\n"
                     "  nokv cat --generation 2 /runs/exp1/params.json\n",
                     [history](Context& ctx) { return RunHistory(ctx, *history); });
  cmd->add_option("PATH", history->path, "File")->required();
  AddReadAtOptions(cmd, &history->at);

  auto diff = std::make_shared<DiffArgs>();
  cmd = app.AddCommand(
      "Time", "diff",
      "Show what was added, removed, modified or renamed between two versions or snapshots",
      "  nokv diff nightly now /runs/exp1\n"
      "  nokv diff 120 135 --json\n",
      [diff](Context& ctx) { return RunDiff(ctx, *diff); });
  cmd->add_option("A", diff->from,
                  "Older state: a version number, a snapshot NAME (@NAME when the name is all "
                  "digits or `now`), or `now` for the newest version")
      ->required();
  cmd->add_option("B", diff->to, "Newer state, in the same forms as A")->required();
  cmd->add_option("PATH", diff->path,
                  "Subtree to compare (default: the snapshot's root when A or B is one, else /)");

  auto clone = std::make_shared<CloneArgs>();
  cmd = app.AddCommand(
      "Time", "clone",
      "Fork a file or tree, live or from the past, in one commit without copying bytes",
      "  nokv clone /runs/exp1 /runs/exp1-fork\n"
      "  nokv clone --snapshot nightly /runs/exp1 /runs/exp1-restored\n",
      [clone](Context& ctx) { return RunClone(ctx, *clone); });
  cmd->add_option("SRC", clone->src, "File or directory to fork")->required();
  cmd->add_option("DST", clone->dst, "New path; must not exist")->required();
  AddReadAtOptions(cmd, &clone->at);

  auto rollback = std::make_shared<RollbackArgs>();
  cmd = app.AddCommand("Time", "rollback",
                       "Restore a subtree to what a snapshot holds, atomically; prints each "
                       "path it restored or removed",
                       "  nokv rollback /runs/exp1 --to exp1-before-sweep\n",
                       [rollback](Context& ctx) { return RunRollback(ctx, *rollback); });
  cmd->add_option("PATH", rollback->path, "Subtree to restore (inside the snapshot)")->required();
  cmd->add_option("--to", rollback->snapshot, "Snapshot to restore from")
      ->type_name("SNAPSHOT")
      ->required();
}

}  // namespace nokv::cli
