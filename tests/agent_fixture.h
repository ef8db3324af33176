// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The fixture namespace of the agent verb tests: two runs with structured
// files, logs that span several blocks, a binary body and an empty
// directory, published in one commit (version 2). Calls go through
// agent::Agent, as the CLI and MCP front doors do.
#ifndef NOKV_TESTS_AGENT_FIXTURE_H_
#define NOKV_TESTS_AGENT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "agent/agent.h"
#include "test_util.h"

namespace nokv::test {

using agent::json;

// Lines "step N loss M" for N = 1..n (M = 5000 - N): a log of many blocks.
inline std::string StepLog(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) {
    out += "step " + std::to_string(i) + " loss " + std::to_string(5000 - i) + "\n";
  }
  return out;
}

inline constexpr int kLogLines = 3000;

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(ns_, OpenTestNamespace(dir_.path()));
    std::vector<PublishItem> items;
    items.push_back(
        MakeItem("/runs/r1/metadata.json",
                 R"({"lr": 0.0003, "batch": 64, "status": "ok", "opt": {"name": "adam"}})"));
    items.push_back(MakeItem("/runs/r1/metrics.jsonl",
                             "{\"step\": 1, \"loss\": 2.5}\n{\"step\": 2, \"loss\": 2.0}\n"
                             "{\"step\": 3, \"loss\": 1.5}\n{\"step\": 4, \"loss\": 1.25}\n"));
    items.push_back(MakeItem("/runs/r1/metrics.csv", "step,loss,tag\n1,2.5,a\n2,2.0,\"b,c\"\n"));
    items.push_back(MakeItem("/runs/r1/config.yaml", "lr: 0.1\nlayers: [1, 2]\nname: \"x\"\n"));
    items.push_back(MakeItem("/runs/r1/logs/stdout.txt", StepLog(kLogLines)));
    items.push_back(
        MakeItem("/runs/r2/metadata.json", R"({"lr": 0.001, "batch": 32, "status": "failed"})"));
    items.push_back(
        MakeItem("/runs/r2/logs/stderr.txt", "error: NaN at step 7\nok\nError: CUDA OOM\n"));
    items.push_back(MakeItem("/runs/r2/model.bin", std::string("\0\1\2binary\0", 10)));
    PublishOptions options;
    options.directories = {"/empty"};
    ASSERT_OK_AND_ASSIGN(PublishResult published, ns_->Publish(std::move(items), options));
    ASSERT_EQ(published.version, 2u);
    agent_ = std::make_unique<agent::Agent>(ns_.get());
  }

  // A successful call's result (fails the test otherwise).
  json Ok(const std::string& verb, const json& args) {
    agent::Outcome<json> r = agent_->Call(verb, args);
    EXPECT_TRUE(r.ok()) << verb << " " << args.dump()
                        << " failed: " << (r.ok() ? "" : r.error().ToJson().dump());
    return r.ok() ? r.value() : json();
  }

  // A failed call's error (fails the test if it succeeded).
  agent::AgentError Err(const std::string& verb, const json& args) {
    agent::Outcome<json> r = agent_->Call(verb, args);
    EXPECT_FALSE(r.ok()) << verb << " " << args.dump()
                         << " succeeded: " << (r.ok() ? r.value().dump() : "");
    return r.ok() ? agent::AgentError{} : r.error();
  }

  Namespace& ns() { return *ns_; }

  TempDir dir_;
  std::unique_ptr<Namespace> ns_;
  std::unique_ptr<agent::Agent> agent_;
};

}  // namespace nokv::test

#endif  // NOKV_TESTS_AGENT_FIXTURE_H_
