// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/checkpoint_manifest.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace nokv {

namespace {
constexpr char kManifestFormat[] = "nokv-checkpoint-1";
}

std::string StepDirName(uint64_t step) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "step-%010llu", static_cast<unsigned long long>(step));
  return buf;
}

bool ParseStepDirName(std::string_view name, uint64_t* step) {
  constexpr std::string_view kPrefix = "step-";
  if (name.size() <= kPrefix.size() || name.substr(0, kPrefix.size()) != kPrefix) return false;
  uint64_t v = 0;
  for (char c : name.substr(kPrefix.size())) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *step = v;
  return true;
}

std::string EncodeManifest(const CheckpointInfo& info) {
  nlohmann::ordered_json j;
  j["format"] = kManifestFormat;
  j["run_dir"] = info.run_dir;
  j["step"] = info.step;
  j["created_ns"] = info.created_ns;
  j["total_bytes"] = info.total_bytes;
  nlohmann::ordered_json shards = nlohmann::ordered_json::array();
  for (const CheckpointShard& s : info.shards) {
    shards.push_back({{"path", s.path},
                      {"generation", s.generation},
                      {"size", s.size},
                      {"sha256", s.sha256_hex}});
  }
  j["shards"] = std::move(shards);
  return j.dump(2) + "\n";
}

Status DecodeManifest(std::string_view json, CheckpointInfo* info) {
  auto j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& why) {
    return Status::Corruption("checkpoint manifest is not valid: " + why);
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (j.value("format", "") != kManifestFormat) return bad("unknown format");
  try {
    info->run_dir = j.at("run_dir").get<std::string>();
    info->step = j.at("step").get<uint64_t>();
    info->created_ns = j.at("created_ns").get<int64_t>();
    info->total_bytes = j.at("total_bytes").get<uint64_t>();
    info->shards.clear();
    for (const auto& s : j.at("shards")) {
      CheckpointShard shard;
      shard.path = s.at("path").get<std::string>();
      shard.generation = s.at("generation").get<uint64_t>();
      shard.size = s.at("size").get<uint64_t>();
      shard.sha256_hex = s.at("sha256").get<std::string>();
      info->shards.push_back(std::move(shard));
    }
  } catch (const nlohmann::json::exception& e) {
    return bad(e.what());
  }
  return Status::OK();
}

}  // namespace nokv
