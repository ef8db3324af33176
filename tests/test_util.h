// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Shared helpers for the nokv test suite: temporary directories, namespaces
// opened with small block sizes, whole-file reads, a namespace walker, a
// deterministic RNG, a subprocess runner and gtest assertions for Status.
#ifndef NOKV_TESTS_TEST_UTIL_H_
#define NOKV_TESTS_TEST_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nokv/byte_source.h"
#include "nokv/namespace.h"
#include "nokv/status.h"
#include "nokv/types.h"

namespace nokv {

// Lets gtest print codes by name in failure messages.
inline void PrintTo(Code code, std::ostream* os) { *os << CodeName(code); }
inline void PrintTo(const Status& status, std::ostream* os) { *os << status.ToString(); }

namespace test {

// ---------------------------------------------------------------- files

// A fresh directory under $TMPDIR (or /tmp), removed recursively on
// destruction unless NOKV_KEEP_TEST_DIRS is set in the environment.
class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "nokv-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name (not created).
  std::string Sub(std::string_view name) const;

 private:
  std::string path_;
};

// Every regular file below `dir`, recursively, sorted. Empty if `dir` is missing.
std::vector<std::string> ListRegularFiles(const std::string& dir);
// Where the default local block store of a data dir keeps its objects.
std::string BlocksDir(const std::string& data_dir);
std::string ReadLocalFile(const std::string& path);
void WriteLocalFile(const std::string& path, std::string_view data);

// ---------------------------------------------------------------- namespaces

// Small sizes so multi-block bodies are cheap in tests.
inline constexpr uint64_t kTestInlineThreshold = 1024;
inline constexpr uint64_t kTestBlockSize = 4096;

// Options with inline_threshold 1 KiB, block_size 4 KiB and sync off (tests
// never lose power; crash tests that need durability set sync themselves).
Options TestOptions(const std::string& data_dir);
Result<std::unique_ptr<Namespace>> OpenTestNamespace(const std::string& data_dir,
                                                     bool read_only = false);

// When NOKV_TEST_STORE is set (s3://BUCKET/PREFIX), TestOptions and
// CrashWriterOptions put bodies there, under a sub-prefix named after the
// data dir so tests never share objects; S3 settings come from the
// environment (NOKV_S3_ENDPOINT, AWS_*), as scripts/rgw.sh exec sets them.
// Otherwise the data dir's local store is used.
void ApplyTestStore(Options* options);
// Keys of every object the namespace of `data_dir` (opened with
// ApplyTestStore) has in its store (local files or S3 objects), relative to
// the store's root, as BlockKey names them.
std::vector<std::string> ListStoredObjects(const std::string& data_dir);

// The options of tests/crash_writer_main.cc (and of tests that open its data
// dir): 64 KiB blocks, 16 KiB inline threshold, synced commits.
inline constexpr uint64_t kCrashBlockSize = 64 * 1024;
inline constexpr uint64_t kCrashInlineThreshold = 16 * 1024;
Options CrashWriterOptions(const std::string& data_dir);

PublishItem MakeItem(std::string path, std::string data, Precondition pre = Precondition::None());
Result<PublishResult> PublishString(Namespace& ns, const std::string& path, std::string data,
                                    Precondition pre = Precondition::None(),
                                    const PublishOptions& options = {});

// OpenFile + ReadAll; the whole body as a string.
Result<std::string> ReadWholeFile(Namespace& ns, const std::string& path, uint64_t version = 0);
Result<std::string> ReadWholeFileAt(Namespace& ns, const std::string& path, const ReadOptions& at);
// Every event of the subtree at `path` after `cursor`, following pages of
// `page_limit`; *next_cursor (if given) resumes after them.
Result<std::vector<WatchEvent>> WatchAll(Namespace& ns, const std::string& path,
                                         const std::string& cursor, size_t page_limit = 1000,
                                         std::string* next_cursor = nullptr);
// Every entry of a directory, following cursors with pages of `page_limit`.
// Fails if the pages do not all report the same version.
Result<std::vector<DirEntry>> ListAll(Namespace& ns, const std::string& path, uint64_t version = 0,
                                      size_t page_limit = 1000, bool with_attrs = false);

// One path of a namespace walk.
struct TreeNode {
  FileInfo info;      // Stat of the path
  std::string bytes;  // files only, when bodies were read
  DirEntry entry;     // as listed in the parent (unused for "/")
};
using Tree = std::map<std::string, TreeNode>;

struct DumpOptions {
  uint64_t version = 0;     // 0: pinned to the version of the first listing
  bool read_bodies = true;  // read every file body (verifies digests)
  size_t page_limit = 1000;
  bool with_attrs = false;
};
// Walks the namespace from "/" (included) at one version: List + Stat of every
// entry and, optionally, the body of every file. Checks that listed entries
// agree with Stat (kind, ino) and that bodies match sha256_hex and size.
Result<Tree> DumpTree(Namespace& ns, const DumpOptions& options = {});

// Sum of FileInfo::block_count over the files of a tree.
uint64_t TotalBlocks(const Tree& tree);
// Adds the object key of every block of every file of `tree` to *keys.
void AddBlockKeys(const Tree& tree, std::set<std::string>* keys);

// ---------------------------------------------------------------- data

std::string Sha256Hex(std::string_view data);
std::string JoinPath(std::string_view dir, std::string_view name);
std::string ParentPath(std::string_view path);  // "/" for top-level entries

// The value of an unsigned integer environment variable, or `dflt` if unset.
uint64_t EnvU64(const char* name, uint64_t dflt);

// Deterministic across platforms and standard libraries (xoshiro256**).
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  uint64_t Uniform(uint64_t n);              // [0, n); n > 0
  uint64_t Range(uint64_t lo, uint64_t hi);  // [lo, hi]
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }
  bool Percent(uint64_t p) { return Uniform(100) < p; }
  std::string Bytes(size_t n);
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(v.size())];
  }

 private:
  uint64_t s_[4];
};

