// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "nokv_ops.h"

#include <algorithm>
#include <utility>

#include "inputs.h"

namespace nokv::bench {

namespace {

std::vector<PublishItem> MakeItems(const std::string& dir, uint64_t first, uint64_t end,
                                   const std::string& body) {
  std::vector<PublishItem> items;
  items.reserve(end - first);
  for (uint64_t i = first; i < end; ++i) {
    PublishItem item;
    item.path = dir + "/" + FileName(i);
    item.source = StringSource(body);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace

std::unique_ptr<Namespace> OpenFresh(const std::string& data_dir, bool sync) {
  Options options;
  options.data_dir = data_dir;
  options.sync = sync;
  return OpenFresh(options);
}

std::unique_ptr<Namespace> OpenFresh(const Options& options) {
  return Unwrap(OpenNamespace(options), "open namespace in " + options.data_dir);
}

Measurement NokvCreate(Namespace& ns, const std::string& dir, const CreateSpec& spec) {
  Check(ns.Mkdir(dir, /*parents=*/true, {}).status(), "mkdir " + dir);
  PublishOptions options;
  return Time(static_cast<double>(spec.files), [&] {
    for (uint64_t first = 0; first < spec.files; first += spec.batch) {
      uint64_t end = std::min(spec.files, first + spec.batch);
      auto result =
          Unwrap(ns.Publish(MakeItems(dir, first, end, spec.body), options), "publish into " + dir);
      if (result.files.size() != end - first) Fail("publish returned a wrong file count");
    }
  });
}

Measurement NokvStat(Namespace& ns, const std::vector<std::string>& paths, const ReadOptions& at) {
  return Time(static_cast<double>(paths.size()), [&] {
    for (const auto& path : paths) Check(ns.Stat(path, at).status(), "stat " + path);
  });
}

namespace {

// Streams the whole body of the file `reader` opened; returns its size.
uint64_t Drain(FileReader& reader, const std::string& path) {
  uint64_t bytes = 0;
  Check(reader.ReadAll([&](std::string_view data) {
    bytes += data.size();
    return Status::OK();
  }),
        "read " + path);
  if (bytes != reader.info().size) Fail("read " + path + " returned a wrong byte count");
  return bytes;
}

}  // namespace

Measurement NokvReadFiles(Namespace& ns, const std::vector<std::string>& paths,
                          const ReadOptions& at) {
  return Time(static_cast<double>(paths.size()), [&] {
    for (const auto& path : paths) Drain(*Unwrap(ns.OpenFile(path, at), "open " + path), path);
  });
}

namespace {

// Pages through `dir`, calling `on_page` with every page; returns entries seen.
template <typename OnPage>
uint64_t Walk(Namespace& ns, const std::string& dir, size_t limit, OnPage&& on_page) {
  ListOptions options;
  options.limit = limit;
  uint64_t seen = 0;
  do {
    ListPage page = Unwrap(ns.List(dir, options), "list " + dir);
    seen += page.entries.size();
    on_page(page);
    options.cursor = std::move(page.next_cursor);
  } while (!options.cursor.empty());
  return seen;
}

}  // namespace

Measurement NokvListAll(Namespace& ns, const std::string& dir, size_t limit, int passes,
                        uint64_t expected) {
  return Time(static_cast<double>(expected) * passes, [&] {
    for (int pass = 0; pass < passes; ++pass) {
      uint64_t seen = Walk(ns, dir, limit, [](const ListPage&) {});
      if (seen != expected) {
        Fail("list " + dir + " saw " + std::to_string(seen) + " entries, expected " +
             std::to_string(expected));
      }
    }
  });
}

Measurement NokvCursors(Namespace& ns, const std::string& dir, size_t limit,
                        std::vector<std::string>* cursors) {
  uint64_t seen = 0;
  Measurement m = Time(0, [&] {
    seen = Walk(ns, dir, limit, [&](const ListPage& page) {
      if (!page.next_cursor.empty()) cursors->push_back(page.next_cursor);
    });
  });
  m.ops = static_cast<double>(seen);
  return m;
}

Measurement NokvPages(Namespace& ns, const std::string& dir,
                      const std::vector<std::string>& cursors, size_t limit) {
  ListOptions options;
  options.limit = limit;
  return Time(static_cast<double>(cursors.size()), [&] {
    for (const auto& cursor : cursors) {
      options.cursor = cursor;
      ListPage page = Unwrap(ns.List(dir, options), "list " + dir);
      if (page.entries.empty()) Fail("list " + dir + " returned an empty page");
    }
  });
}

Measurement NokvPublishFile(Namespace& ns, const std::string& path, const std::string& local) {
  std::vector<PublishItem> items(1);
  items[0].path = path;
  items[0].source = Unwrap(FileSource(local), "open " + local);
  uint64_t bytes = items[0].source->SizeHint().value_or(0);
  Measurement m = Time(static_cast<double>(bytes) / kMiB, [&] {
    Check(ns.Publish(std::move(items), {}).status(), "publish " + path);
  });
  return m;
}

Measurement NokvReadAll(Namespace& ns, const std::string& path) {
  auto reader = Unwrap(ns.OpenFile(path, {}), "open " + path);
  uint64_t bytes = 0;
  Measurement m = Time(0, [&] { bytes = Drain(*reader, path); });
  m.ops = static_cast<double>(bytes) / kMiB;
  return m;
}

}  // namespace nokv::bench
