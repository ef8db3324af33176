// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the read and grep agent verbs: budgets and paging, formats,
// evidence references across generations, grep modes and bounds.
#include <chrono>

#include "agent/base64.h"
#include "agent_fixture.h"

namespace nokv::test {
namespace {

constexpr const char* kLog = "/runs/r1/logs/stdout.txt";

std::string Lines(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) {
    out += "step " + std::to_string(i) + " loss " + std::to_string(5000 - i) + "\n";
  }
  return out;
}

TEST_F(AgentTest, ReadLineRange) {
  json got = Ok("read", {{"path", kLog}, {"lines", {10, 12}}});
  EXPECT_EQ(got["text"], Lines(10, 12));
  EXPECT_EQ(got["lines"], json::array({10, 12}));
  EXPECT_EQ(got["generation"], 1);
  EXPECT_FALSE(got.contains("next_cursor"));
  // The last lines of a log that spans many blocks.
  got = Ok("read", {{"path", kLog}, {"lines", {kLogLines - 1, -1}}});
  EXPECT_EQ(got["text"], Lines(kLogLines - 1, kLogLines));
  EXPECT_EQ(got["remaining_bytes"], 0);
  got = Ok("read", {{"path", kLog}, {"lines", {kLogLines + 5, kLogLines + 9}}});
  EXPECT_EQ(got["lines"], json::array());
  EXPECT_NE(got["hint"].get<std::string>().find("3000 lines"), std::string::npos);
}

TEST_F(AgentTest, ReadWholeLogByPagesNeverRefused) {
  json page = Ok("read", {{"path", kLog}});
  ASSERT_TRUE(page.contains("next_cursor"));
  EXPECT_LE(page["text"].get<std::string>().size(), 8192u);  // the default budget
  EXPECT_NE(page["hint"].get<std::string>().find("lines:["), std::string::npos);
  std::string all = page["text"];
  int pages = 1;
  while (page.contains("next_cursor")) {
    page = Ok("read", {{"path", kLog}, {"length", 65536}, {"cursor", page["next_cursor"]}});
    all += page["text"].get<std::string>();
    ++pages;
  }
  EXPECT_EQ(all, StepLog(kLogLines));
  EXPECT_GT(pages, 1);
  EXPECT_EQ(page["remaining_bytes"], 0);
}

TEST_F(AgentTest, ReadBudgetIsCapped) {
  EXPECT_EQ(Err("read", {{"path", kLog}, {"length", 1 << 30}}).code, "invalid_argument");
  json got = Ok("read", {{"path", kLog}, {"length", 262144}});
  EXPECT_LE(got["text"].get<std::string>().size(), 262144u);
}

TEST_F(AgentTest, ReadBytesAndOffsets) {
  json got = Ok("read", {{"path", "/runs/r2/model.bin"}});
  EXPECT_EQ(got["data"], agent::Base64Encode(std::string("\0\1\2binary\0", 10)));
  got = Ok("read", {{"path", kLog}, {"offset", 5}, {"length", 10}, {"format", "bytes"}});
  EXPECT_EQ(*agent::Base64Decode(got["data"].get<std::string>()), StepLog(1).substr(5, 10));
  EXPECT_EQ(got["next_offset"], 15);
  got = Ok("read", {{"path", kLog},
                    {"cursor", got["next_cursor"]},
                    {"offset", 5},
                    {"length", 10},
                    {"format", "bytes"}});
  EXPECT_EQ(got["offset"], 15);
  EXPECT_EQ(Err("read", {{"path", kLog}, {"offset", 1 << 30}}).code, "invalid_argument");
}

TEST_F(AgentTest, ReadRecords) {
  json got =
      Ok("read", {{"path", "/runs/r1/metrics.jsonl"}, {"format", "records"}, {"lines", {2, 3}}});
  EXPECT_EQ(got["records"], json::parse(R"([{"step":2,"loss":2.0},{"step":3,"loss":1.5}])"));
  got = Ok("read", {{"path", "/runs/r1/metrics.csv"}, {"format", "records"}});
  EXPECT_EQ(got["records"],
            json::parse(R"([{"step":1,"loss":2.5,"tag":"a"},{"step":2,"loss":2.0,"tag":"b,c"}])"));
  got = Ok("read", {{"path", "/runs/r1/config.yaml"}, {"format", "records"}});
  EXPECT_EQ(got["records"], json::parse(R"([{"lr":0.1,"layers":[1,2],"name":"x"}])"));
  got = Ok("read", {{"path", "/runs/r1/metadata.json"}, {"format", "records"}});
  EXPECT_EQ(got["total_records"], 1);
}

TEST_F(AgentTest, ReadErrors) {
  agent::AgentError e = Err("read", {{"path", "/runs"}});
  EXPECT_EQ(e.code, "is_directory");
  EXPECT_EQ(Err("read", {{"path", "/nope.txt"}}).code, "not_found");
  EXPECT_EQ(Err("read", {{"path", kLog}, {"lines", {5, 2}}}).code, "invalid_argument");
  EXPECT_EQ(Err("read", {{"path", kLog}, {"lines", {0, 2}}}).code, "invalid_argument");
  EXPECT_EQ(Err("read", {{"path", kLog}, {"format", "xml"}}).code, "invalid_argument");
}

TEST_F(AgentTest, GrepFindsLinesWithEvidenceRefs) {
  json got = Ok(
      "grep",
      {{"path", "/runs"}, {"pattern", "error"}, {"ignore_case", true}, {"glob", "*/logs/*.txt"}});
  json want = json::parse(R"([
    {"path": "/runs/r2/logs/stderr.txt", "ref": "nokv://runs/r2/logs/stderr.txt@gen:1",
     "lines": [[1, "error: NaN at step 7"], [3, "Error: CUDA OOM"]]}])");
  EXPECT_EQ(got["files"], want);
  EXPECT_EQ(got["files_searched"], 2);
  // Case matters unless asked otherwise.
  EXPECT_EQ(Ok("grep", {{"path", "/runs"}, {"pattern", "Error"}})["files"][0]["lines"].size(), 1u);
}

