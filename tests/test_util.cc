// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "test_util.h"

#include "meta/records.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace nokv::test {

namespace fs = std::filesystem;

// ---------------------------------------------------------------- files

TempDir::TempDir(std::string_view prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string base = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  std::string tmpl = base + "/" + std::string(prefix) + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data()) == nullptr) {
    throw std::runtime_error("mkdtemp(" + tmpl + "): " + std::strerror(errno));
  }
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (std::getenv("NOKV_KEEP_TEST_DIRS") != nullptr) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string TempDir::Sub(std::string_view name) const { return path_ + "/" + std::string(name); }

std::vector<std::string> ListRegularFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string BlocksDir(const std::string& data_dir) { return data_dir + "/blocks"; }

std::string ReadLocalFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteLocalFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// ---------------------------------------------------------------- namespaces

Options TestOptions(const std::string& data_dir) {
  Options o;
  o.data_dir = data_dir;
  o.inline_threshold = kTestInlineThreshold;
  o.block_size = kTestBlockSize;
  o.sync = false;
  o.cache_entries = 1024;
  o.block_cache_bytes = 4 << 20;
  ApplyTestStore(&o);
  return o;
}

void ApplyTestStore(Options* options) {
  const char* base = std::getenv("NOKV_TEST_STORE");
  if (base == nullptr || *base == '\0') return;
  std::string name = options->data_dir;
  while (!name.empty() && name.back() == '/') name.pop_back();
  name = name.substr(name.rfind('/') + 1);
  options->store = std::string(base) + "/" + name;
  options->s3 = S3Options::FromEnvironment();
  options->s3.max_attempts = 8;
}

std::vector<std::string> ListStoredObjects(const std::string& data_dir) {
  Options o;
  o.data_dir = data_dir;
  ApplyTestStore(&o);
  std::vector<std::string> keys;
  if (o.store.empty()) {
    const std::string root = BlocksDir(data_dir) + "/";
    for (const std::string& f : ListRegularFiles(BlocksDir(data_dir))) {
      keys.push_back(f.substr(root.size()));
    }
    return keys;
  }
  auto where = ParseStoreUri(o.store);
  if (!where.ok()) throw std::runtime_error(where.status().ToString());
  auto store = OpenS3BlockStore(*where, o.s3);
  if (!store.ok()) throw std::runtime_error(store.status().ToString());
  Status s = (*store)->List("", [&](const ObjectInfo& info) {
    keys.push_back(info.key);
    return true;
  });
  if (!s.ok()) throw std::runtime_error(s.ToString());
  std::sort(keys.begin(), keys.end());
  return keys;
}

Result<std::unique_ptr<Namespace>> OpenTestNamespace(const std::string& data_dir, bool read_only) {
  Options o = TestOptions(data_dir);
  o.read_only = read_only;
  return OpenNamespace(o);
}

Options CrashWriterOptions(const std::string& data_dir) {
  Options o;
  o.data_dir = data_dir;
  o.inline_threshold = kCrashInlineThreshold;
  o.block_size = kCrashBlockSize;
  o.sync = true;
  o.upload_concurrency = 4;
  ApplyTestStore(&o);
  return o;
}

PublishItem MakeItem(std::string path, std::string data, Precondition pre) {
  PublishItem item;
  item.path = std::move(path);
  item.source = StringSource(std::move(data));
  item.precondition = pre;
  return item;
}

Result<PublishResult> PublishString(Namespace& ns, const std::string& path, std::string data,
                                    Precondition pre, const PublishOptions& options) {
  std::vector<PublishItem> items;
  items.push_back(MakeItem(path, std::move(data), pre));
  return ns.Publish(std::move(items), options);
}

Result<std::string> ReadWholeFile(Namespace& ns, const std::string& path, uint64_t version) {
  ReadOptions ro;
  ro.version = version;
  return ReadWholeFileAt(ns, path, ro);
}

Result<std::vector<WatchEvent>> WatchAll(Namespace& ns, const std::string& path,
                                         const std::string& cursor, size_t page_limit,
                                         std::string* next_cursor) {
  WatchOptions o;
  o.cursor = cursor;
  o.limit = page_limit;
  std::vector<WatchEvent> out;
  for (;;) {
    NOKV_ASSIGN_OR_RETURN(WatchPage page, ns.Watch(path, o));
    out.insert(out.end(), page.events.begin(), page.events.end());
    o.cursor = page.next_cursor;
    if (!page.more) break;
  }
  if (next_cursor != nullptr) *next_cursor = o.cursor;
  return out;
}

