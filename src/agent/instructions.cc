// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "agent/instructions.h"

#include <map>

namespace nokv::agent {
namespace {

constexpr const char* kFixed =
    "All tools take path, at (version or snapshot) for the past, and cursor (a next_cursor).";

// A name cut after each '.' or '_': "params.data.batch_size" ->
// "params.", "data.", "batch_", "size".
std::vector<std::string> Pieces(const std::string& name) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i + 1 < name.size(); ++i) {
    if (name[i] == '.' || name[i] == '_') {
      out.push_back(name.substr(start, i + 1 - start));
      start = i + 1;
    }
  }
  out.push_back(name.substr(start));
  return out;
}

// A trie of name pieces; children in name order.
struct Node {
  bool terminal = false;
  std::map<std::string, Node> children;
};

// Appends the names below `node` (not `node`'s own), each prefixed by
// `prefix`. A child with several names below it becomes one word
// prefix+piece{a,b}, after prefix+piece itself if that is a name too.
void RenderChildren(const Node& node, const std::string& prefix, std::vector<std::string>* words) {
  for (const auto& [piece, child] : node.children) {
    if (child.terminal) words->push_back(prefix + piece);
    if (child.children.size() < 2) {
      RenderChildren(child, prefix + piece, words);
      continue;
    }
    std::vector<std::string> alternatives;
    RenderChildren(child, "", &alternatives);
    std::string group = prefix + piece + "{";
    for (size_t i = 0; i < alternatives.size(); ++i) group += (i ? "," : "") + alternatives[i];
    words->push_back(group + "}");
  }
}

}  // namespace

std::string GroupFieldNames(const std::vector<std::string>& names) {
  Node root;
  for (const std::string& name : names) {
    Node* n = &root;
    for (const std::string& piece : Pieces(name)) n = &n->children[piece];
    n->terminal = true;
  }
  std::vector<std::string> words;
  RenderChildren(root, "", &words);
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string ServerInstructions(Namespace* ns) {
  std::string out = kFixed;
  if (ns == nullptr) return out;
  Result<std::vector<IndexInfo>> indexes = ns->ListIndexes();
  if (!indexes.ok() || indexes.value().empty()) return out;
  out += " Index fields (and name, path):";
  size_t budget = kMaxListedFields;
  for (const IndexInfo& info : indexes.value()) {
    std::vector<std::string> names;
    for (const IndexFieldInfo& f : info.fields) {
      if (names.size() < budget) names.push_back(f.name);
    }
    budget -= names.size();
    out += "\n" + info.dir + ": " + GroupFieldNames(names);
    if (names.size() < info.fields.size()) {
      out += " +" + std::to_string(info.fields.size() - names.size()) + " more (catalog " +
             info.dir + ")";
    }
  }
  return out;
}

}  // namespace nokv::agent
