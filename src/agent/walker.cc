// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/walker.h"

#include <utility>
#include <vector>

#include "util/path.h"

namespace nokv::agent {
namespace {

constexpr size_t kPageSize = 256;

// One directory being listed: its path and the page being consumed.
struct Frame {
  std::string path;
  ListPage page;
  size_t next = 0;
};

Row RowFromEntry(const std::string& dir, const DirEntry& e) {
  Row row;
  row.path = JoinPath(dir, e.name);
  row.name = e.name;
  row.kind = e.kind;
  row.size = e.size;
  row.generation = e.generation;
  row.child_count = e.child_count;
  row.mtime_ns = e.mtime_ns;
  return row;
}

Row RowFromInfo(const FileInfo& info) {
  Row row;
  row.path = info.path;
  row.name = std::string(BaseName(info.path));
  row.kind = info.kind;
  row.size = info.size;
  row.generation = info.generation;
  row.child_count = info.child_count;
  row.mtime_ns = info.mtime_ns;
  row.content_type = info.content_type;
  return row;
}

}  // namespace

json SubtreeWalker::Report() const { return {{"scanned", visited_}, {"complete", complete_}}; }

Outcome<bool> SubtreeWalker::Emit(Row row, const Visitor& visit) {
  if (visited_ >= options_.budget) {
    complete_ = false;
    return false;
  }
  ++visited_;
  if (options_.load_content_type && row.kind == FileKind::kFile && !row.content_type) {
    ReadOptions at;
    at.version = options_.version;
    AGENT_ASSIGN_OR_RETURN(FileInfo info, ns_.Stat(row.path, at));
    row.content_type = info.content_type;
  }
  return visit(row);
}

Check SubtreeWalker::Walk(const std::string& root, const Visitor& visit) {
  ReadOptions at;
  at.version = options_.version;
  AGENT_ASSIGN_OR_RETURN(FileInfo info, ns_.Stat(root, at));
  if (info.kind == FileKind::kFile) {
    AGENT_RETURN_IF_ERROR(Emit(RowFromInfo(info), visit));
    return {};
  }
  ListOptions list;
  list.version = options_.version;
  list.limit = kPageSize;
  list.with_attrs = true;
  // An explicit stack keeps deep trees off the call stack.
  std::vector<Frame> stack;
  stack.push_back(Frame{root, {}, 0});
  AGENT_ASSIGN_OR_RETURN(stack.back().page, ns_.List(root, list));
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.next == top.page.entries.size()) {
      if (top.page.next_cursor.empty()) {
        stack.pop_back();
        continue;
      }
      ListOptions more = list;
      more.cursor = top.page.next_cursor;
      AGENT_ASSIGN_OR_RETURN(top.page, ns_.List(top.path, more));
      top.next = 0;
      continue;
    }
    Row row = RowFromEntry(top.path, top.page.entries[top.next++]);
    const bool descend = row.kind == FileKind::kDirectory;
    std::string child = row.path;
    AGENT_ASSIGN_OR_RETURN(bool go_on, Emit(std::move(row), visit));
    if (!go_on) return {};
    if (descend) {
      Frame frame{std::move(child), {}, 0};
      AGENT_ASSIGN_OR_RETURN(frame.page, ns_.List(frame.path, list));
      stack.push_back(std::move(frame));  // `top` is not used after this
    }
  }
  return {};
}

}  // namespace nokv::agent
