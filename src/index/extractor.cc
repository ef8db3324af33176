// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "index/extractor.h"

#include <algorithm>

#include "index/field_values.h"
#include "util/glob.h"
#include "util/path.h"

namespace nokv {
namespace {

using json = nlohmann::json;

std::string RelativeTo(const std::string& dir, const std::string& path) {
  return dir == "/" ? path.substr(1) : path.substr(dir.size() + 1);
}

bool StrictlyBelow(const std::string& path, const std::string& dir) {
  return path != dir && IsSameOrBelow(path, dir);
}

void NoteError(RowDoc* doc, const std::string& from, const std::string& message) {
  if (doc->error.empty()) doc->error = (from.empty() ? std::string("row") : from) + ": " + message;
}

}  // namespace

std::optional<std::string> RowExtractor::RowOf(const std::string& path) const {
  if (!StrictlyBelow(path, spec_.dir)) return std::nullopt;
  const std::string rel = RelativeTo(spec_.dir, path);
  if (spec_.file_rows()) {
    if (!GlobMatch(spec_.rows_glob, rel)) return std::nullopt;
    return path;
  }
  return JoinPath(spec_.dir, rel.substr(0, rel.find('/')));
}

Status RowExtractor::ListRows(const std::string& under,
                              const std::function<Status(const std::string&)>& fn) {
  TreeSource& tree = source_.tree();
  // Start at the index dir, or deeper when `under` lies below it.
  std::string start = spec_.dir;
  if (!under.empty() && StrictlyBelow(under, spec_.dir)) start = under;
  if (!under.empty() && !IsSameOrBelow(start, under) && !IsSameOrBelow(under, start)) {
    return Status::OK();
  }
  Result<Resolved> root = tree.Resolve(start);
  if (!root.ok()) {
    const Code c = root.status().code();
    return c == Code::kNotFound || c == Code::kNotDirectory ? Status::OK() : root.status();
  }
  std::vector<std::string> rows;
  if (!spec_.file_rows()) {
    if (start != spec_.dir) {  // `under` names one row or something inside one
      std::optional<std::string> row = RowOf(start);
      if (row && *row == start && root->kind == FileKind::kDirectory) rows.push_back(start);
    } else if (root->kind == FileKind::kDirectory) {
      NOKV_ASSIGN_OR_RETURN(ChildList children, tree.Children(root->ino));
      for (const auto& [name, d] : children) {
        if (d.kind == FileKind::kDirectory) rows.push_back(JoinPath(spec_.dir, name));
      }
    }
  } else if (root->kind == FileKind::kFile) {
    if (RowOf(start) == start) rows.push_back(start);
  } else {
    std::vector<std::pair<std::string, uint64_t>> stack{{start, root->ino}};
    while (!stack.empty()) {
      auto [dir, ino] = stack.back();
      stack.pop_back();
      NOKV_ASSIGN_OR_RETURN(ChildList children, tree.Children(ino));
      for (const auto& [name, d] : children) {
        std::string child = JoinPath(dir, name);
        if (d.kind == FileKind::kDirectory) {
          stack.emplace_back(std::move(child), d.ino);
        } else if (RowOf(child) == child) {
          rows.push_back(std::move(child));
        }
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  for (const std::string& row : rows) NOKV_RETURN_IF_ERROR(fn(row));
  return Status::OK();
}

Result<std::optional<RowDoc>> RowExtractor::Extract(const std::string& row,
                                                    const RowDoc* previous) {
  if (RowOf(row) != row) return std::optional<RowDoc>();
  Result<Resolved> r = source_.tree().Resolve(row);
  if (!r.ok()) {
    const Code c = r.status().code();
    if (c == Code::kNotFound || c == Code::kNotDirectory) return std::optional<RowDoc>();
    return r.status();
  }
  const FileKind want = spec_.file_rows() ? FileKind::kFile : FileKind::kDirectory;
  if (r->kind != want) return std::optional<RowDoc>();

  RowDoc doc;
  for (const std::string& from : spec_.Sources()) {
    const std::string target = from.empty() ? row : row + "/" + from;
    uint64_t body = 0;
    std::optional<InodeRecord> inode;
    Result<Resolved> t = source_.tree().Resolve(target);
    if (t.ok()) {
      if (t->kind == FileKind::kDirectory) {
        body = kDirectorySource;
      } else {
        NOKV_ASSIGN_OR_RETURN(InodeRecord in, source_.tree().Inode(t->ino, target));
        body = in.body_id;
        inode = std::move(in);
      }
    } else if (t.status().code() != Code::kNotFound && t.status().code() != Code::kNotDirectory) {
      return t.status();
    }
    doc.sources[from] = body;
    if (previous != nullptr) {
      auto prev = previous->sources.find(from);
      if (prev != previous->sources.end() && prev->second == body) {
        auto values = previous->values.find(from);
        if (values != previous->values.end()) doc.values[from] = values->second;
        for (const FieldSource& f : spec_.fields) {
          auto n = previous->nonfinite.find(f.name);
          if (f.from == from && n != previous->nonfinite.end()) doc.nonfinite[f.name] = n->second;
        }
        continue;
      }
    }
    auto& values = doc.values[from];
    bool needs_body = false;
    for (const FieldSource& f : spec_.fields) {
      if (f.from != from) continue;
      if (f.kind == FieldSource::Kind::kExists) {
        values[f.name] = IndexValue::Bool(body != 0);
      } else if (f.kind == FieldSource::Kind::kSize) {
        if (inode) values[f.name] = IndexValue::Int(static_cast<int64_t>(inode->size));
      } else {
        needs_body = true;
      }
    }
    for (const FlattenSource& f : spec_.flatten) needs_body = needs_body || f.from == from;
    if (!needs_body || !inode) continue;
    if (inode->size > kMaxExtractBytes) {
      NoteError(&doc, from, "larger than 64 MiB; not parsed");
      continue;
    }
    ++bodies_read_;
    Result<std::string> text = source_.ReadBody(*inode, target);
    if (!text.ok()) {
      NoteError(&doc, from, text.status().ToString());
      continue;
    }
    Result<json> parsed = ParseSourceDocument(BaseName(target), *text);
    if (!parsed.ok()) {
      NoteError(&doc, from, parsed.status().message());
      continue;
    }
    for (const FlattenSource& f : spec_.flatten) {
      uint64_t nonfinite = 0;
      if (f.from == from) FlattenDocument(*parsed, f, &values, &nonfinite);
    }
    for (const FieldSource& f : spec_.fields) {
      if (f.from != from) continue;
      std::string error;
      uint64_t nonfinite = 0;
      std::optional<IndexValue> v;
      if (f.kind == FieldSource::Kind::kValue) {
        const json* raw = LookupKeyPath(*parsed, f.at);
        bool nf = false;
        if (raw != nullptr) v = ConvertValue(*raw, f.type, &nf, &error);
        nonfinite = nf ? 1 : 0;
      } else if (f.kind == FieldSource::Kind::kReduce) {
        v = ReduceRecords(*parsed, f, &nonfinite, &error);
      } else {
        continue;
      }
      if (v) values[f.name] = std::move(*v);
      if (nonfinite != 0) doc.nonfinite[f.name] = nonfinite;
      if (!error.empty()) NoteError(&doc, from, "field `" + f.name + "`: " + error);
    }
  }
  return std::optional<RowDoc>(std::move(doc));
}

}  // namespace nokv
