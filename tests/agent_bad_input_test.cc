// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Hostile and malformed inputs to the agent verbs: huge limits, deep JSON,
// invalid UTF-8, runaway regexes and globs, paths outside the namespace,
// wrong types. Every one must come back as an error or a bounded result.
#include <chrono>

#include "agent/json_text.h"
#include "agent_fixture.h"
#include "util/glob.h"

namespace nokv::test {
namespace {

using Clock = std::chrono::steady_clock;

TEST_F(AgentTest, HugeLimitsAreRefusedWithAHint) {
  for (const char* verb : {"ls", "find", "aggregate", "grep"}) {
    json args = {{"path", "/runs"}, {"limit", uint64_t{1} << 62}};
    if (std::string(verb) == "aggregate") args["measures"] = json::parse(R"([{"op":"count"}])");
    if (std::string(verb) == "grep") args["pattern"] = "x";
    agent::AgentError e = Err(verb, args);
    EXPECT_EQ(e.code, "invalid_argument") << verb;
    EXPECT_NE(e.message.find("limit"), std::string::npos) << verb;
  }
  EXPECT_EQ(Err("ls", {{"path", "/runs"}, {"limit", -1}}).code, "invalid_argument");
  EXPECT_EQ(Err("ls", {{"path", "/runs"}, {"limit", 0}}).code, "invalid_argument");
  EXPECT_EQ(Err("ls", {{"path", "/runs"}, {"limit", 2.5}}).code, "invalid_argument");
}

TEST_F(AgentTest, DeepJsonIsRejectedWithoutRecursion) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  agent::Outcome<json> parsed = agent::ParseJson(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("deeper"), std::string::npos);
  // A deep `where` value inside the allowed depth is still validated.
  json nested = 1;
  for (int i = 0; i < 40; ++i) nested = json::array({nested});
  EXPECT_EQ(
      Err("find", {{"path", "/"}, {"where", {{"field", "size"}, {"op", "eq"}, {"value", nested}}}})
          .code,
      "invalid_argument");
  // Deep bodies are sampled without blowing the stack.
  ASSERT_OK(PublishString(ns(), "/deep.json", deep));
  ASSERT_OK(PublishString(ns(), "/deep.yaml", std::string(50000, '[') + std::string(50000, ']')));
  ASSERT_OK(PublishString(ns(), "/deep.jsonl", deep + "\n"));
  for (const char* p : {"/deep.json", "/deep.yaml", "/deep.jsonl"}) {
    json card = Ok("stat", {{"path", p}});
    EXPECT_TRUE(card.contains("format")) << p;
  }
  json records = Ok("read", {{"path", "/deep.jsonl"}, {"format", "records"}});
  EXPECT_EQ(records["records"][0]["_error"], "not JSON");
}

TEST_F(AgentTest, InvalidUtf8PatternIsRejectedClearly) {
  agent::AgentError e = Err("grep", {{"path", "/runs"}, {"pattern", std::string("ab\xff\xfe")}});
  EXPECT_EQ(e.code, "invalid_pattern");
  EXPECT_NE(e.message.find("UTF-8"), std::string::npos);
  e = Err("grep", {{"path", "/runs"}, {"pattern", std::string("\xc3")}, {"regex", true}});
  EXPECT_EQ(e.code, "invalid_pattern");
}

TEST_F(AgentTest, PathologicalRegexIsBounded) {
  std::string body;
  for (int i = 0; i < 200; ++i) body += std::string(200, 'a') + "\n";
  ASSERT_OK(PublishString(ns(), "/aaa.txt", body));
  const auto start = Clock::now();
  // Exponential for a backtracking engine; linear for RE2.
  json got = Ok("grep", {{"path", "/aaa.txt"}, {"pattern", "(a+)+$b"}, {"regex", true}});
  EXPECT_TRUE(got["files"].empty());
  got = Ok("grep", {{"path", "/aaa.txt"}, {"pattern", "(a|aa)*c"}, {"regex", true}});
  EXPECT_TRUE(got["files"].empty());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(10));
  // A pattern whose compiled program is too big fails cleanly.
  agent::AgentError e =
      Err("grep",
          {{"path", "/aaa.txt"}, {"pattern", "((((a{100}){100}){100}){100})"}, {"regex", true}});
  EXPECT_EQ(e.code, "invalid_pattern");
}

TEST(GlobTest, MatchesLikeShellGlobsInLinearTime) {
  EXPECT_TRUE(GlobMatch("*/artifacts/stderr.txt", "run-1/artifacts/stderr.txt"));
  EXPECT_TRUE(GlobMatch("*.txt", "a/b/c.txt"));  // '*' crosses '/'
  EXPECT_TRUE(GlobMatch("r?n-[0-9]/*", "run-7/x"));
  EXPECT_FALSE(GlobMatch("r?n-[!0-9]/*", "run-7/x"));
  EXPECT_FALSE(GlobMatch("*.txt", "a.txt.gz"));
  EXPECT_TRUE(GlobMatch("[", "["));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  const auto start = Clock::now();
  std::string text(4096, 'a');
  EXPECT_FALSE(GlobMatch("*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(2));
}

TEST_F(AgentTest, PathsOutsideTheNamespaceAreRejected) {
  for (const std::string& p :
       {std::string("/../etc/passwd"), std::string("../x"), std::string("/runs/./r1"),
        std::string("/runs/\0x", 8), std::string("")}) {
    agent::AgentError e = Err("stat", {{"path", p}});
    EXPECT_EQ(e.code, "invalid_argument") << p;
    EXPECT_FALSE(e.hint.empty()) << p;
  }
  EXPECT_EQ(Err("grep", {{"path", "/a/../../b"}, {"pattern", "x"}}).code, "invalid_argument");
  EXPECT_EQ(Err("read", {{"path", "nokv://../../etc/passwd@gen:1#L1"}}).code, "invalid_argument");
  // A relative path is taken from the root, like the CLI does.
  EXPECT_EQ(Ok("stat", {{"path", "runs/r1"}})["path"], "/runs/r1");
}

TEST_F(AgentTest, WrongTypesAndUnknownArguments) {
  EXPECT_EQ(Err("ls", {{"path", 7}}).code, "invalid_argument");
  EXPECT_EQ(Err("ls", json::array({1})).code, "invalid_argument");
  agent::AgentError e = Err("grep", {{"path", "/"}, {"patern", "x"}});
  EXPECT_EQ(e.code, "invalid_argument");
  EXPECT_NE(e.hint.find("`pattern`"), std::string::npos);
  EXPECT_EQ(Err("grep", {{"path", "/"}, {"pattern", "x"}, {"regex", "yes"}}).code,
            "invalid_argument");
  EXPECT_EQ(Err("find", {{"path", "/"}, {"where", "size > 3"}}).code, "invalid_argument");
  EXPECT_EQ(
      Err("find", {{"path", "/"}, {"sort", json::parse(R"([{"field":"size","direction":"up"}])")}})
          .code,
      "invalid_argument");
  e = Err("lss", {{"path", "/"}});
  EXPECT_EQ(e.code, "unknown_tool");
  EXPECT_NE(e.hint.find("`ls`"), std::string::npos);
}

TEST(Utf8Test, Validation) {
  EXPECT_TRUE(agent::IsValidUtf8("plain ascii"));
  EXPECT_TRUE(agent::IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(agent::IsValidUtf8("\xc3"));              // truncated
  EXPECT_FALSE(agent::IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(agent::IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(agent::IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(agent::IsValidUtf8("\xff"));
}

}  // namespace
}  // namespace nokv::test
