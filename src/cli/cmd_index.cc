// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// `nokv index define|list|show|drop|rebuild`: declarative indexes over a
// directory, kept current by every commit (docs/indexes.md).
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>

#include "cli/commands.h"
#include "cli/local_fs.h"
#include "cli/output.h"
#include "cli/paths.h"

namespace nokv::cli {
namespace {

constexpr size_t kMaxSpecFile = 64 << 10;

Result<std::string> ReadSpec(const std::string& file) {
  std::string text;
  if (file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return ErrnoStatus("open spec " + file, errno);
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  if (text.size() > kMaxSpecFile) {
    return Status::InvalidArgument("spec " + file + " is larger than 64 KiB");
  }
  return text;
}

nlohmann::json IndexJson(const IndexInfo& i, bool with_spec) {
  nlohmann::json fields = nlohmann::json::array();
  for (const IndexFieldInfo& f : i.fields) {
    nlohmann::json j = {{"name", f.name}, {"type", f.type}, {"rows", f.rows}};
    if (f.nonfinite_skipped != 0) j["nonfinite_skipped"] = f.nonfinite_skipped;
    fields.push_back(std::move(j));
  }
  nlohmann::json j = {{"name", i.name},
                      {"dir", i.dir},
                      {"rows", i.rows},
                      {"row_count", i.row_count},
                      {"defined_version", i.defined_version},
                      {"changed_version", i.changed_version},
                      {"extraction_errors", i.extraction_errors},
                      {"fields", std::move(fields)}};
  if (!i.last_error.empty()) j["last_error"] = i.last_error;
  if (with_spec) j["spec"] = i.spec;
  return j;
}

// `j` with "action": what a mutating command did.
nlohmann::json WithAction(nlohmann::json j, const char* action) {
  j["action"] = action;
  return j;
}

Status PrintIndex(const IndexInfo& i) {
  std::string text = "name:     " + i.name + "\ndir:      " + HumanName(i.dir) +
                     "\nrows:     " + i.rows + " (" + std::to_string(i.row_count) +
                     ")\nversions: defined at " + std::to_string(i.defined_version) +
                     ", changed at " + std::to_string(i.changed_version) + "\n";
  if (i.extraction_errors != 0) {
    text += "errors:   " + std::to_string(i.extraction_errors) + " (last: " + i.last_error + ")\n";
  }
  text += "fields:\n";
  for (const IndexFieldInfo& f : i.fields) {
    char line[512];
    std::snprintf(line, sizeof(line), "  %-32s %-7s %10llu rows", f.name.c_str(), f.type.c_str(),
                  static_cast<unsigned long long>(f.rows));
    text += line;
    if (f.nonfinite_skipped != 0) {
      text += ", " + std::to_string(f.nonfinite_skipped) + " non-finite skipped";
    }
    text += "\n";
  }
  return Out().Write(text);
}

struct DefineArgs {
  std::string dir;
  std::string spec;
};

Status RunDefine(Context& ctx, const DefineArgs& args) {
  std::string dir;
  NOKV_ASSIGN_OR_RETURN(dir, ParsePath(args.dir));
  std::string spec;
  NOKV_ASSIGN_OR_RETURN(spec, ReadSpec(args.spec));
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  Result<IndexInfo> info = ns->DefineIndex(dir, spec, MutationOptions{});
  if (!info.ok()) {
    if (info.status().code() == Code::kInvalidArgument) {
      ctx.SetHint("fix the spec and run the command again; the spec format is in docs/indexes.md");
    }
    return info.status();
  }
  if (ctx.json()) return PrintJson(WithAction(IndexJson(*info, false), "defined"));
  std::fprintf(stderr, "defined index %s over %s: %llu rows\n", info->name.c_str(),
               info->dir.c_str(), static_cast<unsigned long long>(info->row_count));
  return PrintIndex(*info);
}

Status RunList(Context& ctx) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  std::vector<IndexInfo> all;
  NOKV_ASSIGN_OR_RETURN(all, ns->ListIndexes());
  if (ctx.json()) {
    nlohmann::json list = nlohmann::json::array();
    for (const IndexInfo& i : all) list.push_back(IndexJson(i, false));
    return PrintJson({{"indexes", std::move(list)}});
  }
  if (all.empty()) {
    std::fprintf(stderr, "no indexes; define one with `nokv index define DIR SPEC.yaml`\n");
    return Status::OK();
  }
  std::string text = "NAME                 ROWS     FIELDS  DIR\n";
  for (const IndexInfo& i : all) {
    char line[256];
    std::snprintf(line, sizeof(line), "%-20s %-8llu %-7zu ", i.name.c_str(),
                  static_cast<unsigned long long>(i.row_count), i.fields.size());
    text += line + HumanName(i.dir) + "\n";
  }
  return Out().Write(text);
}

struct NameArgs {
  std::string name;
};

Status RunShow(Context& ctx, const NameArgs& args) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenReader());
  IndexInfo info;
  NOKV_ASSIGN_OR_RETURN(info, ns->GetIndex(args.name));
  if (ctx.json()) return PrintJson(IndexJson(info, true));
  NOKV_RETURN_IF_ERROR(PrintIndex(info));
  return Out().Write("spec:\n" + info.spec +
                     (info.spec.empty() || info.spec.back() == '\n' ? "" : "\n"));
}