Result<std::string> ReadWholeFileAt(Namespace& ns, const std::string& path, const ReadOptions& ro) {
  auto reader = ns.OpenFile(path, ro);
  if (!reader.ok()) return reader.status();
  std::string out;
  Status st = (*reader)->ReadAll([&](std::string_view chunk) {
    out.append(chunk);
    return Status::OK();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<DirEntry>> ListAll(Namespace& ns, const std::string& path, uint64_t version,
                                      size_t page_limit, bool with_attrs) {
  std::vector<DirEntry> out;
  ListOptions lo;
  lo.version = version;
  lo.limit = page_limit;
  lo.with_attrs = with_attrs;
  uint64_t pinned = 0;
  for (int pages = 0;; ++pages) {
    auto page = ns.List(path, lo);
    if (!page.ok()) return page.status();
    if (pages == 0) {
      pinned = page->version;
      if (version != 0 && pinned != version) {
        return Status::Internal("List(" + path + ") at version " + std::to_string(version) +
                                " reported version " + std::to_string(pinned));
      }
    } else if (page->version != pinned) {
      return Status::Internal("List(" + path + ") page " + std::to_string(pages) +
                              " reported version " + std::to_string(page->version) +
                              ", first page " + std::to_string(pinned));
    }
    if (page->entries.size() > page_limit) {
      return Status::Internal("List(" + path + ") returned more entries than the limit");
    }
    for (auto& e : page->entries) out.push_back(std::move(e));
    if (page->next_cursor.empty()) break;
    if (page->entries.empty()) {
      return Status::Internal("List(" + path + ") returned an empty page with a cursor");
    }
    lo.cursor = page->next_cursor;
    if (pages > 1000000) return Status::Internal("List(" + path + ") does not terminate");
  }
  return out;
}

namespace {

Status DumpDir(Namespace& ns, const std::string& dir, const DumpOptions& o, uint64_t version,
               Tree* tree) {
  auto entries = ListAll(ns, dir, version, o.page_limit, o.with_attrs);
  if (!entries.ok()) return entries.status().WithContext("list " + dir);
  ReadOptions ro;
  ro.version = version;
  std::string prev;
  for (size_t i = 0; i < entries->size(); ++i) {
    const DirEntry& e = (*entries)[i];
    if (i > 0 && !(prev < e.name)) {
      return Status::Internal("List(" + dir + ") is not strictly sorted: '" + prev + "' then '" +
                              e.name + "'");
    }
    prev = e.name;
    std::string path = JoinPath(dir, e.name);
    auto info = ns.Stat(path, ro);
    if (!info.ok()) return info.status().WithContext("stat of listed entry " + path);
    if (info->kind != e.kind || info->ino != e.ino) {
      return Status::Internal("List and Stat disagree on " + path);
    }
    if (info->path != path) {
      return Status::Internal("Stat(" + path + ").path is '" + info->path + "'");
    }
    TreeNode node;
    node.info = *info;
    node.entry = e;
    if (e.kind == FileKind::kFile && o.read_bodies) {
      auto bytes = ReadWholeFile(ns, path, version);
      if (!bytes.ok()) return bytes.status().WithContext("read " + path);
      if (bytes->size() != info->size) {
        return Status::Internal("read " + path + ": " + std::to_string(bytes->size()) +
                                " bytes, stat size " + std::to_string(info->size));
      }
      if (Sha256Hex(*bytes) != info->sha256_hex) {
        return Status::Internal("read " + path + ": sha256 differs from stat sha256_hex");
      }
      node.bytes = std::move(*bytes);
    }
    bool is_dir = e.kind == FileKind::kDirectory;
    tree->emplace(path, std::move(node));
    if (is_dir) NOKV_RETURN_IF_ERROR(DumpDir(ns, path, o, version, tree));
  }
  return Status::OK();
}

}  // namespace

Result<Tree> DumpTree(Namespace& ns, const DumpOptions& options) {
  uint64_t version = options.version;
  if (version == 0) {
    // Pin every read of the walk to one version.
    ListOptions lo;
    lo.limit = 1;
    auto page = ns.List("/", lo);
    if (!page.ok()) return page.status().WithContext("list /");
    version = page->version;
    if (version == 0) version = ns.LastVersion();
  }
  Tree tree;
  ReadOptions ro;
  ro.version = version;
  auto root = ns.Stat("/", ro);
  if (!root.ok()) return root.status().WithContext("stat /");
  TreeNode node;
  node.info = *root;
  tree.emplace("/", std::move(node));
  if (version == 0) {
    // Empty namespace that has never committed: walk the newest state.
    NOKV_RETURN_IF_ERROR(DumpDir(ns, "/", options, 0, &tree));
  } else {
    NOKV_RETURN_IF_ERROR(DumpDir(ns, "/", options, version, &tree));
  }
  return tree;
}

void AddBlockKeys(const Tree& tree, std::set<std::string>* keys) {
  for (const auto& [path, node] : tree) {
    if (node.info.kind != FileKind::kFile) continue;
    for (uint64_t i = 0; i < node.info.block_count; ++i) {
      keys->insert(BlockKey(node.info.body_id, i));
    }
  }
}

uint64_t TotalBlocks(const Tree& tree) {
  uint64_t n = 0;
  for (const auto& [path, node] : tree) {
    if (node.info.kind == FileKind::kFile) n += node.info.block_count;
  }
  return n;
}

// ---------------------------------------------------------------- data

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

std::string ParentPath(std::string_view path) {
  auto pos = path.rfind('/');
  if (pos == std::string_view::npos || pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

uint64_t EnvU64(const char* name, uint64_t dflt) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? std::strtoull(v, nullptr, 10) : dflt;
}

namespace {
uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

Rng::Rng(uint64_t seed) {
  for (auto& s : s_) s = SplitMix64(&seed);
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t n) { return n == 0 ? 0 : Next() % n; }

uint64_t Rng::Range(uint64_t lo, uint64_t hi) { return lo + Uniform(hi - lo + 1); }

std::string Rng::Bytes(size_t n) {
  std::string out(n, '\0');
  size_t i = 0;
  while (i < n) {
    uint64_t v = Next();
    for (int k = 0; k < 8 && i < n; ++k, ++i) out[i] = static_cast<char>(v >> (8 * k));
  }
  return out;
}

namespace {
class RandomByteSource : public ByteSource {
 public:
  RandomByteSource(uint64_t seed, uint64_t size, bool size_known)
      : rng_(seed), left_(size), size_(size), size_known_(size_known) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t k = static_cast<size_t>(std::min<uint64_t>(n, left_));
    // Generate in 8-byte words so the stream does not depend on read sizes.
    for (size_t i = 0; i < k; ++i) {
      if (have_ == 0) {
        word_ = rng_.Next();
        have_ = 8;
      }
      buf[i] = static_cast<char>(word_);
      word_ >>= 8;
      --have_;
    }
    left_ -= k;
    return k;
  }
  std::optional<uint64_t> SizeHint() const override {
    if (!size_known_) return std::nullopt;
    return size_;
  }

 private:
  Rng rng_;
  uint64_t left_;
  uint64_t size_;
  bool size_known_;
  uint64_t word_ = 0;
  int have_ = 0;
};
}  // namespace

std::unique_ptr<ByteSource> RandomSource(uint64_t seed, uint64_t size, bool size_known) {
  return std::make_unique<RandomByteSource>(seed, size, size_known);
}

std::string RandomSourceBytes(uint64_t seed, uint64_t size) {
  RandomByteSource src(seed, size, true);
  std::string out(size, '\0');
  size_t done = 0;
  while (done < size) {
    auto n = src.Read(out.data() + done, size - done);
    done += *n;
  }
  return out;
}

// ---------------------------------------------------------------- processes

Result<std::unique_ptr<Subprocess>> Subprocess::Start(const std::vector<std::string>& argv,
                                                      const std::string& stderr_path) {
  int in_pipe[2];
  int out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe2 failed");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Status::IOError("pipe2 failed");
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in_pipe[0]);
  close(out_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    return Status::IOError("posix_spawn " + argv[0] + ": " + std::strerror(rc));
  }
  std::unique_ptr<Subprocess> p(new Subprocess());
  p->pid_ = pid;
  p->stdin_fd_ = in_pipe[1];
  p->stdout_fd_ = out_pipe[0];
  return p;
}

Subprocess::~Subprocess() {
  if (!reaped_ && pid_ > 0) KillAndWait();
  CloseStdin();
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool Subprocess::Pump(int timeout_ms) {
  if (stdout_fd_ < 0) return false;
  pollfd pfd{stdout_fd_, POLLIN, 0};
  int rc = poll(&pfd, 1, timeout_ms);
  if (rc <= 0) return true;
  char buf[65536];
  for (;;) {
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n > 0) {
      out_.append(buf, static_cast<size_t>(n));
      pollfd again{stdout_fd_, POLLIN, 0};
      if (poll(&again, 1, 0) <= 0) return true;
      continue;
    }
    if (n == 0) {
      close(stdout_fd_);
      stdout_fd_ = -1;
      return false;
    }
    if (errno == EINTR) continue;
    return true;
  }
}

std::optional<std::string> Subprocess::WaitForLine(std::string_view prefix, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    for (const auto& line : Lines()) {
      if (line.compare(0, prefix.size(), prefix) == 0) return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) return std::nullopt;
    if (!Pump(static_cast<int>(std::min<int64_t>(left, 50)))) {
      for (const auto& line : Lines()) {
        if (line.compare(0, prefix.size(), prefix) == 0) return line;
      }
      return std::nullopt;
    }
  }
}

std::vector<std::string> Subprocess::Lines() const {
  std::vector<std::string> lines;
  size_t start = 0;
  for (;;) {
    size_t nl = out_.find('\n', start);
    if (nl == std::string::npos) break;
    lines.push_back(out_.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

void Subprocess::CloseStdin() {
  if (stdin_fd_ >= 0) {
    close(stdin_fd_);
    stdin_fd_ = -1;
  }
}

int Subprocess::KillAndWait() {
  if (reaped_) return 0;
  kill(pid_, SIGKILL);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  return status;
}

std::optional<int> Subprocess::Wait(int timeout_ms) {
  if (reaped_) return 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      return status;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    Pump(10);
  }
}

void Subprocess::Drain() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (Pump(100) && std::chrono::steady_clock::now() < deadline) {
  }
}

}  // namespace nokv::test
