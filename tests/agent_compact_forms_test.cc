// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The short argument forms the tool definitions advertise (where as a
// condition map, sort as "-field" strings, measures as "op(field)") answer
// exactly as the long forms do; find's grep option; cursors.
#include "agent/cursor.h"
#include "agent_fixture.h"

namespace nokv::test {
namespace {

TEST_F(AgentTest, WhereMapMatchesThePredicateList) {
  const json long_form = {
      {"path", "/runs"},
      {"where", json::parse(R"([{"field":"kind","op":"eq","value":"file"},
                                {"field":"size","op":"gt","value":30},
                                {"field":"size","op":"lt","value":110},
                                {"field":"content_type","op":"exists"}])")},
      {"sort", json::parse(R"([{"field":"size","direction":"desc"},{"field":"path"}])")},
      {"fields", json::array({"path", "size"})}};
  json short_form = long_form;
  short_form["where"] =
      json::parse(R"({"kind":"file","size":{"gt":30,"lt":110},"content_type":{"exists":true}})");
  short_form["sort"] = json::array({"-size", "path"});
  const json want = Ok("find", long_form);
  ASSERT_GE(want["rows"].size(), 3u);
  EXPECT_EQ(Ok("find", short_form), want);

  // An array value is `in`; exists:false is not_exists; a lone string sorts.
  json got = Ok("find", {{"path", "/runs"},
                         {"where", json::parse(R"({"name":["r1","stderr.txt"]})")},
                         {"sort", "-name"},
                         {"fields", json::array({"path"})}});
  EXPECT_EQ(got["rows"], json::parse(R"([["/runs/r2/logs/stderr.txt"], ["/runs/r1"]])"));
  got = Ok("find", {{"path", "/runs"},
                    {"where", json::parse(R"({"size":{"exists":false},"name":{"prefix":"r"}})")},
                    {"fields", json::array({"path"})}});
  EXPECT_EQ(got["rows"], json::parse(R"([["/runs/r1"], ["/runs/r2"]])"));
}

TEST_F(AgentTest, WhereMapErrorsNameTheField) {
  agent::AgentError e = Err("find", {{"path", "/runs"}, {"where", json::parse(R"({"sise":1})")}});
  EXPECT_EQ(e.code, "unknown_field");
  EXPECT_NE(e.hint.find("size"), std::string::npos);
  e = Err("find", {{"path", "/runs"}, {"where", json::parse(R"({"size":{"bigger":1}})")}});
  EXPECT_EQ(e.code, "invalid_argument");
  EXPECT_NE(e.message.find("bigger"), std::string::npos);
  EXPECT_EQ(Err("find", {{"path", "/runs"}, {"where", json::parse(R"({"size":{}})")}}).code,
            "invalid_argument");
  EXPECT_EQ(Err("find", {{"path", "/runs"}, {"where", "size > 3"}}).code, "invalid_argument");
  EXPECT_EQ(Err("find", {{"path", "/runs"}, {"sort", 3}}).code, "invalid_argument");
  EXPECT_EQ(Err("find", {{"path", "/runs"}, {"sort", "-nmae"}}).code, "unknown_field");
}

TEST_F(AgentTest, MeasureTextMatchesTheObjectForm) {
  json long_form = Ok("aggregate", {{"path", "/"},
                                    {"measures", json::parse(R"([{"op":"count"},
                                        {"op":"avg","field":"size"},
                                        {"op":"count_distinct","field":"name"}])")},
                                    {"group_by", json::array({"kind"})}});
  json short_form = Ok("aggregate", {{"path", "/"},
                                     {"measures", {"count", "avg(size)", "count_distinct(name)"}},
                                     {"group_by", json::array({"kind"})}});
  EXPECT_EQ(short_form, long_form);
  EXPECT_EQ(short_form["columns"],
            json::parse(R"(["kind", "count", "avg_size", "count_distinct_name"])"));
  for (const char* bad : {"avg()", "avg(size", "median(size)", "sum(sise)"}) {
    EXPECT_FALSE(agent_->Call("aggregate", {{"path", "/"}, {"measures", {bad}}}).ok()) << bad;
  }
}

TEST_F(AgentTest, FindGrepAddsEachRowsMatchingLines) {
  json got = Ok("find", {{"path", "/runs"},
                         {"where", json::parse(R"({"kind":"directory","name":{"prefix":"r"}})")},
                         {"fields", json::array({"name"})},
                         {"grep", json::parse(R"({"file":"logs/stderr.txt","pattern":"error",
                                                  "ignore_case":true})")}});
  EXPECT_EQ(got["columns"], json::parse(R"(["name", "grep"])"));
  // r1 has no stderr.txt: null, not an empty list.
  EXPECT_EQ(got["rows"], json::parse(R"([["r1", null],
      ["r2", [[1, "error: NaN at step 7"], [3, "Error: CUDA OOM"]]]])"));

  // Without `file` the row itself is searched; `limit` caps the lines per row
  // and a trailing "…" says more matched.
  got = Ok("find", {{"path", "/runs"},
                    {"where", json::parse(R"({"name":"stdout.txt"})")},
                    {"fields", json::array({"path"})},
                    {"grep", json::parse(R"({"pattern":"loss 49[0-9]{2}$","regex":true,
                                             "limit":2})")}});
  ASSERT_EQ(got["rows"].size(), 1u);
  EXPECT_EQ(got["rows"][0][1], json::parse(R"([[1, "step 1 loss 4999"], [2, "step 2 loss 4998"],
                                                "\u2026"])"));
  // A binary body is not searched.
  got = Ok("find", {{"path", "/runs/r2"},
                    {"where", json::parse(R"({"name":"model.bin"})")},
                    {"fields", json::array({"name"})},
                    {"grep", json::parse(R"({"pattern":"binary"})")}});
  EXPECT_EQ(got["rows"], json::parse(R"([["model.bin", null]])"));
}

TEST_F(AgentTest, FindGrepRejectsBadOptions) {
  auto grep_err = [&](const std::string& spec) {
    return Err("find", {{"path", "/runs"}, {"grep", json::parse(spec)}}).code;
  };
  EXPECT_EQ(grep_err(R"("error")"), "invalid_argument");
  EXPECT_EQ(grep_err(R"({"file":"logs/x"})"), "invalid_argument");  // no pattern
  EXPECT_EQ(grep_err(R"({"file":"../x","pattern":"a"})"), "invalid_argument");
  EXPECT_EQ(grep_err(R"({"pattern":"(","regex":true})"), "invalid_pattern");
  EXPECT_EQ(grep_err(R"({"pattern":"a","limit":500})"), "invalid_argument");
  EXPECT_EQ(grep_err(R"({"pattern":"a","glob":"*"})"), "invalid_argument");
}

TEST_F(AgentTest, CursorsAreCompactAndTamperEvident) {
  json page = Ok("find", {{"path", "/runs"}, {"limit", 2}});
  ASSERT_TRUE(page.contains("next_cursor"));
  const std::string cursor = page["next_cursor"];
  EXPECT_LT(cursor.size(), 40u);
  agent::Outcome<agent::CursorState> state = agent::DecodeCursor(cursor);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state.value().verb, "find");
  EXPECT_EQ(state.value().version, 2u);
  // A cut or foreign cursor is refused, never misread.
  for (const std::string& bad : {cursor.substr(0, cursor.size() / 2), "c" + cursor.substr(1),
                                 std::string("dAAAA"), std::string("d!!")}) {
    EXPECT_EQ(Err("find", {{"path", "/runs"}, {"cursor", bad}}).code, "invalid_cursor") << bad;
  }
}

}  // namespace
}  // namespace nokv::test
