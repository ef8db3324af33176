// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Golden tests of the catalog, find and aggregate agent verbs.
#include "agent_fixture.h"

namespace nokv::test {
namespace {

// A catalog's column table as {field: {column: value}}.
json CatalogCards(const json& got) {
  json cards = json::object();
  for (const json& row : got["rows"]) {
    json card = json::object();
    for (size_t i = 1; i < got["columns"].size(); ++i) card[got["columns"][i]] = row[i];
    cards[row[0].get<std::string>()] = std::move(card);
  }
  return cards;
}

TEST_F(AgentTest, CatalogReportsBuiltinFields) {
  json got = Ok("catalog", {{"path", "/runs"}, {"facets", json::array({"kind"})}});
  EXPECT_EQ(got["count"], 12);  // 4 directories and 8 files
  EXPECT_EQ(got["columns"],
            json::parse(R"(["field", "type", "count", "distinct", "min", "max", "top"])"));
  const json f = CatalogCards(got);
  for (const char* name : {"path", "name", "kind", "size", "content_type", "mtime", "generation"}) {
    EXPECT_TRUE(f.contains(name)) << name;
  }
  EXPECT_EQ(f["size"]["type"], "int");
  EXPECT_EQ(f["size"]["count"], 8);
  EXPECT_EQ(f["size"]["min"], 10);
  EXPECT_EQ(f["size"]["max"], StepLog(kLogLines).size());
  EXPECT_EQ(f["kind"]["top"], json::parse(R"([["file", 8], ["directory", 4]])"));
  EXPECT_TRUE(f["size"]["top"].is_null());  // only asked facets get top values
  EXPECT_TRUE(f["kind"]["min"].is_null());  // strings have no min/max
  EXPECT_EQ(f["mtime"]["type"], "time");
  EXPECT_EQ(got["complete"], true);
  // Without facets there is no top column.
  EXPECT_EQ(Ok("catalog", {{"path", "/runs"}})["columns"].size(), 6u);
}

TEST_F(AgentTest, CatalogPrefixAndErrors) {
  json got = Ok("catalog", {{"path", "/runs"}, {"prefix", "c"}, {"facets", true}});
  ASSERT_EQ(got["rows"].size(), 1u);
  EXPECT_EQ(CatalogCards(got)["content_type"]["top"][0], json::parse(R"(["application/json", 2])"));
  EXPECT_EQ(Err("catalog", {{"path", "/runs"}, {"prefix", "zz"}}).code, "unknown_field");
  EXPECT_EQ(Err("catalog", {{"path", "/runs"}, {"facets", json::array({"knd"})}}).code,
            "unknown_field");
}

TEST_F(AgentTest, FindFiltersSortsAndProjects) {
  json got = Ok("find", {{"path", "/runs"},
                         {"where", json::parse(R"([{"field":"kind","op":"eq","value":"file"},
                                                   {"field":"name","op":"suffix","value":".json"}])")},
                         {"sort", json::parse(R"([{"field":"size","direction":"desc"}])")},
                         {"fields", json::array({"path", "size"})}});
  json want = json::parse(R"({
    "version": 2, "columns": ["path", "size"], "matches": 2, "scanned": 12, "complete": true,
    "rows": [["/runs/r1/metadata.json", 68], ["/runs/r2/metadata.json", 46]]})");
  EXPECT_EQ(got, want);
}

TEST_F(AgentTest, FindOps) {
  auto count = [&](const char* where) {
    return Ok("find", {{"path", "/"}, {"where", json::parse(where)}})["matches"].get<int>();
  };
  EXPECT_EQ(count(R"([{"field":"kind","op":"ne","value":"file"}])"), 6);  // 5 + /empty
  EXPECT_EQ(count(R"([{"field":"name","op":"in","value":["metrics.csv","model.bin","x"]}])"), 2);
  EXPECT_EQ(count(R"([{"field":"path","op":"prefix","value":"/runs/r2/"}])"), 4);
  EXPECT_EQ(count(R"([{"field":"name","op":"contains","value":"metric"}])"), 2);
  EXPECT_EQ(count(R"([{"field":"size","op":"gt","value":68}])"), 2);
  EXPECT_EQ(count(R"([{"field":"size","op":"gte","value":68}])"), 3);
  EXPECT_EQ(count(R"([{"field":"size","op":"lt","value":34}])"), 2);
  EXPECT_EQ(count(R"([{"field":"size","op":"lte","value":34}])"), 3);
  EXPECT_EQ(count(R"([{"field":"size","op":"exists"}])"), 8);
  EXPECT_EQ(count(R"([{"field":"generation","op":"not_exists"}])"), 6);
  EXPECT_EQ(count(R"([{"field":"content_type","op":"eq","value":"text/csv"}])"), 1);
  EXPECT_EQ(count(R"([{"field":"mtime","op":"gt","value":"2000-01-01"}])"), 14);
  EXPECT_EQ(count(R"({"field":"size","op":"gt","value":"a string"})"), 0);  // not comparable
}

TEST_F(AgentTest, FindUnknownFieldSuggestsClosest) {
  agent::AgentError e =
      Err("find",
          {{"path", "/runs"}, {"where", json::parse(R"([{"field":"sise","op":"gt","value":1}])")}});
  EXPECT_EQ(e.code, "unknown_field");
  EXPECT_NE(e.message.find("sise"), std::string::npos);
  EXPECT_EQ(e.hint.rfind("did you mean `size`", 0), 0u) << e.hint;
  e = Err("find", {{"path", "/runs"}, {"sort", json::parse(R"([{"field":"mtim"}])")}});
  EXPECT_EQ(e.code, "unknown_field");
  EXPECT_EQ(e.hint.rfind("did you mean `mtime`", 0), 0u) << e.hint;
  e = Err("find", {{"path", "/runs"}, {"fields", json::array({"nme"})}});
  EXPECT_EQ(e.hint.rfind("did you mean `name`", 0), 0u) << e.hint;
  e = Err("find",
          {{"path", "/runs"}, {"where", json::parse(R"([{"field":"size","op":"bigger"}])")}});
  EXPECT_EQ(e.code, "invalid_argument");
  EXPECT_NE(e.hint.find("`gt`"), std::string::npos);
  e = Err("find",
          {{"path", "/runs"}, {"where", json::parse(R"([{"field":"size","op":"in","value":3}])")}});
  EXPECT_EQ(e.code, "invalid_argument");
}

TEST_F(AgentTest, FindPagesMultiKeySortAndFacets) {
  json args = {
      {"path", "/runs"},
      {"where", json::parse(R"([{"field":"kind","op":"eq","value":"file"}])")},
      {"sort", json::parse(R"([{"field":"content_type"},{"field":"size","direction":"desc"}])")},
      {"fields", json::array({"name"})},
      {"facets", json::array({"content_type"})},
      {"limit", 3}};
  std::vector<std::string> names;
  json page = Ok("find", args);
  EXPECT_EQ(page["facets"]["content_type"][0], json::parse(R"(["application/json", 2])"));
  while (true) {
    for (const json& row : page["rows"]) names.push_back(row[0]);
    if (!page.contains("next_cursor")) break;
    json next = args;
    next["cursor"] = page["next_cursor"];
    page = Ok("find", next);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"metadata.json", "metadata.json", "model.bin",
                                             "metrics.jsonl", "config.yaml", "metrics.csv",
                                             "stdout.txt", "stderr.txt"}));
}

