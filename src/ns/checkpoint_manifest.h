// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The checkpoint manifest: a JSON file published in the same commit as the
// shards it lists, so a reader that sees the manifest sees exactly these
// shard generations. Format "nokv-checkpoint-1" (docs/format.md).
#ifndef NOKV_NS_CHECKPOINT_MANIFEST_H_
#define NOKV_NS_CHECKPOINT_MANIFEST_H_

#include <cstdint>
#include <string>

#include "nokv/status.h"
#include "nokv/time_types.h"

namespace nokv {

inline constexpr char kManifestName[] = "MANIFEST.json";

// "step-0000000042": fixed width so names sort like steps up to 10^10.
std::string StepDirName(uint64_t step);
// The step of a step directory name; false for other names.
bool ParseStepDirName(std::string_view name, uint64_t* step);

std::string EncodeManifest(const CheckpointInfo& info);
// Fills run_dir, step, created_ns, total_bytes and shards.
Status DecodeManifest(std::string_view json, CheckpointInfo* info);

}  // namespace nokv

#endif  // NOKV_NS_CHECKPOINT_MANIFEST_H_
