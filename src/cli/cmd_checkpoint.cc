// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv checkpoint publish|latest|list`: training checkpoints as steps of a
// run directory. Every shard of a step and its manifest commit together, so
// `latest` never names a half-written checkpoint.
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/local_fs.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/progress.h"
#include "cli/read_at.h"

namespace nokv::cli {
namespace {

nlohmann::json CheckpointJson(const CheckpointInfo& c) {
  nlohmann::json shards = nlohmann::json::array();
  for (const CheckpointShard& s : c.shards) {
    shards.push_back({{"path", s.path},
                      {"generation", s.generation},
                      {"size", s.size},
                      {"sha256", s.sha256_hex}});
  }
  return {{"run_dir", c.run_dir},
          {"step", c.step},
          {"path", c.path},
          {"manifest", c.manifest_path},
          {"version", c.version},
          {"created", FormatTime(c.created_ns)},
          {"created_ns", c.created_ns},
          {"total_bytes", c.total_bytes},
          {"complete", c.complete},
          {"problem", c.problem.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.problem)},
          {"shards", std::move(shards)}};
}

std::string CheckpointText(const CheckpointInfo& c) {
  std::string text = "step " + std::to_string(c.step) + "  " + HumanName(c.path) + "  version " +
                     std::to_string(c.version) + "  " + std::to_string(c.shards.size()) +
                     " files, " + FormatSize(c.total_bytes) + "\n";
  for (const CheckpointShard& s : c.shards) {
    char cols[64];
    std::snprintf(cols, sizeof(cols), "  gen %-3llu %10s  ",
                  static_cast<unsigned long long>(s.generation), FormatSize(s.size).c_str());
    text += cols + ShortDigest(s.sha256_hex) + "  " + HumanName(s.path) + "\n";
  }
  return text;
}

// ---- publish ----

struct PublishArgs {
  std::string run_dir;
  uint64_t step = 0;
  std::vector<std::string> files;
};

// The shards of one step, named relative to the step directory.
class ShardPlan {
 public:
  Status AddFile(const std::string& relative, const std::string& local, uint64_t size) {
    if (!names_.insert(relative).second) {
      return Status::InvalidArgument("two local files would both be published as " + relative +
                                     "; rename one or publish its directory instead");
    }
    PublishItem item;
    item.path = relative;
    item.source = LazyFileSource(local, size);
    items_.push_back(std::move(item));
    bytes_ += size;
    return Status::OK();
  }

  // Every file below `dir`, named by its path relative to `dir`.
  Status AddTree(const std::string& dir, const std::string& data_dir) {
    LocalTree tree;
    WalkOptions walk;  // symlinks below `dir` are skipped with a warning
    walk.skip_dir = data_dir;
    NOKV_RETURN_IF_ERROR(WalkLocalTree(dir, walk, &tree));
    for (const LocalTreeFile& f : tree.files) {
      NOKV_RETURN_IF_ERROR(AddFile(f.relative, f.local_path, f.size));
    }
    return Status::OK();
  }

  bool empty() const { return items_.empty(); }
  uint64_t bytes() const { return bytes_; }
  std::vector<PublishItem> Take() { return std::move(items_); }

 private:
  std::vector<PublishItem> items_;
  std::set<std::string> names_;
  uint64_t bytes_ = 0;
};

Status RunPublish(Context& ctx, const PublishArgs& args) {
  std::string run_dir;
  NOKV_ASSIGN_OR_RETURN(run_dir, ParsePath(args.run_dir));
  ShardPlan plan;
  for (const std::string& local : args.files) {
    LocalStat st;
    NOKV_ASSIGN_OR_RETURN(st, StatLocal(local));
    switch (st.kind) {
      case LocalKind::kFile:
        NOKV_RETURN_IF_ERROR(plan.AddFile(LocalBaseName(local), local, st.size));
        break;
      case LocalKind::kDirectory:
        NOKV_RETURN_IF_ERROR(plan.AddTree(local, ctx.data_dir()));
        break;
      case LocalKind::kStream:
      case LocalKind::kOther:
        return Status::InvalidArgument(local + " is not a regular file or directory");
    }
  }
  if (plan.empty()) return Status::InvalidArgument("nothing to publish: no files found");
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<CheckpointInfo> info = Status::Internal("publish did not run");
  {
    ProgressBar bar("checkpoint", plan.bytes());
    PublishOptions options;
    options.progress = [&bar](uint64_t done, uint64_t total) { bar.Update(done, total); };
    info = ns->PublishCheckpoint(run_dir, args.step, plan.Take(), options);
  }  // the bar is erased before anything else is printed
  if (!info.ok()) {
    if (info.status().code() == Code::kAlreadyExists) {
      ctx.SetHint(
          "a published step never changes: publish under a new step number (`nokv "
          "checkpoint list " +
          HumanName(run_dir) + "` shows the published ones)");
    }
    return info.status();
  }
  if (ctx.json()) {
    nlohmann::json j = CheckpointJson(*info);
    j["action"] = "published";
    return PrintJson(j);
  }
  return Out().Write("published " + CheckpointText(*info));
}

// ---- latest and list ----

struct ListArgs {
  std::string run_dir;
  ReadAtArgs at;
};

Result<std::vector<CheckpointInfo>> LoadCheckpoints(Context& ctx, const ListArgs& args,
                                                    std::string* run_dir) {
  NOKV_ASSIGN_OR_RETURN(*run_dir, ParsePath(args.run_dir));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  return ns->ListCheckpoints(*run_dir, at);
}

Status RunLatest(Context& ctx, const ListArgs& args) {
  std::string run_dir;
  std::vector<CheckpointInfo> all;
  NOKV_ASSIGN_OR_RETURN(all, LoadCheckpoints(ctx, args, &run_dir));
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    if (!it->complete) continue;
    if (ctx.json()) return PrintJson(CheckpointJson(*it));
    return Out().Write(CheckpointText(*it));
  }
  ctx.SetHint("publish one with `nokv checkpoint publish " + run_dir + " --step N FILE...`");
  return Status::NotFound(all.empty() ? "no checkpoint in " + run_dir
                                      : "no complete checkpoint in " + run_dir + " (" +
                                            std::to_string(all.size()) + " incomplete)");
}

