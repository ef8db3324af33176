// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Randomized model-based test: random namespace operations run against nokv
// and against a small in-memory reference model. After every step the whole
// namespace is compared with the model; reads at older versions are compared
// with model snapshots (MVCC); the namespace is closed and reopened
// periodically.
//
// Env: NOKV_MODEL_SEEDS="1,2,3" and NOKV_MODEL_STEPS=1500 override the defaults.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

// ---------------------------------------------------------------- the model

struct MNode {
  FileKind kind = FileKind::kFile;
  std::shared_ptr<const std::string> body;  // files only
  uint64_t generation = 0;                  // files; 0 = not yet observed (copies)
  uint64_t ino = 0;                         // 0 = not yet observed
};
// Every path except "/" (always a directory).
using Model = std::map<std::string, MNode>;

bool IsUnder(const std::string& anc, const std::string& path) {  // proper descendant
  if (anc == "/") return path != "/";
  return path.size() > anc.size() && path.compare(0, anc.size(), anc) == 0 &&
         path[anc.size()] == '/';
}

std::vector<std::string> Ancestors(const std::string& path) {  // proper, top-down, without "/"
  std::vector<std::string> out;
  for (size_t pos = path.find('/', 1); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    out.push_back(path.substr(0, pos));
  }
  return out;
}

size_t Depth(const std::string& path) { return Ancestors(path).size() + 1; }

const MNode* Find(const Model& m, const std::string& path) {
  auto it = m.find(path);
  return it == m.end() ? nullptr : &it->second;
}

