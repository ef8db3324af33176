// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// SnapshotCatalog: named snapshots stored in the snapshots family. Creating,
// renewing and dropping a snapshot are commits (with watch events), so a
// snapshot's version is a consistent cut and its lifetime is ordered with
// every other change.
//
// Thread-safe (all state lives in the engine).
#ifndef NOKV_NS_SNAPSHOTS_H_
#define NOKV_NS_SNAPSHOTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "meta/engine.h"
#include "meta/time_records.h"
#include "nokv/time_types.h"

namespace nokv {

class SnapshotCatalog {
 public:
  explicit SnapshotCatalog(MetaEngine* engine) : engine_(engine) {}

  // `path` is normalized. Returns the record as committed.
  Result<SnapshotRecord> Create(const std::string& path, const SnapshotOptions& options);
  Result<SnapshotRecord> Renew(const std::string& name, int64_t ttl_seconds);
  Result<uint64_t> Drop(const std::string& name, bool expired);
  // NotFound for an unknown name, Expired for one past its TTL.
  Result<SnapshotRecord> Get(const std::string& name, int64_t now_ns);
  // Every snapshot, expired ones included, in name order.
  Result<std::vector<SnapshotRecord>> List();

  static SnapshotInfo ToInfo(const SnapshotRecord& r);
  static Status ValidateName(const std::string& name);

 private:
  MetaEngine* engine_;
};

}  // namespace nokv

#endif  // NOKV_NS_SNAPSHOTS_H_
