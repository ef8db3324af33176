// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv put`: publish local files, trees and stdin in one atomic commit.
#include <unistd.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/local_fs.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/progress.h"

namespace nokv::cli {
namespace {

struct PutArgs {
  std::vector<std::string> paths;  // SRC... DEST
  bool recursive = false;
  bool follow_symlinks = false;
  bool follow_outside = false;
  bool if_absent = false;
  uint64_t if_generation = 0;
  CLI::Option* if_generation_opt = nullptr;
  std::string content_type;
  std::string idempotency_key;
};

// Everything one put publishes, assembled before the commit.
class PutPlan {
 public:
  explicit PutPlan(const PutArgs& args) : args_(args) {}

  // Adds the body of `source` at namespace path `target`.
  Status AddFile(const std::string& target, std::unique_ptr<ByteSource> source,
                 std::optional<uint64_t> size) {
    std::string path;
    NOKV_ASSIGN_OR_RETURN(path, ParsePath(target));
    if (!targets_.insert(path).second) {
      return Status::InvalidArgument("two sources would both be published at " + path +
                                     "; give them distinct destinations");
    }
    if (size.has_value()) {
      total_bytes_ += *size;
    } else {
      total_known_ = false;
    }
    PublishItem item;
    item.path = std::move(path);
    item.source = std::move(source);
    item.content_type = args_.content_type;
    items_.push_back(std::move(item));
    return Status::OK();
  }

  // Adds the local tree below `local_dir` at namespace directory `target`,
  // leaving out `data_dir`.
  Status AddTree(const std::string& local_dir, const std::string& target,
                 const std::string& data_dir) {
    LocalTree tree;
    WalkOptions walk;
    walk.skip_dir = data_dir;
    walk.follow_symlinks = args_.follow_symlinks;
    walk.follow_outside = args_.follow_outside;
    NOKV_RETURN_IF_ERROR(WalkLocalTree(local_dir, walk, &tree));
    for (LocalTreeFile& f : tree.files) {
      // The walk saw a regular file (or resolved a link to one): a symlink
      // swapped in since is refused, not followed.
      NOKV_RETURN_IF_ERROR(AddFile(JoinPath(target, f.relative),
                                   LazyFileSource(f.local_path, f.size, /*no_follow=*/true),
                                   f.size));
    }
    for (const std::string& rel : tree.empty_dirs) {
      std::string path;
      NOKV_ASSIGN_OR_RETURN(path, ParsePath(rel.empty() ? target : JoinPath(target, rel)));
      directories_.push_back(std::move(path));
    }
    return Status::OK();
  }

  // Applies --if-absent / --if-generation to the items.
  Status ApplyPreconditions() {
    if (args_.if_generation_opt->count() > 0 && (items_.size() != 1 || !directories_.empty())) {
      return Status::InvalidArgument(
          "--if-generation applies to exactly one file, but this put has " +
          std::to_string(items_.size()) + " files and " + std::to_string(directories_.size()) +
          " directories");
    }
    for (PublishItem& item : items_) {
      if (args_.if_absent) item.precondition = Precondition::Absent();
      if (args_.if_generation_opt->count() > 0) {
        item.precondition = Precondition::GenerationEquals(args_.if_generation);
      }
    }
    return Status::OK();
  }

  bool empty() const { return items_.empty() && directories_.empty(); }
  // Bytes to publish; 0 when unknown (a stream is among the sources).
  uint64_t total_bytes() const { return total_known_ ? total_bytes_ : 0; }

  Result<PublishResult> Publish(Namespace* ns, ProgressBar* bar) {
    PublishOptions options;
    options.make_parents = true;
    options.directories = std::move(directories_);
    options.idempotency_key = args_.idempotency_key;
    options.progress = [bar](uint64_t done, uint64_t total) { bar->Update(done, total); };
    return ns->Publish(std::move(items_), options);
  }

