// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Golden tests of the ls and stat agent verbs on the fixture namespace.
#include "agent_fixture.h"

namespace nokv::test {
namespace {

TEST_F(AgentTest, LsListsChildrenInNameOrder) {
  json got = Ok("ls", {{"path", "/runs/r1"}});
  json want = json::parse(R"({
    "path": "/runs/r1", "version": 2, "total": 5,
    "entries": [
      {"name": "config.yaml", "kind": "file", "size": 33},
      {"name": "logs", "kind": "directory", "child_count": 1},
      {"name": "metadata.json", "kind": "file", "size": 68},
      {"name": "metrics.csv", "kind": "file", "size": 34},
      {"name": "metrics.jsonl", "kind": "file", "size": 101}]})");
  EXPECT_EQ(got, want);
}

TEST_F(AgentTest, LsPagesWithCursorPinnedToOneVersion) {
  json first = Ok("ls", {{"path", "/runs/r1"}, {"limit", 2}});
  ASSERT_EQ(first["entries"].size(), 2u);
  ASSERT_TRUE(first.contains("next_cursor"));
  // A publish between pages must not show up in later pages.
  ASSERT_OK(PublishString(ns(), "/runs/r1/aaa-new", "x"));
  std::vector<std::string> names;
  for (const json& e : first["entries"]) names.push_back(e["name"]);
  json page = first;
  while (page.contains("next_cursor")) {
    page = Ok("ls", {{"path", "/runs/r1"}, {"limit", 2}, {"cursor", page["next_cursor"]}});
    EXPECT_EQ(page["version"], 2);
    for (const json& e : page["entries"]) names.push_back(e["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"config.yaml", "logs", "metadata.json", "metrics.csv",
                                             "metrics.jsonl"}));
  // A fresh listing sees the new file.
  EXPECT_EQ(Ok("ls", {{"path", "/runs/r1"}})["entries"][0]["name"], "aaa-new");
}

TEST_F(AgentTest, LsErrors) {
  EXPECT_EQ(Err("ls", {{"path", "/nope"}}).code, "not_found");
  agent::AgentError e = Err("ls", {{"path", "/runs/r1/metadata.json"}});
  EXPECT_EQ(e.code, "not_directory");
  EXPECT_NE(e.hint.find("stat"), std::string::npos);
  EXPECT_EQ(Err("ls", json::object()).code, "invalid_argument");  // path is required
  e = Err("ls", {{"path", "/runs"}, {"cursor", "c-not-a-cursor"}});
  EXPECT_EQ(e.code, "invalid_cursor");
  // A cursor of another query is refused rather than skipping rows.
  json page = Ok("ls", {{"path", "/runs/r1"}, {"limit", 1}});
  e = Err("ls", {{"path", "/runs"}, {"cursor", page["next_cursor"]}});
  EXPECT_EQ(e.code, "invalid_cursor");
}

TEST_F(AgentTest, LsAtOlderVersion) {
  ASSERT_OK(PublishString(ns(), "/runs/r3/x", "1"));
  EXPECT_EQ(Ok("ls", {{"path", "/runs"}})["total"], 3);
  json old = Ok("ls", {{"path", "/runs"}, {"at", 2}});
  EXPECT_EQ(old["total"], 2);
  EXPECT_EQ(old["version"], 2);
  EXPECT_EQ(Ok("ls", {{"path", "/runs"}, {"at", "2"}})["total"], 2);
  EXPECT_EQ(Err("ls", {{"path", "/runs"}, {"at", 99}}).code, "invalid_version");
  agent::AgentError e = Err("ls", {{"path", "/runs"}, {"at", "best-run"}});
  EXPECT_EQ(e.code, "not_found");
  EXPECT_NE(e.hint.find("snapshot"), std::string::npos);
}

TEST_F(AgentTest, AtTakesASnapshotName) {
  ASSERT_OK(ns().CreateSnapshot("/runs", {"before", 0}));
  ASSERT_OK(PublishString(ns(), "/runs/r3/x", "1"));
  EXPECT_EQ(Ok("ls", {{"path", "/runs"}, {"at", "before"}})["total"], 2);
  EXPECT_EQ(Ok("ls", {{"path", "/runs"}})["total"], 3);
  EXPECT_EQ(Err("ls", {{"path", "/"}, {"at", "before"}}).code, "invalid_argument");
}

json WithoutTimes(json card) {
  card.erase("mtime");
  return card;
}

TEST_F(AgentTest, StatJsonCard) {
  json got = WithoutTimes(Ok("stat", {{"path", "/runs/r1/metadata.json"}}));
  json want = json::parse(R"({
    "path": "/runs/r1/metadata.json", "kind": "file", "version": 2, "changed_at_version": 2,
    "size": 68, "generation": 1, "content_type": "application/json", "format": "json",
    "records": 1,
    "schema": {"batch": "int", "lr": "float", "opt.name": "string", "status": "string"},
    "samples": [{"batch": 64, "lr": 0.0003, "opt": {"name": "adam"}, "status": "ok"}]})");
  EXPECT_EQ(got, want);
}

