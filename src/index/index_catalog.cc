// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/index_catalog.h"

#include <algorithm>

#include "index/store_index_source.h"
#include "ns/tree_source.h"
#include "util/path.h"

namespace nokv {
namespace {

bool Under(std::string_view row, const std::string& under) {
  return under.empty() || under == "/" || IsSameOrBelow(row, under);
}

IndexRow ToRow(std::string path, const RowDoc& doc) {
  IndexRow row;
  row.path = std::move(path);
  row.values = doc.Flat();
  return row;
}

// The first key of the type class of `v` (bool, number or string).
std::string TypeClassStart(const std::string& prefix, const IndexValue& v) {
  std::string k = prefix;
  AppendSortable(&k, v);
  return k.substr(0, prefix.size() + 1);
}

std::string TypeClassEnd(const std::string& prefix, const IndexValue& v) {
  std::string k = TypeClassStart(prefix, v);
  k.back() = static_cast<char>(k.back() + 1);
  return k;
}

}  // namespace

Result<std::string> IndexCatalog::LoadEncodedDefinition(PlainView& view, const std::string& name) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> v, view.Get(Family::kIndex, IndexDefKey(name)));
  if (v.has_value()) return std::move(*v);
  std::vector<std::string> names;
  NOKV_RETURN_IF_ERROR(view.Scan(Family::kIndex, IndexDefPrefix(), "", "", false,
                                 [&](std::string_view k, std::string_view) {
                                   names.emplace_back(k.substr(1));
                                   return true;
                                 }));
  return NoSuchIndex(name, names);
}

Result<IndexDefRecord> IndexCatalog::LoadDefinition(PlainView& view, const std::string& name) {
  NOKV_ASSIGN_OR_RETURN(std::string v, LoadEncodedDefinition(view, name));
  IndexDefRecord def;
  NOKV_RETURN_IF_ERROR(DecodeIndexDef(v, &def));
  return def;
}

Result<IndexInfo> IndexCatalog::InfoFor(PlainView& view, std::string_view encoded) {
  IndexDefRecord def;
  NOKV_RETURN_IF_ERROR(DecodeIndexDef(encoded, &def));
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = infos_.find(def.name);
    if (it != infos_.end() && it->second.encoded == encoded) return it->second.info;
  }
  NOKV_ASSIGN_OR_RETURN(IndexInfo info, ToInfo(view, def));
  std::lock_guard<std::mutex> lock(mu_);
  if (infos_.size() > 256) infos_.clear();  // names of dropped indexes do not pile up
  infos_[def.name] = CachedInfo{std::string(encoded), info};
  return info;
}

Result<IndexInfo> IndexCatalog::ToInfo(PlainView& view, const IndexDefRecord& def) {
  IndexInfo info;
  info.name = def.name;
  info.dir = def.dir;
  info.spec = def.spec;
  info.row_count = def.rows;
  info.defined_version = def.defined_version;
  info.changed_version = def.changed_version;
  info.extraction_errors = def.errors;
  info.last_error = def.last_error;
  NOKV_ASSIGN_OR_RETURN(std::shared_ptr<const IndexSpec> spec, maintainer_->Spec(def));
  info.rows = spec->RowsLabel();
  std::map<std::string, IndexFieldInfo> fields;
  for (const FieldSource& f : spec->fields) {
    IndexFieldInfo& i = fields[f.name];
    i.name = f.name;
    i.type = f.type == FieldType::kAuto ? "none" : FieldTypeName(f.type);
  }
  const std::string prefix = FieldStatPrefix(def.name);
  Status decode;
  NOKV_RETURN_IF_ERROR(
      view.Scan(Family::kIndex, prefix, "", "", false, [&](std::string_view k, std::string_view v) {
        FieldStatRecord r;
        decode = DecodeFieldStat(v, &r);
        if (!decode.ok()) return false;
        IndexFieldInfo& i = fields[std::string(k.substr(prefix.size()))];
        i.name = std::string(k.substr(prefix.size()));
        i.rows = r.rows;
        i.nonfinite_skipped = r.nonfinite;
        if (r.rows > 0) i.type = FieldStatType(r);
        return true;
      }));
  NOKV_RETURN_IF_ERROR(decode);
  for (auto& [name, f] : fields) info.fields.push_back(std::move(f));
  return info;
}

