// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// EmbeddedNamespace: declarative indexes. Definitions, rebuilds and drops
// are commits; reads go through the IndexCatalog.
#include "ns/commands.h"
#include "ns/embedded_namespace.h"
#include "util/clock.h"

namespace nokv {

Result<MutationResult> EmbeddedNamespace::RunIndexCommand(
    const std::function<Status(Txn&, TreeWriter&)>& op, const std::vector<std::string>& request,
    const MutationOptions& options) {
  const int64_t now = NowUnixNanos();
  return RunMutation(
      [&](Txn& txn) -> Status {
        TreeWriter writer(&txn, engine_.get(), now);  // reads the tree inside the commit
        return op(txn, writer);
      },
      request, options);
}

Result<IndexInfo> EmbeddedNamespace::DefineIndex(const std::string& dir,
                                                 const std::string& spec_yaml,
                                                 const MutationOptions& options) {
  NOKV_RETURN_IF_ERROR(CheckWritable());
  NOKV_ASSIGN_OR_RETURN(std::string d, NormalizePath(dir));
  // Check the spec before entering the pipeline, so a bad one costs nothing.
  NOKV_ASSIGN_OR_RETURN(IndexSpec spec, ParseIndexSpec(spec_yaml, d));
  NOKV_RETURN_IF_ERROR(RunIndexCommand(
                           [&](Txn& txn, TreeWriter& tree) {
                             return indexes_->Define(txn, tree, d, spec_yaml).status();
                           },
                           {"index-define", d, spec_yaml}, options)
                           .status());
  return index_catalog_->Get(spec.name);
}

Result<std::vector<IndexInfo>> EmbeddedNamespace::ListIndexes() { return index_catalog_->List(); }

Result<IndexInfo> EmbeddedNamespace::GetIndex(const std::string& name) {
  return index_catalog_->Get(name);
}

Result<MutationResult> EmbeddedNamespace::DropIndex(const std::string& name,
                                                    const MutationOptions& options) {
  return RunIndexCommand([&](Txn& txn, TreeWriter&) { return indexes_->Drop(txn, name); },
                         {"index-drop", name}, options);
}

Result<IndexInfo> EmbeddedNamespace::RebuildIndex(const std::string& name,
                                                  const MutationOptions& options) {
  NOKV_RETURN_IF_ERROR(
      RunIndexCommand(
          [&](Txn& txn, TreeWriter& tree) { return indexes_->Rebuild(txn, tree, name).status(); },
          {"index-rebuild", name}, options)
          .status());
  return index_catalog_->Get(name);
}

Result<bool> EmbeddedNamespace::ScanIndex(
    const IndexScan& scan, const std::function<bool(const IndexValue&, const std::string&)>& fn) {
  return index_catalog_->ScanPostings(scan, fn);
}

Result<std::optional<IndexRow>> EmbeddedNamespace::GetIndexRow(const std::string& index,
                                                               const std::string& row_path,
                                                               uint64_t version) {
  NOKV_ASSIGN_OR_RETURN(std::string p, NormalizePath(row_path));
  return index_catalog_->GetRow(index, p, version);
}

Result<std::vector<std::optional<IndexRow>>> EmbeddedNamespace::GetIndexRows(
    const std::string& index, const std::vector<std::string>& row_paths, uint64_t version) {
  std::vector<std::string> paths;
  paths.reserve(row_paths.size());
  for (const std::string& p : row_paths) {
    NOKV_ASSIGN_OR_RETURN(std::string n, NormalizePath(p));
    paths.push_back(std::move(n));
  }
  return index_catalog_->GetRows(index, paths, version);
}

Status EmbeddedNamespace::ScanIndexRows(const std::string& index, const std::string& under,
                                        uint64_t version,
                                        const std::function<bool(const IndexRow&)>& fn) {
  std::string u;
  if (!under.empty()) {
    NOKV_ASSIGN_OR_RETURN(u, NormalizePath(under));
  }
  return index_catalog_->ScanRows(index, u, version, fn);
}

}  // namespace nokv
