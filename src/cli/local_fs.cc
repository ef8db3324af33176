// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/local_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include "cli/output.h"
#include "cli/paths.h"

namespace nokv::cli {
namespace {

LocalKind KindOf(mode_t mode) {
  if (S_ISREG(mode)) return LocalKind::kFile;
  if (S_ISDIR(mode)) return LocalKind::kDirectory;
  if (S_ISFIFO(mode) || S_ISCHR(mode)) return LocalKind::kStream;
  return LocalKind::kOther;
}

class LazyFileSourceImpl final : public ByteSource {
 public:
  LazyFileSourceImpl(std::string path, std::optional<uint64_t> size_hint)
      : path_(std::move(path)), size_hint_(size_hint) {}
  ~LazyFileSourceImpl() override { Close(); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    if (fd_ < 0) {
      do {
        fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
      } while (fd_ < 0 && errno == EINTR);
      if (fd_ < 0) return ErrnoStatus("cannot open " + path_, errno);
    }
    while (true) {
      ssize_t got = ::read(fd_, buf, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return ErrnoStatus("cannot read " + path_, errno);
      if (got == 0 && n > 0) {
        done_ = true;
        Close();
      }
      return static_cast<size_t>(got);
    }
  }

  std::optional<uint64_t> SizeHint() const override { return size_hint_; }

 private:
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  const std::string path_;
  const std::optional<uint64_t> size_hint_;
  int fd_ = -1;
  bool done_ = false;
};

using DirId = std::pair<dev_t, ino_t>;

class LocalTreeWalker {
 public:
  LocalTreeWalker(LocalTree* tree, std::optional<DirId> skip) : tree_(tree), skip_(skip) {}

  Status Walk(const std::string& dir, const std::string& relative, const struct stat& st) {
    DirId id{st.st_dev, st.st_ino};
    active_.insert(id);
    bool added = false;
    Status s = WalkChildren(dir, relative, &added);
    active_.erase(id);
    if (s.ok() && !added) tree_->empty_dirs.push_back(relative);
    return s;
  }

 private:
  // Sets *added when anything below `dir` will be published.
  Status WalkChildren(const std::string& dir, const std::string& relative, bool* added) {
    std::vector<std::string> names;
    NOKV_RETURN_IF_ERROR(ReadDirNames(dir, &names));
    for (const std::string& name : names) {
      std::string local = JoinLocal(dir, name);
      std::string rel = relative.empty() ? name : relative + "/" + name;
      struct stat st;
      if (::stat(local.c_str(), &st) != 0) {
        PrintWarning("skipping " + local + ": " + std::strerror(errno));
        continue;
      }
      switch (KindOf(st.st_mode)) {
        case LocalKind::kFile:
          tree_->files.push_back({local, rel, static_cast<uint64_t>(st.st_size)});
          tree_->total_bytes += static_cast<uint64_t>(st.st_size);
          *added = true;
          break;
        case LocalKind::kDirectory:
          if (skip_ == DirId{st.st_dev, st.st_ino}) {
            PrintWarning("skipping " + local + ": it is the nokv data dir");
            break;
          }
          if (active_.count({st.st_dev, st.st_ino}) != 0) {
            return Status::InvalidArgument(
                "refusing to follow " + local +
                ": it is a symlink back to a directory being copied (a loop); remove the link "
                "or publish a subdirectory that does not contain it");
          }
          NOKV_RETURN_IF_ERROR(Walk(local, rel, st));
          *added = true;
          break;
        case LocalKind::kStream:
        case LocalKind::kOther:
          PrintWarning("skipping " + local + ": not a regular file or directory");
          break;
      }
    }
    return Status::OK();
  }

  static Status ReadDirNames(const std::string& dir, std::vector<std::string>* names) {
    std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), &::closedir);
    if (handle == nullptr) return ErrnoStatus("cannot open directory " + dir, errno);
    while (true) {
      errno = 0;
      struct dirent* ent = ::readdir(handle.get());
      if (ent == nullptr) {
        if (errno != 0) return ErrnoStatus("cannot read directory " + dir, errno);
        break;
      }
      std::string_view name = ent->d_name;
      if (name == "." || name == "..") continue;
      names->emplace_back(name);
    }
    std::sort(names->begin(), names->end());
    return Status::OK();
  }

  LocalTree* const tree_;
  const std::optional<DirId> skip_;
  std::set<DirId> active_;  // directories on the current walk path
};

}  // namespace

Status ErrnoStatus(std::string_view what, int err) {
  std::string msg = std::string(what) + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
      return Status::NotFound(std::move(msg));
    case ENOSPC:
    case EDQUOT:
      return Status::NoSpace(std::move(msg));
    case EEXIST:
      return Status::AlreadyExists(std::move(msg));
    case ENOTDIR:
      return Status::NotDirectory(std::move(msg));
    case EISDIR:
      return Status::IsDirectory(std::move(msg));
    default:
      return Status::IOError(std::move(msg));
  }
}

Result<LocalStat> StatLocal(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat " + path, errno);
  return LocalStat{KindOf(st.st_mode), static_cast<uint64_t>(st.st_size)};
}

std::unique_ptr<ByteSource> LazyFileSource(std::string path, std::optional<uint64_t> size_hint) {
  return std::make_unique<LazyFileSourceImpl>(std::move(path), size_hint);
}

Status WalkLocalTree(const std::string& root, const std::string& skip_dir, LocalTree* tree) {
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) return ErrnoStatus("cannot stat " + root, errno);
  if (!S_ISDIR(st.st_mode)) return Status::NotDirectory(root + " is not a directory");
  std::optional<DirId> skip;
  struct stat skip_st;
  if (!skip_dir.empty() && ::stat(skip_dir.c_str(), &skip_st) == 0) {
    skip = DirId{skip_st.st_dev, skip_st.st_ino};
    if (skip == DirId{st.st_dev, st.st_ino}) {
      return Status::InvalidArgument(root + " is the nokv data dir; it cannot be published");
    }
  }
  return LocalTreeWalker(tree, skip).Walk(root, "", st);
}

Status MakeLocalDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) == 0) return Status::OK();
  int err = errno;
  struct stat st;
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
  if (err == EEXIST) return Status::NotDirectory(path + " exists and is not a directory");
  return ErrnoStatus("cannot create directory " + path, err);
}

Result<std::unique_ptr<LocalFileWriter>> LocalFileWriter::Create(std::string path) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd;
  do {
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoStatus("cannot create " + tmp, errno);
  return std::unique_ptr<LocalFileWriter>(new LocalFileWriter(std::move(path), std::move(tmp), fd));
}

LocalFileWriter::LocalFileWriter(std::string path, std::string tmp_path, int fd)
    : path_(std::move(path)), tmp_path_(std::move(tmp_path)), fd_(fd) {}

LocalFileWriter::~LocalFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_path_.c_str());
}

Status LocalFileWriter::Append(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot write " + tmp_path_, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status LocalFileWriter::Commit() {
  if (::fsync(fd_) != 0) return ErrnoStatus("cannot sync " + tmp_path_, errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return ErrnoStatus("cannot close " + tmp_path_, errno);
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
    return ErrnoStatus("cannot rename " + tmp_path_ + " to " + path_, errno);
  }
  committed_ = true;
  return Status::OK();
}

}  // namespace nokv::cli
