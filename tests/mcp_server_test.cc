// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The MCP server in-process: JSON-RPC framing, version negotiation, tool
// listing and calls, error mapping. The real-client conformance test is
// tests/mcp/conformance.mjs.
#include "agent/instructions.h"
#include "agent_fixture.h"
#include "mcp/server.h"

namespace nokv::test {
namespace {

class McpServerTest : public AgentTest {
 protected:
  json Send(const std::string& line) {
    std::optional<std::string> reply = server_.HandleLine(line);
    EXPECT_TRUE(reply.has_value()) << line;
    return reply ? json::parse(*reply) : json();
  }
  json Request(int id, const std::string& method, json params = json::object()) {
    return Send(
        json({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}).dump());
  }

  mcp::McpServer server_{[this]() -> agent::Outcome<Namespace*> { return ns_.get(); }};
};

TEST_F(McpServerTest, InitializeNegotiatesTheVersion) {
  for (const std::string& v : mcp::SupportedProtocolVersions()) {
    json r = Request(1, "initialize", {{"protocolVersion", v}, {"capabilities", json::object()}});
    EXPECT_EQ(r["result"]["protocolVersion"], v);
    EXPECT_EQ(r["id"], 1);
  }
  json r = Request(2, "initialize", {{"protocolVersion", "1999-01-01"}});
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-11-25");
  EXPECT_EQ(r["result"]["serverInfo"]["name"], "nokv");
  EXPECT_TRUE(r["result"]["capabilities"].contains("tools"));
  EXPECT_EQ(Request(3, "initialize", json::object())["error"]["code"], mcp::kInvalidParams);
}

TEST_F(McpServerTest, InstructionsNameEveryIndexField) {
  auto instructions = [&] {
    json r = Request(1, "initialize", {{"protocolVersion", "2025-06-18"}});
    return r["result"]["instructions"].get<std::string>();
  };
  const std::string before = instructions();
  EXPECT_NE(before.find("at (version or snapshot)"), std::string::npos) << before;
  EXPECT_EQ(before.find("/runs:"), std::string::npos) << before;

  ASSERT_OK(ns_->DefineIndex("/runs",
                             "name: runs\nrows: dirs\nfields:\n"
                             "  status: {from: metadata.json, at: status}\n"
                             "  lr: {from: metadata.json, at: lr}\n"
                             "  opt.name: {from: metadata.json, at: opt.name}\n"
                             "  opt.kind: {from: metadata.json, at: opt.kind}\n",
                             {})
                .status());
  const std::string after = instructions();
  EXPECT_NE(after.find("\n/runs: lr opt.{kind,name} status"), std::string::npos) << after;
}

TEST(GroupFieldNamesTest, SharedPiecesAreWrittenOnce) {
  EXPECT_EQ(agent::GroupFieldNames({}), "");
  EXPECT_EQ(agent::GroupFieldNames({"b", "a"}), "a b");
  EXPECT_EQ(agent::GroupFieldNames(
                {"steps_max", "p.q.s", "a", "b_y", "p.t", "b_x", "p.q.r", "steps", "c_d_e"}),
            "a b_{x,y} c_d_e p.{q.{r,s},t} steps steps_max");
  // A name ending in a separator, and one that is a prefix of another.
  EXPECT_EQ(agent::GroupFieldNames({"x_", "x_a", "x_b"}), "x_ x_{a,b}");
}

TEST_F(McpServerTest, ToolsListCarriesSchemasAndAnnotations) {
  json tools = Request(1, "tools/list")["result"]["tools"];
  ASSERT_EQ(tools.size(), 7u);
  for (const json& t : tools) {
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t["name"];
    EXPECT_EQ(t["outputSchema"]["type"], "object") << t["name"];
    EXPECT_EQ(t["annotations"]["readOnlyHint"], true) << t["name"];
    EXPECT_LT(t["description"].get<std::string>().size(), 220u) << t["name"];
    // Each schema is inline (no $ref to resolve) and names its path argument.
    EXPECT_EQ(t["inputSchema"].dump().find("$ref"), std::string::npos) << t["name"];
    EXPECT_TRUE(t["inputSchema"]["properties"].contains("path")) << t["name"];
  }
  // Compact: every token of the seven definitions is paid on every model
  // request, so together they stay under 2 KB of schema and description.
  size_t shown = 0;
  for (const json& t : tools)
    shown += t["description"].dump().size() + t["inputSchema"].dump().size();
  EXPECT_LT(shown, 2048u);
}

TEST_F(McpServerTest, ToolsCallReturnsStructuredContentAndText) {
  json r = Request(5, "tools/call", {{"name", "ls"}, {"arguments", {{"path", "/runs"}}}});
  const json& result = r["result"];
  EXPECT_FALSE(result.contains("isError"));
  EXPECT_EQ(result["structuredContent"]["total"], 2);
  EXPECT_EQ(result["content"][0]["type"], "text");
  EXPECT_EQ(json::parse(result["content"][0]["text"].get<std::string>()),
            result["structuredContent"]);
}

TEST_F(McpServerTest, ToolFailuresAreIsErrorResults) {
  json r = Request(
      6, "tools/call",
      {{"name", "find"},
       {"arguments",
        {{"path", "/runs"}, {"where", json::parse(R"([{"field":"sise","op":"gt","value":1}])")}}}});
  ASSERT_TRUE(r.contains("result")) << r;
  EXPECT_EQ(r["result"]["isError"], true);
  json error = json::parse(r["result"]["content"][0]["text"].get<std::string>())["error"];
  EXPECT_EQ(error["code"], "unknown_field");
  EXPECT_NE(error["hint"].get<std::string>().find("`size`"), std::string::npos);
}

TEST_F(McpServerTest, ProtocolErrors) {
  EXPECT_EQ(Send("{not json")["error"]["code"], mcp::kParseError);
  EXPECT_TRUE(Send("{not json")["id"].is_null());
  EXPECT_EQ(Send("42")["error"]["code"], mcp::kInvalidRequest);
  EXPECT_EQ(Send(R"({"id":1,"method":"ping"})")["error"]["code"], mcp::kInvalidRequest);
  EXPECT_EQ(Send(R"({"jsonrpc":"2.0","id":1})")["error"]["code"], mcp::kInvalidRequest);
  EXPECT_EQ(Send(R"({"jsonrpc":"2.0","id":{"x":1},"method":"ping"})")["error"]["code"],
            mcp::kInvalidRequest);
  EXPECT_EQ(Request(7, "resources/list")["error"]["code"], mcp::kMethodNotFound);
  EXPECT_EQ(Request(8, "tools/call", {{"name", "rm"}})["error"]["code"], mcp::kInvalidParams);
  EXPECT_EQ(Request(9, "tools/call", json::object())["error"]["code"], mcp::kInvalidParams);
  EXPECT_EQ(Send(std::string(100, '[') + std::string(100, ']'))["error"]["code"], mcp::kParseError);
  EXPECT_EQ(Send("[]")["error"]["code"], mcp::kInvalidRequest);
}

TEST_F(McpServerTest, NotificationsGetNoReply) {
  EXPECT_FALSE(server_.HandleLine(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  EXPECT_FALSE(server_.HandleLine(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})"));
  EXPECT_FALSE(server_.HandleLine(R"({"jsonrpc":"2.0","method":"no/such/notification"})"));
  EXPECT_FALSE(server_.HandleLine(R"({"jsonrpc":"2.0","id":4,"result":{}})"));  // a response
  EXPECT_EQ(Send(R"({"jsonrpc":"2.0","id":"p","method":"ping"})"),
            json::parse(R"({"jsonrpc":"2.0","id":"p","result":{}})"));
}

TEST_F(McpServerTest, Batches) {
  json replies = Send(R"([{"jsonrpc":"2.0","id":1,"method":"ping"},
                          {"jsonrpc":"2.0","method":"notifications/initialized"},
                          {"jsonrpc":"2.0","id":2,"method":"nope"}])");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["result"], json::object());
  EXPECT_EQ(replies[1]["error"]["code"], mcp::kMethodNotFound);
}

TEST_F(McpServerTest, NamespaceFailureIsAToolError) {
  mcp::McpServer broken([]() -> agent::Outcome<Namespace*> {
    return agent::ErrorFromStatus(Status::NotFound("no nokv data dir"));
  });
  std::optional<std::string> reply = broken.HandleLine(
      R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"ls","arguments":{"path":"/"}}})");
  ASSERT_TRUE(reply);
  EXPECT_EQ(json::parse(*reply)["result"]["isError"], true);
}

}  // namespace
}  // namespace nokv::test
