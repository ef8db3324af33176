// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Randomized model-based test: random namespace operations run against nokv
// and against a small in-memory reference model. After every step the whole
// namespace is compared with the model; reads at older versions are compared
// with model snapshots (MVCC); the namespace is closed and reopened
// periodically.
//
// The time features run in the same random sequence: snapshots (of "/", a
// subtree or a file) are created and dropped, subtrees are cloned (live or
// from a snapshot), rolled back to a snapshot, checkpoints are published and
// garbage is collected with no history retention and tiny step budgets. The
// model keeps the whole tree of every live snapshot and the sequence of watch
// events every operation must produce. It checks that every live snapshot
// reads exactly what it read when it was taken, that after each collection the
// block store holds exactly the blocks of the bodies the live tree and the
// live snapshots reference (no leak, nothing missing), that versions below the
// GC floor are Expired unless a snapshot pins them, and that a watch replay
// from any earlier cursor (also across reopens) yields exactly the model's
// events, in order.
//
// Env: NOKV_MODEL_SEEDS="1,2,3" and NOKV_MODEL_STEPS=1500 override the defaults
// (800 steps in AddressSanitizer builds).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "meta/records.h"
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
  // Files: which publish the body came from. Copies, clones and rollbacks
  // share it, and must share the body (and its blocks) in nokv too.
  uint64_t token = 0;
};
// Every path except "/" (always a directory).
using Model = std::map<std::string, MNode>;

bool IsUnder(const std::string& anc, const std::string& path) {  // proper descendant
  if (anc == "/") return path != "/";
  return path.size() > anc.size() && path.compare(0, anc.size(), anc) == 0 &&
         path[anc.size()] == '/';
}

bool SameOrBelow(const std::string& path, const std::string& anc) {
  return path == anc || IsUnder(anc, path);
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
  uint64_t token = 0;
};

// ---------------------------------------------------------------- operations

struct Op {
  enum Kind {
    kPublish,
    kMkdir,
    kRemove,
    kRename,
    kCopy,
    // Time features (run by ModelRun, which keeps the snapshots).
    kSnapCreate,
    kSnapDrop,
    kClone,
    kRollback,
    kCheckpoint,
    kGc,
  } kind = kPublish;
  std::vector<ModelItem> items;   // publish
  std::vector<std::string> dirs;  // publish: PublishOptions::directories
  bool make_parents = true;       // publish
  std::string a, b;               // path / src, dst
  bool flag = false;              // mkdir parents / rm recursive / mv no_replace
  Precondition pre;               // remove
  std::string name;               // snapshot (clone: empty for a live source)
  uint64_t step = 0;              // checkpoint step
  size_t budget = 0;              // gc step budget
  size_t max_steps = 0;           // gc max steps per run

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
      case kSnapCreate:
        os << "snapshot create " << a << " --name " << name;
        break;
      case kSnapDrop:
        os << "snapshot drop " << name;
        break;
      case kClone:
        os << "clone " << a << " " << b;
        if (!name.empty()) os << " --snapshot " << name;
        break;
      case kRollback:
        os << "rollback " << a << " --to " << name;
        break;
      case kCheckpoint:
        os << "checkpoint publish " << a << " --step " << step;
        for (const auto& it : items) os << " [" << it.path << " " << it.body->size() << "B]";
        break;
      case kGc:
        os << "gc --step-budget " << budget << " --max-steps " << max_steps;
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
        f.token = item.token;
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
    default:
      errs.insert(Code::kInternal);  // time operations are modelled by ModelRun
      break;
  }
  if (errs.empty()) *after = std::move(w);
  return errs;
}

// ---------------------------------------------------------------- watch events

// One event the model expects in the watch log.
struct Ev {
  std::string type;
  std::string path;
  std::string from;  // rename and clone
  std::string detail;
  bool check_detail = false;
  uint64_t version = 0;
};

std::string EvString(const std::string& type, const std::string& path, const std::string& from,
                     const std::string& detail, uint64_t version) {
  std::string s = "v" + std::to_string(version) + " " + type + " " + path;
  if (!from.empty()) s += " from " + from;
  if (!detail.empty()) s += " (" + detail + ")";
  return s;
}

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> out;
  std::stringstream ss(path);
  std::string c;
  while (std::getline(ss, c, '/')) {
    if (!c.empty()) out.push_back(c);
  }
  return out;
}

// The deepest directory holding every path (the subject of a "publish" event).
std::string CommonDir(const std::vector<std::string>& paths) {
  std::vector<std::string> common = Components(ParentPath(paths.at(0)));
  for (const auto& p : paths) {
    std::vector<std::string> c = Components(ParentPath(p));
    size_t n = 0;
    while (n < common.size() && n < c.size() && common[n] == c[n]) ++n;
    common.resize(n);
  }
  std::string out;
  for (const auto& c : common) out += "/" + c;
  return out.empty() ? "/" : out;
}

// `root` and everything below it (every path for "/").
std::vector<std::string> SubtreeOf(const Model& m, const std::string& root) {
  if (root != "/") return Subtree(m, root);
  std::vector<std::string> out;
  for (const auto& [p, n] : m) out.push_back(p);
  return out;
}

// Creates the missing proper ancestors of `path` in `w`, one mkdir event each.
void AddMissingDirs(Model* w, const std::string& path, uint64_t version, std::vector<Ev>* evs) {
  for (const auto& a : Ancestors(path)) {
    if (w->count(a)) continue;
    MNode d;
    d.kind = FileKind::kDirectory;
    (*w)[a] = d;
    evs->push_back({"mkdir", a, "", "", false, version});
  }
}

