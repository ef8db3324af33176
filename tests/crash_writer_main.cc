// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// nokv_crash_writer DATA_DIR SEED MODE
//
// Publishes in a loop until killed, for tests/crash_test.cc. Every path it
// writes lives under /w<SEED>/, so distinct seeds never share paths.
// Protocol on stdout, one line per write(2), each line written completely:
//   OPENED <pid> <last_version>            after the namespace opened
//   INTENT <path> <sha256>                 before a publish starts (all items
//                                          of one publish in one write)
//   ACK <path> <generation> <sha256> <version> <size>
//                                          after Publish returned OK (all items
//                                          of one publish in one write)
//   HELD                                   mode "hold": the namespace is open
// Modes:
//   mixed    single files, 3-file sets and replaces
//   sets     mostly 3-file sets
//   replace  mostly replaces (GenerationEquals) of files written earlier
//   hold     publish /held/<SEED>, print HELD, keep the data dir open until
//            stdin reaches EOF, then exit 0
// Time modes keep a small tree /w<SEED>/base (files f<k>) and snapshots of
// it, and run in a loop:
//   clone       replaces in base; clones of base (live or from a snapshot)
//               to /w<SEED>/c<i>
//   rollback    replaces, additions and removals in base; rollbacks of base
//               to one of its snapshots
//   checkpoint  checkpoints of 1-3 shards under /w<SEED>/run (and a
//               republish of an existing step, which must fail)
//   gc          replaces, removals, snapshot creates and drops, rollbacks
//               and many GC runs with no history retention and a step
//               budget of 1-4 entries
// (each time mode also runs GC now and then). Their protocol describes the
// files of a subtree as a state: "-" when it does not exist, otherwise
// "=" followed by rel=sha256 pairs joined by ',' (sorted by rel; checkpoint
// states leave out MANIFEST.json):
//   TINTENT <dir> <state>                 before an operation that should
//                                         leave <dir> in <state>
//   TACK <dir> <version> <state>          after it returned OK
//   SNAPINTENT <name> / SNAP <name> <version> <dir> <state>
//   DROPINTENT <name> / DROP <name>
//   GCSTART / GCDONE <bodies_freed>
// Bodies: a header line naming the publish, then pseudo-random bytes; sizes
// from 0 to ~600 KiB with 64 KiB blocks, so kills often land mid-upload.
// Exit codes: 2 bad usage or open failed, 3 a publish failed.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "nokv/namespace.h"
#include "test_util.h"

namespace nokv::test {
namespace {

void Emit(const std::string& text) {
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(1, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::_Exit(4);
    }
    off += static_cast<size_t>(n);
  }
}

[[noreturn]] void Fail(int code, const std::string& what) {
  std::fprintf(stderr, "nokv_crash_writer: %s\n", what.c_str());
  std::fflush(stderr);
  std::_Exit(code);
}

std::string Body(Rng& rng, const std::string& header) {
  uint64_t r = rng.Uniform(100);
  uint64_t size;
  if (r < 35) {
    size = rng.Range(0, kCrashInlineThreshold);
  } else if (r < 75) {
    size = rng.Range(kCrashInlineThreshold + 1, 200 * 1024);
  } else {
    size = rng.Range(200 * 1024, 600 * 1024);
  }
  std::string body = header;
  if (size > body.size()) body += rng.Bytes(size - body.size());
  return body;
}

struct Pending {
  std::string path;
  std::string body;
  std::string sha;
  Precondition pre;
};

class Writer {
 public:
  Writer(Namespace& ns, uint64_t seed) : ns_(ns), seed_(seed), rng_(seed) {}

  void Run(const std::string& mode) {
    for (uint64_t i = 0;; ++i) {
      uint64_t r = rng_.Uniform(100);
      if (mode == "sets") {
        r < 80 ? Set(i) : Single(i);
      } else if (mode == "replace") {
        r < 70 ? Replace(i) : Single(i);
      } else {
        r < 40 ? Single(i) : r < 70 ? Set(i) : Replace(i);
      }
    }
  }

 private:
  std::string Dir() const { return "/w" + std::to_string(seed_); }

  void Single(uint64_t i) {
    std::string path = Dir() + "/f" + std::to_string(i);
    Publish({Make(path, "FILE " + path + " gen 1\n", Precondition::Absent())}, true);
  }

