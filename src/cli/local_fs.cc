// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "cli/local_fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>
#include <utility>

#include "cli/output.h"
#include "cli/paths.h"
#include "util/posix.h"
#include "util/stable_read.h"

namespace nokv::cli {
namespace {

LocalKind KindOf(mode_t mode) {
  if (S_ISREG(mode)) return LocalKind::kFile;
  if (S_ISDIR(mode)) return LocalKind::kDirectory;
  if (S_ISFIFO(mode) || S_ISCHR(mode)) return LocalKind::kStream;
  return LocalKind::kOther;
}

// Test hook, inert unless NOKV_TEST_PAUSE_READ_DIR is set: after the first
// chunk of the N-th local file read in the process (N = 1, 2, ...) it creates
// DIR/paused.N and waits (at most a minute) for DIR/resume.N, so a test can
// change a file in the middle of its upload, deterministically.
void MaybePauseForTest() {
  static int files = 0;
  const char* dir = std::getenv("NOKV_TEST_PAUSE_READ_DIR");
  if (dir == nullptr) return;
  const std::string n = std::to_string(++files);
  const std::string base(dir);
  int fd = ::open((base + "/paused." + n).c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) ::close(fd);
  const std::string resume = base + "/resume." + n;
  for (int i = 0; i < 6000 && ::access(resume.c_str(), F_OK) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

class LazyFileSourceImpl final : public ByteSource {
 public:
  LazyFileSourceImpl(std::string path, std::optional<uint64_t> size_hint, bool no_follow)
      : path_(std::move(path)), size_hint_(size_hint), no_follow_(no_follow) {}
  ~LazyFileSourceImpl() override { Close(); }

  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    if (fd_ < 0) NOKV_RETURN_IF_ERROR(Open());
    while (true) {
      ssize_t got = ::read(fd_, buf, n);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) return ErrnoStatus("cannot read " + path_, errno);
      if (got == 0 && n > 0) {
        done_ = true;
        Status stable = stable_.Finish(fd_, path_);
        Close();
        NOKV_RETURN_IF_ERROR(stable);
      }
      if (got > 0 && stable_.bytes_read() == 0) MaybePauseForTest();
      stable_.Count(static_cast<uint64_t>(got));
      return static_cast<size_t>(got);
    }
  }

  std::optional<uint64_t> SizeHint() const override { return size_hint_; }

 private:
  Status Open() {
    const int flags = O_RDONLY | O_CLOEXEC | (no_follow_ ? O_NOFOLLOW : 0);
    do {
      fd_ = ::open(path_.c_str(), flags);
    } while (fd_ < 0 && errno == EINTR);
    if (fd_ < 0 && errno == ELOOP && no_follow_) {
      return Status::Conflict(path_ + " was replaced by a symlink while it was published; " +
                              "retry when it is stable");
    }
    if (fd_ < 0) return ErrnoStatus("cannot open " + path_, errno);
    struct stat st;
    if (::fstat(fd_, &st) != 0) return ErrnoStatus("cannot stat " + path_, errno);
    stable_.Start(st);
    return Status::OK();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  const std::string path_;
  const std::optional<uint64_t> size_hint_;
  const bool no_follow_;
  int fd_ = -1;
  bool done_ = false;
  StableRead stable_;
};

using DirId = std::pair<dev_t, ino_t>;

// What a symlink says, for messages.
std::string LinkText(const std::string& link) {
  char buf[4096];
  ssize_t n = ::readlink(link.c_str(), buf, sizeof(buf));
  return n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n));
}

std::optional<std::string> RealPath(const std::string& path) {
  std::unique_ptr<char, decltype(&::free)> real(::realpath(path.c_str(), nullptr), &::free);
  if (real == nullptr) return std::nullopt;
  return std::string(real.get());
}

bool IsSameOrInside(const std::string& path, const std::string& root) {
  if (root == "/" || path == root) return true;
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

class LocalTreeWalker {
 public:
  LocalTreeWalker(LocalTree* tree, const WalkOptions& options, std::optional<DirId> skip,
                  std::string real_root)
      : tree_(tree), options_(options), skip_(skip), real_root_(std::move(real_root)) {}

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
      if (::lstat(local.c_str(), &st) != 0) {
        PrintWarning("skipping " + local + ": " + std::strerror(errno));
        continue;
      }
      bool followed = false;
      if (S_ISLNK(st.st_mode)) {
        std::optional<std::string> target;
        NOKV_ASSIGN_OR_RETURN(target, FollowLink(local, &st));
        if (!target.has_value()) continue;  // skipped, with a warning
        local = std::move(*target);
        followed = true;
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
                "refusing to follow " + JoinLocal(dir, name) +
                ": it is a symlink back to a directory being copied (a loop); remove the link "
                "or publish without -L");
          }
          NOKV_RETURN_IF_ERROR(Walk(local, rel, st));
          *added = true;
          break;
        case LocalKind::kStream:
        case LocalKind::kOther:
          PrintWarning("skipping " + (followed ? JoinLocal(dir, name) : local) +
                       ": not a regular file or directory");
          break;
      }
    }
    return Status::OK();
  }

  // Decides what to do with the symlink `link`: nullopt (skip it, after a
  // warning saying why) or the real path to read, with *st its target's stat.
  Result<std::optional<std::string>> FollowLink(const std::string& link, struct stat* st) {
    const std::string text = LinkText(link);
    if (!options_.follow_symlinks) {
      PrintWarning("skipping " + link + ": it is a symlink (to " + text +
                   "); use -L to follow symlinks that stay inside the source tree");
      return std::optional<std::string>();
    }
    if (::stat(link.c_str(), st) != 0) {
      if (errno == ELOOP) {
        return Status::InvalidArgument("cannot follow " + link + " (to " + text +
                                       "): the symlinks form a loop; remove one of them");
      }
      PrintWarning("skipping " + link + ": a dangling symlink (to " + text +
                   "): " + std::strerror(errno));
      return std::optional<std::string>();
    }
    std::optional<std::string> real = RealPath(link);
    if (!real.has_value()) {
      PrintWarning("skipping " + link + ": cannot resolve it: " + std::strerror(errno));
      return std::optional<std::string>();
    }
    if (!options_.follow_outside && !IsSameOrInside(*real, real_root_)) {
      PrintWarning("skipping " + link + ": it is a symlink to " + *real +
                   ", outside the source tree; add --follow-outside to include it");
      return std::optional<std::string>();
    }
    return real;
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
  const WalkOptions& options_;
  const std::optional<DirId> skip_;
  const std::string real_root_;
  std::set<DirId> active_;  // directories on the current walk path
};