TEST_F(AgentTest, StatStructuredFormats) {
  json jsonl = Ok("stat", {{"path", "/runs/r1/metrics.jsonl"}});
  EXPECT_EQ(jsonl["format"], "jsonl");
  EXPECT_EQ(jsonl["schema"], json::parse(R"({"loss": "float", "step": "int"})"));
  EXPECT_EQ(jsonl["samples"].size(), 3u);  // at most 3 samples
  EXPECT_EQ(jsonl["samples"][2], json::parse(R"({"step": 3, "loss": 1.5})"));

  json csv = Ok("stat", {{"path", "/runs/r1/metrics.csv"}});
  EXPECT_EQ(csv["format"], "csv");
  EXPECT_EQ(csv["schema"], json::parse(R"({"loss": "float", "step": "int", "tag": "string"})"));
  EXPECT_EQ(csv["samples"][1], json::parse(R"({"step": 2, "loss": 2.0, "tag": "b,c"})"));

  json yaml = Ok("stat", {{"path", "/runs/r1/config.yaml"}});
  EXPECT_EQ(yaml["format"], "yaml");
  EXPECT_EQ(yaml["schema"], json::parse(R"({"layers": "array", "lr": "float", "name": "string"})"));

  json text = Ok("stat", {{"path", "/runs/r1/logs/stdout.txt"}});
  EXPECT_EQ(text["format"], "text");
  EXPECT_EQ(text["samples"], json::parse(R"(["step 1 loss 4999", "step 2 loss 4998",
                                            "step 3 loss 4997"])"));
  EXPECT_EQ(text["size"], StepLog(kLogLines).size());

  json bin = Ok("stat", {{"path", "/runs/r2/model.bin"}});
  EXPECT_EQ(bin["format"], "binary");
  EXPECT_FALSE(bin.contains("samples"));
}

TEST_F(AgentTest, StatDirectoryAndErrors) {
  json dir = WithoutTimes(Ok("stat", {{"path", "/runs"}}));
  EXPECT_EQ(dir, json::parse(R"({"path": "/runs", "kind": "directory", "version": 2,
                                 "changed_at_version": 2, "child_count": 2})"));
  EXPECT_EQ(Err("stat", {{"path", "/runs/r9"}}).code, "not_found");
}

TEST_F(AgentTest, StatSamplesAreBounded) {
  std::string big = "[";
  for (int i = 0; i < 1000; ++i) {  // about 300 KiB: more than stat's 64 KiB head
    big += std::string(i ? "," : "") + R"({"i":)" + std::to_string(i) + R"(,"s":")" +
           std::string(300, 'x') + "\"}";
  }
  big += "]";
  ASSERT_OK(PublishString(ns(), "/big.json", big));
  json card = Ok("stat", {{"path", "/big.json"}});
  EXPECT_EQ(card["format"], "json");
  EXPECT_EQ(card["schema"], json::parse(R"({"i": "int", "s": "string"})"));
  ASSERT_EQ(card["samples"].size(), 3u);
  // Long strings are cut for display.
  EXPECT_LT(card["samples"][0]["s"].get<std::string>().size(), 200u);
  EXPECT_LT(card.dump().size(), 2000u);
}

}  // namespace
}  // namespace nokv::test
