// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Args: typed access to one verb call's argument object. Every accessor
// fails with an invalid_argument error that names the argument and the
// accepted range, so the agent can fix its call in one step.
#ifndef NOKV_AGENT_ARGS_H_
#define NOKV_AGENT_ARGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agent/outcome.h"

namespace nokv::agent {

class Args {
 public:
  // `args` must be an object and outlive this.
  explicit Args(const json& args) : args_(args) {}

  const json& raw() const { return args_; }
  // The value of `key`, or nullptr when it is absent or null.
  const json* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }

  Outcome<std::string> String(std::string_view key) const;  // required
  Outcome<std::string> String(std::string_view key, std::string dflt) const;
  // An integer in [min, max]; `dflt` when absent.
  Outcome<uint64_t> Uint(std::string_view key, uint64_t dflt, uint64_t min, uint64_t max) const;
  Outcome<bool> Bool(std::string_view key, bool dflt) const;
  // `key` as a normalized namespace path (required).
  Outcome<std::string> Path(std::string_view key = "path") const;

 private:
  const json& args_;
};

// Normalizes a namespace path given by an agent. A relative path is taken
// from the root; ".." and the like are rejected with a hint.
Outcome<std::string> NormalizeAgentPath(const std::string& path);

// Fails unless `args` is an object whose keys all appear in `allowed`.
Check CheckArgumentNames(std::string_view verb, const json& args,
                         const std::vector<std::string>& allowed);

// Short type name of a JSON value for messages: "string", "number", ...
std::string JsonTypeName(const json& value);

}  // namespace nokv::agent

#endif  // NOKV_AGENT_ARGS_H_