bool HasChildren(const Model& m, const std::string& dir) {
  std::string prefix = dir == "/" ? "/" : dir + "/";
  auto it = m.lower_bound(prefix);
  return it != m.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

uint64_t ChildCount(const Model& m, const std::string& dir) {
  uint64_t n = 0;
  for (const auto& [p, node] : m) {
    if (ParentPath(p) == dir) ++n;
  }
  return n;
}

std::vector<std::string> Subtree(const Model& m, const std::string& root) {  // root included
  std::vector<std::string> out;
  if (m.count(root)) out.push_back(root);
  std::string prefix = root + "/";
  for (auto it = m.lower_bound(prefix);
       it != m.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(it->first);
  }
  return out;
}

struct Resolution {
  const MNode* node = nullptr;  // the path itself
  bool ancestor_file = false;   // some proper ancestor is a file
  bool parent_missing = false;  // some proper ancestor is missing
};

Resolution Resolve(const Model& m, const std::string& path) {
  Resolution r;
  for (const auto& a : Ancestors(path)) {
    const MNode* n = Find(m, a);
    if (n == nullptr) {
      r.parent_missing = true;
      return r;
    }
    if (n->kind == FileKind::kFile) {
      r.ancestor_file = true;
      return r;
    }
  }
  r.node = Find(m, path);
  return r;
}

using Codes = std::set<Code>;

std::string CodesString(const Codes& codes) {
  std::string s;
  for (Code c : codes) {
    if (!s.empty()) s += "|";
    s += std::string(CodeName(c));
  }
  return s.empty() ? "ok" : s;
}

std::string PreString(const Precondition& p) {
  switch (p.kind) {
    case Precondition::Kind::kNone:
      return "none";
    case Precondition::Kind::kAbsent:
      return "absent";
    case Precondition::Kind::kExists:
      return "exists";
    case Precondition::Kind::kGenerationEquals:
      return "gen==" + std::to_string(p.generation);
    case Precondition::Kind::kDirectoryEmpty:
      return "dir-empty";
  }
  return "?";
}

// Errors a precondition raises against the state before the commit.
void CheckPrecondition(const Precondition& p, const MNode* node, Codes* errs) {
  switch (p.kind) {
    case Precondition::Kind::kNone:
      break;
    case Precondition::Kind::kAbsent:
      if (node) errs->insert({Code::kAlreadyExists, Code::kConflict});
      break;
    case Precondition::Kind::kExists:
      if (!node) errs->insert({Code::kNotFound, Code::kConflict});
      break;
    case Precondition::Kind::kGenerationEquals:
      if (!node) {
        errs->insert({Code::kConflict, Code::kNotFound});
      } else if (node->kind == FileKind::kDirectory) {
        errs->insert({Code::kConflict, Code::kIsDirectory});
      } else if (node->generation != p.generation) {
        errs->insert(Code::kConflict);
      }
      break;
    case Precondition::Kind::kDirectoryEmpty:
      if (!node) {
        errs->insert({Code::kNotFound, Code::kConflict});
      } else if (node->kind == FileKind::kFile) {
        errs->insert({Code::kConflict, Code::kNotDirectory});
      }
      break;
  }
}

// Creates the missing proper ancestors of `path` in `w` (or reports errors).
void MakeParents(Model* w, const std::string& path, bool make_parents, Codes* errs) {
  for (const auto& a : Ancestors(path)) {
    auto it = w->find(a);
    if (it == w->end()) {
      if (!make_parents) {
        errs->insert(Code::kNotFound);
        return;
      }
      MNode d;
      d.kind = FileKind::kDirectory;
      (*w)[a] = d;
    } else if (it->second.kind == FileKind::kFile) {
      errs->insert({Code::kNotDirectory});
      return;
    }
  }
}

struct ModelItem {
  std::string path;
  std::shared_ptr<const std::string> body;
  Precondition pre;
};

// ---------------------------------------------------------------- operations

struct Op {
  enum Kind { kPublish, kMkdir, kRemove, kRename, kCopy } kind = kPublish;
  std::vector<ModelItem> items;   // publish
  std::vector<std::string> dirs;  // publish: PublishOptions::directories
  bool make_parents = true;       // publish
  std::string a, b;               // path / src, dst
  bool flag = false;              // mkdir parents / rm recursive / mv no_replace
  Precondition pre;               // remove

  std::string Describe() const {
    std::ostringstream os;
    switch (kind) {
      case kPublish:
        os << "publish(make_parents=" << make_parents << ")";
        for (const auto& it : items) {
          os << " [" << it.path << " " << it.body->size() << "B " << PreString(it.pre) << "]";
        }
        for (const auto& d : dirs) os << " dir:" << d;
        break;
      case kMkdir:
        os << "mkdir " << a << (flag ? " -p" : "");
        break;
      case kRemove:
        os << "rm " << a << (flag ? " -r" : "") << " " << PreString(pre);
        break;
      case kRename:
        os << "mv " << a << " " << b << (flag ? " no_replace" : "");
        break;
      case kCopy:
        os << "cp " << a << " " << b;
        break;
    }
    return os.str();
  }
};

// Applies `op` to a copy of `m`. Returns the codes it may fail with (empty:
// it must succeed) and, on success, the model after the op in *after.
Codes ApplyToModel(const Model& m, const Op& op, Model* after) {
  Codes errs;
  Model w = m;
  switch (op.kind) {
    case Op::kPublish: {
      for (size_t i = 0; i < op.items.size(); ++i) {
        for (size_t j = 0; j < op.items.size(); ++j) {
          if (i != j && IsUnder(op.items[i].path, op.items[j].path)) {
            // A file and a path below it in one commit can never both exist.
            errs.insert({Code::kNotDirectory, Code::kIsDirectory, Code::kInvalidArgument,
                         Code::kAlreadyExists, Code::kConflict});
          }
        }
      }
      for (const auto& d : op.dirs) {
        MakeParents(&w, d, op.make_parents, &errs);
        auto it = w.find(d);
        if (it == w.end()) {
          MNode dir;
          dir.kind = FileKind::kDirectory;
          w[d] = dir;
        } else if (it->second.kind == FileKind::kFile) {
          errs.insert({Code::kAlreadyExists, Code::kNotDirectory});
        }
      }
      for (const auto& item : op.items) {
        Resolution before = Resolve(m, item.path);
        CheckPrecondition(item.pre, before.node, &errs);
        MakeParents(&w, item.path, op.make_parents, &errs);
        auto it = w.find(item.path);
        MNode f;
        f.kind = FileKind::kFile;
        f.body = item.body;
        f.generation = 1;
        if (it != w.end()) {
          if (it->second.kind == FileKind::kDirectory) {
            errs.insert(Code::kIsDirectory);
            if (item.pre.kind == Precondition::Kind::kAbsent) errs.insert(Code::kAlreadyExists);
            continue;
          }
          f.generation = it->second.generation + 1;
          f.ino = it->second.ino;
        }
        w[item.path] = f;
      }
      break;
    }
    case Op::kMkdir: {
      Resolution r = Resolve(m, op.a);
      if (r.ancestor_file) {
        errs.insert(Code::kNotDirectory);
        break;
      }
      if (r.parent_missing && !op.flag) {
        errs.insert(Code::kNotFound);
        break;
      }
      if (r.node) {
        if (r.node->kind == FileKind::kFile) {
          errs.insert({Code::kAlreadyExists, Code::kNotDirectory});
        } else if (!op.flag) {
          errs.insert(Code::kAlreadyExists);
        }
        break;
      }
      MakeParents(&w, op.a, true, &errs);
      MNode d;
      d.kind = FileKind::kDirectory;
      w[op.a] = d;
      break;
    }
    case Op::kRemove: {
      Resolution r = Resolve(m, op.a);
      if (r.ancestor_file) errs.insert({Code::kNotDirectory, Code::kNotFound});
      if (!r.node) {
        errs.insert(Code::kNotFound);
        if (op.pre.kind != Precondition::Kind::kNone) errs.insert(Code::kConflict);
        break;
      }
      CheckPrecondition(op.pre, r.node, &errs);
      bool nonempty = r.node->kind == FileKind::kDirectory && HasChildren(m, op.a);
      if (nonempty && op.pre.kind == Precondition::Kind::kDirectoryEmpty) {
        errs.insert({Code::kConflict, Code::kNotEmpty});
      }
      if (nonempty && !op.flag) errs.insert(Code::kNotEmpty);
      for (const auto& p : Subtree(m, op.a)) w.erase(p);
      break;
    }
    case Op::kRename: {
      const std::string& src = op.a;
      const std::string& dst = op.b;
      Resolution rs = Resolve(m, src);
      Resolution rd = Resolve(m, dst);
      if (rs.ancestor_file) errs.insert({Code::kNotDirectory, Code::kNotFound});
      if (!rs.node) {
        errs.insert(Code::kNotFound);
        // Which check an implementation makes first is not part of the contract.
        if (rd.node || rd.ancestor_file || rd.parent_missing || IsUnder(src, dst)) {
          errs.insert({Code::kAlreadyExists, Code::kIsDirectory, Code::kNotEmpty,
                       Code::kNotDirectory, Code::kInvalidArgument});
        }
        break;
      }
      if (src == dst) break;  // a no-op that succeeds
      if (IsUnder(src, dst)) {
        errs.insert(Code::kInvalidArgument);
        if (rs.node->kind == FileKind::kFile) errs.insert(Code::kNotDirectory);
        if (rd.parent_missing) errs.insert(Code::kNotFound);
      }
      if (rd.ancestor_file) errs.insert({Code::kNotDirectory, Code::kNotFound});
      if (rd.parent_missing) errs.insert(Code::kNotFound);
      bool src_dir = rs.node->kind == FileKind::kDirectory;
      if (rd.node) {
        bool dst_dir = rd.node->kind == FileKind::kDirectory;
        if (op.flag) errs.insert(Code::kAlreadyExists);
        if (!dst_dir && src_dir) {
          errs.insert({Code::kNotDirectory, Code::kIsDirectory, Code::kAlreadyExists});
        } else if (dst_dir && !src_dir) {
          errs.insert({Code::kIsDirectory, Code::kAlreadyExists});
        } else if (dst_dir && src_dir && HasChildren(m, dst)) {
          errs.insert({Code::kNotEmpty, Code::kAlreadyExists});
        }
      }
      if (!errs.empty()) break;
      if (rd.node) w.erase(dst);  // a replaced file or an empty directory
      for (const auto& p : Subtree(m, src)) {
        MNode n = m.at(p);
        w.erase(p);
        w[dst + p.substr(src.size())] = n;
      }
      break;
    }
    case Op::kCopy: {
      const std::string& src = op.a;
      const std::string& dst = op.b;
      Resolution rs = Resolve(m, src);
      Resolution rd = Resolve(m, dst);
      if (rs.ancestor_file) errs.insert({Code::kNotDirectory, Code::kNotFound});
      if (!rs.node) errs.insert(Code::kNotFound);
      if (rd.node) errs.insert(Code::kAlreadyExists);
      if (rd.ancestor_file) errs.insert({Code::kNotDirectory, Code::kNotFound});
      if (rd.parent_missing) errs.insert(Code::kNotFound);
      // Which check comes first is not specified: "into itself" may win over "missing".
      if (IsUnder(src, dst) || src == dst) errs.insert(Code::kInvalidArgument);
      // Copying a path onto itself fails whatever the order of checks;
      // bad_input_test pins the code for a missing source.
      if (src == dst) errs.insert(Code::kAlreadyExists);
      if (!errs.empty()) break;
      for (const auto& p : Subtree(m, src)) {
        MNode n = m.at(p);
        n.ino = 0;  // a new inode, observed at the next comparison
        if (n.kind == FileKind::kFile) n.generation = 0;
        w[dst + p.substr(src.size())] = n;
      }
      break;
    }
  }
  if (errs.empty()) *after = std::move(w);
  return errs;
}

// ---------------------------------------------------------------- the test

std::vector<uint64_t> Seeds() {
  const char* v = std::getenv("NOKV_MODEL_SEEDS");
  if (!v || !*v) return {20260101, 7, 424242};
  std::vector<uint64_t> out;
  std::stringstream ss(v);
  std::string tok;
  while (std::getline(ss, tok, ',')) out.push_back(std::strtoull(tok.c_str(), nullptr, 10));
  return out;
}

const std::vector<std::string> kNames = {"a", "b", "c", "dd", "e", "f.bin"};
constexpr size_t kMaxDepth = 3;
constexpr int kReopenEvery = 150;
constexpr int kHistoryEvery = 10;

class ModelRun {
 public:
  ModelRun(uint64_t seed, int steps) : seed_(seed), steps_(steps), rng_(seed) {}

  void Run() {
    ASSERT_NO_FATAL_FAILURE(Open());
    snapshots_[ns_->LastVersion()] = model_;
    for (step_ = 0; step_ < steps_; ++step_) {
      Op op = NextOp();
      SCOPED_TRACE(Trace(op));
      ASSERT_NO_FATAL_FAILURE(Step(op));
      ASSERT_FALSE(::testing::Test::HasFailure()) << "stopping at the first divergence";
      if (step_ % kHistoryEvery == kHistoryEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(CheckHistory(2));
      }
      if (step_ % kReopenEvery == kReopenEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(Reopen());
        ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
      }
    }
    SCOPED_TRACE("seed=" + std::to_string(seed_) + " after the last step");
    ASSERT_NO_FATAL_FAILURE(Reopen());
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    ASSERT_NO_FATAL_FAILURE(CheckHistory(10));
    ASSERT_OK_AND_ASSIGN(FsckReport report, ns_->Fsck(true));
    std::string issues;
    for (const auto& i : report.issues) issues += i.kind + ": " + i.detail + "\n";
    EXPECT_TRUE(report.clean()) << issues;
    uint64_t files = 0;
    for (const auto& [p, n] : model_) files += n.kind == FileKind::kFile;
    EXPECT_EQ(report.files, files);
    EXPECT_EQ(report.orphan_objects, 0u);
    EXPECT_EQ(report.pending_intents, 0u);
    ns_.reset();
    static const char* kOpNames[] = {"publish", "mkdir", "rm", "mv", "cp"};
    std::cout << "[ model    ] seed " << seed_ << ": " << steps_ << " steps, ok/failed:";
    for (const auto& [kind, counts] : stats_) {
      std::cout << " " << kOpNames[kind] << " " << counts.first << "/" << counts.second;
    }
    std::cout << "; up to " << max_nodes_ << " paths; " << history_checks_
              << " MVCC reads of the whole tree\n";
  }

 private:
  std::string Trace(const Op& op) const {
    return "seed=" + std::to_string(seed_) + " step=" + std::to_string(step_) +
           " op: " + op.Describe() + "  (rerun: NOKV_MODEL_SEEDS=" + std::to_string(seed_) +
           " NOKV_MODEL_STEPS=" + std::to_string(step_ + 1) + ")";
  }

  void Open() { ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path())); }

  void Reopen() {
    uint64_t last = ns_->LastVersion();
    ns_.reset();
    ASSERT_NO_FATAL_FAILURE(Open());
    EXPECT_EQ(ns_->LastVersion(), last) << "LastVersion changed across reopen";
  }

  // ---- random operations

  std::string RandomName() { return rng_.Pick(kNames); }

  std::string RandomPath(size_t max_depth = kMaxDepth) {
    size_t depth = 1 + rng_.Uniform(max_depth);
    std::string p;
    for (size_t i = 0; i < depth; ++i) p += "/" + RandomName();
    return p;
  }

  std::vector<std::string> Paths(int kind_filter = 0) const {  // 0 all, 1 files, 2 dirs
    std::vector<std::string> out;
    for (const auto& [p, n] : model_) {
      if (kind_filter == 1 && n.kind != FileKind::kFile) continue;
      if (kind_filter == 2 && n.kind != FileKind::kDirectory) continue;
      out.push_back(p);
    }
    return out;
  }

  std::string ExistingOrRandom(int existing_percent, int kind_filter = 0) {
    auto paths = Paths(kind_filter);
    if (!paths.empty() && rng_.Percent(existing_percent)) return rng_.Pick(paths);
    return RandomPath();
  }

  std::shared_ptr<const std::string> RandomBody() {
    size_t n;
    uint64_t r = rng_.Uniform(100);
    if (r < 5) {
      n = 0;
    } else if (r < 30) {
      n = rng_.Range(1, kTestInlineThreshold - 1);
    } else if (r < 35) {
      n = kTestInlineThreshold;
    } else if (r < 38) {
      n = kTestInlineThreshold + 1;
    } else if (r < 42) {
      n = kTestBlockSize;
    } else if (r < 45) {
      n = 2 * kTestBlockSize;
    } else {
      n = rng_.Range(1, 10 * 1024);
    }
    return std::make_shared<const std::string>(rng_.Bytes(n));
  }

  Precondition RandomPublishPrecondition(const std::string& path, uint64_t none_percent) {
    const MNode* n = Find(model_, path);
    if (rng_.Percent(none_percent)) return Precondition::None();
    uint64_t r = rng_.Uniform(100);
    if (r < 20) return Precondition::Absent();
    if (r < 40) return Precondition::Exists();
    if (r < 75 && n && n->kind == FileKind::kFile) {
      return Precondition::GenerationEquals(n->generation);
    }
    uint64_t wrong = rng_.Range(1, 5);
    if (n && n->kind == FileKind::kFile && wrong == n->generation) wrong = n->generation + 1;
    return Precondition::GenerationEquals(wrong);
  }

  // A file to replace or a new path; random paths that name a directory
  // mostly get one more component.
  std::string PublishPath() {
    if (rng_.Percent(30)) return ExistingOrRandom(100, 1);
    std::string path = RandomPath();
    const MNode* n = Find(model_, path);
    if (n && n->kind == FileKind::kDirectory && !rng_.OneIn(5)) path += "/" + RandomName();
    return path;
  }

  Op NextOp() {
    Op op;
    uint64_t r = rng_.Uniform(100);
    if (model_.size() > 70 && r < 50) r = 60;  // keep the tree small: remove more
    if (r < 25) {
      op.kind = Op::kPublish;
      std::string path = PublishPath();
      if (rng_.OneIn(20)) path = ExistingOrRandom(100, 2);  // over a directory
      op.items.push_back({path, RandomBody(), RandomPublishPrecondition(path, 65)});
      op.make_parents = !rng_.OneIn(7);
    } else if (r < 35) {
      op.kind = Op::kPublish;
      size_t n = rng_.Range(2, 4);
      std::set<std::string> used;
      while (op.items.size() < n) {
        std::string path = PublishPath();
        if (rng_.OneIn(8) && !op.items.empty()) {
          path = op.items[0].path + "/" + RandomName();  // conflicts inside the commit
        }
        if (!used.insert(path).second) continue;
        op.items.push_back({path, RandomBody(), RandomPublishPrecondition(path, 85)});
      }
      op.make_parents = !rng_.OneIn(7);
      if (op.make_parents && rng_.OneIn(4)) {
        std::string d = RandomPath();
        bool ok = !Find(model_, d);
        for (const auto& it : op.items) {
          if (it.path == d || IsUnder(it.path, d)) ok = false;
        }
        if (ok) op.dirs.push_back(d);
      }
    } else if (r < 47) {
      op.kind = Op::kMkdir;
      op.a = ExistingOrRandom(35);
      op.flag = rng_.Percent(50);
    } else if (r < 65) {
      op.kind = Op::kRemove;
      op.a = ExistingOrRandom(80);
      op.flag = rng_.Percent(50);
      const MNode* n = Find(model_, op.a);
      uint64_t p = rng_.Uniform(100);
      if (p < 60) {
        op.pre = Precondition::None();
      } else if (p < 70) {
        op.pre = Precondition::Exists();
      } else if (p < 80) {
        op.pre = Precondition::Absent();
      } else if (p < 90 && (!n || n->kind == FileKind::kFile)) {
        uint64_t g = n && rng_.Percent(60) ? n->generation : rng_.Range(1, 4);
        op.pre = Precondition::GenerationEquals(g);
      } else if (!n || n->kind == FileKind::kDirectory) {
        op.pre = Precondition::DirectoryEmpty();
      }
    } else if (r < 85) {
      op.kind = Op::kRename;
      op.a = ExistingOrRandom(85);
      op.flag = rng_.Percent(25);
      uint64_t d = rng_.Uniform(100);
      if (d < 10) {
        op.b = op.a;
        op.flag = false;
      } else if (d < 22) {
        op.b = op.a + "/" + RandomName();  // into its own subtree
        if (rng_.OneIn(2)) op.b += "/" + RandomName();
      } else if (d < 55) {
        op.b = ExistingOrRandom(100);
      } else if (d < 95) {
        op.b = JoinPath(RandomParent(), RandomName());
      } else {
        op.b = RandomPath();  // possibly with a missing parent
      }
      if (op.b == "/" || op.a == "/") op.b = "/" + RandomName();
    } else {
      op.kind = Op::kCopy;
      op.a = ExistingOrRandom(85);
      for (int tries = 0; tries < 10; ++tries) {
        op.b = rng_.Percent(15) ? ExistingOrRandom(100) : JoinPath(RandomParent(), RandomName());
        const MNode* n = Find(model_, op.a);
        bool into_self = n && n->kind == FileKind::kDirectory && IsUnder(op.a, op.b);
        if (!into_self) break;
      }
      const MNode* n = Find(model_, op.a);
      if ((n && n->kind == FileKind::kDirectory && IsUnder(op.a, op.b)) ||
          Subtree(model_, op.a).size() > 16) {
        // Copying a directory into itself is not specified; large copies grow
        // the tree. Fall back to a mkdir.
        op = Op();
        op.kind = Op::kMkdir;
        op.a = RandomPath();
        op.flag = true;
      }
    }
    return op;
  }

  // A directory (or sometimes a file) that exists, at depth < kMaxDepth.
  std::string RandomParent() {
    std::vector<std::string> cands = {"/"};
    for (const auto& [p, n] : model_) {
      if (Depth(p) >= kMaxDepth) continue;
      if (n.kind == FileKind::kDirectory || rng_.OneIn(6)) cands.push_back(p);
    }
    return rng_.Pick(cands);
  }

  // ---- running an op

  struct Outcome {
    Status status;
    uint64_t version = 0;
    std::vector<FileInfo> files;
  };

  // The same path, sometimes spelled with repeated or trailing slashes.
  std::string Spell(const std::string& path) {
    if (!rng_.OneIn(8)) return path;
    std::string out;
    for (char c : path) {
      out.push_back(c);
      if (c == '/' && rng_.OneIn(2)) out.push_back('/');
    }
    if (rng_.OneIn(2)) out.push_back('/');
    return out;
  }

  Outcome Execute(const Op& op) {
    Outcome out;
    MutationOptions mo;
    auto take = [&](const Result<MutationResult>& r) {
      out.status = r.status();
      if (r.ok()) out.version = r->version;
    };
    switch (op.kind) {
      case Op::kPublish: {
        std::vector<PublishItem> items;
        for (const auto& it : op.items) {
          items.push_back(MakeItem(Spell(it.path), *it.body, it.pre));
        }
        PublishOptions po;
        po.make_parents = op.make_parents;
        for (const auto& d : op.dirs) po.directories.push_back(Spell(d));
        auto r = ns_->Publish(std::move(items), po);
        out.status = r.status();
        if (r.ok()) {
          out.version = r->version;
          out.files = r->files;
          EXPECT_FALSE(r->replayed);
        }
        break;
      }
      case Op::kMkdir:
        take(ns_->Mkdir(Spell(op.a), op.flag, mo));
        break;
      case Op::kRemove:
        take(ns_->Remove(Spell(op.a), op.flag, op.pre, mo));
        break;
      case Op::kRename:
        take(ns_->Rename(Spell(op.a), Spell(op.b), op.flag, mo));
        break;
      case Op::kCopy:
        take(ns_->Copy(Spell(op.a), Spell(op.b), mo));
        break;
    }
    return out;
  }

  void Step(const Op& op) {
    Model after;
    Codes expected = ApplyToModel(model_, op, &after);
    uint64_t last = ns_->LastVersion();
    Outcome out = Execute(op);
    auto& st = stats_[op.kind];
    (out.status.ok() ? st.first : st.second)++;
    max_nodes_ = std::max(max_nodes_, model_.size());
    if (expected.empty()) {
      ASSERT_TRUE(out.status.ok()) << "expected success, got " << out.status.ToString();
    } else {
      ASSERT_FALSE(out.status.ok()) << "expected failure (" << CodesString(expected)
                                    << "), but it succeeded at version " << out.version;
      EXPECT_TRUE(expected.count(out.status.code()))
          << "expected " << CodesString(expected) << ", got " << out.status.ToString();
      EXPECT_FALSE(out.status.message().empty()) << "error without a message";
    }
    if (out.status.ok()) {
      bool noop = (op.kind == Op::kRename && op.a == op.b) ||
                  (op.kind == Op::kMkdir && Find(model_, op.a) != nullptr);
      if (noop) {
        EXPECT_GE(out.version, last);
      } else {
        EXPECT_GT(out.version, last) << "a mutation must commit at a new version";
      }
      EXPECT_GE(ns_->LastVersion(), out.version);
      if (op.kind == Op::kPublish) {
        ASSERT_EQ(out.files.size(), op.items.size());
        for (size_t i = 0; i < op.items.size(); ++i) {
          const FileInfo& fi = out.files[i];
          MNode& n = after.at(op.items[i].path);
          EXPECT_EQ(fi.path, op.items[i].path);
          EXPECT_EQ(fi.kind, FileKind::kFile);
          EXPECT_EQ(fi.size, op.items[i].body->size());
          EXPECT_EQ(fi.generation, n.generation) << op.items[i].path;
          EXPECT_EQ(fi.version, out.version);
          EXPECT_EQ(fi.sha256_hex, Sha256Hex(*op.items[i].body));
          if (n.ino != 0) {
            EXPECT_EQ(fi.ino, n.ino) << "replace must keep the inode of " << op.items[i].path;
          } else {
            n.ino = fi.ino;
          }
        }
      }
      model_ = std::move(after);
    }
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    uint64_t now = ns_->LastVersion();
    // A failed op changes nothing (checked by Compare above); if it did
    // consume versions, they must read as the unchanged state.
    if (out.status.ok() && out.version > last) snapshots_[out.version] = model_;
    if (now > last) snapshots_[now] = model_;
  }

  // ---- comparing

  // Compares the namespace at `version` (0: newest) with `m`. With `adopt`,
  // inode numbers and generations the model has not observed yet are taken
  // from the namespace.
  void Compare(uint64_t version, Model& m, bool adopt) {
    DumpOptions o;
    o.version = version;
    static const size_t kLimits[] = {1, 2, 3, 1000};
    o.page_limit = kLimits[rng_.Uniform(4)];
    o.with_attrs = rng_.OneIn(2);
    auto tree = DumpTree(*ns_, o);
    ASSERT_TRUE(tree.ok()) << "walk at version " << version << ": " << tree.status().ToString();
    std::string diff;
    for (const auto& [p, n] : m) {
      if (!tree->count(p)) diff += "  missing in nokv: " + p + "\n";
    }
    for (const auto& [p, n] : *tree) {
      if (p != "/" && !m.count(p)) {
        diff +=
            "  unexpected in nokv: " + p + (n.info.kind == FileKind::kDirectory ? "/" : "") + "\n";
      }
    }
    ASSERT_TRUE(diff.empty()) << "namespace differs from the model at version " << version << ":\n"
                              << diff;
    const TreeNode& root = tree->at("/");
    EXPECT_EQ(root.info.kind, FileKind::kDirectory);
    EXPECT_EQ(root.info.ino, kRootInode);
    EXPECT_EQ(root.info.child_count, ChildCount(m, "/"));
    std::set<uint64_t> inos = {root.info.ino};
    for (auto& [p, mn] : m) {
      SCOPED_TRACE("path " + p + " at version " + std::to_string(version));
      const TreeNode& t = tree->at(p);
      const FileInfo& fi = t.info;
      ASSERT_EQ(fi.kind, mn.kind);
      EXPECT_NE(fi.ino, 0u);
      EXPECT_TRUE(inos.insert(fi.ino).second) << "inode " << fi.ino << " is used twice";
      if (mn.ino == 0 && adopt) mn.ino = fi.ino;
      EXPECT_EQ(fi.ino, mn.ino);
      if (mn.kind == FileKind::kDirectory) {
        EXPECT_EQ(fi.size, 0u);
        EXPECT_EQ(fi.generation, 0u);
        EXPECT_EQ(fi.child_count, ChildCount(m, p));
        if (o.with_attrs) {
          EXPECT_EQ(t.entry.child_count, fi.child_count);
        }
        continue;
      }
      const std::string& body = *mn.body;
      ASSERT_EQ(t.bytes.size(), body.size());
      EXPECT_TRUE(t.bytes == body) << "bytes differ";
      EXPECT_EQ(fi.size, body.size());
      EXPECT_EQ(fi.sha256_hex, Sha256Hex(body));
      if (mn.generation == 0 && adopt) {
        EXPECT_GE(fi.generation, 1u);
        mn.generation = fi.generation;
      }
      EXPECT_EQ(fi.generation, mn.generation);
      bool inl = body.size() <= kTestInlineThreshold;
      EXPECT_EQ(fi.is_inline, inl);
      EXPECT_EQ(fi.block_count, inl ? 0 : (body.size() + kTestBlockSize - 1) / kTestBlockSize);
      if (o.with_attrs) {
        EXPECT_EQ(t.entry.size, fi.size);
        EXPECT_EQ(t.entry.generation, fi.generation);
      }
    }
    // Random ranged reads of a few files.
    for (int i = 0; i < 2; ++i) {
      auto files = Paths(1);
      if (files.empty() || version != 0) break;
      const std::string& p = rng_.Pick(files);
      const std::string& body = *m.at(p).body;
      ASSERT_OK_AND_ASSIGN(auto reader, ns_->OpenFile(p, ReadOptions{}));
      uint64_t off = rng_.Uniform(body.size() + 2);
      uint64_t len = rng_.Uniform(3 * kTestBlockSize);
      std::string got;
      ASSERT_OK(reader->ReadAt(off, len, &got));
      std::string want = off >= body.size() ? "" : body.substr(off, len);
      EXPECT_TRUE(got == want) << "ReadAt(" << off << ", " << len << ") of " << p << " ("
                               << body.size() << " bytes) returned " << got.size() << " bytes";
    }
  }

  // Reads at random earlier versions must show the model as of that version.
  void CheckHistory(int n) {
    if (snapshots_.empty()) return;
    uint64_t lo = snapshots_.begin()->first;
    uint64_t hi = ns_->LastVersion();
    if (lo == 0) lo = 1;
    if (hi < lo) return;
    for (int i = 0; i < n; ++i) {
      uint64_t v = rng_.Range(lo, hi);
      auto it = snapshots_.upper_bound(v);
      if (it == snapshots_.begin()) continue;
      --it;
      SCOPED_TRACE("MVCC read at version " + std::to_string(v) + " (model snapshot of version " +
                   std::to_string(it->first) + ")");
      ASSERT_NO_FATAL_FAILURE(Compare(v, it->second, false));
      ++history_checks_;
    }
  }

  uint64_t seed_;
  int steps_;
  Rng rng_;
  int step_ = 0;
  TempDir dir_{"nokv-model"};
  std::unique_ptr<Namespace> ns_;
  Model model_;
  std::map<uint64_t, Model> snapshots_;
  std::map<int, std::pair<uint64_t, uint64_t>> stats_;  // op kind -> ok, failed
  size_t max_nodes_ = 0;
  uint64_t history_checks_ = 0;
};