constexpr std::string_view kTempPrefix = ".nokv-tmp.";

// The pid in a temporary file name ".nokv-tmp.PID.N", or 0.
pid_t TempFilePid(std::string_view name) {
  if (name.substr(0, kTempPrefix.size()) != kTempPrefix) return 0;
  name.remove_prefix(kTempPrefix.size());
  size_t dot = name.find('.');
  if (dot == 0 || dot == std::string_view::npos || dot + 1 == name.size()) return 0;
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(name.substr(0, dot)) || !digits(name.substr(dot + 1)) || dot > 9) return 0;
  return static_cast<pid_t>(std::stol(std::string(name.substr(0, dot))));
}

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

std::unique_ptr<ByteSource> LazyFileSource(std::string path, std::optional<uint64_t> size_hint,
                                           bool no_follow) {
  return std::make_unique<LazyFileSourceImpl>(std::move(path), size_hint, no_follow);
}

Status WalkLocalTree(const std::string& root, const WalkOptions& options, LocalTree* tree) {
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) return ErrnoStatus("cannot stat " + root, errno);
  if (!S_ISDIR(st.st_mode)) return Status::NotDirectory(root + " is not a directory");
  std::optional<std::string> real_root = RealPath(root);
  if (!real_root.has_value()) return ErrnoStatus("cannot resolve " + root, errno);
  std::optional<DirId> skip;
  struct stat skip_st;
  if (!options.skip_dir.empty() && ::stat(options.skip_dir.c_str(), &skip_st) == 0) {
    skip = DirId{skip_st.st_dev, skip_st.st_ino};
    if (skip == DirId{st.st_dev, st.st_ino}) {
      return Status::InvalidArgument(root + " is the nokv data dir; it cannot be published");
    }
  }
  return LocalTreeWalker(tree, options, skip, *real_root).Walk(root, "", st);
}

Status MakeLocalDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) == 0) return Status::OK();
  int err = errno;
  struct stat st;
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::OK();
  if (err == EEXIST) return Status::NotDirectory(path + " exists and is not a directory");
  return ErrnoStatus("cannot create directory " + path, err);
}