TEST_F(AgentTest, EvidenceRefReadsThatGeneration) {
  json file = Ok("grep", {{"path", "/runs/r2"}, {"pattern", "CUDA"}})["files"][0];
  ASSERT_EQ(file["lines"][0][0], 3);
  const std::string ref = file["ref"].get<std::string>() + "#L3";
  json got = Ok("read", {{"path", ref}});
  EXPECT_EQ(got["text"], "Error: CUDA OOM\n");
  EXPECT_EQ(got["lines"], json::array({3, 3}));
  // Replace the file: the ref still shows generation 1.
  ASSERT_OK(PublishString(ns(), "/runs/r2/logs/stderr.txt", "all good\n"));
  got = Ok("read", {{"path", ref}});
  EXPECT_EQ(got["text"], "Error: CUDA OOM\n");
  EXPECT_EQ(got["generation"], 1);
  // Without a line the reference reads the whole generation.
  EXPECT_EQ(Ok("read", {{"path", file["ref"]}})["text"],
            "error: NaN at step 7\nok\nError: CUDA OOM\n");
  EXPECT_EQ(Ok("read", {{"path", "nokv://runs/r2/logs/stderr.txt@gen:2#L1"}})["text"],
            "all good\n");
  agent::AgentError e = Err("read", {{"path", "nokv://runs/r2/logs/stderr.txt@gen:7#L1"}});
  EXPECT_EQ(e.code, "generation_unavailable");
  EXPECT_EQ(Err("read", {{"path", "nokv://runs/r2/logs/stderr.txt#L1"}}).code, "invalid_argument");
  // Gone entirely.
  ASSERT_OK(ns().Remove("/runs/r2/logs/stderr.txt", false, Precondition::None(), {}));
  EXPECT_EQ(Err("read", {{"path", ref}}).code, "not_found");
}

