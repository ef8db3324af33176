// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// StoreIndexSource: the IndexSource over a tree and the block store. Body
// descriptors are looked up through a function, so the same class serves
// extraction inside a commit (descriptors staged in the Txn) and at a past
// version (descriptors in the engine).
#ifndef NOKV_INDEX_STORE_INDEX_SOURCE_H_
#define NOKV_INDEX_STORE_INDEX_SOURCE_H_

#include <functional>
#include <string>

#include "index/extractor.h"
#include "nokv/block_store.h"

namespace nokv {

class StoreIndexSource final : public IndexSource {
 public:
  using DescriptorLookup = std::function<Result<std::optional<std::string>>(uint64_t body_id)>;
  // `tree` and `store` must outlive this object.
  StoreIndexSource(TreeSource& tree, DescriptorLookup lookup, BlockStore* store)
      : tree_(tree), lookup_(std::move(lookup)), store_(store) {}

  TreeSource& tree() override { return tree_; }
  Result<std::string> ReadBody(const InodeRecord& inode, const std::string& path) override;

 private:
  TreeSource& tree_;
  DescriptorLookup lookup_;
  BlockStore* store_;
};

}  // namespace nokv

#endif  // NOKV_INDEX_STORE_INDEX_SOURCE_H_