  void Replace(uint64_t i) {
    if (singles_.empty()) return Single(i);
    size_t k = rng_.Uniform(singles_.size());
    auto& [path, gen] = singles_[k];
    std::string header = "FILE " + path + " gen " + std::to_string(gen + 1) + "\n";
    Publish({Make(path, header, Precondition::GenerationEquals(gen))}, false);
  }

  void Set(uint64_t i) {
    std::string id = std::to_string(seed_) + "-" + std::to_string(i);
    std::string dir = Dir() + "/set" + std::to_string(i);
    std::vector<Pending> items;
    for (int k = 0; k < 3; ++k) {
      std::string header = "SET " + id + " part " + std::to_string(k) + " of 3\n";
      items.push_back(Make(dir + "/part" + std::to_string(k), header, Precondition::Absent()));
    }
    Publish(std::move(items), false);
  }

  Pending Make(std::string path, const std::string& header, Precondition pre) {
    Pending p;
    p.path = std::move(path);
    p.body = Body(rng_, header);
    p.sha = Sha256Hex(p.body);
    p.pre = pre;
    return p;
  }

  void Publish(std::vector<Pending> pending, bool new_single) {
    std::string intents;
    std::vector<PublishItem> items;
    for (auto& p : pending) {
      intents += "INTENT " + p.path + " " + p.sha + "\n";
      items.push_back(MakeItem(p.path, p.body, p.pre));
    }
    Emit(intents);
    auto r = ns_.Publish(std::move(items), {});
    if (!r.ok()) Fail(3, "publish " + pending[0].path + ": " + r.status().ToString());
    if (r->files.size() != pending.size()) Fail(3, "publish returned a wrong number of files");
    std::string acks;
    for (size_t k = 0; k < pending.size(); ++k) {
      const FileInfo& fi = r->files[k];
      if (fi.sha256_hex != pending[k].sha) Fail(3, "publish reported a wrong sha256");
      acks += "ACK " + pending[k].path + " " + std::to_string(fi.generation) + " " +
              pending[k].sha + " " + std::to_string(r->version) + " " +
              std::to_string(pending[k].body.size()) + "\n";
      if (pending[k].pre.kind == Precondition::Kind::kGenerationEquals) {
        for (auto& s : singles_) {
          if (s.first == pending[k].path) s.second = fi.generation;
        }
      }
    }
    Emit(acks);
    if (new_single) singles_.emplace_back(pending[0].path, r->files[0].generation);
  }

  Namespace& ns_;
  uint64_t seed_;
  Rng rng_;
  std::vector<std::pair<std::string, uint64_t>> singles_;  // path, generation
};

using State = std::map<std::string, std::string>;  // rel -> sha256

std::string StateString(const State& state) {
  std::string out = "=";
  for (const auto& [rel, sha] : state) {
    if (out.size() > 1) out += ",";
    out += rel + "=" + sha;
  }
  return out;
}

class TimeWriter {
 public:
  TimeWriter(Namespace& ns, uint64_t seed) : ns_(ns), seed_(seed), rng_(seed) {}

  void Run(const std::string& mode) {
    Setup();
    for (uint64_t i = 0;; ++i) {
      uint64_t r = rng_.Uniform(100);
      if (mode == "clone") {
        r < 40 ? Replace() : r < 85 ? Clone(i) : r < 90 ? Snapshot() : Gc();
      } else if (mode == "rollback") {
        r < 35   ? Replace()
        : r < 50 ? RemoveOne()
        : r < 80 ? Rollback()
        : r < 90 ? Snapshot()
                 : Gc();
      } else if (mode == "checkpoint") {
        r < 80 ? Checkpoint() : r < 90 ? Replace() : Gc();
      } else {  // gc
        if (r < 35) {
          Replace();
        } else if (r < 45) {
          RemoveOne();
        } else if (r < 55) {
          Snapshot();
        } else if (r < 63) {
          Drop();
        } else if (r < 68) {
          Rollback();
        } else {
          Gc();
        }
      }
    }
  }

 private:
  std::string Dir() const { return "/w" + std::to_string(seed_); }
  std::string Base() const { return Dir() + "/base"; }