// The events a successful base operation appends, given the model before it.
std::vector<Ev> ExpectedEvents(const Model& before, const Op& op, uint64_t version) {
  std::vector<Ev> evs;
  Model w = before;
  switch (op.kind) {
    case Op::kPublish: {
      if (op.items.size() > 1) {
        std::vector<std::string> paths;
        for (const auto& it : op.items) paths.push_back(it.path);
        evs.push_back({"publish", CommonDir(paths), "", "files=" + std::to_string(op.items.size()),
                       true, version});
      }
      for (const auto& d : op.dirs) {
        AddMissingDirs(&w, d, version, &evs);
        if (!w.count(d)) {
          w[d].kind = FileKind::kDirectory;
          evs.push_back({"mkdir", d, "", "", false, version});
        }
      }
      for (const auto& it : op.items) {
        AddMissingDirs(&w, it.path, version, &evs);
        evs.push_back({w.count(it.path) ? "replace" : "create", it.path, "", "", false, version});
        w[it.path].kind = FileKind::kFile;
      }
      break;
    }
    case Op::kMkdir:
      if (op.flag) AddMissingDirs(&w, op.a, version, &evs);
      if (!w.count(op.a)) evs.push_back({"mkdir", op.a, "", "", false, version});
      break;
    case Op::kRemove:
      evs.push_back({"remove", op.a, "", "", false, version});
      break;
    case Op::kRename:
      if (op.a != op.b) evs.push_back({"rename", op.b, op.a, "", false, version});
      break;
    case Op::kCopy:
      evs.push_back({"clone", op.b, op.a, "", false, version});
      break;
    default:
      break;
  }
  return evs;
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
constexpr int kCursorOneIn = 25;         // a new watch cursor after ~1 step in 25
constexpr int kSnapshotCheckEvery = 50;  // re-read every live snapshot
constexpr int kReplayEvery = 100;        // replay the watch log from two cursors
constexpr size_t kMaxSnapshots = 6;
constexpr int kTimeOpPercent = 22;

// What a path read at a snapshot.
struct SnapRead {
  FileKind kind = FileKind::kFile;
  uint64_t ino = 0;
  uint64_t generation = 0;
  std::string bytes;
};

struct LiveSnap {
  std::string name;
  std::string root;
  uint64_t version = 0;
  Model full;                            // the whole tree at `version`
  std::map<std::string, SnapRead> read;  // what the snapshot read at creation
};

class ModelRun {
 public:
  ModelRun(uint64_t seed, int steps) : seed_(seed), steps_(steps), rng_(seed) {}

  void Run() {
    ASSERT_NO_FATAL_FAILURE(Open());
    snapshots_[ns_->LastVersion()] = model_;
    ASSERT_NO_FATAL_FAILURE(TakeCursor());
    for (step_ = 0; step_ < steps_; ++step_) {
      Op op = NextOp();
      SCOPED_TRACE(Trace(op));
      ASSERT_NO_FATAL_FAILURE(Step(op));
      ASSERT_FALSE(::testing::Test::HasFailure()) << "stopping at the first divergence";
      if (step_ % kHistoryEvery == kHistoryEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(CheckHistory(2));
      }
      if (rng_.OneIn(kCursorOneIn)) {
        ASSERT_NO_FATAL_FAILURE(TakeCursor());
      }
      if (step_ % kSnapshotCheckEvery == kSnapshotCheckEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(CheckSnapshots(false));
      }
      if (step_ % kReplayEvery == kReplayEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(CheckReplay(rng_.Pick(cursors_)));
        ASSERT_NO_FATAL_FAILURE(CheckReplay(cursors_.back()));
      }
      if (step_ % kReopenEvery == kReopenEvery - 1) {
        ASSERT_NO_FATAL_FAILURE(Reopen());
        ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
      }
      ASSERT_FALSE(::testing::Test::HasFailure()) << "stopping at the first divergence";
    }
    SCOPED_TRACE("seed=" + std::to_string(seed_) + " after the last step");
    ASSERT_NO_FATAL_FAILURE(Reopen());
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    ASSERT_NO_FATAL_FAILURE(CheckHistory(10));
    // A last collection, then everything again across a reopen.
    Op gc;
    gc.kind = Op::kGc;
    gc.budget = 7;
    ASSERT_NO_FATAL_FAILURE(RunGc(gc));
    ASSERT_NO_FATAL_FAILURE(Reopen());
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    ASSERT_NO_FATAL_FAILURE(CheckHistory(10));
    ASSERT_NO_FATAL_FAILURE(CheckSnapshots(true));
    ASSERT_NO_FATAL_FAILURE(CheckBlocks());
    for (const auto& c : cursors_) ASSERT_NO_FATAL_FAILURE(CheckReplay(c));
    // Without a cursor: every event since the namespace was created.
    ASSERT_NO_FATAL_FAILURE(CheckReplay({"", 0}));
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
    static const char* kOpNames[] = {"publish",  "mkdir",      "rm",        "mv",
                                     "cp",       "snapshot",   "snap-drop", "clone",
                                     "rollback", "checkpoint", "gc"};
    std::cout << "[ model    ] seed " << seed_ << ": " << steps_ << " steps, ok/failed:";
    for (const auto& [kind, counts] : stats_) {
      std::cout << " " << kOpNames[kind] << " " << counts.first << "/" << counts.second;
    }
    std::cout << "; up to " << max_nodes_ << " paths; " << history_checks_
              << " MVCC reads of the whole tree; " << expired_checks_
              << " reads below the GC floor; " << snapshot_checks_ << " snapshot reads; "
              << blocks_checked_ << " blocks accounted after " << gc_checks_ << " collections; "
              << replayed_events_ << " events replayed from " << replays_ << " cursors\n";
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
    if (rng_.Percent(kTimeOpPercent)) return NextTimeOp();
    Op op;
    uint64_t r = rng_.Uniform(100);
    if (model_.size() > 70 && r < 50) r = 60;  // keep the tree small: remove more
    if (r < 25) {
      op.kind = Op::kPublish;
      std::string path = PublishPath();
      if (rng_.OneIn(20)) path = ExistingOrRandom(100, 2);  // over a directory
      op.items.push_back({path, RandomBody(), RandomPublishPrecondition(path, 65), next_token_++});
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
        op.items.push_back(
            {path, RandomBody(), RandomPublishPrecondition(path, 85), next_token_++});
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

  std::vector<std::string> SnapshotNames() const {
    std::vector<std::string> out;
    for (const auto& [name, snap] : live_snaps_) out.push_back(name);
    return out;
  }

  // A path that does not exist yet (mostly), below an existing directory.
  std::string FreshPath() {
    std::string p;
    for (int tries = 0; tries < 10; ++tries) {
      p = JoinPath(RandomParent(), RandomName());
      if (!Find(model_, p)) break;
    }
    return p;
  }

  Op NextTimeOp() {
    Op op;
    uint64_t r = rng_.Uniform(100);
    if (live_snaps_.size() >= kMaxSnapshots && r < 30) r = 20;  // drop some
    if (live_snaps_.empty() && r >= 18 && r < 67) r = 0;        // needs a snapshot
    if (r < 18) {
      op.kind = Op::kSnapCreate;
      uint64_t w = rng_.Uniform(100);
      op.a = w < 30 ? "/" : w < 95 ? ExistingOrRandom(100) : RandomPath();
      if (!live_snaps_.empty() && rng_.OneIn(12)) {
        op.name = rng_.Pick(SnapshotNames());  // taken: AlreadyExists
      } else {
        op.name = "s" + std::to_string(++snap_counter_);
      }
    } else if (r < 30) {
      op.kind = Op::kSnapDrop;
      op.name =
          rng_.OneIn(10) ? "gone-" + std::to_string(rng_.Uniform(3)) : rng_.Pick(SnapshotNames());
    } else if (r < 52) {
      op.kind = Op::kClone;
      const Model* src_model = &model_;
      if (rng_.Percent(45)) {
        op.name = rng_.Pick(SnapshotNames());
        const LiveSnap& snap = live_snaps_.at(op.name);
        src_model = &snap.full;
        auto in_root = SubtreeOf(snap.full, snap.root);
        if (snap.root == "/") in_root.push_back("/");
        op.a = rng_.Percent(93) && !in_root.empty() ? rng_.Pick(in_root) : RandomPath();
      } else {
        op.a = ExistingOrRandom(90);
      }
      op.b = rng_.Percent(90) ? FreshPath() : ExistingOrRandom(100);
      if (SubtreeOf(*src_model, op.a).size() > 16) {
        // Large clones grow the tree: fall back to a mkdir.
        op = Op();
        op.kind = Op::kMkdir;
        op.a = RandomPath();
        op.flag = true;
      }
    } else if (r < 67) {
      op.kind = Op::kRollback;
      op.name = rng_.Pick(SnapshotNames());
      const LiveSnap& snap = live_snaps_.at(op.name);
      uint64_t w = rng_.Uniform(100);
      auto inside = SubtreeOf(snap.full, snap.root);
      if (w < 55 || inside.empty()) {
        op.a = snap.root;
      } else if (w < 85) {
        op.a = rng_.Pick(inside);
      } else if (w < 97) {
        op.a = JoinPath(snap.root, RandomName());  // maybe absent from the snapshot
      } else {
        op.a = RandomPath();  // maybe outside the snapshot: InvalidArgument
      }
    } else if (r < 85) {
      op.kind = Op::kCheckpoint;
      op.a = "/ckpt/r" + std::to_string(rng_.Uniform(2));
      op.step = rng_.Range(1, 6);
      size_t n = rng_.Range(1, 3);
      for (size_t k = 0; k < n; ++k) {
        std::string rel = (rng_.OneIn(3) ? "sub/shard" : "shard") + std::to_string(k);
        op.items.push_back({rel, RandomBody(), Precondition::None(), next_token_++});
      }
    } else {
      op.kind = Op::kGc;
      op.budget = rng_.Range(1, 7);
      op.max_steps = rng_.Percent(50) ? 0 : rng_.Range(1, 3);
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
      default:
        out.status = Status::Internal("not a base operation");
        break;
    }
    return out;
  }

  void Step(const Op& op) {
    if (op.kind >= Op::kSnapCreate) return StepTime(op);
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
      for (auto& e : ExpectedEvents(model_, op, out.version)) events_.push_back(std::move(e));
      model_ = std::move(after);
    }
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    uint64_t now = ns_->LastVersion();
    // A failed op changes nothing (checked by Compare above); if it did
    // consume versions, they must read as the unchanged state.
    if (out.status.ok() && out.version > last) snapshots_[out.version] = model_;
    if (now > last) snapshots_[now] = model_;
  }

  // ---- time operations

  // Runs a time operation against nokv and the model.
  void StepTime(const Op& op) {
    if (op.kind == Op::kGc) {
      stats_[op.kind].first++;
      return RunGc(op);
    }
    const uint64_t last = ns_->LastVersion();
    Codes expected;
    Model after = model_;
    std::vector<Ev> evs;
    Status status;
    uint64_t version = 0;
    std::optional<CheckpointInfo> checkpoint;
    switch (op.kind) {
      case Op::kSnapCreate: {
        Resolution r = Resolve(model_, op.a);
        if (op.a != "/" && !r.node) expected.insert({Code::kNotFound, Code::kNotDirectory});
        if (live_snaps_.count(op.name)) expected.insert(Code::kAlreadyExists);
        SnapshotOptions so;
        so.name = op.name;
        auto res = ns_->CreateSnapshot(Spell(op.a), so);
        status = res.status();
        if (res.ok()) {
          version = res->version;
          EXPECT_EQ(res->name, op.name);
          EXPECT_EQ(res->path, op.a);
          EXPECT_EQ(res->kind, op.a == "/" || !r.node ? FileKind::kDirectory : r.node->kind);
          EXPECT_EQ(res->expires_ns, 0);
          evs.push_back({"snapshot-create", op.a, "", op.name, true, 0});
        }
        break;
      }
      case Op::kSnapDrop: {
        if (!live_snaps_.count(op.name)) expected.insert(Code::kNotFound);
        auto res = ns_->DropSnapshot(op.name);
        status = res.status();
        if (res.ok()) {
          version = res->version;
          if (live_snaps_.count(op.name)) {
            evs.push_back({"snapshot-drop", live_snaps_.at(op.name).root, "", op.name, true, 0});
          }
        }
        break;
      }
      case Op::kClone: {
        ModelClone(op, &after, &expected);
        auto res = ns_->Clone(Spell(op.a), Spell(op.b), ReadOptions{0, op.name, 0}, {});
        status = res.status();
        if (res.ok()) {
          version = res->version;
          evs.push_back({"clone", op.b, op.a, "", false, 0});
        }
        break;
      }
      case Op::kRollback: {
        const LiveSnap& snap = live_snaps_.at(op.name);
        if (!SameOrBelow(op.a, snap.root)) {
          expected.insert(Code::kInvalidArgument);
        } else {
          ModelRollback(snap, op.a, &after, &evs, &expected);
        }
        auto res = ns_->Rollback(Spell(op.a), op.name, {});
        status = res.status();
        if (res.ok()) version = res->version;
        break;
      }
      case Op::kCheckpoint: {
        const std::string step_dir = op.a + "/" + StepName(op.step);
        const std::string manifest = step_dir + "/MANIFEST.json";
        Resolution r = Resolve(model_, step_dir);
        if (r.ancestor_file) expected.insert(Code::kNotDirectory);
        if (r.node) expected.insert(Code::kAlreadyExists);
        std::vector<std::string> paths;
        for (const auto& it : op.items) paths.push_back(step_dir + "/" + it.path);
        paths.push_back(manifest);
        evs.push_back(
            {"checkpoint", step_dir, "",
             "step=" + std::to_string(op.step) + " files=" + std::to_string(op.items.size()), true,
             0});
        evs.push_back(
            {"publish", CommonDir(paths), "", "files=" + std::to_string(paths.size()), true, 0});
        for (size_t i = 0; i < paths.size(); ++i) {
          AddMissingDirs(&after, paths[i], 0, &evs);
          evs.push_back({"create", paths[i], "", "", false, 0});
          MNode f;
          f.kind = FileKind::kFile;
          f.generation = 1;
          if (i < op.items.size()) {
            f.body = op.items[i].body;
            f.token = op.items[i].token;
          }
          after[paths[i]] = f;
        }
        std::vector<PublishItem> shards;
        for (const auto& it : op.items) shards.push_back(MakeItem(it.path, *it.body));
        auto res = ns_->PublishCheckpoint(Spell(op.a), op.step, std::move(shards), {});
        status = res.status();
        if (!res.ok()) break;
        version = res->version;
        checkpoint = *res;
        EXPECT_EQ(res->run_dir, op.a);
        EXPECT_EQ(res->step, op.step);
        EXPECT_EQ(res->path, step_dir);
        EXPECT_EQ(res->manifest_path, manifest);
        EXPECT_TRUE(res->complete) << res->problem;
        uint64_t total = 0;
        EXPECT_EQ(res->shards.size(), op.items.size());
        for (size_t i = 0; i < op.items.size() && i < res->shards.size(); ++i) {
          EXPECT_EQ(res->shards[i].path, paths[i]);
          EXPECT_EQ(res->shards[i].generation, 1u);
          EXPECT_EQ(res->shards[i].size, op.items[i].body->size());
          EXPECT_EQ(res->shards[i].sha256_hex, Sha256Hex(*op.items[i].body));
          total += op.items[i].body->size();
        }
        EXPECT_EQ(res->total_bytes, total);
        // The manifest's bytes are nokv's to choose: adopt them (they are
        // compared from now on) after checking they name every shard.
        auto body = ReadWholeFile(*ns_, manifest, version);
        ASSERT_TRUE(body.ok()) << "read " << manifest << ": " << body.status().ToString();
        for (size_t i = 0; i < op.items.size(); ++i) {
          EXPECT_NE(body->find(Sha256Hex(*op.items[i].body)), std::string::npos)
              << "the manifest does not name shard " << paths[i];
        }
        after[manifest].body = std::make_shared<const std::string>(*body);
        after[manifest].token = next_token_++;
        break;
      }
      default:
        FAIL() << "not a time operation";
    }
    auto& st = stats_[op.kind];
    (status.ok() ? st.first : st.second)++;
    if (expected.empty()) {
      ASSERT_TRUE(status.ok()) << "expected success, got " << status.ToString();
    } else {
      ASSERT_FALSE(status.ok()) << "expected failure (" << CodesString(expected)
                                << "), but it succeeded at version " << version;
      EXPECT_TRUE(expected.count(status.code()))
          << "expected " << CodesString(expected) << ", got " << status.ToString();
      EXPECT_FALSE(status.message().empty()) << "error without a message";
    }
    if (status.ok() && op.kind == Op::kRollback && version == last) {
      // Nothing to restore: no commit, hence no event.
      EXPECT_TRUE(SameTree(after, model_)) << "a rollback that changes the tree did not commit";
      evs.clear();
    } else if (status.ok()) {
      EXPECT_GT(version, last) << "a time operation must commit at a new version";
    }
    if (status.ok()) {
      EXPECT_GE(ns_->LastVersion(), version);
      if (op.kind == Op::kRollback) {
        for (auto& e : evs) e.check_detail = e.type == "rollback";
      }
      for (auto& e : evs) {
        e.version = version;
        events_.push_back(std::move(e));
      }
      model_ = std::move(after);
    }
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    const uint64_t now = ns_->LastVersion();
    if (status.ok() && version > last) snapshots_[version] = model_;
    if (now > last) snapshots_[now] = model_;
    if (!status.ok()) return;
    if (op.kind == Op::kSnapCreate) {
      LiveSnap snap;
      snap.name = op.name;
      snap.root = op.a;
      snap.version = version;
      snap.full = model_;
      ASSERT_NO_FATAL_FAILURE(ReadSnapshot(snap.name, snap.root, &snap.read));
      // What it reads is the model's subtree at the root.
      std::vector<std::string> want = SubtreeOf(model_, op.a);
      if (op.a == "/") want.push_back("/");
      ASSERT_EQ(snap.read.size(), want.size()) << "snapshot " << op.name << " of " << op.a;
      for (const auto& p : want) {
        SCOPED_TRACE("path " + p + " in snapshot " + op.name);
        ASSERT_TRUE(snap.read.count(p));
        const SnapRead& got = snap.read.at(p);
        if (p == "/") {
          EXPECT_EQ(got.ino, kRootInode);
          continue;
        }
        const MNode& n = model_.at(p);
        ASSERT_EQ(got.kind, n.kind);
        EXPECT_EQ(got.ino, n.ino);
        EXPECT_EQ(got.generation, n.generation);
        if (n.kind == FileKind::kFile) {
          EXPECT_TRUE(got.bytes == *n.body) << "bytes differ";
        }
      }
      live_snaps_[op.name] = std::move(snap);
    } else if (op.kind == Op::kSnapDrop) {
      const std::string root = live_snaps_.at(op.name).root;
      live_snaps_.erase(op.name);
      EXPECT_CODE(ns_->GetSnapshot(op.name), Code::kNotFound);
      EXPECT_CODE(ns_->Stat(root, ReadOptions{0, op.name, 0}), Code::kNotFound);
    } else if (op.kind == Op::kCheckpoint) {
      ASSERT_OK_AND_ASSIGN(auto list, ns_->ListCheckpoints(op.a, ReadOptions{}));
      bool found = false;
      for (const auto& c : list) {
        if (c.step != op.step) continue;
        found = true;
        EXPECT_TRUE(c.complete) << c.problem;
        EXPECT_EQ(c.version, version);
        ASSERT_EQ(c.shards.size(), checkpoint->shards.size());
        for (size_t i = 0; i < c.shards.size(); ++i) {
          EXPECT_EQ(c.shards[i].path, checkpoint->shards[i].path);
          EXPECT_EQ(c.shards[i].sha256_hex, checkpoint->shards[i].sha256_hex);
        }
      }
      EXPECT_TRUE(found) << "ListCheckpoints does not list step " << op.step;
      // Publishing the same step again fails and changes nothing.
      std::vector<PublishItem> again;
      again.push_back(MakeItem("again", "x"));
      EXPECT_CODE(ns_->PublishCheckpoint(op.a, op.step, std::move(again), {}),
                  Code::kAlreadyExists);
      EXPECT_EQ(ns_->LastVersion(), now);
    }
  }

  static std::string StepName(uint64_t step) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "step-%010llu", static_cast<unsigned long long>(step));
    return buf;
  }

  // Clone: the model of a live or snapshot source copied to op.b.
  void ModelClone(const Op& op, Model* after, Codes* errs) {
    if (op.name.empty()) {
      Op cp = op;
      cp.kind = Op::kCopy;
      *errs = ApplyToModel(model_, cp, after);
      if (errs->empty()) {
        for (const auto& p : SubtreeOf(*after, op.b)) {
          MNode& n = after->at(p);
          if (n.kind == FileKind::kFile) n.generation = 1;  // a fresh inode's first generation
        }
      }
      return;
    }
    const LiveSnap& snap = live_snaps_.at(op.name);
    if (!SameOrBelow(op.a, snap.root)) {
      errs->insert(Code::kInvalidArgument);
      return;
    }
    Resolution rs = Resolve(snap.full, op.a);
    Resolution rd = Resolve(model_, op.b);
    if (op.a != "/" && !rs.node) errs->insert({Code::kNotFound, Code::kNotDirectory});
    if (op.b == "/" || rd.node) errs->insert(Code::kAlreadyExists);
    if (rd.ancestor_file) errs->insert({Code::kNotDirectory, Code::kNotFound});
    if (rd.parent_missing) errs->insert(Code::kNotFound);
    if (!errs->empty()) return;
    if (op.a == "/") (*after)[op.b].kind = FileKind::kDirectory;
    for (const auto& p : SubtreeOf(snap.full, op.a)) {
      MNode n = snap.full.at(p);
      n.ino = 0;
      if (n.kind == FileKind::kFile) n.generation = 1;
      (*after)[op.a == "/" ? op.b + p : op.b + p.substr(op.a.size())] = n;
    }
  }

  // Rollback of `path` (inside the snapshot's root) to the snapshot.
  void ModelRollback(const LiveSnap& snap, const std::string& path, Model* after,
                     std::vector<Ev>* evs, Codes* errs) {
    Resolution rsn = Resolve(snap.full, path);
    const bool present = path == "/" || rsn.node != nullptr;
    if (!present) {
      // Absent from the snapshot: absent after the rollback.
      // The rollback event, then one remove per entry, the path first.
      evs->push_back({"rollback", path, "", snap.name, true, 0});
      Resolution rl = Resolve(model_, path);
      if (rl.node) {
        for (const auto& p : Subtree(model_, path)) {
          after->erase(p);
          evs->push_back({"remove", p, "", "", false, 0});
        }
      }
      return;
    }
    for (const auto& a : Ancestors(path)) {
      const MNode* n = Find(*after, a);
      if (n && n->kind == FileKind::kFile) {
        errs->insert(Code::kNotDirectory);
        return;
      }
    }
    AddMissingDirs(after, path, 0, evs);
    // Live inodes of the subtree are kept: first where the snapshot has the
    // same inode (same kind), then the live entry of the same kind at the
    // same place (the restored parent's live path plus the name).
    std::map<uint64_t, std::string> live_inos;
    for (const auto& p : SubtreeOf(model_, path)) live_inos[model_.at(p).ino] = p;
    const std::vector<std::string> snap_paths = SubtreeOf(snap.full, path);
    std::set<uint64_t> claimed;
    for (const auto& p : snap_paths) {
      const MNode& n = snap.full.at(p);
      auto it = live_inos.find(n.ino);
      if (it != live_inos.end() && model_.at(it->second).kind == n.kind) claimed.insert(n.ino);
    }
    for (const auto& p : SubtreeOf(model_, path)) after->erase(p);
    std::map<std::string, std::string> live_path_of;  // snapshot path -> kept live path
    live_path_of["/"] = "/";                          // the root is never replaced
    for (const auto& p : snap_paths) {
      MNode n = snap.full.at(p);
      std::string live_path;
      auto it = live_inos.find(n.ino);
      if (it != live_inos.end() && model_.at(it->second).kind == n.kind) {
        live_path = it->second;
      } else {
        std::string candidate;
        if (p == path) {
          candidate = path;
        } else if (auto parent = live_path_of.find(ParentPath(p)); parent != live_path_of.end()) {
          candidate = JoinPath(parent->second, p.substr(p.rfind('/') + 1));
        }
        auto live = candidate.empty() ? model_.end() : model_.find(candidate);
        if (live != model_.end() && live->second.kind == n.kind &&
            claimed.count(live->second.ino) == 0) {
          live_path = candidate;
          claimed.insert(live->second.ino);
        }
      }
      if (!live_path.empty()) {
        const MNode& live = model_.at(live_path);
        live_path_of[p] = live_path;
        n.ino = live.ino;
        if (n.kind == FileKind::kFile) {
          n.generation = live.token == n.token ? live.generation : live.generation + 1;
        }
      } else {
        n.ino = 0;  // a fresh inode, observed at the next comparison
        if (n.kind == FileKind::kFile) n.generation = 1;
      }
      (*after)[p] = n;
    }
    // The rollback event, then one event per path the rollback changed, as
    // a user sees the tree: removals first, then what came back or changed.
    evs->push_back({"rollback", path, "", snap.name, true, 0});
    for (const auto& p : SubtreeOf(model_, path)) {
      const MNode* now = Find(*after, p);
      if (now == nullptr || now->kind != model_.at(p).kind) {
        evs->push_back({"remove", p, "", "", false, 0});
      }
    }
    for (const auto& p : SubtreeOf(*after, path)) {
      const MNode& n = after->at(p);
      const MNode* was = Find(model_, p);
      const bool same_kind = was != nullptr && was->kind == n.kind;
      if (n.kind == FileKind::kDirectory) {
        if (!same_kind) evs->push_back({"mkdir", p, "", "", false, 0});
      } else if (!same_kind) {
        evs->push_back({"create", p, "", "", false, 0});
      } else if (was->token != n.token) {
        evs->push_back({"replace", p, "", "", false, 0});
      }
    }
  }

  // GC with no history retention, in small steps, until it reports finished;
  // then the block store must hold exactly the blocks still referenced.
  void RunGc(const Op& op) {
    GcOptions o;
    o.history_retention_seconds = 0;
    o.step_budget = op.budget;
    o.max_steps = op.max_steps;
    const uint64_t last = ns_->LastVersion();
    const size_t files_before = StoredKeys().size();
    uint64_t blocks_deleted = 0;
    for (int runs = 1;; ++runs) {
      auto r = ns_->CollectGarbage(o);
      ASSERT_TRUE(r.ok()) << "gc: " << r.status().ToString();
      if (runs == 1) {
        EXPECT_EQ(r->floor_version, last) << "with no retention the floor is the newest version";
      }
      EXPECT_EQ(r->snapshots_expired, 0u);
      EXPECT_EQ(r->delete_failures, 0u) << r->last_error;
      if (o.max_steps != 0) {
        EXPECT_LE(r->steps, o.max_steps);
      }
      blocks_deleted += r->blocks_deleted;
      if (r->finished) break;
      ASSERT_NE(o.max_steps, 0u) << "gc without max_steps returned unfinished";
      ASSERT_LT(runs, 300) << "gc with max_steps=" << o.max_steps << " and step_budget "
                           << o.step_budget << " is still unfinished after " << runs
                           << " runs: resumed runs make no progress";
    }
    floor_ = last;
    ++gc_checks_;
    EXPECT_EQ(ns_->LastVersion(), last) << "gc changed the namespace version";
    const size_t files_after = StoredKeys().size();
    EXPECT_EQ(files_before - std::min(files_before, files_after), blocks_deleted)
        << "blocks_deleted does not match the objects that left the store";
    ASSERT_NO_FATAL_FAILURE(Compare(0, model_, true));
    ASSERT_NO_FATAL_FAILURE(CheckSnapshots(true));
    ASSERT_NO_FATAL_FAILURE(CheckBlocks());
    ASSERT_OK_AND_ASSIGN(FsckReport fsck, ns_->Fsck(false));
    std::string issues;
    for (const auto& i : fsck.issues) issues += i.kind + ": " + i.detail + "\n";
    EXPECT_TRUE(fsck.clean()) << issues;
    EXPECT_EQ(fsck.orphan_objects, 0u);
    // Nothing is left to free.
    GcOptions again;
    again.history_retention_seconds = 0;
    ASSERT_OK_AND_ASSIGN(GcReport second, ns_->CollectGarbage(again));
    EXPECT_EQ(second.bodies_freed, 0u);
    EXPECT_EQ(second.blocks_deleted, 0u);
    EXPECT_TRUE(second.finished);
  }

  // The block store holds exactly the blocks of the bodies that the live tree
  // and the whole tree at every live snapshot's version reference (a snapshot
  // pins its version).
  std::vector<std::string> StoredKeys() const { return ListStoredObjects(dir_.path()); }

  void CheckBlocks() {
    std::set<std::string> want;
    DumpOptions d;
    d.read_bodies = false;
    ASSERT_OK_AND_ASSIGN(Tree live, DumpTree(*ns_, d));
    AddBlockKeys(live, &want);
    for (const auto& [name, snap] : live_snaps_) {
      d.version = snap.version;
      auto t = DumpTree(*ns_, d);
      ASSERT_TRUE(t.ok()) << "walk at snapshot " << name << " (version " << snap.version
                          << "): " << t.status().ToString();
      AddBlockKeys(*t, &want);
    }
    std::vector<std::string> have = StoredKeys();
    std::vector<std::string> leaked, missing;
    std::set<std::string> have_set(have.begin(), have.end());
    for (const auto& f : have) {
      if (!want.count(f)) leaked.push_back(f);
    }
    for (const auto& f : want) {
      if (!have_set.count(f)) missing.push_back(f);
    }
    EXPECT_TRUE(leaked.empty()) << leaked.size() << " of " << have.size()
                                << " objects in the block store are referenced by nothing "
                                   "live or snapshotted, e.g. "
                                << leaked.front();
    EXPECT_TRUE(missing.empty()) << missing.size() << " of " << want.size()
                                 << " referenced blocks are missing, e.g. " << missing.front();
    blocks_checked_ += want.size();
  }

  // Every live snapshot is listed and reads what it read when it was taken;
  // with `full`, the whole tree at its version is compared with the model.
  void CheckSnapshots(bool full) {
    ASSERT_OK_AND_ASSIGN(auto list, ns_->ListSnapshots());
    std::set<std::string> listed;
    for (const auto& s : list) {
      listed.insert(s.name);
      auto it = live_snaps_.find(s.name);
      if (it == live_snaps_.end()) {
        ADD_FAILURE() << "ListSnapshots shows " << s.name << ", which was dropped";
        continue;
      }
      EXPECT_EQ(s.path, it->second.root);
      EXPECT_EQ(s.version, it->second.version);
    }
    EXPECT_EQ(listed.size(), live_snaps_.size());
    for (const auto& [name, snap] : live_snaps_) {
      SCOPED_TRACE("snapshot " + name + " of " + snap.root + " at version " +
                   std::to_string(snap.version));
      ASSERT_OK_AND_ASSIGN(SnapshotInfo info, ns_->GetSnapshot(name));
      EXPECT_EQ(info.path, snap.root);
      EXPECT_EQ(info.version, snap.version);
      std::map<std::string, SnapRead> now;
      ASSERT_NO_FATAL_FAILURE(ReadSnapshot(name, snap.root, &now));
      ASSERT_EQ(now.size(), snap.read.size()) << "the snapshot lists other paths than at creation";
      for (const auto& [p, r] : snap.read) {
        auto it = now.find(p);
        ASSERT_TRUE(it != now.end()) << p << " vanished from the snapshot";
        EXPECT_EQ(it->second.kind, r.kind) << p;
        EXPECT_EQ(it->second.ino, r.ino) << p;
        EXPECT_EQ(it->second.generation, r.generation) << p;
        EXPECT_TRUE(it->second.bytes == r.bytes) << p << " reads other bytes than at creation";
      }
      if (snap.root != "/") {
        EXPECT_CODE(ns_->Stat("/", ReadOptions{0, name, 0}), Code::kInvalidArgument);
      }
      if (full) {
        SCOPED_TRACE("whole tree at the snapshot's version");
        ASSERT_NO_FATAL_FAILURE(Compare(snap.version, live_snaps_.at(name).full, false));
      }
      ++snapshot_checks_;
    }
  }

  // Walks `path` at a snapshot with List/Stat/OpenFile{snapshot}.
  void ReadSnapshot(const std::string& name, const std::string& path,
                    std::map<std::string, SnapRead>* out) {
    ReadOptions ro;
    ro.snapshot = name;
    auto info = ns_->Stat(path, ro);
    ASSERT_TRUE(info.ok()) << "stat " << path << " at snapshot " << name << ": "
                           << info.status().ToString();
    SnapRead r;
    r.kind = info->kind;
    r.ino = info->ino;
    r.generation = info->generation;
    if (info->kind == FileKind::kFile) {
      auto reader = ns_->OpenFile(path, ro);
      ASSERT_TRUE(reader.ok()) << "open " << path << " at snapshot " << name << ": "
                               << reader.status().ToString();
      ASSERT_OK((*reader)->ReadAll([&](std::string_view chunk) {
        r.bytes.append(chunk);
        return Status::OK();
      }));
      EXPECT_EQ(Sha256Hex(r.bytes), info->sha256_hex) << path;
      (*out)[path] = std::move(r);
      return;
    }
    (*out)[path] = std::move(r);
    ListOptions lo;
    lo.snapshot = name;
    lo.limit = 1 + rng_.Uniform(4);
    std::vector<DirEntry> entries;
    for (;;) {
      auto page = ns_->List(path, lo);
      ASSERT_TRUE(page.ok()) << "list " << path << " at snapshot " << name << ": "
                             << page.status().ToString();
      entries.insert(entries.end(), page->entries.begin(), page->entries.end());
      if (page->next_cursor.empty()) break;
      lo.cursor = page->next_cursor;
    }
    EXPECT_EQ(entries.size(), info->child_count) << path;
    for (const auto& e : entries) {
      ASSERT_NO_FATAL_FAILURE(ReadSnapshot(name, JoinPath(path, e.name), out));
    }
  }

  // ---- watch

  void TakeCursor() {
    WatchOptions o;
    o.from_now = true;
    ASSERT_OK_AND_ASSIGN(WatchPage page, ns_->Watch("/", o));
    EXPECT_TRUE(page.events.empty());
    EXPECT_FALSE(page.more);
    ASSERT_FALSE(page.next_cursor.empty());
    cursors_.emplace_back(page.next_cursor, events_.size());
  }

  std::vector<WatchEvent> ReadEvents(const std::string& cursor, std::string* next) {
    static const size_t kLimits[] = {1, 3, 50, 1000};
    WatchOptions o;
    o.cursor = cursor;
    o.limit = kLimits[rng_.Uniform(4)];
    std::vector<WatchEvent> got;
    for (int pages = 0;; ++pages) {
      auto page = ns_->Watch("/", o);
      EXPECT_TRUE(page.ok()) << "watch: " << page.status().ToString();
      if (!page.ok()) break;
      EXPECT_LE(page->events.size(), o.limit);
      got.insert(got.end(), page->events.begin(), page->events.end());
      EXPECT_FALSE(page->next_cursor.empty());
      o.cursor = page->next_cursor;
      if (!page->more) break;
      if (pages > 1000000) {
        ADD_FAILURE() << "watch does not terminate";
        break;
      }
    }
    if (next != nullptr) *next = o.cursor;
    return got;
  }

  // Replays the watch log from a cursor; it must be exactly the model's
  // events since the cursor was taken.
  void CheckReplay(const std::pair<std::string, size_t>& c) {
    std::string next;
    std::vector<WatchEvent> got = ReadEvents(c.first, &next);
    ASSERT_FALSE(::testing::Test::HasFailure());
    std::vector<std::string> want_s, got_s;
    for (size_t i = c.second; i < events_.size(); ++i) {
      const Ev& e = events_[i];
      want_s.push_back(EvString(e.type, e.path, e.from, e.check_detail ? e.detail : "", e.version));
    }
    for (size_t i = 0; i < got.size(); ++i) {
      const WatchEvent& w = got[i];
      size_t k = c.second + i;
      bool detail = k < events_.size() && events_[k].check_detail;
      got_s.push_back(EvString(w.type, w.path, w.from_path, detail ? w.detail : "", w.version));
    }
    size_t diff = 0;
    while (diff < want_s.size() && diff < got_s.size() && want_s[diff] == got_s[diff]) ++diff;
    if (diff != want_s.size() || diff != got_s.size()) {
      std::ostringstream os;
      os << "watch replay from a cursor taken after " << c.second << " events: want "
         << want_s.size() << " events, got " << got_s.size() << "; first difference at #" << diff
         << "\n";
      for (size_t i = diff > 3 ? diff - 3 : 0; i < diff + 4; ++i) {
        os << "  #" << i << " want: " << (i < want_s.size() ? want_s[i] : "-")
           << "\n       got:  " << (i < got_s.size() ? got_s[i] : "-") << "\n";
      }
      FAIL() << os.str();
    }
    ++replays_;
    replayed_events_ += got.size();
    // Nothing after the last cursor; resuming after any event replays the rest.
    EXPECT_TRUE(ReadEvents(next, nullptr).empty()) << "events after the final cursor";
    if (!got.empty()) {
      size_t k = rng_.Uniform(got.size());
      std::vector<WatchEvent> rest = ReadEvents(got[k].cursor, nullptr);
      ASSERT_EQ(rest.size(), got.size() - k - 1) << "resuming after event #" << k;
      for (size_t i = 0; i < rest.size(); ++i) {
        EXPECT_EQ(rest[i].version, got[k + 1 + i].version);
        EXPECT_EQ(rest[i].type, got[k + 1 + i].type);
        EXPECT_EQ(rest[i].path, got[k + 1 + i].path);
        EXPECT_EQ(rest[i].cursor, got[k + 1 + i].cursor);
      }
    }
  }

  // A publish's body is one body in nokv wherever copies, clones and
  // rollbacks put it, and distinct publishes never share one.
  void CheckBodyIdentity(uint64_t token, uint64_t body_id, const std::string& path) {
    auto [it, fresh] = token_body_.emplace(token, body_id);
    EXPECT_EQ(it->second, body_id) << path << " does not share the body it was cloned from";
    auto [jt, fresh2] = body_token_.emplace(body_id, token);
    EXPECT_EQ(jt->second, token) << path << ": two different publishes share body " << body_id;
  }

  static bool SameTree(const Model& a, const Model& b) {
    if (a.size() != b.size()) return false;
    for (const auto& [p, n] : a) {
      auto it = b.find(p);
      if (it == b.end()) return false;
      const MNode& m = it->second;
      if (n.kind != m.kind || n.ino != m.ino || n.generation != m.generation ||
          n.token != m.token) {
        return false;
      }
    }
    return true;
  }

  bool PinnedVersion(uint64_t v) const {
    for (const auto& [name, snap] : live_snaps_) {
      if (snap.version == v) return true;
    }
    return false;
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
      if (mn.token != 0) CheckBodyIdentity(mn.token, fi.body_id, p);
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
      // Mostly versions GC kept readable; sometimes one below the floor.
      uint64_t v = rng_.Range(rng_.Percent(70) ? std::max(lo, std::min(floor_, hi)) : lo, hi);
      if (v < floor_ && !PinnedVersion(v)) {
        EXPECT_CODE(ns_->Stat("/", ReadOptions{v, "", 0}), Code::kExpired)
            << "version " << v << " is below the GC floor " << floor_ << " and no snapshot pins it";
        ++expired_checks_;
        continue;
      }
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
  // Time features.
  std::map<std::string, LiveSnap> live_snaps_;
  std::vector<Ev> events_;                               // every event since creation
  std::vector<std::pair<std::string, size_t>> cursors_;  // cursor, events_ index
  uint64_t floor_ = 0;                                   // GC floor
  uint64_t next_token_ = 1;
  uint64_t snap_counter_ = 0;
  std::map<uint64_t, uint64_t> token_body_, body_token_;
  uint64_t expired_checks_ = 0, snapshot_checks_ = 0, blocks_checked_ = 0, gc_checks_ = 0;
  uint64_t replays_ = 0, replayed_events_ = 0;
};

#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kDefaultSteps = 800;  // sanitizer builds run several times slower
#else
constexpr uint64_t kDefaultSteps = 1500;
#endif

TEST(ModelTest, RandomOperationsMatchModel) {
  int steps = static_cast<int>(EnvU64("NOKV_MODEL_STEPS", kDefaultSteps));
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
