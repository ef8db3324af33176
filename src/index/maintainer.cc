// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/maintainer.h"

#include <set>

#include "util/path.h"

namespace nokv {
namespace {

bool TouchesTree(EventType t) {
  switch (t) {
    case EventType::kCreate:
    case EventType::kReplace:
    case EventType::kMkdir:
    case EventType::kRemove:
    case EventType::kRename:
    case EventType::kClone:
    case EventType::kRollback:
      return true;
    default:
      return false;
  }
}

struct FieldDelta {
  int64_t rows = 0;
  std::map<std::string, int64_t> types;
  int64_t nonfinite = 0;
};

}  // namespace

Status NoSuchIndex(const std::string& name, const std::vector<std::string>& existing) {
  std::string list;
  for (const std::string& n : existing) list += (list.empty() ? "" : ", ") + n;
  return Status::NotFound("no index named \"" + name + "\"" +
                          (list.empty() ? std::string("; none is defined") : "; indexes: " + list));
}

// The changes one command makes to one index.
class IndexMaintainer::Update {
 public:
  Update(Txn& txn, IndexDefRecord def, const IndexSpec& spec, IndexSource& source)
      : txn_(txn), def_(std::move(def)), spec_(spec), extractor_(spec, source) {
    for (const FieldSource& f : spec.fields) {
      if (f.type == FieldType::kTimestamp) timestamps_.insert(f.name);
    }
  }

  RowExtractor& extractor() { return extractor_; }

  // Re-extracts `row`; `reuse` (may be null) stands in for a missing doc.
  Status Refresh(const std::string& row, const RowDoc* reuse) {
    if (!done_.insert(row).second) return Status::OK();
    const std::string key = RowKey(def_.name, row);
    NOKV_ASSIGN_OR_RETURN(std::optional<std::string> stored, txn_.Get(Family::kIndex, key));
    std::optional<RowDoc> old;
    if (stored.has_value()) {
      old.emplace();
      NOKV_RETURN_IF_ERROR(DecodeRowDoc(*stored, &*old));
    }
    const RowDoc* previous = old ? &*old : reuse;
    NOKV_ASSIGN_OR_RETURN(std::optional<RowDoc> now, extractor_.Extract(row, previous));
    if (!old && !now) return Status::OK();
    if (old && now && *old == *now) return Status::OK();
    const std::map<std::string, IndexValue> before = old ? old->Flat() : decltype(before)();
    const std::map<std::string, IndexValue> after = now ? now->Flat() : decltype(after)();
    for (const auto& [field, value] : before) {
      auto it = after.find(field);
      if (it != after.end() && it->second == value) continue;
      txn_.Delete(Family::kIndex, PostingKey(def_.name, field, value, row));
      FieldDelta& d = deltas_[field];
      --d.rows;
      --d.types[IndexValueTypeName(value, timestamps_.count(field) > 0)];
    }
    for (const auto& [field, value] : after) {
      auto it = before.find(field);
      if (it != before.end() && it->second == value) continue;
      txn_.Put(Family::kIndex, PostingKey(def_.name, field, value, row), "");
      FieldDelta& d = deltas_[field];
      ++d.rows;
      ++d.types[IndexValueTypeName(value, timestamps_.count(field) > 0)];
    }
    if (old) {
      for (const auto& [field, n] : old->nonfinite) deltas_[field].nonfinite -= int64_t(n);
    }
    if (now) {
      for (const auto& [field, n] : now->nonfinite) deltas_[field].nonfinite += int64_t(n);
      if (!now->error.empty()) {
        ++def_.errors;
        def_.last_error = row + ": " + now->error;
      }
      txn_.Put(Family::kIndex, key, EncodeRowDoc(*now));
    } else {
      txn_.Delete(Family::kIndex, key);
    }
    row_delta_ += (now ? 1 : 0) - (old ? 1 : 0);
    changed_ = true;
    return Status::OK();
  }

  // Re-extracts every row at or below `under` ("": all), including rows that
  // no longer exist.
  Status RefreshUnder(const std::string& under) {
    std::vector<std::string> stored;
    const std::string prefix = RowPrefix(def_.name);
    const std::string scan =
        under.empty() || IsSameOrBelow(spec_.dir, under) ? prefix : prefix + under;
    NOKV_RETURN_IF_ERROR(txn_.Scan(Family::kIndex, scan, [&](std::string_view k, std::string_view) {
      std::string row(k.substr(prefix.size()));
      if (scan == prefix || IsSameOrBelow(row, under)) stored.push_back(std::move(row));
      return true;
    }));
    for (const std::string& row : stored) NOKV_RETURN_IF_ERROR(Refresh(row, nullptr));
    return extractor_.ListRows(under,
                               [&](const std::string& row) { return Refresh(row, nullptr); });
  }

