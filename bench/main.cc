// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// nokv-bench: nokv against raw RocksDB, the local filesystem and coreutils,
// each row measured in the same run as its baseline. See docs/benchmarks.md.
#include <exception>
#include <fstream>
#include <iostream>

#include "harness.h"
#include "workloads.h"

namespace nokv::bench {
namespace {

void PrintFacts(const Config& config, const MachineFacts& facts) {
  std::cout << "nokv-bench, scale " << (config.small() ? "small" : "full") << "\n";
  for (const Note& line : facts.lines) std::cout << "  " << line.key << ": " << line.text << "\n";
  std::cout << std::endl;
}

void EmitJson(const Config& config, const MachineFacts& facts, const Report& report) {
  std::string json = report.Json(config, facts);
  if (config.json_path.empty()) {
    std::cout << "\n" << json;
    return;
  }
  std::ofstream out(config.json_path);
  out << json;
  if (!out) Fail("cannot write " + config.json_path);
}

int Run(int argc, char** argv) {
  std::optional<Config> config = ParseArgs(argc, argv, GroupNames());
  if (!config) return 0;
  WorkRoot root(config->dir);
  MachineFacts facts = CollectMachineFacts(root.path());
  PrintFacts(*config, facts);
  Params params = ParamsFor(config->scale);
  params.s3_endpoint = config->s3_endpoint;
  params.s3_bucket = config->s3_bucket;
  Report report;
  for (const Group& group : Groups()) {
    if (config->Selected(group.name)) group.run(params, root, &report);
  }
  char rss[32];
  std::snprintf(rss, sizeof(rss), "%.0f MiB", PeakRssMiB());
  report.AddNote("process peak RSS (getrusage, whole run)", rss);
  report.PrintTable(std::cout);
  std::cout << "\n";
  report.PrintNotes(std::cout);
  if (config->json) EmitJson(*config, facts, report);
  return 0;
}

}  // namespace
}  // namespace nokv::bench

int main(int argc, char** argv) {
  try {
    return nokv::bench::Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "nokv-bench: " << e.what() << "\n";
    return 1;
  }
}