Result<std::vector<IndexInfo>> IndexCatalog::List() {
  std::unique_ptr<PlainView> view = engine_->OpenPlainView();
  std::vector<std::string> defs;
  NOKV_RETURN_IF_ERROR(view->Scan(Family::kIndex, IndexDefPrefix(), "", "", false,
                                  [&](std::string_view, std::string_view v) {
                                    defs.emplace_back(v);
                                    return true;
                                  }));
  std::vector<IndexInfo> out;
  for (const std::string& def : defs) {
    NOKV_ASSIGN_OR_RETURN(IndexInfo info, InfoFor(*view, def));
    out.push_back(std::move(info));
  }
  return out;
}

Result<IndexInfo> IndexCatalog::Get(const std::string& name) {
  std::unique_ptr<PlainView> view = engine_->OpenPlainView();
  NOKV_ASSIGN_OR_RETURN(std::string def, LoadEncodedDefinition(*view, name));
  return InfoFor(*view, def);
}

Result<bool> IndexCatalog::ScanPostings(
    const IndexScan& scan, const std::function<bool(const IndexValue&, const std::string&)>& fn) {
  std::unique_ptr<PlainView> view = engine_->OpenPlainView();
  NOKV_ASSIGN_OR_RETURN(IndexDefRecord def, LoadDefinition(*view, scan.index));
  if (!Current(def, scan.version)) return false;
  const std::string prefix = PostingFieldPrefix(scan.index, scan.field);
  std::string from, to;
  if (scan.lower) {
    from = prefix;
    AppendSortable(&from, *scan.lower);
    if (scan.lower_open) from.push_back(char(0xff));
    if (!scan.upper) to = TypeClassEnd(prefix, *scan.lower);
  }
  if (scan.upper) {
    to = prefix;
    AppendSortable(&to, *scan.upper);
    if (!scan.upper_open) to.push_back(char(0xff));
    if (!scan.lower) from = TypeClassStart(prefix, *scan.upper);
  }
  Status bad;
  Status s = view->Scan(Family::kIndex, prefix, from, to, scan.descending,
                        [&](std::string_view k, std::string_view) {
                          IndexValue value;
                          std::string_view row;
                          if (!DecodePostingTail(k.substr(prefix.size()), &value, &row)) {
                            bad = Status::Corruption("undecodable posting in index " + scan.index);
                            return false;
                          }
                          if (!Under(row, scan.under)) return true;
                          return fn(value, std::string(row));
                        });
  Count(*view);
  NOKV_RETURN_IF_ERROR(s);
  NOKV_RETURN_IF_ERROR(bad);
  return true;
}

Result<std::optional<RowDoc>> IndexCatalog::StoredRow(PlainView& view, const std::string& index,
                                                      const std::string& row) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> v, view.Get(Family::kIndex, RowKey(index, row)));
  if (!v.has_value()) return std::optional<RowDoc>();
  RowDoc doc;
  NOKV_RETURN_IF_ERROR(DecodeRowDoc(*v, &doc));
  return std::optional<RowDoc>(std::move(doc));
}

Result<std::optional<IndexRow>> IndexCatalog::GetRow(const std::string& index,
                                                     const std::string& row, uint64_t version) {
  NOKV_ASSIGN_OR_RETURN(std::vector<std::optional<IndexRow>> rows,
                        GetRows(index, std::vector<std::string>{row}, version));
  return std::move(rows.front());
}

// The files of one version and an extractor over them; members refer to
// each other, so it lives on the heap and never moves.
struct IndexCatalog::PastExtraction {
  PastExtraction(MetaEngine* engine, BlockStore* store, uint64_t version,
                 std::shared_ptr<const IndexSpec> index_spec)
      : spec(std::move(index_spec)),
        tree(engine, version),
        source(
            tree, [engine](uint64_t id) { return engine->GetPlain(Family::kBodies, IdKey(id)); },
            store),
        extractor(*spec, source) {}

  std::shared_ptr<const IndexSpec> spec;
  VersionTree tree;
  StoreIndexSource source;
  RowExtractor extractor;
};