Status RunList(Context& ctx, const ListArgs& args) {
  std::string run_dir;
  std::vector<CheckpointInfo> all;
  NOKV_ASSIGN_OR_RETURN(all, LoadCheckpoints(ctx, args, &run_dir));
  if (ctx.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const CheckpointInfo& c : all) list.push_back(CheckpointJson(c));
    return PrintJson({{"run_dir", run_dir}, {"checkpoints", std::move(list)}});
  }
  if (all.empty()) {
    std::fprintf(stderr, "no checkpoints in %s\n", run_dir.c_str());
    return Status::OK();
  }
  auto row = [](const std::string& step, const std::string& version, const std::string& files,
                const std::string& size, const std::string& state, const std::string& path) {
    char cols[128];
    std::snprintf(cols, sizeof(cols), "%10s  %10s  %6s  %10s  %-10s  ", step.c_str(),
                  version.c_str(), files.c_str(), size.c_str(), state.c_str());
    return Out().Write(cols + path + "\n");
  };
  NOKV_RETURN_IF_ERROR(row("STEP", "VERSION", "FILES", "SIZE", "STATE", "PATH"));
  for (const CheckpointInfo& c : all) {
    std::string path = HumanName(c.path) + (c.complete ? "" : "  (" + c.problem + ")");
    NOKV_RETURN_IF_ERROR(row(std::to_string(c.step), std::to_string(c.version),
                             std::to_string(c.shards.size()), FormatSize(c.total_bytes),
                             c.complete ? "complete" : "incomplete", path));
  }
  return Status::OK();
}

void AddListArgs(CLI::App* cmd, ListArgs* args) {
  cmd->add_option("RUN_DIR", args->run_dir, "Run directory holding step-N directories")->required();
  AddReadAtOptions(cmd, &args->at);
}

}  // namespace

void RegisterCheckpointCommands(App& app) {
  CLI::App* group = app.AddCommandGroup("Write", "checkpoint",
                                        "Publish and resolve training checkpoints atomically");
  group->footer(
      "Examples:\n"
      "  nokv checkpoint publish /runs/exp1 --step 1000 model.safetensors optim.pt\n"
      "  nokv checkpoint latest /runs/exp1\n"
      "  nokv get -r \"$(nokv checkpoint latest /runs/exp1 --json | jq -r .path)\" ./resume/\n"
      "  nokv checkpoint list /runs/exp1\n");

  auto publish = std::make_shared<PublishArgs>();
  CLI::App* cmd = app.AddSubcommand(
      group, "publish", "Publish files as step N of RUN_DIR with a manifest, all in one commit",
      "  nokv checkpoint publish /runs/exp1 --step 1000 model.safetensors optim.pt\n"
      "  nokv checkpoint publish /runs/exp1 --step 2000 ./ckpt-2000/   # its files, recursively\n",
      [publish](Context& ctx) { return RunPublish(ctx, *publish); });
  cmd->add_option("RUN_DIR", publish->run_dir, "Run directory in the namespace")->required();
  AddNumberOption(cmd, "--step", &publish->step, "Step number; a step is published once")
      ->required();
  cmd->add_option("FILE", publish->files,
                  "Local files (published by base name) or directories (their files, by path "
                  "relative to the directory)")
      ->required();

  auto latest = std::make_shared<ListArgs>();
  cmd = app.AddSubcommand(group, "latest",
                          "Show the newest complete checkpoint of a run (exit 3 if none)",
                          "  nokv checkpoint latest /runs/exp1\n"
                          "  nokv checkpoint latest /runs/exp1 --json | jq -r .path\n",
                          [latest](Context& ctx) { return RunLatest(ctx, *latest); });
  AddListArgs(cmd, latest.get());

  auto list = std::make_shared<ListArgs>();
  cmd = app.AddSubcommand(group, "list",
                          "List every checkpoint of a run, oldest step first, with its state",
                          "  nokv checkpoint list /runs/exp1\n"
                          "  nokv checkpoint list --snapshot nightly /runs/exp1\n",
                          [list](Context& ctx) { return RunList(ctx, *list); });
  AddListArgs(cmd, list.get());
}

}  // namespace nokv::cli