 private:
  const PutArgs& args_;
  std::vector<PublishItem> items_;
  std::vector<std::string> directories_;
  std::set<std::string> targets_;
  uint64_t total_bytes_ = 0;
  bool total_known_ = true;
};

// True when DEST names a directory the sources go into, not a file path.
bool DestIsDirectory(Namespace* ns, const std::string& dest_arg, const std::string& dest,
                     size_t source_count) {
  if (source_count > 1 || EndsWithSlash(dest_arg)) return true;
  Result<FileInfo> info = ns->Stat(dest, ReadOptions());
  return info.ok() && info->kind == FileKind::kDirectory;
}

Status PrintPublished(const PublishResult& result, bool json) {
  if (json) {
    nlohmann::json files = nlohmann::json::array();
    for (const FileInfo& f : result.files) files.push_back(FileInfoJson(f));
    return PrintJson(
        {{"version", result.version}, {"replayed", result.replayed}, {"files", files}});
  }
  if (result.replayed) {
    PrintWarning("replayed: the idempotency key already published this same request (version " +
                 std::to_string(result.version) + "); nothing was published again");
  }
  for (const FileInfo& f : result.files) {
    NOKV_RETURN_IF_ERROR(Out().Write("published " + HumanName(f.path) + " (generation " +
                                     std::to_string(f.generation) + ", " + FormatSize(f.size) +
                                     ")\n"));
  }
  return Status::OK();
}

void SetPublishHint(const Status& s, const PutArgs& args, Context& ctx) {
  const bool precondition = s.message().find("precondition failed") != std::string::npos;
  if (precondition && (s.code() == Code::kConflict || s.code() == Code::kAlreadyExists)) {
    if (args.if_generation_opt->count() > 0) {
      ctx.SetHint("run `nokv stat " + args.paths.back() + "` to see the current generation");
    } else if (args.if_absent) {
      ctx.SetHint("drop --if-absent to replace the existing file with a new generation");
    }
  } else if (s.code() == Code::kIsDirectory) {
    ctx.SetHint(
        "a directory is in the way; publish into it with a trailing '/' on DEST, or "
        "remove it with `nokv rm -r`");
  }
}

Status RunPut(Context& ctx, const PutArgs& args) {
  if (args.paths.size() < 2) {
    ctx.SetHint("e.g. `nokv put model.bin /runs/exp1/`; run `nokv put --help` for more");
    return Status::InvalidArgument("put needs at least one SRC and a DEST");
  }
  const std::string& dest_arg = args.paths.back();
  const std::vector<std::string> sources(args.paths.begin(), args.paths.end() - 1);
  std::string dest;
  NOKV_ASSIGN_OR_RETURN(dest, ParsePath(dest_arg));

  // Check the local side before touching the data dir, so a typo creates
  // nothing.
  std::vector<LocalStat> stats;
  size_t stdin_count = 0;
  for (const std::string& src : sources) {
    if (src == "-") {
      ++stdin_count;
      stats.push_back({LocalKind::kStream, 0});
      continue;
    }
    LocalStat st;
    NOKV_ASSIGN_OR_RETURN(st, StatLocal(src));
    if (st.kind == LocalKind::kDirectory && !args.recursive) {
      ctx.SetHint("use `nokv put -r` to publish a directory tree");
      return Status::IsDirectory(src + " is a directory");
    }
    stats.push_back(st);
  }
  if (stdin_count > 1) return Status::InvalidArgument("stdin (-) can be given only once");

  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  const bool into_dir = DestIsDirectory(ns.get(), dest_arg, dest, sources.size());

  PutPlan plan(args);
  for (size_t i = 0; i < sources.size(); ++i) {
    const std::string& src = sources[i];
    if (src == "-") {
      // Stdin has no name to publish under, so DEST must be the file path; an
      // existing directory there fails in Publish with IsDirectory.
      if (EndsWithSlash(dest_arg) || sources.size() > 1) {
        return Status::InvalidArgument(
            "stdin (-) needs an explicit file DEST, e.g. `nokv put - /notes/today.txt`");
      }
      NOKV_RETURN_IF_ERROR(plan.AddFile(dest, FdSource(STDIN_FILENO), std::nullopt));
      continue;
    }
    std::string base = LocalBaseName(src);
    std::string target = into_dir && !base.empty() ? JoinPath(dest, base) : dest;
    switch (stats[i].kind) {
      case LocalKind::kFile:
        NOKV_RETURN_IF_ERROR(
            plan.AddFile(target, LazyFileSource(src, stats[i].size), stats[i].size));
        break;
      case LocalKind::kStream:
        NOKV_RETURN_IF_ERROR(plan.AddFile(target, LazyFileSource(src, std::nullopt), std::nullopt));
        break;
      case LocalKind::kDirectory:
        NOKV_RETURN_IF_ERROR(plan.AddTree(src, target, ctx.data_dir()));
        break;
      case LocalKind::kOther:
        PrintWarning("skipping " + src + ": not a regular file, directory or pipe");
        break;
    }
  }
  if (plan.empty()) return Status::InvalidArgument("nothing to publish: every source was skipped");
  NOKV_RETURN_IF_ERROR(plan.ApplyPreconditions());

  Result<PublishResult> result = Status::Internal("publish did not run");
  {
    ProgressBar bar("put", plan.total_bytes());
    result = plan.Publish(ns.get(), &bar);
  }  // the bar is erased before anything else is printed
  if (!result.ok()) {
    SetPublishHint(result.status(), args, ctx);
    return result.status();
  }
  return PrintPublished(*result, ctx.json());
}

}  // namespace

void RegisterPutCommand(App& app) {
  auto args = std::make_shared<PutArgs>();
  CLI::App* cmd = app.AddCommand(
      "Write", "put", "Publish local files, trees or stdin atomically (one commit per call)",
      "  nokv put model.bin /runs/exp1/              # into a directory\n"
      "  nokv put a.bin b.bin /runs/exp1/shards      # both visible together\n"
      "  nokv put -r ./ckpt-100 /runs/exp1/ckpt-100  # a whole tree\n"
      "  nokv put -r -L ./ckpt /runs/exp1/ckpt       # following symlinks inside ./ckpt\n"
      "  echo hello | nokv put - /notes/hello.txt    # stdin needs a file DEST\n",
      [args](Context& ctx) { return RunPut(ctx, *args); });
  cmd->add_option("SRC", args->paths,
                  "Local sources (- for stdin), then the namespace DEST. DEST is a directory "
                  "when it ends with '/', exists as one, or there are several sources")
      ->required()
      ->option_text("... DEST REQUIRED");
  cmd->add_flag("-r,--recursive", args->recursive, "Publish directory trees, empty dirs included");
  CLI::Option* follow = cmd->add_flag(
      "-L,--follow-symlinks", args->follow_symlinks,
      "In trees, follow symlinks whose target is inside the source tree (default: every "
      "symlink is skipped with a warning; a SRC named on the command line is always followed)");
  cmd->add_flag("--follow-outside", args->follow_outside,
                "With -L, also follow symlinks that lead outside the source tree")
      ->needs(follow);
  CLI::Option* absent =
      cmd->add_flag("--if-absent", args->if_absent, "Fail (exit 4) if any destination exists");
  args->if_generation_opt =
      AddNumberOption(cmd, "--if-generation", &args->if_generation,
                      "Replace the one file only if it is at generation N (else exit 4)")
          ->excludes(absent);
  cmd->add_option("--content-type", args->content_type,
                  "Content type of every published file (default: guessed from the name)")
      ->type_name("TYPE");
  cmd->add_option("--idempotency-key", args->idempotency_key,
                  "A retry with the same key, paths and bytes returns the first result instead "
                  "of publishing again; the key reused for other paths or bytes is a conflict "
                  "(exit 4)")
      ->type_name("KEY");
}

}  // namespace nokv::cli
