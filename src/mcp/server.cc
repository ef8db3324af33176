// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
#include "mcp/server.h"

#include <cstdio>
#include <exception>

#include "agent/agent.h"
#include "agent/instructions.h"
#include "agent/json_text.h"
#include "agent/tools.h"

namespace nokv::mcp {
namespace {

constexpr const char* kServerName = "nokv";
constexpr const char* kServerVersion = "0.1.0";
// A JSON-RPC error raised while handling a request.
struct RpcError {
  int code;
  std::string message;
};

json ErrorReply(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

const json& ParamsObject(const json& params) {
  static const json kEmpty = json::object();
  return params.is_object() ? params : kEmpty;
}

}  // namespace

const std::vector<std::string>& SupportedProtocolVersions() {
  static const std::vector<std::string> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26",
                                                     "2024-11-05"};
  return kVersions;
}

std::optional<std::string> McpServer::HandleLine(std::string_view line) {
  agent::Outcome<json> parsed = agent::ParseJson(line);
  if (!parsed.ok()) {
    return agent::DumpJson(
        ErrorReply(nullptr, kParseError, "Parse error: " + parsed.error().message));
  }
  const json& message = parsed.value();
  if (message.is_array()) {  // a batch (protocol 2025-03-26)
    if (message.empty()) {
      return agent::DumpJson(ErrorReply(nullptr, kInvalidRequest, "Invalid Request: empty batch"));
    }
    json replies = json::array();
    for (const json& m : message) {
      json reply = HandleMessage(m);
      if (!reply.is_null()) replies.push_back(std::move(reply));
    }
    if (replies.empty()) return std::nullopt;
    return agent::DumpJson(replies);
  }
  json reply = HandleMessage(message);
  if (reply.is_null()) return std::nullopt;
  return agent::DumpJson(reply);
}

json McpServer::HandleMessage(const json& message) {
  if (!message.is_object()) {
    return ErrorReply(nullptr, kInvalidRequest, "Invalid Request: not a JSON object");
  }
  auto id_it = message.find("id");
  const bool has_id = id_it != message.end();
  const json id = has_id ? *id_it : json(nullptr);
  if (has_id && !id.is_string() && !id.is_number_integer()) {
    return ErrorReply(nullptr, kInvalidRequest, "Invalid Request: id must be a string or integer");
  }
  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    return ErrorReply(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
  }
  auto method = message.find("method");
  if (method == message.end() || !method->is_string()) {
    if (!has_id) return nullptr;  // a response from the client: nothing to answer
    if (message.contains("result") || message.contains("error")) return nullptr;
    return ErrorReply(id, kInvalidRequest, "Invalid Request: method must be a string");
  }
  json params = message.contains("params") ? message["params"] : json::object();
  if (!params.is_object() && !params.is_array()) {
    return has_id ? ErrorReply(id, kInvalidParams, "Invalid params: must be an object") : nullptr;
  }
  if (!has_id) return nullptr;  // notifications (initialized, cancelled, ...) need no reply
  try {
    json result = Dispatch(method->get<std::string>(), params);
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
  } catch (const RpcError& e) {
    return ErrorReply(id, e.code, e.message);
  } catch (const std::exception& e) {
    return ErrorReply(id, kInternalError, std::string("Internal error: ") + e.what());
  }
}

json McpServer::Dispatch(const std::string& method, const json& params) {
  if (method == "initialize") return Initialize(ParamsObject(params));
  if (method == "ping") return json::object();
  if (method == "tools/list") return {{"tools", agent::Agent::Tools()}};
  if (method == "tools/call") return CallTool(ParamsObject(params));
  throw RpcError{kMethodNotFound, "Method not found: " + method};
}

json McpServer::Initialize(const json& params) {
  auto requested = params.find("protocolVersion");
  if (requested == params.end() || !requested->is_string()) {
    throw RpcError{kInvalidParams, "Invalid params: protocolVersion must be a string"};
  }
  const auto& supported = SupportedProtocolVersions();
  protocol_version_ = supported.front();
  for (const std::string& v : supported) {
    if (*requested == v) protocol_version_ = v;
  }
  // The instructions name the indexes' fields; without a namespace yet
  // (say, its directory is locked), they are the fixed text alone.
  agent::Outcome<Namespace*> ns = provider_();
  if (!ns.ok() && ns.error().status != Code::kNotFound) {
    // The client only sees instructions without index fields; say why where
    // the person running the server looks.
    std::fprintf(stderr, "nokv mcp: cannot open the data dir: %s%s%s\n", ns.error().message.c_str(),
                 ns.error().hint.empty() ? "" : "; ", ns.error().hint.c_str());
  }
  std::string instructions = agent::ServerInstructions(ns.ok() ? ns.value() : nullptr);
  return {{"protocolVersion", protocol_version_},
          {"capabilities", {{"tools", {{"listChanged", false}}}}},
          {"serverInfo", {{"name", kServerName}, {"version", kServerVersion}}},
          {"instructions", std::move(instructions)}};
}

json McpServer::CallTool(const json& params) {
  auto name = params.find("name");
  if (name == params.end() || !name->is_string()) {
    throw RpcError{kInvalidParams, "Invalid params: tools/call needs a tool name"};
  }
  if (agent::FindTool(name->get<std::string>()) == nullptr) {
    throw RpcError{kInvalidParams, "Unknown tool: " + name->get<std::string>()};
  }
  json arguments = params.contains("arguments") ? params["arguments"] : json::object();
  agent::Outcome<json> result = agent::AgentError{};
  agent::Outcome<Namespace*> ns = provider_();
  if (!ns.ok()) {
    result = ns.error();
  } else {
    agent::Agent a(ns.value());
    result = a.Call(name->get<std::string>(), arguments);
  }
  if (!result.ok()) {
    json error = {{"error", result.error().ToJson()}};
    return {{"content", {{{"type", "text"}, {"text", agent::DumpJson(error)}}}}, {"isError", true}};
  }
  return {{"content", {{{"type", "text"}, {"text", agent::DumpJson(result.value())}}}},
          {"structuredContent", result.value()}};
}

}  // namespace nokv::mcp