TEST_F(AgentTest, FindReportsWalkBudget) {
  json got = Ok("find", {{"path", "/runs/r1/logs"}});
  EXPECT_EQ(got["scanned"], 1);
  EXPECT_EQ(got["complete"], true);
  EXPECT_EQ(Err("find", {{"path", "/runs"}, {"limit", 51}}).code, "invalid_argument");
}

TEST_F(AgentTest, AggregateGroupsAndSorts) {
  json got =
      Ok("aggregate", {{"path", "/runs"},
                       {"where", json::parse(R"([{"field":"kind","op":"eq","value":"file"}])")},
                       {"group_by", json::array({"content_type"})},
                       {"measures", json::parse(R"([{"op":"count"},{"op":"sum","field":"size"},
                                              {"op":"max","field":"name","as":"last"}])")},
                       {"sort", json::parse(R"([{"field":"count","direction":"desc"},
                                          {"field":"content_type"}])")},
                       {"limit", 2}});
  json want = json::parse(R"({
    "version": 2, "columns": ["content_type", "count", "sum_size", "last"], "groups": 6,
    "scanned": 12, "complete": true,
    "hint": "more groups than limit; raise limit or add where",
    "rows": [["application/json", 2, 114, "metadata.json"],
             ["text/plain", 2, 0, "stdout.txt"]]})");
  want["rows"][1][2] = StepLog(kLogLines).size() + 40;
  EXPECT_EQ(got, want);
}

