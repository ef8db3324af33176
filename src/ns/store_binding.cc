// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/store_binding.h"

#include "nokv/store.h"
#include "ns/data_dir.h"

namespace nokv {

Result<std::shared_ptr<BlockStore>> OpenConfiguredStore(const Options& options) {
  NOKV_ASSIGN_OR_RETURN(StoreLocation where, ParseStoreUri(options.store));
  // Refuse a different store before touching it; record it only once it opened.
  NOKV_RETURN_IF_ERROR(BindStore(options.data_dir, where.uri, /*may_write=*/false));
  std::unique_ptr<BlockStore> store;
  if (where.kind == StoreLocation::Kind::kS3) {
    NOKV_ASSIGN_OR_RETURN(store, OpenS3BlockStore(where, options.s3));
  } else {
    NOKV_ASSIGN_OR_RETURN(store, OpenLocalBlockStore(BlocksPath(options.data_dir)));
  }
  if (!options.read_only) NOKV_RETURN_IF_ERROR(BindStore(options.data_dir, where.uri, true));
  return std::shared_ptr<BlockStore>(std::move(store));
}

}  // namespace nokv
