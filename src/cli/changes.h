// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// What a mutating command did, for its --json output: the typed events of
// its commit (the same ones `nokv watch` prints), in one vocabulary.
#ifndef NOKV_CLI_CHANGES_H_
#define NOKV_CLI_CHANGES_H_

#include <nlohmann/json.hpp>

#include "nokv/namespace.h"

namespace nokv::cli {

// One event: type, path, from_path, kind, ino, generation, size, sha256 and
// detail (null where it has none).
nlohmann::json ChangeJson(const WatchEvent& e);

// {"version", "replayed", "changes": [...]} of a mutation.
nlohmann::json MutationJson(const MutationResult& r);

}  // namespace nokv::cli

#endif  // NOKV_CLI_CHANGES_H_
