// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "time_baselines.h"

#include <fcntl.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <memory>

namespace nokv::bench {

namespace {

// 'L' + the record's index, big-endian: sorts in append order.
std::string LogKey(uint64_t i) {
  std::string key = "L";
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(i >> shift));
  return key;
}

}  // namespace

Measurement RocksSnapshots(rocksdb::DB& db, uint64_t count) {
  std::vector<const rocksdb::Snapshot*> taken;
  taken.reserve(count);
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  std::string record(64, 's');
  Measurement m = Time(static_cast<double>(count), [&] {
    for (uint64_t i = 0; i < count; ++i) {
      taken.push_back(db.GetSnapshot());
      std::string key = "S" + std::to_string(taken.back()->GetSequenceNumber());
      CheckRocks(db.Put(write_options, key, record), "rocksdb put " + key);
    }
  });
  for (const rocksdb::Snapshot* snapshot : taken) db.ReleaseSnapshot(snapshot);
  return m;
}

void RocksAppendLog(rocksdb::DB& db, const std::vector<std::string>& records) {
  constexpr size_t kBatch = 1000;
  for (size_t first = 0; first < records.size(); first += kBatch) {
    rocksdb::WriteBatch batch;
    for (size_t i = first; i < std::min(records.size(), first + kBatch); ++i) {
      batch.Put(LogKey(i), records[i]);
    }
    CheckRocks(db.Write(rocksdb::WriteOptions(), &batch), "rocksdb write");
  }
}

Measurement RocksScan(rocksdb::DB& db, uint64_t expected) {
  uint64_t keys = 0;
  Measurement m = Time(0, [&] {
    std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions()));
    uint64_t bytes = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->key().size() + it->value().size();
      ++keys;
    }
    CheckRocks(it->status(), "rocksdb scan");
    if (bytes == 0 && keys != 0) Fail("rocksdb scan saw empty records");
  });
  if (keys != expected) {
    Fail("rocksdb scan saw " + std::to_string(keys) + " keys, expected " +
         std::to_string(expected));
  }
  m.ops = static_cast<double>(keys);
  return m;
}

void WriteLines(const std::string& path, const std::vector<std::string>& records) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const std::string& record : records) out << record << '\n';
    if (!out.flush()) Fail("cannot write " + path);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  CheckErrno(fd >= 0, "open " + path);
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  CheckErrno(synced, "fsync " + path);
}

Measurement ReadLines(const std::string& path, uint64_t expected) {
  uint64_t lines = 0;
  Measurement m = Time(0, [&] {
    std::ifstream in(path, std::ios::binary);
    if (!in) Fail("cannot open " + path);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) Fail("empty line in " + path);
      ++lines;
    }
  });
  if (lines != expected) {
    Fail("read " + path + " saw " + std::to_string(lines) + " lines, expected " +
         std::to_string(expected));
  }
  m.ops = static_cast<double>(lines);
  return m;
}

}  // namespace nokv::bench
