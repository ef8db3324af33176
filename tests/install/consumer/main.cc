// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Uses an installed nokv through its public headers only: opens a namespace
// in the data dir given as argv[1], publishes two files in one commit (one
// stored inline, one large enough to be split into blocks), reads both back
// and exits 0 only if every byte matches.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "nokv/namespace.h"

namespace {

int Fail(const std::string& what, const nokv::Status& status) {
  std::fprintf(stderr, "nokv_consumer: %s: %s\n", what.c_str(), status.ToString().c_str());
  return 1;
}

std::string Pattern(size_t size) {
  std::string data(size, '\0');
  for (size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + i / 977) & 0xff);
  return data;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: nokv_consumer DATA_DIR\n");
    return 2;
  }
  nokv::Options options;
  options.data_dir = argv[1];
  options.block_size = 64 * 1024;
  auto opened = nokv::OpenNamespace(options);
  if (!opened.ok()) return Fail("open " + options.data_dir, opened.status());
  std::unique_ptr<nokv::Namespace> ns = std::move(opened.value());

  const std::vector<std::pair<std::string, std::string>> files = {
      {"/consumer/small.txt", "hello from an installed nokv\n"},
      {"/consumer/large.bin", Pattern(300 * 1024 + 7)},
  };
  std::vector<nokv::PublishItem> items;
  for (const auto& [path, body] : files) {
    nokv::PublishItem item;
    item.path = path;
    item.source = nokv::StringSource(body);
    item.precondition = nokv::Precondition::Absent();
    items.push_back(std::move(item));
  }
  auto published = ns->Publish(std::move(items), nokv::PublishOptions{});
  if (!published.ok()) return Fail("publish", published.status());

  for (const auto& [path, body] : files) {
    auto reader = ns->OpenFile(path, nokv::ReadOptions{});
    if (!reader.ok()) return Fail("open " + path, reader.status());
    std::string read_back;
    nokv::Status st = reader.value()->ReadAll([&](std::string_view chunk) {
      read_back.append(chunk);
      return nokv::Status::OK();
    });
    if (!st.ok()) return Fail("read " + path, st);
    if (read_back != body) {
      std::fprintf(stderr, "nokv_consumer: %s: read %zu bytes that differ from the %zu published\n",
                   path.c_str(), read_back.size(), body.size());
      return 1;
    }
  }
  std::printf("nokv_consumer: published and read back %zu files at version %llu\n", files.size(),
              static_cast<unsigned long long>(published->version));
  return 0;
}