TEST(ModelTest, RandomOperationsMatchModel) {
  int steps = static_cast<int>(EnvU64("NOKV_MODEL_STEPS", 1500));
  for (uint64_t seed : Seeds()) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    ModelRun run(seed, steps);
    ASSERT_NO_FATAL_FAILURE(run.Run());
    ASSERT_FALSE(::testing::Test::HasFailure());
  }
}

// Hand-written cases of the model's semantics, so a model bug is easy to spot.
TEST(ModelTest, ModelSelfCheck) {
  Model m;
  Model after;
  auto body = std::make_shared<const std::string>("x");
  Op pub;
  pub.kind = Op::kPublish;
  pub.items.push_back({"/a/b", body, Precondition::None()});
  ASSERT_TRUE(ApplyToModel(m, pub, &after).empty());
  EXPECT_EQ(after.at("/a").kind, FileKind::kDirectory);
  EXPECT_EQ(after.at("/a/b").generation, 1u);
  m = after;
  ASSERT_TRUE(ApplyToModel(m, pub, &after).empty());
  EXPECT_EQ(after.at("/a/b").generation, 2u);
  Op under = pub;
  under.items[0].path = "/a/b/c";
  EXPECT_EQ(ApplyToModel(m, under, &after), Codes{Code::kNotDirectory});
  Op over = pub;
  over.items[0].path = "/a";
  EXPECT_EQ(ApplyToModel(m, over, &after), Codes{Code::kIsDirectory});
  Op mv;
  mv.kind = Op::kRename;
  mv.a = "/a";
  mv.b = "/a/x";
  EXPECT_TRUE(ApplyToModel(m, mv, &after).count(Code::kInvalidArgument));
  mv.b = "/a";
  EXPECT_TRUE(ApplyToModel(m, mv, &after).empty());
  Op rm;
  rm.kind = Op::kRemove;
  rm.a = "/a";
  EXPECT_EQ(ApplyToModel(m, rm, &after), Codes{Code::kNotEmpty});
  rm.flag = true;
  ASSERT_TRUE(ApplyToModel(m, rm, &after).empty());
  EXPECT_TRUE(after.empty());
  Op cp;
  cp.kind = Op::kCopy;
  cp.a = "/a";
  cp.b = "/z";
  ASSERT_TRUE(ApplyToModel(m, cp, &after).empty());
  EXPECT_EQ(after.at("/z/b").body, body);
  EXPECT_EQ(after.at("/z/b").generation, 0u);  // observed later
  cp.b = "/a/b";
  EXPECT_TRUE(ApplyToModel(m, cp, &after).count(Code::kAlreadyExists));
}

}  // namespace
}  // namespace nokv::test