TEST_F(AgentTest, AggregateMeasures) {
  json got = Ok("aggregate", {{"path", "/"}, {"measures", json::parse(R"([{"op":"count"},
                                  {"op":"count","field":"size","as":"files"},
                                  {"op":"count_distinct","field":"name"},
                                  {"op":"avg","field":"size"},
                                  {"op":"min","field":"size"}])")}});
  ASSERT_EQ(got["rows"].size(), 1u);
  const json& row = got["rows"][0];
  EXPECT_EQ(row[0], 14);  // every path below /
  EXPECT_EQ(row[1], 8);   // rows that have a size
  EXPECT_EQ(row[2], 12);  // metadata.json and logs repeat
  const double total = 68 + 101 + 34 + 33 + StepLog(kLogLines).size() + 46 + 40 + 10;
  EXPECT_DOUBLE_EQ(row[3].get<double>(), total / 8);
  EXPECT_EQ(row[4], 10);
}

TEST_F(AgentTest, AggregateErrors) {
  EXPECT_EQ(Err("aggregate", {{"path", "/"}}).code, "invalid_argument");  // measures required
  EXPECT_EQ(Err("aggregate", {{"path", "/"}, {"measures", json::parse(R"([{"op":"sum"}])")}}).code,
            "invalid_argument");
  EXPECT_EQ(Err("aggregate",
                {{"path", "/"}, {"measures", json::parse(R"([{"op":"median","field":"size"}])")}})
                .code,
            "invalid_argument");
  agent::AgentError e = Err("aggregate", {{"path", "/"},
                                          {"measures", json::parse(R"([{"op":"count"}])")},
                                          {"sort", json::parse(R"([{"field":"size"}])")}});
  EXPECT_EQ(e.code, "unknown_field");
  EXPECT_NE(e.hint.find("`count`"), std::string::npos);
  EXPECT_EQ(Err("aggregate", {{"path", "/"},
                              {"measures", json::parse(R"([{"op":"count"}])")},
                              {"group_by", json::array({"knd"})}})
                .code,
            "unknown_field");
}

}  // namespace
}  // namespace nokv::test

namespace nokv::test {
namespace {

TEST_F(AgentTest, WalkBudgetIsReportedNotExceeded) {
  PublishOptions options;
  for (int i = 0; i < 20010; ++i) options.directories.push_back("/wide/d" + std::to_string(i));
  ASSERT_OK(ns().Publish({}, options));
  json got = Ok("find", {{"path", "/wide"}, {"limit", 1}});
  EXPECT_EQ(got["scanned"], 20000);
  EXPECT_EQ(got["complete"], false);
  EXPECT_EQ(got["matches"], 20000);
  EXPECT_NE(got["hint"].get<std::string>().find("narrow"), std::string::npos);
  json agg = Ok("aggregate", {{"path", "/wide"}, {"measures", json::parse(R"([{"op":"count"}])")}});
  EXPECT_EQ(agg["complete"], false);
  EXPECT_EQ(Ok("catalog", {{"path", "/wide"}})["complete"], false);
}

}  // namespace
}  // namespace nokv::test
