// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Read-only commands: cat, ls, tree, stat. They open the data dir without the
// writer lock, so they work while another process publishes, and read the
// live namespace, a commit version (--version) or a snapshot (--snapshot).
#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/output.h"
#include "cli/paths.h"
#include "cli/read_at.h"

namespace nokv::cli {
namespace {

constexpr uint64_t kMaxReadChunk = 4 << 20;

// ---- cat ----

struct CatArgs {
  std::string path;
  uint64_t offset = 0;
  uint64_t length = 0;
  CLI::Option* offset_opt = nullptr;
  CLI::Option* length_opt = nullptr;
  ReadAtArgs at;
};

// Writes [offset, offset + length) of the body to stdout in bounded chunks.
Status CatRange(FileReader* reader, uint64_t offset, uint64_t length) {
  const uint64_t size = reader->info().size;
  const uint64_t end = length > size - std::min(offset, size) ? size : offset + length;
  std::string chunk;
  for (uint64_t pos = offset; pos < end;) {
    NOKV_RETURN_IF_ERROR(reader->ReadAt(pos, std::min(kMaxReadChunk, end - pos), &chunk));
    if (chunk.empty()) break;  // the body is shorter than its descriptor said
    NOKV_RETURN_IF_ERROR(Out().Write(chunk));
    pos += chunk.size();
  }
  return Status::OK();
}

Status RunCat(Context& ctx, const CatArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  Result<std::unique_ptr<FileReader>> reader = ns->OpenFile(path, at);
  if (!reader.ok()) {
    if (reader.status().code() == Code::kIsDirectory) {
      ctx.SetHint("use `nokv ls " + HumanName(path) + "` to list it or `nokv get -r` to copy it");
    } else if (reader.status().code() == Code::kNotFound && at.generation != 0) {
      ctx.SetHint("run `nokv history " + HumanName(path) +
                  "` to see which generations are retained, then pick one of those");
    }
    return reader.status();
  }
  if (args.offset_opt->count() == 0 && args.length_opt->count() == 0) {
    // The whole body, with its SHA-256 verified at the end.
    return (*reader)->ReadAll([](std::string_view data) { return Out().Write(data); });
  }
  uint64_t length =
      args.length_opt->count() > 0 ? args.length : std::numeric_limits<uint64_t>::max();
  return CatRange(reader->get(), args.offset, length);
}

// ---- ls ----

struct LsArgs {
  std::string path = "/";
  bool long_format = false;
  size_t limit = 0;
  CLI::Option* limit_opt = nullptr;
  std::string cursor;
  ReadAtArgs at;
};

// Prints listing entries as they arrive: one name per line, `ls -l` columns,
// or a single JSON object streamed entry by entry.
class EntryPrinter {
 public:
  EntryPrinter(bool json, bool long_format, bool with_attrs)
      : json_(json), long_format_(long_format), with_attrs_(with_attrs) {}

  Status Begin(const std::string& path) {
    if (!json_) return Status::OK();
    return Out().Write("{\"path\":" + JsonDump(path) + ",\"entries\":[");
  }

  Status Entry(const DirEntry& e) {
    if (json_) {
      std::string text = (first_ ? "" : ",") + JsonDump(DirEntryJson(e, with_attrs_));
      first_ = false;
      return Out().Write(text);
    }
    const bool dir = e.kind == FileKind::kDirectory;
    std::string name = HumanName(e.name) + (dir ? "/" : "");
    if (!long_format_) return Out().Write(name + "\n");
    char cols[96];
    if (dir) {
      std::snprintf(cols, sizeof(cols), "d %14s %6s  ", "-", "-");
    } else {
      std::snprintf(cols, sizeof(cols), "f %14llu %6llu  ", static_cast<unsigned long long>(e.size),
                    static_cast<unsigned long long>(e.generation));
    }
    return Out().Write(cols + FormatTime(e.mtime_ns) + "  " + name + "\n");
  }

  // `next_cursor` is empty when the listing is complete.
  Status End(const std::string& next_cursor) {
    if (!json_) {
      if (!next_cursor.empty()) {
        std::fprintf(stderr, "next cursor: %s (use --cursor %s)\n", next_cursor.c_str(),
                     next_cursor.c_str());
      }
      return Status::OK();
    }
    nlohmann::json cursor =
        next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(next_cursor);
    return Out().Write("],\"next_cursor\":" + JsonDump(cursor) + "}\n");
  }