Result<std::unique_ptr<IndexCatalog::PastExtraction>> IndexCatalog::ExtractionAt(
    const IndexDefRecord& def, uint64_t version) {
  NOKV_ASSIGN_OR_RETURN(std::shared_ptr<const IndexSpec> spec, maintainer_->Spec(def));
  return std::make_unique<PastExtraction>(engine_, store_, version, std::move(spec));
}

Result<std::vector<std::optional<IndexRow>>> IndexCatalog::GetRows(
    const std::string& index, const std::vector<std::string>& rows, uint64_t version) {
  std::unique_ptr<PlainView> view = engine_->OpenPlainView();
  NOKV_ASSIGN_OR_RETURN(IndexDefRecord def, LoadDefinition(*view, index));
  std::vector<std::string> keys;
  keys.reserve(rows.size());
  for (const std::string& row : rows) keys.push_back(RowKey(index, row));
  Result<std::vector<std::optional<std::string>>> stored = view->MultiGet(Family::kIndex, keys);
  Count(*view);
  NOKV_RETURN_IF_ERROR(stored.status());
  std::vector<std::optional<IndexRow>> out(rows.size());
  std::vector<std::optional<RowDoc>> docs(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!(*stored)[i].has_value()) continue;
    docs[i].emplace();
    NOKV_RETURN_IF_ERROR(DecodeRowDoc(*(*stored)[i], &*docs[i]));
  }
  if (Current(def, version)) {
    for (size_t i = 0; i < rows.size(); ++i) {
      if (docs[i]) out[i] = ToRow(rows[i], *docs[i]);
    }
    return out;
  }
  // The stored rows are newer than `version`: extract at that version,
  // reusing the stored values of source files whose body did not change.
  NOKV_ASSIGN_OR_RETURN(std::unique_ptr<PastExtraction> past, ExtractionAt(def, version));
  for (size_t i = 0; i < rows.size(); ++i) {
    NOKV_ASSIGN_OR_RETURN(std::optional<RowDoc> doc,
                          past->extractor.Extract(rows[i], docs[i] ? &*docs[i] : nullptr));
    if (doc) out[i] = ToRow(rows[i], *doc);
  }
  return out;
}

Status IndexCatalog::ScanRows(const std::string& index, const std::string& under, uint64_t version,
                              const std::function<bool(const IndexRow&)>& fn) {
  std::unique_ptr<PlainView> view = engine_->OpenPlainView();
  NOKV_ASSIGN_OR_RETURN(IndexDefRecord def, LoadDefinition(*view, index));
  const std::string prefix = RowPrefix(index);
  if (Current(def, version)) {
    const std::string from = under.empty() || under == "/" ? prefix : prefix + under;
    Status bad;
    Status s = view->Scan(Family::kIndex, prefix, from, "", false,
                          [&](std::string_view k, std::string_view v) {
                            std::string row(k.substr(prefix.size()));
                            if (!Under(row, under)) return row < under || row.rfind(under, 0) == 0;
                            RowDoc doc;
                            bad = DecodeRowDoc(v, &doc);
                            if (!bad.ok()) return false;
                            return fn(ToRow(std::move(row), doc));
                          });
    Count(*view);
    NOKV_RETURN_IF_ERROR(s);
    return bad;
  }
  // The stored rows are newer than `version`: extract at that version.
  NOKV_ASSIGN_OR_RETURN(std::unique_ptr<PastExtraction> past, ExtractionAt(def, version));
  RowExtractor& extractor = past->extractor;
  bool stop = false;
  Status s = extractor.ListRows(under == "/" ? "" : under, [&](const std::string& row) -> Status {
    if (stop) return Status::OK();
    NOKV_ASSIGN_OR_RETURN(std::optional<RowDoc> stored, StoredRow(*view, index, row));
    NOKV_ASSIGN_OR_RETURN(std::optional<RowDoc> doc,
                          extractor.Extract(row, stored ? &*stored : nullptr));
    if (doc && !fn(ToRow(row, *doc))) stop = true;
    return Status::OK();
  });
  Count(*view);
  return s;
}

}  // namespace nokv
