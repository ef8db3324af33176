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
// Bodies: a header line naming the publish, then pseudo-random bytes; sizes
// from 0 to ~600 KiB with 64 KiB blocks, so kills often land mid-upload.
// Exit codes: 2 bad usage or open failed, 3 a publish failed.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
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

int Main(int argc, char** argv) {
  if (argc != 4) Fail(2, "usage: nokv_crash_writer DATA_DIR SEED MODE");
  std::string data_dir = argv[1];
  uint64_t seed = std::strtoull(argv[2], nullptr, 10);
  std::string mode = argv[3];
  if (mode != "mixed" && mode != "sets" && mode != "replace" && mode != "hold") {
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
  Writer(**ns, seed).Run(mode);
  return 0;
}

}  // namespace
}  // namespace nokv::test

int main(int argc, char** argv) { return nokv::test::Main(argc, argv); }
