// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Opening the body store a namespace's Options name, bound to its data dir.
#ifndef NOKV_NS_STORE_BINDING_H_
#define NOKV_NS_STORE_BINDING_H_

#include <memory>

#include "nokv/block_store.h"
#include "nokv/namespace.h"
#include "nokv/status.h"

namespace nokv {

// Opens the store named by options.store (local by default) after checking
// that it is the one the data dir records; a writer records it on first use
// (see BindStore in data_dir.h). InvalidArgument names the recorded store
// when they differ; S3 errors say what to fix (credentials, endpoint, bucket).
Result<std::shared_ptr<BlockStore>> OpenConfiguredStore(const Options& options);

}  // namespace nokv

#endif  // NOKV_NS_STORE_BINDING_H_
