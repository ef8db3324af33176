// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv get`: copy files or trees from the namespace to the local disk. Every
// local file is written atomically (temporary file, sync, rename; a tree is
// synced once per batch of files, not once per file), missing local parent
// directories are created, and the whole copy reads one consistent version of
// the namespace (the newest, a --version or a --snapshot).
#include <memory>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/local_fs.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/progress.h"
#include "cli/read_at.h"

namespace nokv::cli {
namespace {

// The directory a local path is in: "." for a bare name.
std::string LocalParent(std::string local) {
  while (local.size() > 1 && local.back() == '/') local.pop_back();
  size_t slash = local.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return local.substr(0, slash);
}

struct GetArgs {
  std::string path;
  std::string local;
  bool recursive = false;
  ReadAtArgs at;
};

class Downloader {
 public:
  // `at` is pinned: a snapshot or a version, never "the newest".
  Downloader(Namespace* ns, const ReadOptions& at, ProgressBar* bar, LocalDownload* out)
      : ns_(ns), bar_(bar), out_(out), at_(at) {}

  // Copies the file `path` to `local`, in the prepared directory `local_dir`.
  Status File(const std::string& path, const std::string& local, const std::string& local_dir) {
    std::unique_ptr<FileReader> reader;
    NOKV_ASSIGN_OR_RETURN(reader, ns_->OpenFile(path, at_));
    NOKV_RETURN_IF_ERROR(out_->Begin(local_dir, local));
    NOKV_RETURN_IF_ERROR(reader->ReadAll([&](std::string_view data) {
      bytes_ += data.size();
      bar_->Update(bytes_);
      return out_->Append(data);
    }));
    NOKV_RETURN_IF_ERROR(out_->Commit());
    ++files_;
    return Status::OK();
  }

  Status Tree(const std::string& path, const std::string& local) {
    NOKV_RETURN_IF_ERROR(out_->PrepareDir(local));
    DirIterator it(ns_, path, ListOptionsAt(at_));
    while (true) {
      bool more;
      NOKV_ASSIGN_OR_RETURN(more, it.HasNext());
      if (!more) break;
      const DirEntry& e = it.Next();
      const std::string child = JoinPath(path, e.name);
      const std::string local_child = JoinLocal(local, e.name);
      NOKV_RETURN_IF_ERROR(e.kind == FileKind::kDirectory ? Tree(child, local_child)
                                                          : File(child, local_child, local));
    }
    return Status::OK();
  }

  uint64_t files() const { return files_; }
  uint64_t bytes() const { return bytes_; }

 private:
  Namespace* const ns_;
  ProgressBar* const bar_;
  LocalDownload* const out_;
  const ReadOptions at_;
  uint64_t files_ = 0;
  uint64_t bytes_ = 0;
};

Status RunGet(Context& ctx, const GetArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  if (args.local.empty()) return Status::InvalidArgument("empty LOCAL path");
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  at = PinLive(ns.get(), at);
  FileInfo info;
  NOKV_ASSIGN_OR_RETURN(info, ns->Stat(path, at));
  const bool dir = info.kind == FileKind::kDirectory;
  if (dir && !args.recursive) {
    ctx.SetHint("use `nokv get -r " + args.path + " " + args.local + "` to copy a tree");
    return Status::IsDirectory(path + " is a directory");
  }

  // Like cp: into LOCAL when it is an existing directory or ends with '/'.
  std::string local = args.local;
  Result<LocalStat> local_stat = StatLocal(local);
  bool into =
      EndsWithSlash(local) || (local_stat.ok() && local_stat->kind == LocalKind::kDirectory);
  if (into && path != "/") local = JoinLocal(local, BaseName(path));
  // Like `mkdir -p` of LOCAL's parent: `get -r /a ./restore/` works in an
  // empty directory.
  const std::string parent = LocalParent(local);
  NOKV_RETURN_IF_ERROR(MakeLocalDirs(parent));

  Status s;
  uint64_t files = 0;
  uint64_t bytes = 0;
  {
    ProgressBar bar("get", dir ? 0 : info.size);
    LocalDownload out(/*batched=*/dir);
    Downloader downloader(ns.get(), at, &bar, &out);
    s = out.PrepareDir(parent);
    if (s.ok()) s = dir ? downloader.Tree(path, local) : downloader.File(path, local, parent);
    if (s.ok()) s = out.Finish();
    files = downloader.files();
    bytes = downloader.bytes();
  }  // the bar is erased before anything else is printed
  NOKV_RETURN_IF_ERROR(s);
  if (!ctx.json()) return Status::OK();
  uint64_t version;
  NOKV_ASSIGN_OR_RETURN(version, VersionOf(ns.get(), at));
  nlohmann::json j = {
      {"path", path}, {"local", local}, {"version", version}, {"files", files}, {"bytes", bytes}};
  if (!at.snapshot.empty()) j["snapshot"] = at.snapshot;
  if (at.generation != 0) j["generation"] = at.generation;
  return PrintJson(j);
}

}  // namespace

void RegisterGetCommand(App& app) {
  auto args = std::make_shared<GetArgs>();
  CLI::App* cmd =
      app.AddCommand("Read", "get", "Copy a file or tree from the namespace to local disk",
                     "  nokv get /runs/exp1/model.bin ./model.bin\n"
                     "  nokv get -r /runs/exp1/ckpt-100 ./restore/\n"
                     "  nokv get -r --snapshot nightly /runs/exp1 ./exp1-nightly\n",
                     [args](Context& ctx) { return RunGet(ctx, *args); });
  cmd->add_option("PATH", args->path, "Namespace file or directory")->required();
  cmd->add_option("LOCAL", args->local,
                  "Local destination; an existing directory (or a trailing '/') means into it; "
                  "missing parent directories are created")
      ->required();
  cmd->add_flag("-r,--recursive", args->recursive, "Copy a directory tree");
  AddGenerationOption(cmd, &args->at);
  AddReadAtOptions(cmd, &args->at);
}

}  // namespace nokv::cli
