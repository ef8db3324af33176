// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Resolution of the `at` argument every verb accepts. This is the one place
// that turns `at` into a commit version, so snapshot names plug in here.
#ifndef NOKV_AGENT_AT_H_
#define NOKV_AGENT_AT_H_

#include <cstdint>

#include "agent/outcome.h"
#include "nokv/namespace.h"

namespace nokv::agent {

// nullptr (absent) is the newest committed version; an integer or a string of
// decimal digits is that version, which must be committed already; any other
// string names a snapshot, whose version is used. With a snapshot, `path`
// (when it is a namespace path) must lie inside the snapshot's root.
Outcome<uint64_t> ResolveAt(Namespace& ns, const json* at, const json* path);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_AT_H_