  void Setup() {
    std::vector<Pending> items;
    State next;
    for (int k = 0; k < 3; ++k) {
      std::string rel = "f" + std::to_string(next_file_++);
      std::string path = Base() + "/" + rel;
      items.push_back(MakePending(path, "FILE " + path + " setup\n"));
      next[rel] = items.back().sha;
    }
    Emit("TINTENT " + Base() + " " + StateString(next) + "\n");
    std::vector<PublishItem> publish;
    for (auto& p : items) publish.push_back(MakeItem(p.path, p.body));
    auto r = ns_.Publish(std::move(publish), {});
    if (!r.ok()) Fail(3, "publish " + Base() + ": " + r.status().ToString());
    base_ = next;
    Ack(Base(), r->version, base_);
    Snapshot();
  }

  Pending MakePending(std::string path, const std::string& header) {
    Pending p;
    p.path = std::move(path);
    p.body = Body(rng_, header);
    p.sha = Sha256Hex(p.body);
    return p;
  }

  void Ack(const std::string& dir, uint64_t version, const State& state) {
    Emit("TACK " + dir + " " + std::to_string(version) + " " + StateString(state) + "\n");
  }

  // Replaces a file of base, or adds one.
  void Replace() {
    std::string rel;
    if (base_.empty() || rng_.OneIn(4)) {
      rel = "f" + std::to_string(next_file_++);
    } else {
      auto it = base_.begin();
      std::advance(it, rng_.Uniform(base_.size()));
      rel = it->first;
    }
    std::string path = Base() + "/" + rel;
    Pending p = MakePending(path, "FILE " + path + " op " + std::to_string(ops_++) + "\n");
    State next = base_;
    next[rel] = p.sha;
    Emit("TINTENT " + Base() + " " + StateString(next) + "\n");
    auto r = PublishString(ns_, path, p.body);
    if (!r.ok()) Fail(3, "publish " + path + ": " + r.status().ToString());
    base_ = next;
    Ack(Base(), r->version, base_);
  }

  void RemoveOne() {
    if (base_.size() < 2) return Replace();
    auto it = base_.begin();
    std::advance(it, rng_.Uniform(base_.size()));
    std::string path = Base() + "/" + it->first;
    State next = base_;
    next.erase(it->first);
    Emit("TINTENT " + Base() + " " + StateString(next) + "\n");
    auto r = ns_.Remove(path, false, Precondition::None(), {});
    if (!r.ok()) Fail(3, "remove " + path + ": " + r.status().ToString());
    base_ = next;
    Ack(Base(), r->version, base_);
  }

  void Snapshot() {
    std::string name = "s" + std::to_string(seed_) + "-" + std::to_string(next_snap_++);
    Emit("SNAPINTENT " + name + "\n");
    SnapshotOptions o;
    o.name = name;
    auto r = ns_.CreateSnapshot(Base(), o);
    if (!r.ok()) Fail(3, "snapshot " + Base() + ": " + r.status().ToString());
    snaps_[name] = base_;
    Emit("SNAP " + name + " " + std::to_string(r->version) + " " + Base() + " " +
         StateString(base_) + "\n");
  }

  void Drop() {
    if (snaps_.size() < 2) return Snapshot();
    auto it = snaps_.begin();
    std::advance(it, rng_.Uniform(snaps_.size()));
    const std::string name = it->first;
    Emit("DROPINTENT " + name + "\n");
    auto r = ns_.DropSnapshot(name);
    if (!r.ok()) Fail(3, "drop " + name + ": " + r.status().ToString());
    snaps_.erase(name);
    Emit("DROP " + name + "\n");
  }

  const std::string& PickSnapshot() {
    auto it = snaps_.begin();
    std::advance(it, rng_.Uniform(snaps_.size()));
    return it->first;
  }

  void Clone(uint64_t i) {
    std::string dst = Dir() + "/c" + std::to_string(i);
    ReadOptions source;
    State state = base_;
    if (rng_.OneIn(2)) {
      source.snapshot = PickSnapshot();
      state = snaps_.at(source.snapshot);
    }
    Emit("TINTENT " + dst + " " + StateString(state) + "\n");
    auto r = ns_.Clone(Base(), dst, source, {});
    if (!r.ok()) Fail(3, "clone " + Base() + " " + dst + ": " + r.status().ToString());
    Ack(dst, r->version, state);
  }

