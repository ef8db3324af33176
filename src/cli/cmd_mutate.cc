// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Namespace mutations that move no bytes: mkdir, rm, mv, cp. Each command
// is one atomic commit, also with several paths (all or nothing); they
// print nothing on success unless --json asks for what they did (the
// commit version and the changes).
#include <memory>
#include <string>
#include <vector>

#include "cli/changes.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "cli/paths.h"

namespace nokv::cli {
namespace {

Result<std::vector<std::string>> ParsePaths(const std::vector<std::string>& args) {
  std::vector<std::string> paths;
  for (const std::string& arg : args) {
    std::string path;
    NOKV_ASSIGN_OR_RETURN(path, ParsePath(arg));
    paths.push_back(std::move(path));
  }
  return paths;
}

Status PrintResult(const MutationResult& r, bool json) {
  if (!json) return Status::OK();
  return PrintJson(MutationJson(r));
}

// Where SRC lands for mv and cp: into DST when DST ends with '/' or is an
// existing directory (like mv(1) and cp(1)), else at DST itself.
Result<std::string> ResolveTarget(Namespace* ns, const std::string& src,
                                  const std::string& dst_arg) {
  std::string dst;
  NOKV_ASSIGN_OR_RETURN(dst, ParsePath(dst_arg));
  Result<FileInfo> info = ns->Stat(dst, ReadOptions());
  bool into = EndsWithSlash(dst_arg) || (info.ok() && info->kind == FileKind::kDirectory);
  if (!into || dst == src) return dst;
  return ParsePath(JoinPath(dst, BaseName(src)));
}

// ---- mkdir ----

struct MkdirArgs {
  std::vector<std::string> paths;
  bool parents = false;
};

Status RunMkdir(Context& ctx, const MkdirArgs& args) {
  std::vector<std::string> paths;
  NOKV_ASSIGN_OR_RETURN(paths, ParsePaths(args.paths));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<MutationResult> r = ns->MkdirPaths(paths, args.parents, MutationOptions());
  if (!r.ok()) {
    if (r.status().code() == Code::kAlreadyExists) {
      ctx.SetHint("use `nokv mkdir -p` to accept an existing directory");
    } else if (r.status().code() == Code::kNotFound) {
      ctx.SetHint("use `nokv mkdir -p` to create missing parent directories");
    }
    return r.status();
  }
  return PrintResult(*r, ctx.json());
}

// ---- rm ----

struct RmArgs {
  std::vector<std::string> paths;
  bool recursive = false;
  uint64_t if_generation = 0;
  CLI::Option* if_generation_opt = nullptr;
};

Status RunRm(Context& ctx, const RmArgs& args) {
  std::vector<std::string> paths;
  NOKV_ASSIGN_OR_RETURN(paths, ParsePaths(args.paths));
  Precondition precondition;
  if (args.if_generation_opt->count() > 0) {
    if (paths.size() != 1) {
      return Status::InvalidArgument("--if-generation applies to exactly one path");
    }
    precondition = Precondition::GenerationEquals(args.if_generation);
  }
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<MutationResult> r =
      args.if_generation_opt->count() > 0
          ? ns->Remove(paths[0], args.recursive, precondition, MutationOptions())
          : ns->RemovePaths(paths, args.recursive, MutationOptions());
  if (!r.ok()) {
    if (r.status().code() == Code::kNotEmpty) {
      ctx.SetHint(paths.size() == 1
                      ? "use `nokv rm -r " + paths[0] + "` to remove it and everything below it"
                      : "use `nokv rm -r` to remove directories with everything below them");
    } else if (r.status().code() == Code::kConflict && args.if_generation_opt->count() > 0) {
      ctx.SetHint("run `nokv stat " + paths[0] + "` to see the current generation");
    }
    return r.status();
  }
  return PrintResult(*r, ctx.json());
}

// ---- mv and cp ----

struct MoveArgs {
  std::string src;
  std::string dst;
  bool no_replace = false;
  bool parents = false;
};

Status RunMv(Context& ctx, const MoveArgs& args) {
  std::string src;
  NOKV_ASSIGN_OR_RETURN(src, ParsePath(args.src));
  NOKV_RETURN_IF_ERROR(ParsePath(args.dst).status());
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  std::string dst;
  NOKV_ASSIGN_OR_RETURN(dst, ResolveTarget(ns.get(), src, args.dst));
  MutationOptions options;
  options.make_parents = args.parents;
  Result<MutationResult> r = ns->Rename(src, dst, args.no_replace, options);
  if (!r.ok()) {
    Code code = r.status().code();
    if (args.no_replace && (code == Code::kAlreadyExists || code == Code::kConflict)) {
      ctx.SetHint(dst + " exists; drop --no-replace to replace it");
    } else if (code == Code::kNotFound && !args.parents &&
               r.status().message().find("parent directory") != std::string::npos) {
      ctx.SetHint("use `nokv mv -p` to create the missing parent directories of " + dst);
    }
    return r.status();
  }
  return PrintResult(*r, ctx.json());
}

Status RunCp(Context& ctx, const MoveArgs& args) {
  std::string src;
  NOKV_ASSIGN_OR_RETURN(src, ParsePath(args.src));
  NOKV_RETURN_IF_ERROR(ParsePath(args.dst).status());
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  std::string dst;
  NOKV_ASSIGN_OR_RETURN(dst, ResolveTarget(ns.get(), src, args.dst));
  Result<MutationResult> r = ns->Copy(src, dst, MutationOptions());
  if (!r.ok()) {
    if (r.status().code() == Code::kAlreadyExists) {
      ctx.SetHint("cp never replaces; remove " + dst + " first or choose another name");
    }
    return r.status();
  }
  return PrintResult(*r, ctx.json());
}

void AddMoveArgs(CLI::App* cmd, MoveArgs* args) {
  cmd->add_option("SRC", args->src, "Existing file or directory")->required();
  cmd->add_option("DST", args->dst,
                  "New path; an existing directory (or a trailing '/') means into it")
      ->required();
}

}  // namespace

void RegisterMutateCommands(App& app) {
  auto mkdir = std::make_shared<MkdirArgs>();
  CLI::App* cmd =
      app.AddCommand("Write", "mkdir", "Create directories (several: one commit, all or none)",
                     "  nokv mkdir -p /runs/exp1/ckpt\n"
                     "  nokv mkdir /runs/a /runs/b\n",
                     [mkdir](Context& ctx) { return RunMkdir(ctx, *mkdir); });
  cmd->add_option("PATH", mkdir->paths, "Directories to create")->required();
  cmd->add_flag("-p,--parents", mkdir->parents,
                "Create missing parents; an existing directory is not an error");

  auto rm = std::make_shared<RmArgs>();
  cmd = app.AddCommand("Write", "rm",
                       "Remove files or directories (several: one commit, all or none)",
                       "  nokv rm /runs/exp1/old.bin\n"
                       "  nokv rm -r /runs/exp0\n",
                       [rm](Context& ctx) { return RunRm(ctx, *rm); });
  cmd->add_option("PATH", rm->paths, "Paths to remove")->required();
  cmd->add_flag("-r,--recursive", rm->recursive, "Remove directories and everything below them");
  rm->if_generation_opt =
      AddNumberOption(cmd, "--if-generation", &rm->if_generation,
                      "Remove the one file only if it is at generation N (else exit 4)");

  auto mv = std::make_shared<MoveArgs>();
  cmd = app.AddCommand("Write", "mv", "Rename or move a file or directory atomically",
                       "  nokv mv /runs/exp1/tmp /runs/exp1/final\n"
                       "  nokv mv /inbox/a.bin /archive/\n"
                       "  nokv mv -p /runs/exp1 /archive/2026/exp1\n",
                       [mv](Context& ctx) { return RunMv(ctx, *mv); });
  AddMoveArgs(cmd, mv.get());
  cmd->add_flag("--no-replace", mv->no_replace, "Fail (exit 4) instead of replacing a file at DST");
  cmd->add_flag("-p,--parents", mv->parents,
                "Create missing parent directories of DST in the same commit");

  auto cp = std::make_shared<MoveArgs>();
  cmd = app.AddCommand(
      "Write", "cp", "Copy a file or tree without copying bytes (the copy shares blocks)",
      "  nokv cp /runs/exp1 /runs/exp1-fork\n", [cp](Context& ctx) { return RunCp(ctx, *cp); });
  AddMoveArgs(cmd, cp.get());
}

}  // namespace nokv::cli