 private:
  const bool json_;
  const bool long_format_;
  const bool with_attrs_;
  bool first_ = true;
};

Status RunLs(Context& ctx, const LsArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  if (args.limit_opt->count() > 0 && args.limit == 0) {
    return Status::InvalidArgument("--limit must be at least 1");
  }
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  ListOptions options = ListOptionsAt(at);  // a cursor carries its own version
  options.cursor = args.cursor;
  options.with_attrs = args.long_format || ctx.json();
  EntryPrinter printer(ctx.json(), args.long_format, options.with_attrs);

  if (args.cursor.empty()) {
    // A cursor continues a directory listing; without one, PATH may be a file.
    FileInfo info;
    NOKV_ASSIGN_OR_RETURN(info, ns->Stat(path, at));
    if (info.kind == FileKind::kFile) {
      NOKV_RETURN_IF_ERROR(printer.Begin(path));
      NOKV_RETURN_IF_ERROR(printer.Entry(EntryFromInfo(info)));
      return printer.End("");
    }
  }
  NOKV_RETURN_IF_ERROR(printer.Begin(path));
  if (args.limit_opt->count() > 0) {
    options.limit = args.limit;
    ListPage page;
    NOKV_ASSIGN_OR_RETURN(page, ns->List(path, options));
    for (const DirEntry& e : page.entries) NOKV_RETURN_IF_ERROR(printer.Entry(e));
    return printer.End(page.next_cursor);
  }
  DirIterator it(ns.get(), path, options);
  while (true) {
    bool more;
    NOKV_ASSIGN_OR_RETURN(more, it.HasNext());
    if (!more) break;
    NOKV_RETURN_IF_ERROR(printer.Entry(it.Next()));
  }
  return printer.End("");
}

// ---- tree ----

struct TreeArgs {
  std::string path = "/";
  size_t max_depth = 0;
  CLI::Option* max_depth_opt = nullptr;
  ReadAtArgs at;
};

// Walks a namespace subtree at one version, directories in name order.
class TreeWalker {
 public:
  TreeWalker(Namespace* ns, const ReadOptions& at, size_t max_depth, bool with_attrs)
      : ns_(ns), at_(at), max_depth_(max_depth), with_attrs_(with_attrs) {}

  // Prints the entries below `path` with box-drawing branches.
  Status PrintText(const std::string& path, const std::string& prefix, size_t depth) {
    DirIterator it(ns_, path, ListOptionsAt());
    while (true) {
      bool more;
      NOKV_ASSIGN_OR_RETURN(more, it.HasNext());
      if (!more) break;
      DirEntry e = it.Next();  // a copy: HasNext() may replace the page
      NOKV_ASSIGN_OR_RETURN(more, it.HasNext());
      const bool dir = e.kind == FileKind::kDirectory;
      NOKV_RETURN_IF_ERROR(Out().Write(prefix + (more ? "├── " : "└── ") + HumanName(e.name) +
                                       (dir ? "/" : "") + "\n"));
      if (!dir) {
        ++files_;
        continue;
      }
      ++dirs_;
      if (depth + 1 < max_depth_) {
        NOKV_RETURN_IF_ERROR(
            PrintText(JoinPath(path, e.name), prefix + (more ? "│   " : "    "), depth + 1));
      }
    }
    return Status::OK();
  }

  // Fills node["children"] with the entries below `path`, recursively.
  Status BuildJson(const std::string& path, size_t depth, nlohmann::json* node) {
    nlohmann::json children = nlohmann::json::array();
    DirIterator it(ns_, path, ListOptionsAt());
    while (true) {
      bool more;
      NOKV_ASSIGN_OR_RETURN(more, it.HasNext());
      if (!more) break;
      DirEntry e = it.Next();
      nlohmann::json child = DirEntryJson(e, with_attrs_);
      if (e.kind == FileKind::kDirectory && depth + 1 < max_depth_) {
        NOKV_RETURN_IF_ERROR(BuildJson(JoinPath(path, e.name), depth + 1, &child));
      }
      children.push_back(std::move(child));
    }
    (*node)["children"] = std::move(children);
    return Status::OK();
  }

  uint64_t dirs() const { return dirs_; }
  uint64_t files() const { return files_; }

 private:
  ListOptions ListOptionsAt() const {
    ListOptions options = cli::ListOptionsAt(at_);
    options.with_attrs = with_attrs_;
    return options;
  }

