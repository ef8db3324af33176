// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The two tool arms. Each has tools() (the definitions the model is shown) and
// call(name, args) -> {text, isError} (the text the model reads).
//
// SQL arm: sql_tools.py executes the four tools against the SQLite database; it
// runs as one child process speaking JSON lines.
// nokv arm: the official MCP TypeScript SDK client spawns `nokv mcp`; tools come
// from tools/list and results from tools/call (the text content block).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const HERE = dirname(dirname(fileURLToPath(import.meta.url)));

export class SqlArm {
  // schemaInPrompt: the sensitivity variant whose instructions hold the
  // show_schema text, as an SQL agent builder could put it in the system prompt.
  constructor({ python, db, schemaInPrompt = false }) {
    this.name = "sql";
    this.schemaInPrompt = schemaInPrompt;
    this.definitions = JSON.parse(readFileSync(join(HERE, "sql_tools.json"), "utf8"));
    this.child = spawn(python, [join(HERE, "sql_tools.py"), "--db", db], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    this.pending = [];
    this.exited = new Promise((resolve) => this.child.on("exit", resolve));
    createInterface({ input: this.child.stdout }).on("line", (line) => {
      const p = this.pending.shift();
      if (p) p.resolve(JSON.parse(line));
    });
    this.child.on("exit", (code) => {
      for (const p of this.pending.splice(0)) p.reject(new Error(`sql_tools.py exited with ${code}`));
    });
  }

  async start() {
    if (this.schemaInPrompt) this.schema = (await this.call("show_schema", {})).text;
  }

  instructions() {
    return this.schemaInPrompt ? `The database schema (show_schema):\n${this.schema}` : "";
  }

  tools() {
    return this.definitions;
  }

  call(name, args) {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(JSON.stringify({ name, arguments: args }) + "\n");
    });
  }

  async close() {
    this.child.stdin.end();
    await this.exited;
  }
}

export class NokvArm {
  constructor({ nokv, dataDir }) {
    this.name = "nokv";
    this.transport = new StdioClientTransport({
      command: nokv,
      args: ["mcp", "--data-dir", dataDir],
      env: { ...process.env },
      stderr: "pipe",
    });
    this.client = new Client({ name: "nokv-agent-bench", version: "1.0.0" });
  }

  async start() {
    await this.client.connect(this.transport);
    const { tools } = await this.client.listTools();
    this.definitions = tools;
    this.serverInstructions = this.client.getInstructions() || "";
  }

  instructions() {
    return this.serverInstructions;
  }

  tools() {
    return this.definitions;
  }

  async call(name, args) {
    const r = await this.client.callTool({ name, arguments: args });
    const text = r.content.filter((c) => c.type === "text").map((c) => c.text).join("\n");
    return { text, isError: !!r.isError };
  }

  async close() {
    await this.client.close();
  }
}
