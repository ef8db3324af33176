// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// AgentError and Outcome<T>: the agent layer's errors as values. An agent
// error is what a model sees when a call fails, so besides a stable code and a
// one-line message it carries a hint saying what to do next ("did you mean
// `size`?", "use lines:[1,200] to page"). `status` keeps the nokv::Code the
// error corresponds to, for exit codes of the command-line front door.
#ifndef NOKV_AGENT_OUTCOME_H_
#define NOKV_AGENT_OUTCOME_H_

#include <string>
#include <utility>
#include <variant>

#include <nlohmann/json.hpp>

#include "nokv/status.h"

namespace nokv::agent {

using json = nlohmann::json;

struct AgentError {
  std::string code;     // stable snake_case identifier, e.g. "unknown_field"
  std::string message;  // one line
  std::string hint;     // what to do next; may be empty
  Code status = Code::kInvalidArgument;

  // {"code":..., "message":..., "hint":...} (hint omitted when empty).
  json ToJson() const;
};

// An invalid_argument error.
AgentError BadArgument(std::string message, std::string hint = "");
// The agent error for a failed nokv call; the code is CodeName(status.code()).
AgentError ErrorFromStatus(const Status& status, std::string hint = "");

template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}           // NOLINT(google-explicit-constructor)
  Outcome(AgentError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  Outcome(const Status& status) : v_(ErrorFromStatus(status)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const AgentError& error() const { return std::get<AgentError>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, AgentError> v_;
};

// The outcome of a step that produces no value.
class [[nodiscard]] Check {
 public:
  Check() = default;
  Check(AgentError error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  Check(const Status& status)                                           // NOLINT
      : failed_(!status.ok()) {
    if (failed_) error_ = ErrorFromStatus(status);
  }
  bool ok() const { return !failed_; }
  const AgentError& error() const { return error_; }

 private:
  AgentError error_;
  bool failed_ = false;
};

namespace internal {
inline AgentError ErrorOf(const Check& c) { return c.error(); }
template <typename T>
AgentError ErrorOf(const Outcome<T>& o) {
  return o.error();
}
template <typename T>
AgentError ErrorOf(const Result<T>& r) {
  return ErrorFromStatus(r.status());
}
}  // namespace internal

}  // namespace nokv::agent

#define AGENT_CONCAT_INNER_(a, b) a##b
#define AGENT_CONCAT_(a, b) AGENT_CONCAT_INNER_(a, b)

// Returns the error of a failed Check, Outcome<T> or Result<T> expression.
#define AGENT_RETURN_IF_ERROR(expr)                                        \
  do {                                                                     \
    auto _agent_v = (expr);                                                \
    if (!_agent_v.ok()) return ::nokv::agent::internal::ErrorOf(_agent_v); \
  } while (0)

// Moves the value of an Outcome<T> or Result<T> expression into `lhs`, or
// returns its error.
#define AGENT_ASSIGN_OR_RETURN(lhs, expr) \
  AGENT_ASSIGN_OR_RETURN_IMPL_(AGENT_CONCAT_(_agent_res_, __LINE__), lhs, expr)
#define AGENT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)           \
  auto tmp = (expr);                                           \
  if (!tmp.ok()) return ::nokv::agent::internal::ErrorOf(tmp); \
  lhs = std::move(tmp).value()

#endif  // NOKV_AGENT_OUTCOME_H_
