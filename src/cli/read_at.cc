// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/read_at.h"

#include <charconv>

#include "cli/app.h"

namespace nokv::cli {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

Result<uint64_t> ParseVersion(const std::string& text) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("version " + text + " is out of range");
  }
  if (v == 0) {
    return Status::InvalidArgument("versions start at 1; omit --version to read the newest");
  }
  return v;
}

}  // namespace

void AddReadAtOptions(CLI::App* cmd, ReadAtArgs* args) {
  args->snapshot_opt = cmd->add_option("--snapshot", args->snapshot,
                                       "Read what snapshot NAME holds (paths must lie inside it)")
                           ->type_name("NAME");
  args->version_opt = AddNumberOption(cmd, "--version", &args->version,
                                      "Read at commit version N (while history retains it)")
                          ->excludes(args->snapshot_opt);
}

void AddGenerationOption(CLI::App* cmd, ReadAtArgs* args) {
  args->generation_opt =
      AddNumberOption(cmd, "--generation", &args->generation,
                      "Read generation N of the file (`nokv history` lists them)");
}

Result<ReadOptions> ReadOptionsFrom(const ReadAtArgs& args) {
  ReadOptions at;
  if (args.generation_opt != nullptr && args.generation_opt->count() > 0) {
    if (args.generation == 0) {
      return Status::InvalidArgument("generations start at 1; `nokv history PATH` lists them");
    }
    at.generation = args.generation;
  }
  if (args.version_opt != nullptr && args.version_opt->count() > 0) {
    if (args.version == 0) {
      return Status::InvalidArgument("versions start at 1; omit --version to read the newest");
    }
    at.version = args.version;
  }
  if (args.snapshot_opt != nullptr && args.snapshot_opt->count() > 0) {
    if (args.snapshot.empty()) return Status::InvalidArgument("--snapshot needs a name");
    at.snapshot = args.snapshot;
  }
  return at;
}

ReadOptions PinLive(Namespace* ns, ReadOptions at) {
  if (IsLive(at)) at.version = ns->LastVersion();
  return at;
}

Result<uint64_t> VersionOf(Namespace* ns, const ReadOptions& at) {
  if (at.version != 0) return at.version;
  if (at.snapshot.empty()) return ns->LastVersion();
  SnapshotInfo snap;
  NOKV_ASSIGN_OR_RETURN(snap, ns->GetSnapshot(at.snapshot));
  return snap.version;
}

ListOptions ListOptionsAt(const ReadOptions& at) {
  ListOptions options;
  options.version = at.version;
  options.snapshot = at.snapshot;
  return options;
}

std::string DescribeState(const ReadOptions& at) {
  if (!at.snapshot.empty()) return "snapshot " + at.snapshot;
  if (at.version != 0) return "version " + std::to_string(at.version);
  return "the newest version";
}

Result<ReadOptions> ParseStateRef(const std::string& ref) {
  ReadOptions at;
  if (ref.empty()) {
    return Status::InvalidArgument(
        "empty state; give a version number, a snapshot name (@NAME) or `now`");
  }
  if (ref == "now") return at;
  if (AllDigits(ref)) {
    NOKV_ASSIGN_OR_RETURN(at.version, ParseVersion(ref));
    return at;
  }
  at.snapshot = ref[0] == '@' ? ref.substr(1) : ref;
  if (at.snapshot.empty()) return Status::InvalidArgument("'@' needs a snapshot name after it");
  return at;
}

}  // namespace nokv::cli
