// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Status and Result<T>: errors as values across every module boundary.
//
// A Status is either OK or carries a Code plus a human-readable message that
// says what went wrong and, where possible, what to do next. Status objects are
// cheap to copy when OK (no allocation). Thread safety: a Status is a value;
// distinct objects may be used from distinct threads freely.
#ifndef NOKV_STATUS_H_
#define NOKV_STATUS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nokv {

enum class Code : uint8_t {
  kOk = 0,
  kInvalidArgument,  // malformed path, bad option, usage error
  kNotFound,         // path or object does not exist
  kAlreadyExists,    // create-if-absent found something
  kConflict,         // a predicate (generation, absent, ...) did not hold
  kNotDirectory,     // a path component or target is a file
  kIsDirectory,      // a file operation addressed a directory
  kNotEmpty,         // directory removal without recursion
  kCorruption,       // checksum/digest mismatch, undecodable record
  kIOError,          // the disk or object store failed
  kNoSpace,          // the disk or store is full
  kBusy,             // the data dir is held by another writer
  kInternal,         // a bug in nokv
  kExpired,          // a cursor, version or snapshot is older than what is retained
};

// Stable lower-case name of a code, e.g. "not_found". Used in JSON output.
std::string_view CodeName(Code code);

class Status {
 public:
  Status() = default;  // OK

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) {
    return {Code::kInvalidArgument, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {Code::kAlreadyExists, std::move(msg)}; }
  static Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
  static Status NotDirectory(std::string msg) { return {Code::kNotDirectory, std::move(msg)}; }
  static Status IsDirectory(std::string msg) { return {Code::kIsDirectory, std::move(msg)}; }
  static Status NotEmpty(std::string msg) { return {Code::kNotEmpty, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {Code::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {Code::kIOError, std::move(msg)}; }
  static Status NoSpace(std::string msg) { return {Code::kNoSpace, std::move(msg)}; }
  static Status Busy(std::string msg) { return {Code::kBusy, std::move(msg)}; }
  static Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }
  static Status Expired(std::string msg) { return {Code::kExpired, std::move(msg)}; }

  bool ok() const { return rep_ == nullptr; }
  Code code() const { return rep_ ? rep_->code : Code::kOk; }
  // The message without the code prefix; empty when OK.
  const std::string& message() const;
  // "not_found: /runs/x does not exist" style text; "ok" when OK.
  std::string ToString() const;

  // Returns a copy whose message is "context: message". OK stays OK.
  Status WithContext(std::string_view context) const;

  bool IsNotFound() const { return code() == Code::kNotFound; }

 private:
  struct Rep {
    Code code;
    std::string message;
  };
  Status(Code code, std::string msg)
      : rep_(std::make_shared<const Rep>(Rep{code, std::move(msg)})) {}

  std::shared_ptr<const Rep> rep_;  // null means OK; immutable once built
};

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace nokv

// Propagates a non-OK Status from an expression returning Status.
#define NOKV_RETURN_IF_ERROR(expr) \
  do {                             \
    ::nokv::Status _st = (expr);   \
    if (!_st.ok()) return _st;     \
  } while (0)

#define NOKV_CONCAT_INNER_(a, b) a##b
#define NOKV_CONCAT_(a, b) NOKV_CONCAT_INNER_(a, b)
// Assigns the value of a Result expression to `lhs` or returns its Status.
#define NOKV_ASSIGN_OR_RETURN(lhs, expr) \
  NOKV_ASSIGN_OR_RETURN_IMPL_(NOKV_CONCAT_(_res_, __LINE__), lhs, expr)
#define NOKV_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#endif  // NOKV_STATUS_H_
