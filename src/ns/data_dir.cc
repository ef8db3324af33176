// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "ns/data_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace nokv {

namespace {

std::string LockPath(const std::string& data_dir) { return data_dir + "/writer.lock"; }

std::string OwnCommandLine() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (char& c : raw) {
    if (c == '\0') c = ' ';
  }
  while (!raw.empty() && raw.back() == ' ') raw.pop_back();
  if (raw.size() > 200) raw = raw.substr(0, 200) + "...";
  return raw;
}

std::string ReadHolderOnce(const std::string& data_dir) {
  std::ifstream in(LockPath(data_dir));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool NamesLiveProcess(const std::string& holder) {
  int pid = 0;
  return std::sscanf(holder.c_str(), "pid %d", &pid) == 1 && pid > 0 &&
         (::kill(pid, 0) == 0 || errno == EPERM);
}

// The holder writes its description right after taking the lock; a reader
// that races with that sees the previous holder's text (or none). Retry
// briefly until the text names a live process.
std::string ReadHolder(const std::string& data_dir) {
  std::string text;
  for (int attempt = 0; attempt < 50; ++attempt) {
    text = ReadHolderOnce(data_dir);
    if (NamesLiveProcess(text)) return text;
    ::usleep(10 * 1000);
  }
  return text.empty() ? "an unknown process" : text;
}

}  // namespace

std::string MetaPath(const std::string& data_dir) { return data_dir + "/meta"; }
std::string BlocksPath(const std::string& data_dir) { return data_dir + "/blocks"; }

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& data_dir,
                                                        int64_t wait_ms) {
  const std::string path = LockPath(data_dir);
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus("open lock file " + path, errno);
  // Poll (1 ms doubling to 50 ms) rather than block: a blocking flock
  // cannot time out without a signal handler.
  const auto start = std::chrono::steady_clock::now();
  std::chrono::milliseconds pause(1);
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return ErrnoStatus("lock " + path, errno);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (wait_ms >= 0 && waited.count() >= wait_ms) {
      const std::string after =
          wait_ms > 0 ? " (waited " + std::to_string(waited.count()) + " ms)" : "";
      return Status::Busy("data dir " + data_dir + " is held by " + ReadHolder(data_dir) + after +
                          "; read-only commands (ls, cat, stat, ...) still work; stop that "
                          "process, or wait for it with --wait[=DURATION], to write");
    }
    auto sleep = pause;
    if (wait_ms >= 0) {
      sleep = std::min(sleep, std::chrono::milliseconds(wait_ms) - waited);
    }
    std::this_thread::sleep_for(sleep);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  char when[32];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::ostringstream holder;
  holder << "pid " << ::getpid() << " (" << OwnCommandLine() << ", since " << when << ")\n";
  if (::ftruncate(fd.get(), 0) != 0) return ErrnoStatus("truncate " + path, errno);
  NOKV_RETURN_IF_ERROR(WriteAll(fd.get(), holder.str(), "write " + path));
  return std::unique_ptr<WriterLock>(new WriterLock(std::move(fd)));
}

bool WriterLock::IsHeld(const std::string& data_dir) {
  UniqueFd fd(::open(LockPath(data_dir).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return false;
  if (::flock(fd.get(), LOCK_SH | LOCK_NB) != 0) return errno == EWOULDBLOCK;
  ::flock(fd.get(), LOCK_UN);
  return false;
}

WriterLock::~WriterLock() {
  if (fd_.valid()) ::flock(fd_.get(), LOCK_UN);
}

Result<std::unique_ptr<ReaderScratch>> ReaderScratch::Create(const std::string& data_dir) {
  const std::string root = data_dir + "/readers";
  NOKV_RETURN_IF_ERROR(CreateDirs(root));
  // Reap scratch dirs of readers that died without cleaning up.
  if (DIR* d = ::opendir(root.c_str())) {
    while (struct dirent* e = ::readdir(d)) {
      int pid = 0;
      if (std::sscanf(e->d_name, "%d-", &pid) == 1 && pid > 0 && ::kill(pid, 0) != 0 &&
          errno == ESRCH) {
        RemoveTree(root + "/" + e->d_name);
      }
    }
    ::closedir(d);
  }
  std::string path = root + "/" + std::to_string(::getpid()) + "-" + NewSessionId();
  NOKV_RETURN_IF_ERROR(CreateDirs(path));
  return std::unique_ptr<ReaderScratch>(new ReaderScratch(std::move(path)));
}

ReaderScratch::~ReaderScratch() { RemoveTree(path_); }

void RemoveTree(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    if (DIR* d = ::opendir(path.c_str())) {
      while (struct dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != "..") RemoveTree(path + "/" + name);
      }
      ::closedir(d);
    }
    ::rmdir(path.c_str());
  } else {
    ::unlink(path.c_str());
  }
}

Status BindStore(const std::string& data_dir, const std::string& store_uri, bool may_write) {
  const std::string path = data_dir + "/store";
  constexpr std::string_view kHeader = "nokv-store 1\n";
  std::string recorded;
  {
    std::ifstream in(path);
    if (in) {
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.compare(0, kHeader.size(), kHeader) != 0) {
        return Status::Corruption(path + " is not a nokv store record");
      }
      recorded = text.substr(kHeader.size());
      while (!recorded.empty() && recorded.back() == '\n') recorded.pop_back();
    }
  }
  if (recorded.empty()) {
    struct stat st;
    if (::stat((MetaPath(data_dir) + "/CURRENT").c_str(), &st) == 0) recorded = "local";
  }
  if (!recorded.empty() && recorded != store_uri) {
    const std::string flag =
        recorded == "local" ? "no --store (or --store local)" : "--store " + recorded;
    return Status::InvalidArgument("data dir " + data_dir + " keeps its bodies in " + recorded +
                                   ", not " + store_uri + "; open it with " + flag +
                                   " (or NOKV_STORE), or use another --data-dir");
  }
  struct stat st;
  if (!may_write || ::stat(path.c_str(), &st) == 0) return Status::OK();
  const std::string tmp = path + ".tmp." + NewSessionId();
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoStatus("create " + tmp, errno);
  Status w = WriteAll(fd.get(), std::string(kHeader) + store_uri + "\n", "write " + tmp);
  if (w.ok() && ::fsync(fd.get()) != 0) w = ErrnoStatus("fsync " + tmp, errno);
  fd.Reset();
  if (w.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) w = ErrnoStatus("rename " + tmp, errno);
  if (!w.ok()) {
    ::unlink(tmp.c_str());
    return w;
  }
  return SyncDir(data_dir);
}

std::string NewSessionId() {
  std::random_device rd;
  std::mt19937_64 rng((uint64_t{rd()} << 32) ^ rd() ^ static_cast<uint64_t>(::getpid()));
  char buf[20];
  std::snprintf(buf, sizeof(buf), "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

}  // namespace nokv