  void MarkChanged() { changed_ = true; }

  // Writes the statistics and the definition if anything changed.
  Result<IndexDefRecord> Finish() {
    if (!changed_) return def_;
    for (const auto& [field, d] : deltas_) {
      const std::string key = FieldStatKey(def_.name, field);
      NOKV_ASSIGN_OR_RETURN(std::optional<std::string> stored, txn_.Get(Family::kIndex, key));
      FieldStatRecord r;
      if (stored.has_value()) NOKV_RETURN_IF_ERROR(DecodeFieldStat(*stored, &r));
      r.rows = uint64_t(int64_t(r.rows) + d.rows);
      r.nonfinite = uint64_t(std::max<int64_t>(0, int64_t(r.nonfinite) + d.nonfinite));
      for (const auto& [type, n] : d.types) {
        const int64_t v = int64_t(r.types[type]) + n;
        if (v <= 0) {
          r.types.erase(type);
        } else {
          r.types[type] = uint64_t(v);
        }
      }
      if (r.rows == 0 && r.nonfinite == 0) {
        txn_.Delete(Family::kIndex, key);
      } else {
        txn_.Put(Family::kIndex, key, EncodeFieldStat(r));
      }
    }
    def_.rows = uint64_t(int64_t(def_.rows) + row_delta_);
    def_.changed_version = txn_.version();
    txn_.Put(Family::kIndex, IndexDefKey(def_.name), EncodeIndexDef(def_));
    return def_;
  }

 private:
  Txn& txn_;
  IndexDefRecord def_;
  const IndexSpec& spec_;
  RowExtractor extractor_;
  std::set<std::string> timestamps_;
  std::set<std::string> done_;
  std::map<std::string, FieldDelta> deltas_;
  int64_t row_delta_ = 0;
  bool changed_ = false;
};

Result<std::shared_ptr<const IndexSpec>> IndexMaintainer::Spec(const IndexDefRecord& def) {
  const std::string key = def.dir + '\0' + def.spec;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = specs_.find(key);
    if (it != specs_.end()) return it->second;
  }
  NOKV_ASSIGN_OR_RETURN(IndexSpec spec, ParseIndexSpec(def.spec, def.dir));
  auto shared = std::make_shared<const IndexSpec>(std::move(spec));
  std::lock_guard<std::mutex> lock(mu_);
  if (specs_.size() > 256) specs_.clear();
  specs_[key] = shared;
  return shared;
}

Result<std::vector<IndexDefRecord>> IndexMaintainer::LoadDefinitions(Txn& txn) {
  std::vector<IndexDefRecord> defs;
  Status decode;
  NOKV_RETURN_IF_ERROR(
      txn.Scan(Family::kIndex, IndexDefPrefix(), [&](std::string_view, std::string_view v) {
        IndexDefRecord r;
        decode = DecodeIndexDef(v, &r);
        if (!decode.ok()) return false;
        defs.push_back(std::move(r));
        return true;
      }));
  NOKV_RETURN_IF_ERROR(decode);
  return defs;
}

Status IndexMaintainer::AfterTreeCommand(Txn& txn, TreeSource& tree,
                                         const std::vector<EventRecord>& events) {
  bool any = false;
  for (const EventRecord& e : events) any = any || TouchesTree(e.type);
  if (!any) return Status::OK();
  NOKV_ASSIGN_OR_RETURN(std::vector<IndexDefRecord> defs, LoadDefinitions(txn));
  if (defs.empty()) return Status::OK();
  std::unique_ptr<IndexSource> source = make_source_(txn, tree);
  for (IndexDefRecord& def : defs) {
    NOKV_ASSIGN_OR_RETURN(std::shared_ptr<const IndexSpec> spec, Spec(def));
    Update update(txn, def, *spec, *source);
    RowExtractor& rows = update.extractor();
    bool all = false;
    std::set<std::string> dirty, subtrees;
    std::map<std::string, std::string> renamed;  // new row -> old row
    for (const EventRecord& e : events) {
      if (!TouchesTree(e.type)) continue;
      const bool subtree = IsSubtreeEvent(e.type, e.kind);
      for (const std::string* p : {&e.path, &e.from_path}) {
        if (p->empty()) continue;
        if (IsSameOrBelow(spec->dir, *p)) {
          all = true;
        } else if (subtree && spec->file_rows() && IsSameOrBelow(*p, spec->dir)) {
          subtrees.insert(*p);
        } else if (std::optional<std::string> row = rows.RowOf(*p)) {
          dirty.insert(*row);
        }
      }
      if (e.type == EventType::kRename && rows.RowOf(e.path) == e.path &&
          rows.RowOf(e.from_path) == e.from_path) {
        renamed[e.path] = e.from_path;
      }
    }
    if (all) {
      NOKV_RETURN_IF_ERROR(update.RefreshUnder(""));
    } else {
      for (const std::string& p : subtrees) NOKV_RETURN_IF_ERROR(update.RefreshUnder(p));
      // Renamed rows first, while the old row's doc can still be read.
      std::map<std::string, RowDoc> carried;
      for (const auto& [to, from] : renamed) {
        NOKV_ASSIGN_OR_RETURN(std::optional<std::string> v,
                              txn.Get(Family::kIndex, RowKey(def.name, from)));
        if (v.has_value()) NOKV_RETURN_IF_ERROR(DecodeRowDoc(*v, &carried[to]));
      }
      for (const std::string& row : dirty) {
        auto c = carried.find(row);
        NOKV_RETURN_IF_ERROR(update.Refresh(row, c == carried.end() ? nullptr : &c->second));
      }
    }
    NOKV_RETURN_IF_ERROR(update.Finish().status());
  }
  return Status::OK();
}