TEST_F(AgentTest, GrepModes) {
  json count = Ok("grep", {{"path", "/runs"}, {"pattern", "step"}, {"mode", "count"}});
  EXPECT_EQ(count["files"], json::parse(R"([
    {"path": "/runs/r1/logs/stdout.txt", "count": 3000},
    {"path": "/runs/r1/metrics.csv", "count": 1},
    {"path": "/runs/r1/metrics.jsonl", "count": 4},
    {"path": "/runs/r2/logs/stderr.txt", "count": 1}])"));
  EXPECT_EQ(count["total"], 3006);
  EXPECT_EQ(count["skipped_binary"], 1);  // model.bin
  json files = Ok("grep", {{"path", "/runs"}, {"pattern", "loss"}, {"mode", "files"}});
  EXPECT_EQ(files["files"], json::parse(R"(["/runs/r1/logs/stdout.txt", "/runs/r1/metrics.csv",
                                             "/runs/r1/metrics.jsonl"])"));
  json last = Ok(
      "grep",
      {{"path", "/runs/r1"}, {"pattern", "loss 20[0-9][0-9]$"}, {"regex", true}, {"mode", "last"}});
  ASSERT_EQ(last["files"].size(), 1u);
  EXPECT_EQ(last["files"][0]["lines"], json::parse(R"([[3000, "step 3000 loss 2000"]])"));
}

TEST_F(AgentTest, GrepContextAndPaging) {
  json args = {
      {"path", kLog}, {"pattern", "loss 4[0-9]00$"}, {"regex", true}, {"context", 1}, {"limit", 4}};
  json page = Ok("grep", args);
  ASSERT_EQ(page["files"].size(), 1u);
  ASSERT_EQ(page["files"][0]["lines"].size(), 4u);
  // [line, text, before, after]
  EXPECT_EQ(page["files"][0]["lines"][0], json::parse(R"([100, "step 100 loss 4900",
      ["step 99 loss 4901"], ["step 101 loss 4899"]])"));
  std::vector<int> lines;
  while (true) {
    for (const json& f : page["files"]) {
      for (const json& m : f["lines"]) lines.push_back(m[0]);
    }
    if (!page.contains("next_cursor")) break;
    json next = args;
    next["cursor"] = page["next_cursor"];
    page = Ok("grep", next);
  }
  std::vector<int> want;
  for (int i = 100; i <= 1000; i += 100) want.push_back(i);
  EXPECT_EQ(lines, want);
}

TEST_F(AgentTest, GrepGlobIsRelativeToPath) {
  json got =
      Ok("grep", {{"path", "/runs/r1"}, {"pattern", "step"}, {"glob", "*.csv"}, {"mode", "files"}});
  EXPECT_EQ(got["files"], json::array({"/runs/r1/metrics.csv"}));
  got = Ok("grep",
           {{"path", "/runs"}, {"pattern", "step"}, {"glob", "r?/logs/*"}, {"mode", "files"}});
  EXPECT_EQ(got["files"], json::array({"/runs/r1/logs/stdout.txt", "/runs/r2/logs/stderr.txt"}));
  got = Ok("grep", {{"path", "/runs"}, {"pattern", "step"}, {"glob", "logs/*"}, {"mode", "files"}});
  EXPECT_EQ(got["files"], json::array());
}

TEST_F(AgentTest, GrepLongLinesAreTrimmedAroundTheMatch) {
  std::string line = std::string(5000, 'a') + "NEEDLE" + std::string(5000, 'b') + "\n";
  ASSERT_OK(PublishString(ns(), "/long.txt", line));
  json m = Ok("grep", {{"path", "/long.txt"}, {"pattern", "NEEDLE"}})["files"][0]["lines"][0];
  std::string text = m[1];
  EXPECT_LE(text.size(), 210u);
  EXPECT_NE(text.find("NEEDLE"), std::string::npos);
}

