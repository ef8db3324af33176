// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "nokv/byte_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/posix.h"
#include "util/stable_read.h"

namespace nokv {

namespace {

class StringByteSource final : public ByteSource {
 public:
  explicit StringByteSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  std::optional<uint64_t> SizeHint() const override { return data_.size(); }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class FdByteSource final : public ByteSource {
 public:
  FdByteSource(int fd, bool owned, std::optional<uint64_t> size, std::string name)
      : fd_(fd), owned_(owned), size_(size), name_(std::move(name)) {}
  // Checks at end of stream that the file did not change while it was read.
  void CheckStable(const struct stat& opened) {
    stable_.Start(opened);
    check_stable_ = true;
  }
  ~FdByteSource() override {
    if (owned_) ::close(fd_);
  }
  Result<size_t> Read(char* buf, size_t n) override {
    size_t total = 0;
    while (total < n) {
      ssize_t r = ::read(fd_, buf + total, n - total);
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read " + name_, errno);
      }
      if (r == 0) {
        if (check_stable_ && !ended_) {
          ended_ = true;
          NOKV_RETURN_IF_ERROR(stable_.Finish(fd_, name_));
        }
        break;
      }
      total += static_cast<size_t>(r);
      stable_.Count(static_cast<uint64_t>(r));
    }
    return total;
  }
  std::optional<uint64_t> SizeHint() const override { return size_; }

 private:
  int fd_;
  bool owned_;
  std::optional<uint64_t> size_;
  std::string name_;
  StableRead stable_;
  bool check_stable_ = false;
  bool ended_ = false;
};

}  // namespace

std::unique_ptr<ByteSource> StringSource(std::string data) {
  return std::make_unique<StringByteSource>(std::move(data));
}

Result<std::unique_ptr<ByteSource>> FileSource(const std::string& local_path) {
  int fd = ::open(local_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("open local file " + local_path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return ErrnoStatus("stat local file " + local_path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IsDirectory("local path " + local_path +
                               " is a directory; use -r to publish a tree");
  }
  std::optional<uint64_t> size;
  if (S_ISREG(st.st_mode)) {
    size = static_cast<uint64_t>(st.st_size);
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  auto source = std::make_unique<FdByteSource>(fd, /*owned=*/true, size, local_path);
  source->CheckStable(st);
  return std::unique_ptr<ByteSource>(std::move(source));
}

std::unique_ptr<ByteSource> FdSource(int fd) {
  return std::make_unique<FdByteSource>(fd, /*owned=*/false, std::nullopt,
                                        "fd " + std::to_string(fd));
}

}  // namespace nokv