  void Rollback() {
    const std::string name = PickSnapshot();
    const State& state = snaps_.at(name);
    Emit("TINTENT " + Base() + " " + StateString(state) + "\n");
    auto r = ns_.Rollback(Base(), name, {});
    if (!r.ok()) Fail(3, "rollback " + Base() + " to " + name + ": " + r.status().ToString());
    base_ = state;
    Ack(Base(), r->version, base_);
  }

  void Checkpoint() {
    const std::string run = Dir() + "/run";
    if (step_ > 0 && rng_.OneIn(6)) {
      // A step that exists is never published again.
      uint64_t step = rng_.Range(1, step_);
      std::vector<PublishItem> again;
      again.push_back(MakeItem("shard0", "again"));
      auto r = ns_.PublishCheckpoint(run, step, std::move(again), {});
      if (r.ok() || r.status().code() != Code::kAlreadyExists) {
        Fail(3, "republishing step " + std::to_string(step) + " of " + run +
                    " did not fail with already_exists: " + r.status().ToString());
      }
      return;
    }
    const uint64_t step = ++step_;
    char name[32];
    std::snprintf(name, sizeof(name), "step-%010llu", static_cast<unsigned long long>(step));
    const std::string dir = run + "/" + name;
    size_t n = rng_.Range(1, 3);
    State state;
    std::vector<PublishItem> shards;
    for (size_t k = 0; k < n; ++k) {
      std::string rel = (rng_.OneIn(3) ? "opt/shard" : "shard") + std::to_string(k);
      Pending p = MakePending(dir + "/" + rel, "SHARD " + dir + "/" + rel + "\n");
      state[rel] = p.sha;
      shards.push_back(MakeItem(rel, p.body));
    }
    Emit("TINTENT " + dir + " " + StateString(state) + "\n");
    auto r = ns_.PublishCheckpoint(run, step, std::move(shards), {});
    if (!r.ok()) Fail(3, "checkpoint " + dir + ": " + r.status().ToString());
    if (r->path != dir) Fail(3, "checkpoint published at " + r->path + ", not " + dir);
    Ack(dir, r->version, state);
  }

  void Gc() {
    Emit("GCSTART\n");
    GcOptions o;
    o.history_retention_seconds = 0;
    o.step_budget = rng_.Range(1, 4);
    auto r = ns_.CollectGarbage(o);
    if (!r.ok()) Fail(3, "gc: " + r.status().ToString());
    if (!r->finished) Fail(3, "gc without max_steps did not finish");
    Emit("GCDONE " + std::to_string(r->bodies_freed) + "\n");
  }

  Namespace& ns_;
  uint64_t seed_;
  Rng rng_;
  State base_;
  std::map<std::string, State> snaps_;
  uint64_t next_file_ = 0, next_snap_ = 0, ops_ = 0, step_ = 0;
};

int Main(int argc, char** argv) {
  if (argc != 4) Fail(2, "usage: nokv_crash_writer DATA_DIR SEED MODE");
  std::string data_dir = argv[1];
  uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  std::string mode = argv[3];
  const bool time_mode =
      mode == "clone" || mode == "rollback" || mode == "checkpoint" || mode == "gc";
  if (mode != "mixed" && mode != "sets" && mode != "replace" && mode != "hold" && !time_mode) {
    Fail(2, "unknown mode " + mode);
  }
  auto ns = OpenNamespace(CrashWriterOptions(data_dir));
  if (!ns.ok()) Fail(2, "open " + data_dir + ": " + ns.status().ToString());
  Emit("OPENED " + std::to_string(::getpid()) + " " + std::to_string((*ns)->LastVersion()) + "\n");
  if (mode == "hold") {
    std::string path = "/held/" + std::to_string(seed);
    auto r = PublishString(**ns, path, "held by " + std::to_string(::getpid()));
    if (!r.ok()) Fail(3, "publish " + path + ": " + r.status().ToString());
    Emit("HELD\n");
    char buf[256];
    while (::read(0, buf, sizeof(buf)) > 0) {
    }
    ns->reset();
    return 0;
  }
  if (time_mode) {
    TimeWriter(**ns, seed).Run(mode);
    return 0;
  }
  Writer(**ns, seed).Run(mode);
  return 0;
}

}  // namespace
}  // namespace nokv::test

int main(int argc, char** argv) { return nokv::test::Main(argc, argv); }
