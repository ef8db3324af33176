// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Agent front doors: `nokv agent tools` and `nokv agent instructions` (what
// `nokv mcp` shows a model), `nokv agent VERB JSON` (one call,
// its JSON result on stdout) and `nokv mcp` (an MCP server over stdio).
// Both open the data dir read-only, so they work while another process
// publishes; the MCP server opens a fresh read-only view for every tool
// call, so each call sees every commit made before it.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "agent/agent.h"
#include "agent/instructions.h"
#include "agent/json_text.h"
#include "cli/commands.h"
#include "cli/output.h"
#include "mcp/server.h"
#include "mcp/stdio_transport.h"

namespace nokv::cli {
namespace {

struct AgentArgs {
  std::string verb;
  std::string arguments = "{}";
};

// The Status that stands for an agent error, for the exit code and stderr.
Status StatusOf(const agent::AgentError& e) {
  std::string msg = e.code + ": " + e.message;
  switch (e.status) {
    case Code::kNotFound:
      return Status::NotFound(msg);
    case Code::kConflict:
      return Status::Conflict(msg);
    case Code::kNotDirectory:
      return Status::NotDirectory(msg);
    case Code::kIsDirectory:
      return Status::IsDirectory(msg);
    case Code::kCorruption:
      return Status::Corruption(msg);
    case Code::kIOError:
      return Status::IOError(msg);
    case Code::kInternal:
      return Status::Internal(msg);
    default:
      return Status::InvalidArgument(msg);
  }
}

Status RunAgent(Context& ctx, const AgentArgs& args) {
  if (args.verb == "tools") return PrintJson(agent::Agent::Tools());
  if (args.verb == "instructions") {
    // What `nokv mcp` tells the model at connect time.
    Result<std::unique_ptr<Namespace>> ns = ctx.OpenReader();
    std::string text = agent::ServerInstructions(ns.ok() ? ns->get() : nullptr);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    return Status::OK();
  }
  agent::Outcome<agent::json> parsed = agent::ParseJson(args.arguments);
  agent::Outcome<agent::json> result = agent::AgentError{};
  if (!parsed.ok()) {
    result = parsed.error();
  } else {
    Result<std::unique_ptr<Namespace>> ns = ctx.OpenReader();
    if (!ns.ok()) return ns.status();
    agent::Agent a(ns->get());
    result = a.Call(args.verb, parsed.value());
  }
  if (result.ok()) return PrintJson(result.value());
  NOKV_RETURN_IF_ERROR(PrintJson({{"error", result.error().ToJson()}}));
  ctx.SetHint(result.error().hint);
  return StatusOf(result.error());
}

// What to do when the data dir cannot be opened for reading.
std::string OpenFailureHint(const Status& status) {
  switch (status.code()) {
    case Code::kNotFound:
      return "publish data into the data dir first, or point NOKV_DATA_DIR at an existing one";
    case Code::kIOError:
      if (status.message().find("Too many open files") != std::string::npos) {
        return "raise the open-file limit of the process serving MCP (ulimit -n)";
      }
      return "check that the data dir is readable and its disk is healthy";
    default:
      return "";
  }
}

// A read-only view of the data dir that catches up with the writer before
// each tool call, so a long-lived server sees what another process commits.
// It is opened on first use (and reopened if that failed).
class FreshReader {
 public:
  explicit FreshReader(const Context& ctx) : ctx_(ctx) {}

  agent::Outcome<Namespace*> Get() {
    if (ns_) {
      Status s = ns_->Refresh();
      if (s.ok()) return ns_.get();
      ns_.reset();  // reopen below
    }
    Result<std::unique_ptr<Namespace>> ns = ctx_.OpenReader();
    if (!ns.ok()) return agent::ErrorFromStatus(ns.status(), OpenFailureHint(ns.status()));
    ns_ = std::move(ns).value();
    return ns_.get();
  }

 private:
  const Context& ctx_;
  std::unique_ptr<Namespace> ns_;
};

Status RunMcp(Context& ctx) {
  std::fprintf(stderr, "nokv mcp: serving %s over stdio\n", ctx.data_dir().c_str());
  FreshReader reader(ctx);
  mcp::McpServer server([&reader] { return reader.Get(); });
  return mcp::ServeStdio(server, STDIN_FILENO, STDOUT_FILENO);
}

}  // namespace

void RegisterAgentCommands(App& app) {
  auto args = std::make_shared<AgentArgs>();
  CLI::App* cmd = app.AddCommand(
      "Agent", "agent", "Run one agent verb and print its JSON result, or list the tools",
      "  nokv agent tools\n"
      "  nokv agent instructions   # the MCP instructions: every index's fields\n"
      "  nokv agent ls '{\"path\":\"/runs\"}'\n"
      "  nokv agent grep '{\"path\":\"/runs\",\"pattern\":\"nan\",\"glob\":\"*/stderr.txt\"}'\n",
      [args](Context& ctx) { return RunAgent(ctx, *args); });
  cmd->add_option("VERB", args->verb,
                  "tools, instructions, ls, stat, catalog, find, aggregate, read or grep")
      ->required();
  cmd->add_option("JSON", args->arguments, "The verb's arguments as a JSON object (default {})");

  app.AddCommand("Agent", "mcp", "Serve the agent verbs as MCP tools over stdio",
                 "  nokv --data-dir /var/lib/nokv mcp   # configure as a stdio MCP server\n",
                 [](Context& ctx) { return RunMcp(ctx); });
}

}  // namespace nokv::cli
