// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Fsck: an offline-style consistency check of one version of the namespace
// against the block store. Walks the tree with an explicit stack (memory is
// proportional to the widest directory level, not to the tree), and keeps the
// set of referenced upload ids to find orphan objects.
#ifndef NOKV_NS_FSCK_H_
#define NOKV_NS_FSCK_H_

#include <functional>

#include "meta/engine.h"
#include "meta/records.h"
#include "nokv/block_store.h"
#include "nokv/types.h"

namespace nokv {

struct FsckContext {
  MetaEngine* engine = nullptr;
  BlockStore* store = nullptr;
  uint64_t version = 0;
  bool verify_data = false;
  // Whether an upload intent belongs to a writer that may still commit it.
  std::function<bool(const IntentRecord&)> intent_is_live;
};

Result<FsckReport> RunFsck(const FsckContext& ctx);

}  // namespace nokv

#endif  // NOKV_NS_FSCK_H_