// A ByteSource of `size` pseudo-random bytes that never holds them all.
std::unique_ptr<ByteSource> RandomSource(uint64_t seed, uint64_t size, bool size_known = true);
// The bytes RandomSource(seed, size) produces.
std::string RandomSourceBytes(uint64_t seed, uint64_t size);

// ---------------------------------------------------------------- processes

// A child process started with posix_spawn. stdin and stdout are pipes;
// stderr goes to a file. The destructor kills (SIGKILL) and reaps it.
class Subprocess {
 public:
  static Result<std::unique_ptr<Subprocess>> Start(const std::vector<std::string>& argv,
                                                   const std::string& stderr_path);
  ~Subprocess();

  pid_t pid() const { return pid_; }
  // Reads what is available on stdout, waiting up to `timeout_ms` for the
  // first byte (0: do not wait). Returns false at EOF.
  bool Pump(int timeout_ms);
  // Waits up to `timeout_ms` for a complete line that starts with `prefix`.
  std::optional<std::string> WaitForLine(std::string_view prefix, int timeout_ms);
  // Everything read from stdout so far.
  const std::string& output() const { return out_; }
  // Complete ('\n'-terminated) lines read so far.
  std::vector<std::string> Lines() const;
  void CloseStdin();
  // SIGKILL + waitpid; returns the wait status.
  int KillAndWait();
  // waitpid with a timeout; nullopt if it did not exit in time.
  std::optional<int> Wait(int timeout_ms);
  // Reads stdout until EOF (after the process is gone).
  void Drain();

 private:
  Subprocess() = default;
  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  bool reaped_ = false;
  std::string out_;
};

}  // namespace test
}  // namespace nokv

// ---------------------------------------------------------------- assertions

namespace nokv::test::internal {
inline const ::nokv::Status& StatusOf(const ::nokv::Status& s) { return s; }
template <typename T>
const ::nokv::Status& StatusOf(const ::nokv::Result<T>& r) {
  return r.status();
}

template <typename T>
::testing::AssertionResult AssertOk(const char* expr, const T& value) {
  const ::nokv::Status& s = StatusOf(value);
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << expr << " failed: " << s.ToString();
}

template <typename T>
::testing::AssertionResult AssertCode(const char* expr, const char* /*code_expr*/, const T& value,
                                      ::nokv::Code want) {
  const ::nokv::Status& s = StatusOf(value);
  if (s.code() == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << expr << " returned " << s.ToString() << ", want " << ::nokv::CodeName(want);
}

template <typename T>
::testing::AssertionResult AssertCodeIn(const char* expr, const char* /*codes_expr*/,
                                        const T& value, std::initializer_list<::nokv::Code> want) {
  const ::nokv::Status& s = StatusOf(value);
  std::string names;
  for (auto c : want) {
    if (c == s.code()) return ::testing::AssertionSuccess();
    names += names.empty() ? "" : "|";
    names += ::nokv::CodeName(c);
  }
  return ::testing::AssertionFailure()
         << expr << " returned " << s.ToString() << ", want one of " << names;
}
}  // namespace nokv::test::internal

// All of these take a Status or a Result<T>, print status.ToString() on
// failure and accept `<< "more context"`.
#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::nokv::test::internal::AssertOk, expr)
#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::nokv::test::internal::AssertOk, expr)
// Failure with exactly this code.
#define ASSERT_CODE(expr, want) ASSERT_PRED_FORMAT2(::nokv::test::internal::AssertCode, expr, want)
#define EXPECT_CODE(expr, want) EXPECT_PRED_FORMAT2(::nokv::test::internal::AssertCode, expr, want)
// Failure with one of the codes: EXPECT_CODE_IN(x, {Code::kA, Code::kB}).
#define EXPECT_CODE_IN(expr, ...)                                 \
  EXPECT_PRED_FORMAT2(::nokv::test::internal::AssertCodeIn, expr, \
                      (std::initializer_list<::nokv::Code> __VA_ARGS__))

#define NOKV_TEST_CONCAT_INNER_(a, b) a##b
#define NOKV_TEST_CONCAT_(a, b) NOKV_TEST_CONCAT_INNER_(a, b)
// ASSERT_OK_AND_ASSIGN(auto x, ResultExpr()); moves the value into `lhs`.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(NOKV_TEST_CONCAT_(_nokv_res_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)                          \
  auto tmp = (expr);                                                        \
  ASSERT_TRUE(tmp.ok()) << #expr << " failed: " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

#endif  // NOKV_TESTS_TEST_UTIL_H_
