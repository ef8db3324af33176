// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The agent verbs speak the CLI's --json vocabulary: `kind` is "file" or
// "directory" and a directory's entry count is `child_count`; a `kind` value
// of any other spelling is an error, never an empty answer.
#include "agent_fixture.h"

namespace nokv::test {
namespace {

TEST_F(AgentTest, KindAndChildCountUseTheCliWords) {
  json ls = Ok("ls", {{"path", "/runs"}});
  ASSERT_FALSE(ls["entries"].empty());
  for (const json& e : ls["entries"]) {
    EXPECT_EQ(e["kind"], "directory") << e.dump();
    EXPECT_TRUE(e.contains("child_count")) << e.dump();
    EXPECT_FALSE(e.contains("children")) << e.dump();
  }
  json stat = Ok("stat", {{"path", "/runs"}});
  EXPECT_EQ(stat["kind"], "directory");
  EXPECT_TRUE(stat.contains("child_count"));
  json found = Ok("find", {{"path", "/runs"}, {"where", {{"kind", "directory"}}}});
  EXPECT_FALSE(found["rows"].empty()) << found.dump();
}

TEST_F(AgentTest, AnotherKindSpellingIsAnError) {
  for (const json& where : {json{{"kind", "dir"}}, json{{"kind", json::array({"file", "d"})}},
                            json{{"kind", {{"ne", "folder"}}}}}) {
    agent::AgentError e = Err("find", {{"path", "/runs"}, {"where", where}});
    EXPECT_EQ(e.code, "invalid_argument") << where.dump();
    EXPECT_NE(e.message.find("`file` or `directory`"), std::string::npos) << e.message;
  }
  // Text predicates on kind stay allowed.
  Ok("find", {{"path", "/runs"}, {"where", {{"kind", {{"prefix", "dir"}}}}}});
}

}  // namespace
}  // namespace nokv::test
