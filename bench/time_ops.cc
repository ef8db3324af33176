// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "time_ops.h"

#include <utility>

#include "baselines.h"
#include "nokv_ops.h"

namespace nokv::bench {

Measurement NokvCreateTree(Namespace& ns, const std::string& root, const TreeShape& shape,
                           const std::string& body) {
  return Time(static_cast<double>(shape.files()), [&] {
    for (uint64_t d = 0; d < shape.dirs; ++d) {
      NokvCreate(ns, root + "/" + DirName(d),
                 {shape.files_per_dir, shape.files_per_dir, body, /*sync=*/true});
    }
  });
}

Measurement NokvSnapshots(Namespace& ns, const std::string& path, uint64_t count,
                          const std::string& prefix) {
  SnapshotOptions options;
  return Time(static_cast<double>(count), [&] {
    for (uint64_t i = 0; i < count; ++i) {
      options.name = prefix + "-" + std::to_string(i);
      Check(ns.CreateSnapshot(path, options).status(), "snapshot " + path);
    }
  });
}

Measurement NokvReplay(Namespace& ns, const std::string& path, size_t limit,
                       std::vector<WatchEvent>* out) {
  WatchOptions options;
  options.limit = limit;
  uint64_t events = 0;
  Measurement m = Time(0, [&] {
    WatchPage page;
    do {
      page = Unwrap(ns.Watch(path, options), "watch " + path);
      events += page.events.size();
      if (out != nullptr) {
        for (WatchEvent& e : page.events) out->push_back(std::move(e));
      }
      options.cursor = std::move(page.next_cursor);
    } while (page.more);
  });
  m.ops = static_cast<double>(events);
  return m;
}

std::string EventJson(const WatchEvent& e) {
  auto number = [](uint64_t v) { return std::to_string(v); };
  return "{\"type\":" + JsonString(e.type) + ",\"version\":" + number(e.version) +
         ",\"cursor\":" + JsonString(e.cursor) + ",\"time_ns\":" + std::to_string(e.time_ns) +
         ",\"path\":" + JsonString(e.path) + ",\"from_path\":" + JsonString(e.from_path) +
         ",\"ino\":" + number(e.ino) +
         ",\"kind\":" + JsonString(e.kind == FileKind::kFile ? "file" : "directory") +
         ",\"generation\":" + number(e.generation) + ",\"size\":" + number(e.size) +
         ",\"sha256\":" + JsonString(e.sha256_hex) + ",\"detail\":" + JsonString(e.detail) + "}";
}

GcRun NokvCollectGarbage(Namespace& ns) {
  GcOptions options;
  options.history_retention_seconds = 0;
  GcRun run;
  Stopwatch watch;
  run.report = Unwrap(ns.CollectGarbage(options), "collect garbage");
  run.seconds = watch.Seconds();
  if (!run.report.finished) Fail("collect garbage stopped with work left");
  if (run.report.delete_failures != 0) Fail("collect garbage: " + run.report.last_error);
  return run;
}

Measurement NokvClone(Namespace& ns, const std::string& src, const std::string& dst,
                      const TreeShape& shape) {
  Measurement m = Time(static_cast<double>(shape.entries()),
                       [&] { Check(ns.Clone(src, dst, {}, {}).status(), "clone " + src); });
  std::string last_dir = dst + "/" + DirName(shape.dirs - 1);
  if (Unwrap(ns.Stat(dst, {}), "stat " + dst).child_count != shape.dirs ||
      Unwrap(ns.Stat(last_dir, {}), "stat " + last_dir).child_count != shape.files_per_dir) {
    Fail("clone " + src + " produced a tree of the wrong shape");
  }
  return m;
}

}  // namespace nokv::bench