Result<IndexDefRecord> IndexMaintainer::Define(Txn& txn, TreeSource& tree, const std::string& dir,
                                               const std::string& yaml) {
  NOKV_ASSIGN_OR_RETURN(IndexSpec parsed, ParseIndexSpec(yaml, dir));
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                        txn.Get(Family::kIndex, IndexDefKey(parsed.name)));
  if (existing.has_value()) {
    return Status::AlreadyExists("an index named \"" + parsed.name +
                                 "\" exists; drop it first or set `name:` in the spec");
  }
  Result<Resolved> r = tree.Resolve(dir);
  if (!r.ok()) return r.status().WithContext("index directory");
  if (r->kind != FileKind::kDirectory) {
    return Status::NotDirectory("index directory " + dir + " is a file");
  }
  IndexDefRecord def;
  def.name = parsed.name;
  def.dir = dir;
  def.spec = yaml;
  def.defined_version = txn.version();
  return BuildAll(txn, tree, def);
}

Result<IndexDefRecord> IndexMaintainer::BuildAll(Txn& txn, TreeSource& tree,
                                                 const IndexDefRecord& def) {
  NOKV_ASSIGN_OR_RETURN(std::shared_ptr<const IndexSpec> spec, Spec(def));
  std::unique_ptr<IndexSource> source = make_source_(txn, tree);
  Update update(txn, def, *spec, *source);
  update.MarkChanged();
  NOKV_RETURN_IF_ERROR(update.RefreshUnder(""));
  return update.Finish();
}

Result<IndexDefRecord> IndexMaintainer::Rebuild(Txn& txn, TreeSource& tree,
                                                const std::string& name) {
  NOKV_ASSIGN_OR_RETURN(std::vector<IndexDefRecord> defs, LoadDefinitions(txn));
  std::vector<std::string> names;
  for (IndexDefRecord& def : defs) {
    names.push_back(def.name);
    if (def.name != name) continue;
    NOKV_RETURN_IF_ERROR(DeleteAll(txn, name, /*keep_definition=*/true));
    def.rows = 0;
    def.errors = 0;
    def.last_error.clear();
    return BuildAll(txn, tree, def);
  }
  return NoSuchIndex(name, names);
}

Status IndexMaintainer::Drop(Txn& txn, const std::string& name) {
  NOKV_ASSIGN_OR_RETURN(std::optional<std::string> existing,
                        txn.Get(Family::kIndex, IndexDefKey(name)));
  if (!existing.has_value()) {
    NOKV_ASSIGN_OR_RETURN(std::vector<IndexDefRecord> defs, LoadDefinitions(txn));
    std::vector<std::string> names;
    for (const IndexDefRecord& d : defs) names.push_back(d.name);
    return NoSuchIndex(name, names);
  }
  return DeleteAll(txn, name, /*keep_definition=*/false);
}

Status IndexMaintainer::DeleteAll(Txn& txn, const std::string& name, bool keep_definition) {
  for (const std::string& prefix :
       {FieldStatPrefix(name), RowPrefix(name), PostingIndexPrefix(name)}) {
    std::vector<std::string> keys;
    NOKV_RETURN_IF_ERROR(
        txn.Scan(Family::kIndex, prefix, [&](std::string_view k, std::string_view) {
          keys.emplace_back(k);
          return true;
        }));
    for (const std::string& k : keys) txn.Delete(Family::kIndex, k);
  }
  if (!keep_definition) txn.Delete(Family::kIndex, IndexDefKey(name));
  return Status::OK();
}

}  // namespace nokv