TEST_F(AgentTest, GrepPatternErrors) {
  agent::AgentError e = Err("grep", {{"path", "/runs"}, {"pattern", "(unclosed"}, {"regex", true}});
  EXPECT_EQ(e.code, "invalid_pattern");
  // The same text is fine as a literal.
  EXPECT_TRUE(Ok("grep", {{"path", "/runs"}, {"pattern", "(unclosed"}})["files"].empty());
  EXPECT_EQ(Err("grep", {{"path", "/runs"}, {"pattern", ""}}).code, "invalid_pattern");
  EXPECT_EQ(Err("grep", {{"path", "/runs"}, {"pattern", std::string(2000, 'x')}}).code,
            "invalid_pattern");
  e = Err("grep", {{"path", "/runs"}, {"pattern", "(a)\\1"}, {"regex", true}});
  EXPECT_EQ(e.code, "invalid_pattern");  // no backreferences in RE2
  EXPECT_EQ(Err("grep", {{"path", "/runs"}, {"pattern", "x"}, {"mode", "all"}}).code,
            "invalid_argument");
  EXPECT_EQ(Err("grep", {{"path", "/runs"}, {"pattern", "x"}, {"context", 50}}).code,
            "invalid_argument");
}

}  // namespace
}  // namespace nokv::test

namespace nokv::test {
namespace {

TEST_F(AgentTest, LinesLongerThanTheScannerBoundStayCounted) {
  // One line of 200 KiB (over LineScanner::kMaxLine) spanning many blocks.
  std::string body = "first\n" + std::string(200 * 1024, 'x') + "\nafter long\nlast";
  ASSERT_OK(PublishString(ns(), "/long-lines.txt", body));
  json f = Ok("grep", {{"path", "/long-lines.txt"}, {"pattern", "after"}})["files"][0];
  EXPECT_EQ(f["lines"][0][0], 3);
  EXPECT_EQ(Ok("read", {{"path", f["ref"].get<std::string>() + "#L3"}})["text"], "after long\n");
  json got = Ok("read", {{"path", "/long-lines.txt"}, {"lines", {2, 2}}, {"length", 1000}});
  EXPECT_EQ(got["text"].get<std::string>().size(), 1001u);  // cut to the budget, plus '\n'
  EXPECT_EQ(got["cut_lines"], json::array({2}));
  // The last line has no newline and is still a line.
  EXPECT_EQ(Ok("read", {{"path", "/long-lines.txt"}, {"lines", {4, 4}}})["text"], "last\n");
}

TEST_F(AgentTest, GrepFilesModePagesAcrossFiles) {
  json args = {{"path", "/runs"}, {"pattern", "s"}, {"mode", "files"}, {"limit", 2}};
  std::vector<std::string> files;
  json page = Ok("grep", args);
  while (true) {
    for (const json& f : page["files"]) files.push_back(f);
    if (!page.contains("next_cursor")) break;
    json next = args;
    next["cursor"] = page["next_cursor"];
    page = Ok("grep", next);
  }
  EXPECT_EQ(files, (std::vector<std::string>{"/runs/r1/config.yaml", "/runs/r1/logs/stdout.txt",
                                             "/runs/r1/metadata.json", "/runs/r1/metrics.csv",
                                             "/runs/r1/metrics.jsonl", "/runs/r2/logs/stderr.txt",
                                             "/runs/r2/metadata.json"}));
}

TEST_F(AgentTest, ReadRefWithExplicitLinesShowsContext) {
  json got = Ok("read", {{"path", "nokv://runs/r2/logs/stderr.txt@gen:1#L2"}, {"lines", {1, 3}}});
  EXPECT_EQ(got["text"], "error: NaN at step 7\nok\nError: CUDA OOM\n");
}

}  // namespace
}  // namespace nokv::test