  Namespace* const ns_;
  const ReadOptions at_;
  const size_t max_depth_;
  const bool with_attrs_;
  uint64_t dirs_ = 0;
  uint64_t files_ = 0;
};

Status RunTree(Context& ctx, const TreeArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  at = PinLive(ns.get(), at);  // the whole tree is one consistent cut
  FileInfo info;
  NOKV_ASSIGN_OR_RETURN(info, ns->Stat(path, at));
  const size_t max_depth =
      args.max_depth_opt->count() > 0 ? args.max_depth : std::numeric_limits<size_t>::max();
  TreeWalker walker(ns.get(), at, max_depth, ctx.json());
  const bool dir = info.kind == FileKind::kDirectory;
  if (ctx.json()) {
    nlohmann::json root = DirEntryJson(EntryFromInfo(info), true);
    root["path"] = path;
    if (dir && max_depth > 0) NOKV_RETURN_IF_ERROR(walker.BuildJson(path, 0, &root));
    return PrintJson(root);
  }
  NOKV_RETURN_IF_ERROR(Out().Write(HumanName(path) + (dir && path != "/" ? "/" : "") + "\n"));
  if (!dir) return Status::OK();
  if (max_depth > 0) NOKV_RETURN_IF_ERROR(walker.PrintText(path, "", 0));
  return Out().Write("\n" + Plural(walker.dirs(), "directory", "directories") + ", " +
                     Plural(walker.files(), "file", "files") + "\n");
}

// ---- stat ----

struct StatArgs {
  std::string path;
  ReadAtArgs at;
};

Status PrintStatText(const FileInfo& info) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"path", HumanName(info.path)},
      {"kind", KindName(info.kind)},
  };
  if (info.kind == FileKind::kDirectory) {
    rows.emplace_back("children", std::to_string(info.child_count));
  } else {
    rows.emplace_back("size", std::to_string(info.size) + " (" + FormatSize(info.size) + ")");
    rows.emplace_back("generation", std::to_string(info.generation));
  }
  rows.emplace_back("version", std::to_string(info.version));
  if (info.kind == FileKind::kFile) {
    rows.emplace_back("sha256", info.sha256_hex);
    rows.emplace_back("content type", HumanName(info.content_type));
    rows.emplace_back("blocks", std::to_string(info.block_count));
    rows.emplace_back("inline", info.is_inline ? "yes" : "no");
  }
  rows.emplace_back("ino", std::to_string(info.ino));
  rows.emplace_back("ctime", FormatTime(info.ctime_ns));
  rows.emplace_back("mtime", FormatTime(info.mtime_ns));
  std::string text;
  for (const auto& [key, value] : rows) {
    text += key + ":" + std::string(14 - key.size(), ' ') + value + "\n";
  }
  return Out().Write(text);
}

Status RunStat(Context& ctx, const StatArgs& args) {
  std::string path;
  NOKV_ASSIGN_OR_RETURN(path, ParsePath(args.path));
  ReadOptions at;
  NOKV_ASSIGN_OR_RETURN(at, ReadOptionsFrom(args.at));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  FileInfo info;
  NOKV_ASSIGN_OR_RETURN(info, ns->Stat(path, at));
  if (ctx.json()) return PrintJson(FileInfoJson(info));
  return PrintStatText(info);
}

}  // namespace

void RegisterReadCommands(App& app) {
  auto cat = std::make_shared<CatArgs>();
  CLI::App* cmd = app.AddCommand("Read", "cat", "Write a file's body to stdout",
                                 "  nokv cat /runs/exp1/metrics.json | jq .loss\n"
                                 "  nokv cat --offset 1024 --length 16 /runs/exp1/model.bin | xxd\n"
                                 "  nokv cat --snapshot nightly /runs/exp1/params.json\n"
                                 "  nokv cat --generation 2 /runs/exp1/params.json\n",
                                 [cat](Context& ctx) { return RunCat(ctx, *cat); });
  cmd->add_option("PATH", cat->path, "File to read")->required();
  cat->offset_opt = AddNumberOption(cmd, "--offset", &cat->offset, "Start at byte N (default 0)");
  cat->length_opt =
      AddNumberOption(cmd, "--length", &cat->length, "Read at most N bytes (default: to the end)");
  AddGenerationOption(cmd, &cat->at);
  AddReadAtOptions(cmd, &cat->at);

  auto ls = std::make_shared<LsArgs>();
  cmd = app.AddCommand("Read", "ls", "List a directory (or show one file's entry)",
                       "  nokv ls -l /runs/exp1\n"
                       "  nokv ls --json --limit 100 /datasets/big   # then --cursor C\n",
                       [ls](Context& ctx) { return RunLs(ctx, *ls); });
  cmd->add_option("PATH", ls->path, "Directory or file (default /)");
  cmd->add_flag("-l,--long", ls->long_format,
                "Show kind, size, generation, mtime and name (directories end in '/')");
  ls->limit_opt = AddNumberOption(cmd, "--limit", &ls->limit,
                                  "Print one page of at most N entries and the cursor of the next");
  cmd->add_option("--cursor", ls->cursor, "Continue a listing from a previous page's cursor")
      ->type_name("C");
  AddReadAtOptions(cmd, &ls->at);

  auto tree = std::make_shared<TreeArgs>();
  cmd = app.AddCommand("Read", "tree", "Show a subtree as an indented tree",
                       "  nokv tree --max-depth 2 /runs\n",
                       [tree](Context& ctx) { return RunTree(ctx, *tree); });
  cmd->add_option("PATH", tree->path, "Root of the tree (default /)");
  tree->max_depth_opt =
      AddNumberOption(cmd, "--max-depth", &tree->max_depth, "Descend at most N levels below PATH");
  AddReadAtOptions(cmd, &tree->at);

  auto stat = std::make_shared<StatArgs>();
  cmd = app.AddCommand("Read", "stat",
                       "Show everything known about a path (size, generation, digest, times)",
                       "  nokv stat /runs/exp1/model.bin\n"
                       "  nokv stat --json /runs/exp1/model.bin | jq -r .sha256\n",
                       [stat](Context& ctx) { return RunStat(ctx, *stat); });
  cmd->add_option("PATH", stat->path, "File or directory")->required();
  AddGenerationOption(cmd, &stat->at);
  AddReadAtOptions(cmd, &stat->at);
}

}  // namespace nokv::cli