Status MakeLocalDirs(const std::string& path) {
  std::string partial;
  size_t i = 0;
  while (i <= path.size()) {
    size_t end = path.find('/', i);
    if (end == std::string::npos) end = path.size();
    partial = path.substr(0, end);
    if (!partial.empty()) NOKV_RETURN_IF_ERROR(MakeLocalDir(partial));
    i = end + 1;
  }
  return Status::OK();
}

void RemoveStaleTempFiles(const std::string& dir) {
  std::vector<std::string> stale;
  {
    std::unique_ptr<DIR, int (*)(DIR*)> handle(::opendir(dir.c_str()), &::closedir);
    if (handle == nullptr) return;
    while (struct dirent* ent = ::readdir(handle.get())) {
      pid_t pid = TempFilePid(ent->d_name);
      if (pid <= 0 || pid == ::getpid()) continue;
      if (::kill(pid, 0) != 0 && errno == ESRCH) stale.emplace_back(ent->d_name);
    }
  }
  for (const std::string& name : stale) ::unlink(JoinLocal(dir, name).c_str());
}

LocalDownload::LocalDownload(bool batched) : batched_(batched) {}

LocalDownload::~LocalDownload() {
  CloseCurrent();
  if (!current_.tmp.empty()) ::unlink(current_.tmp.c_str());
  for (const Pending& p : pending_) ::unlink(p.tmp.c_str());
}

void LocalDownload::CloseCurrent() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status LocalDownload::PrepareDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0777) != 0) {
    NOKV_RETURN_IF_ERROR(MakeLocalDir(dir));  // exists: fine if it is a directory
    RemoveStaleTempFiles(dir);
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoStatus("cannot stat " + dir, errno);
  const uint64_t dev = static_cast<uint64_t>(st.st_dev);
  if (std::find(fs_devs_.begin(), fs_devs_.end(), dev) == fs_devs_.end()) {
    fs_devs_.push_back(dev);
    fs_dirs_.push_back(dir);
  }
  return Status::OK();
}

Status LocalDownload::Begin(const std::string& dir, const std::string& path) {
  current_.tmp = JoinLocal(
      dir, std::string(kTempPrefix) + std::to_string(::getpid()) + "." + std::to_string(seq_++));
  current_.path = path;
  current_.dir = dir;
  do {
    fd_ = ::open(current_.tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  } while (fd_ < 0 && errno == EINTR);
  if (fd_ < 0) {
    int err = errno;
    current_ = Pending();
    return ErrnoStatus("cannot create a temporary file in " + dir + " for " + path, err);
  }
  return Status::OK();
}

Status LocalDownload::Append(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus("cannot write " + current_.path, errno);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::OK();
}

Status LocalDownload::Commit() {
  if (!batched_ && ::fsync(fd_) != 0) return ErrnoStatus("cannot sync " + current_.path, errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return ErrnoStatus("cannot write " + current_.path, errno);
  pending_.push_back(std::move(current_));
  current_ = Pending();
  if (!batched_) {
    const Pending& p = pending_.back();
    if (::rename(p.tmp.c_str(), p.path.c_str()) != 0) {
      return ErrnoStatus("cannot rename the downloaded file into place at " + p.path, errno);
    }
    std::string dir = p.dir;
    pending_.pop_back();
    return SyncDir(dir);
  }
  return pending_.size() >= kBatchFiles ? Flush() : Status::OK();
}

Status LocalDownload::Finish() { return Flush(); }

Status LocalDownload::Flush() {
  if (pending_.empty()) return Status::OK();
  NOKV_RETURN_IF_ERROR(SyncFilesystems());  // the bytes, before any name shows them
  size_t renamed = 0;
  Status s;
  for (; renamed < pending_.size(); ++renamed) {
    const Pending& p = pending_[renamed];
    if (::rename(p.tmp.c_str(), p.path.c_str()) != 0) {
      s = ErrnoStatus("cannot rename the downloaded file into place at " + p.path, errno);
      break;
    }
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(renamed));
  NOKV_RETURN_IF_ERROR(s);
  return SyncFilesystems();  // the renames
}

Status LocalDownload::SyncFilesystems() {
  for (const std::string& dir : fs_dirs_) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open " + dir + " to sync it", errno);
    int rc = ::syncfs(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return ErrnoStatus("cannot sync the filesystem of " + dir, err);
  }
  return Status::OK();
}

}  // namespace nokv::cli
