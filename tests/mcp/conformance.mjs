// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// MCP conformance of `nokv mcp`, driven by the official MCP TypeScript SDK
// client: it spawns the server over stdio, initializes, lists the tools,
// calls each tool (the SDK validates structuredContent against each tool's
// outputSchema), checks isError results for bad arguments, and checks that a
// publish by another process is visible to the next call.
//
// Environment: NOKV_BIN (the nokv binary). Exit 0 when every check passes.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let Client, StdioClientTransport;
try {
  ({ Client } = await import("@modelcontextprotocol/sdk/client/index.js"));
  ({ StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js"));
} catch (e) {
  console.error("the MCP SDK is not installed; run scripts/install-deps.sh (npm ci in tests/mcp)");
  process.exit(1);
}

const nokv = process.env.NOKV_BIN || "nokv";
const work = mkdtempSync(join(tmpdir(), "nokv-mcp-"));
const dataDir = join(work, "data");
const env = { ...process.env, NOKV_DATA_DIR: dataDir };

function put(local, dest) {
  execFileSync(nokv, ["put", local, dest], { env, stdio: ["ignore", "ignore", "inherit"] });
}

function fixture() {
  const src = join(work, "src");
  mkdirSync(join(src, "r1", "logs"), { recursive: true });
  writeFileSync(join(src, "r1", "metadata.json"), '{"lr": 0.001, "status": "ok"}\n');
  let log = "";
  for (let i = 1; i <= 500; i++) log += `step ${i} loss ${1000 - i}\n`;
  log += "error: NaN at step 501\n";
  writeFileSync(join(src, "r1", "logs", "stdout.txt"), log);
  execFileSync(nokv, ["put", "-r", join(src, "r1"), "/runs/"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

function parseText(result) {
  assert.equal(result.content[0].type, "text");
  return JSON.parse(result.content[0].text);
}

async function callOk(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.ok(!result.isError, `${name} failed: ${JSON.stringify(result.content)}`);
  assert.deepEqual(parseText(result), result.structuredContent);
  return result.structuredContent;
}

async function callError(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  assert.equal(result.isError, true, `${name} should fail: ${JSON.stringify(result)}`);
  const { error } = parseText(result);
  assert.equal(typeof error.code, "string");
  assert.equal(typeof error.message, "string");
  return error;
}

let client;

async function main() {
  fixture();
  const transport = new StdioClientTransport({
    command: nokv,
    args: ["mcp"],
    env,
    stderr: "pipe",
  });
  client = new Client({ name: "nokv-conformance", version: "1.0.0" });
  await client.connect(transport);

  assert.equal(client.getServerVersion().name, "nokv");
  assert.match(client.getInstructions(), /at \(version or snapshot\)/);
  assert.ok(client.getServerCapabilities().tools);
  await client.ping();

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name);
  assert.deepEqual(names, ["ls", "stat", "catalog", "find", "aggregate", "read", "grep"]);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, "object", t.name);
    assert.equal(t.outputSchema.type, "object", t.name);
    assert.equal(t.annotations.readOnlyHint, true, t.name);
  }

  // Every tool once, with its result checked against its outputSchema by the SDK.
  const ls = await callOk(client, "ls", { path: "/runs/r1" });
  assert.deepEqual(ls.entries.map((e) => e.name), ["logs", "metadata.json"]);
  const stat = await callOk(client, "stat", { path: "/runs/r1/metadata.json" });
  assert.equal(stat.format, "json");
  assert.deepEqual(stat.schema, { lr: "float", status: "string" });
  const catalog = await callOk(client, "catalog", { path: "/runs", facets: ["kind"] });
  const kind = catalog.rows.find((r) => r[0] === "kind");
  assert.deepEqual(kind[catalog.columns.indexOf("top")], [["directory", 2], ["file", 2]]);
  // The short forms the definitions advertise: a condition map, "-field", a grep per row.
  const find = await callOk(client, "find", {
    path: "/runs",
    where: { kind: "file" },
    sort: "-size",
    fields: ["name"],
    grep: { pattern: "NaN" },
  });
  assert.deepEqual(find.rows, [["stdout.txt", [[501, "error: NaN at step 501"]]], ["metadata.json", []]]);
  const agg = await callOk(client, "aggregate", { path: "/runs", measures: ["count"], group_by: ["kind"] });
  assert.deepEqual(agg.rows, [["directory", 2], ["file", 2]]);
  const grep = await callOk(client, "grep", { path: "/runs", pattern: "NaN" });
  assert.equal(grep.files.length, 1);
  assert.deepEqual(grep.files[0].lines, [[501, "error: NaN at step 501"]]);
  const read = await callOk(client, "read", { path: `${grep.files[0].ref}#L501` });
  assert.equal(read.text, "error: NaN at step 501\n");
  const page = await callOk(client, "read", { path: "/runs/r1/logs/stdout.txt", length: 100 });
  assert.ok(page.next_cursor);

  // Bad arguments are tool errors the model can act on, not protocol errors.
  let err = await callError(client, "find", {
    path: "/runs",
    where: { sise: { gt: 1 } },
  });
  assert.equal(err.code, "unknown_field");
  assert.match(err.hint, /`size`/);
  err = await callError(client, "ls", { path: "/runs", limit: 100000 });
  assert.equal(err.code, "invalid_argument");
  err = await callError(client, "grep", { path: "/runs", pattern: "(", regex: true });
  assert.equal(err.code, "invalid_pattern");
  err = await callError(client, "stat", { path: "/nope" });
  assert.equal(err.code, "not_found");
  err = await callError(client, "read", { path: "/../etc/passwd" });
  assert.equal(err.code, "invalid_argument");

  // An unknown tool is a protocol error.
  await assert.rejects(client.callTool({ name: "rm", arguments: {} }), /Unknown tool/);

  // Another process publishes while the server runs: the next call sees it.
  const extra = join(work, "extra.txt");
  writeFileSync(extra, "fresh\n");
  put(extra, "/runs/r2/extra.txt");
  const after = await callOk(client, "ls", { path: "/runs" });
  assert.deepEqual(after.entries.map((e) => e.name), ["r1", "r2"]);

}

try {
  await main();
  console.log("mcp conformance: ok");
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (client) await client.close().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);