Status RunDrop(Context& ctx, const NameArgs& args) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  IndexInfo dropped;  // what the drop removes, for the report
  NOKV_ASSIGN_OR_RETURN(dropped, ns->GetIndex(args.name));
  MutationResult r;
  NOKV_ASSIGN_OR_RETURN(r, ns->DropIndex(args.name, MutationOptions{}));
  if (ctx.json()) {
    return PrintJson({{"action", "dropped"},
                      {"name", args.name},
                      {"version", r.version},
                      {"index", IndexJson(dropped, false)}});
  }
  return Out().Write("dropped index " + args.name + " over " + HumanName(dropped.dir) + " (" +
                     std::to_string(dropped.row_count) + " rows); the files are untouched\n");
}

Status RunRebuild(Context& ctx, const NameArgs& args) {
  std::unique_ptr<Namespace> ns;
  NOKV_ASSIGN_OR_RETURN(ns, ctx.OpenWriter());
  IndexInfo info;
  NOKV_ASSIGN_OR_RETURN(info, ns->RebuildIndex(args.name, MutationOptions{}));
  if (ctx.json()) return PrintJson(WithAction(IndexJson(info, false), "rebuilt"));
  return PrintIndex(info);
}

}  // namespace

void RegisterIndexCommands(App& app) {
  CLI::App* group = app.AddCommandGroup(
      "Agent", "index", "Declare, list, show, drop and rebuild indexes the agent verbs query");
  group->footer(
      "Examples:\n"
      "  nokv index define /runs runs-index.yaml   # spec format: docs/indexes.md\n"
      "  nokv index list\n"
      "  nokv index show runs\n"
      "  nokv agent find '{\"path\":\"/runs\",\"where\":{\"status\":\"done\"},\"limit\":5}'\n");

  auto define = std::make_shared<DefineArgs>();
  CLI::App* cmd = app.AddSubcommand(
      group, "define",
      "Declare an index over DIR from a YAML spec and build it; every later commit keeps it "
      "current",
      "  nokv index define /runs runs-index.yaml\n"
      "  nokv agent find "
      "'{\"path\":\"/runs\",\"sort\":[{\"field\":\"min_val_loss\"}],\"limit\":5}'\n",
      [define](Context& ctx) { return RunDefine(ctx, *define); });
  cmd->add_option("DIR", define->dir, "Directory whose child dirs (or matching files) are rows")
      ->required();
  cmd->add_option("SPEC", define->spec, "YAML spec file, or - for stdin")->required();

  app.AddSubcommand(group, "list", "List indexes: name, row count, field count and directory",
                    "  nokv index list\n"
                    "  nokv index list --json | jq -r '.indexes[].name'\n",
                    [](Context& ctx) { return RunList(ctx); });

  auto show = std::make_shared<NameArgs>();
  cmd = app.AddSubcommand(group, "show", "Show an index: its fields, row counts and spec",
                          "  nokv index show runs\n"
                          "  nokv index show runs --json | jq -r '.fields[].name'\n",
                          [show](Context& ctx) { return RunShow(ctx, *show); });
  cmd->add_option("NAME", show->name, "Index name")->required();

  auto drop = std::make_shared<NameArgs>();
  cmd = app.AddSubcommand(group, "drop", "Drop an index (the data is untouched)",
                          "  nokv index drop runs\n"
                          "  nokv index drop runs && nokv index define /runs runs-index.yaml\n",
                          [drop](Context& ctx) { return RunDrop(ctx, *drop); });
  cmd->add_option("NAME", drop->name, "Index name")->required();

  auto rebuild = std::make_shared<NameArgs>();
  cmd =
      app.AddSubcommand(group, "rebuild", "Recompute every row of an index from the files",
                        "  nokv index rebuild runs   # after a spec error was fixed in the files\n",
                        [rebuild](Context& ctx) { return RunRebuild(ctx, *rebuild); });
  cmd->add_option("NAME", rebuild->name, "Index name")->required();
}

}  // namespace nokv::cli
