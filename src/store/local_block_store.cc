// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// LocalBlockStore: one plain file per object below a root directory. A put
// writes a hidden temporary file next to its destination, fsyncs it, and
// renames it into place with RENAME_NOREPLACE, so an object is either
// complete or absent and is never overwritten.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <random>
#include <vector>

#include "nokv/block_store.h"
#include "util/posix.h"

namespace nokv {

namespace {

constexpr std::string_view kTempPrefix = ".tmp.";

bool ValidKey(std::string_view key) {
  if (key.empty() || key.front() == '/' || key.back() == '/') return false;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view part = key.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-';
  });
}

class LocalBlockStore final : public BlockStore {
 public:
  explicit LocalBlockStore(std::string root) : root_(std::move(root)) {}

  Status Put(std::string_view key, std::string_view data) override {
    NOKV_RETURN_IF_ERROR(CheckKey(key));
    const std::string path = PathOf(key);
    const std::string dir = path.substr(0, path.rfind('/'));
    NOKV_RETURN_IF_ERROR(EnsureDir(dir));
    const std::string tmp = dir + "/" + std::string(kTempPrefix) + UniqueSuffix();
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (!fd.valid()) return ErrnoStatus("create block file " + tmp, errno);
    Status s = WriteAll(fd.get(), data, "write block " + std::string(key));
    if (s.ok() && ::fdatasync(fd.get()) != 0)
      s = ErrnoStatus("fsync block " + std::string(key), errno);
    fd.Reset();
    if (s.ok() &&
        ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
      s = errno == EEXIST ? Status::AlreadyExists("block " + std::string(key) +
                                                  " already exists; blocks are never overwritten")
                          : ErrnoStatus("rename block into place " + path, errno);
    }
    if (!s.ok()) {
      ::unlink(tmp.c_str());
      return s;
    }
    return SyncDir(dir);
  }

  Status Get(std::string_view key, uint64_t offset, uint64_t length, std::string* out) override {
    NOKV_RETURN_IF_ERROR(CheckKey(key));
    const std::string path = PathOf(key);
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return ErrnoStatus("open block " + path, errno);
    // Callers reuse buffers across blocks: resizing within the existing size
    // does not touch the bytes.
    if (out->size() < length) out->resize(length);
    size_t got = 0;
    while (got < length) {
      ssize_t n =
          ::pread(fd.get(), out->data() + got, length - got, static_cast<off_t>(offset + got));
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read block " + path, errno);
      }
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    out->resize(got);
    return Status::OK();
  }

  Result<uint64_t> Size(std::string_view key) override {
    NOKV_RETURN_IF_ERROR(CheckKey(key));
    struct stat st;
    if (::stat(PathOf(key).c_str(), &st) != 0)
      return ErrnoStatus("stat block " + PathOf(key), errno);
    return static_cast<uint64_t>(st.st_size);
  }

  Status Delete(std::string_view key) override {
    NOKV_RETURN_IF_ERROR(CheckKey(key));
    const std::string path = PathOf(key);
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("delete " + path, errno);
    // Remove now-empty parent directories (best effort; a racing Put recreates them).
    std::string dir = path.substr(0, path.rfind('/'));
    while (dir.size() > root_.size() && ::rmdir(dir.c_str()) == 0) {
      dir = dir.substr(0, dir.rfind('/'));
    }
    return Status::OK();
  }

  Status List(std::string_view prefix, const std::function<bool(const ObjectInfo&)>& fn) override {
    // Walk from the deepest directory the prefix names completely.
    size_t slash = prefix.rfind('/');
    std::string rel_dir =
        slash == std::string_view::npos ? "" : std::string(prefix.substr(0, slash));
    bool stop = false;
    return Walk(rel_dir, prefix, fn, &stop);
  }

  std::string Describe() const override { return "local:" + root_; }

 private:
  static Status CheckKey(std::string_view key) {
    if (!ValidKey(key))
      return Status::InvalidArgument("invalid block key \"" + std::string(key) + "\"");
    return Status::OK();
  }

  std::string PathOf(std::string_view key) const { return root_ + "/" + std::string(key); }

  static std::string UniqueSuffix() {
    static std::atomic<uint64_t> counter{0};
    thread_local std::mt19937_64 rng(std::random_device{}());
    char buf[48];
    std::snprintf(buf, sizeof(buf), "%d.%llu.%08llx", static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(counter.fetch_add(1)),
                  static_cast<unsigned long long>(rng() & 0xffffffffu));
    return buf;
  }

  // Creates `dir` (below root) and makes each new directory entry durable.
  Status EnsureDir(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) return Status::OK();
    std::string parent = dir.substr(0, dir.rfind('/'));
    if (parent.size() > root_.size()) NOKV_RETURN_IF_ERROR(EnsureDir(parent));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("create block directory " + dir, errno);
    }
    return SyncDir(parent);
  }

  Status Walk(const std::string& rel_dir, std::string_view prefix,
              const std::function<bool(const ObjectInfo&)>& fn, bool* stop) {
    const std::string abs = rel_dir.empty() ? root_ : root_ + "/" + rel_dir;
    DIR* d = ::opendir(abs.c_str());
    if (d == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) return Status::OK();
      return ErrnoStatus("list block directory " + abs, errno);
    }
    std::vector<std::pair<std::string, bool>> children;  // name, is_dir
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      bool is_dir = e->d_type == DT_DIR;
      if (e->d_type == DT_UNKNOWN) {
        struct stat st;
        is_dir = ::stat((abs + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      }
      children.emplace_back(std::move(name), is_dir);
    }
    ::closedir(d);
    std::sort(children.begin(), children.end());
    for (const auto& [name, is_dir] : children) {
      if (*stop) break;
      std::string key = rel_dir.empty() ? name : rel_dir + "/" + name;
      if (is_dir) {
        std::string as_dir = key + "/";
        bool relevant = as_dir.compare(0, std::min(as_dir.size(), prefix.size()), prefix, 0,
                                       std::min(as_dir.size(), prefix.size())) == 0;
        if (relevant) NOKV_RETURN_IF_ERROR(Walk(key, prefix, fn, stop));
        continue;
      }
      if (key.compare(0, prefix.size(), prefix) != 0) continue;
      struct stat st;
      if (::stat((abs + "/" + name).c_str(), &st) != 0) continue;  // raced with a delete
      if (!fn(ObjectInfo{key, static_cast<uint64_t>(st.st_size)})) *stop = true;
    }
    return Status::OK();
  }

  const std::string root_;
};

}  // namespace

Result<std::unique_ptr<BlockStore>> OpenLocalBlockStore(const std::string& root) {
  NOKV_RETURN_IF_ERROR(CreateDirs(root));
  return std::unique_ptr<BlockStore>(std::make_unique<LocalBlockStore>(root));
}

}  // namespace nokv
