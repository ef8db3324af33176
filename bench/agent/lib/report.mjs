// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Writes the benchmark report (Markdown) and its chart (SVG, drawn here).
import { writeFileSync } from "node:fs";
import { basename } from "node:path";
import { PRICES, countTokens } from "./session.mjs";

const ARMS = ["sql", "nokv"];
const LABEL = { sql: "SQL", nokv: "nokv" };
const COLOR = { sql: "#8c8c8c", nokv: "#2f6fb3" };

const int = (n) => Math.round(n).toLocaleString("en-US");
const usd = (n) => `$${n.toFixed(5)}`;
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}x` : "-");

function sum(tasks, key) {
  return Object.values(tasks).reduce((s, t) => s + t[key], 0);
}

function armTotals(arm) {
  const t = arm.tasks;
  const parts = { system: 0, tools: 0, task: 0, calls: 0, results: 0 };
  for (const x of Object.values(t)) for (const k of Object.keys(parts)) parts[k] += x.parts[k];
  return {
    correct: Object.values(t).filter((x) => x.correct).length,
    n: Object.keys(t).length,
    requests: sum(t, "requests"),
    toolCalls: sum(t, "toolCalls"),
    prompt: sum(t, "prompt"),
    cached: sum(t, "cached"),
    completion: sum(t, "completion"),
    cost: sum(t, "cost"),
    parts,
  };
}

// The calls of a task's session, request by request: "catalog → find → grep×12 → answer".
function planLine(task) {
  return task.perRequest
    .map((r) => {
      if (!r.calls.length) return "answer";
      const counts = new Map();
      for (const c of r.calls) counts.set(c, (counts.get(c) || 0) + 1);
      return [...counts].map(([c, n]) => (n > 1 ? `${c}×${n}` : c)).join(" + ");
    })
    .join(" → ");
}

function chart(results, tasks) {
  const W = 760;
  const H = 340;
  const left = 70;
  const top = 40;
  const bottom = 60;
  const plotH = H - top - bottom;
  const groups = tasks.map((t) => t.id);
  const max = Math.max(...groups.flatMap((g) => ARMS.map((a) => results.arms[a].tasks[g].prompt)));
  const step = niceStep(max / 5);
  const yMax = Math.ceil(max / step) * step;
  const gw = (W - left - 20) / groups.length;
  const bw = Math.min(48, gw / 3);
  const y = (v) => top + plotH - (v / yMax) * plotH;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">Prompt tokens per task (o200k_base), lower is better</text>`);
  for (let v = 0; v <= yMax; v += step) {
    out.push(`<line x1="${left}" x2="${W - 20}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${int(v)}</text>`);
  }
  groups.forEach((g, i) => {
    const x0 = left + i * gw + (gw - 2 * bw - 6) / 2;
    ARMS.forEach((a, j) => {
      const t = results.arms[a].tasks[g];
      const x = x0 + j * (bw + 6);
      out.push(`<rect x="${x}" y="${y(t.prompt)}" width="${bw}" height="${top + plotH - y(t.prompt)}" fill="${COLOR[a]}"/>`);
      out.push(`<text x="${x + bw / 2}" y="${y(t.prompt) - 4}" text-anchor="middle" font-size="10" fill="#333">${int(t.prompt)}</text>`);
      if (!t.correct) out.push(`<text x="${x + bw / 2}" y="${top + plotH - 6}" text-anchor="middle" fill="white" font-weight="bold">✗</text>`);
    });
    out.push(`<text x="${left + i * gw + gw / 2}" y="${top + plotH + 18}" text-anchor="middle">${g}</text>`);
  });
  out.push(`<line x1="${left}" x2="${W - 20}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`);
  ARMS.forEach((a, j) => {
    const tot = armTotals(results.arms[a]);
    const x = left + j * 330;
    out.push(`<rect x="${x}" y="${H - 26}" width="12" height="12" fill="${COLOR[a]}"/>`);
    out.push(`<text x="${x + 18}" y="${H - 16}">${LABEL[a]}: ${int(tot.prompt)} prompt tokens, ${tot.correct}/${tot.n} correct, ${usd(tot.cost)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

export function writeReport({ results, tasks, md, svg, command, systemPrompts }) {
  const A = results.arms;
  const T = { sql: armTotals(A.sql), nokv: armTotals(A.nokv) };
  const c = results.corpus;
  const L = [];
  const totalS = results.timings.start_ms ? (Date.now() - results.timings.start_ms) / 1000 : null;
  L.push("# Agent benchmark: nokv namespace vs raw SQL");
  L.push("");
  L.push(`Produced by \`${command}\` (from the repository root)${totalS ? `, which took ${totalS.toFixed(0)} s end to end on a 2-core machine` : ""}. No model is called: each arm's agent is a scripted expert plan whose tool calls run for real, and whose context is counted with the o200k_base tokenizer (npm \`gpt-tokenizer\`, pinned in \`bench/agent/package-lock.json\`).`);
  L.push("");
  L.push(`Corpus: ${int(c.runs)} runs (seed ${c.seed}), ${(c.bytes / 1e6).toFixed(1)} MB of files, ${int(c.metric_values)} metric values; scripts ${Object.entries(c.scripts).map(([s, n]) => `${s} ${n}`).join(", ")}; ${c.not_completed} runs did not complete.`);
  L.push("");
  L.push("## Result");
  L.push("");
  const ratioPrompt = T.nokv.prompt / T.sql.prompt;
  const ratioCost = T.nokv.cost / T.sql.cost;
  const sqlCheaper = tasks.filter((t) => A.sql.tasks[t.id].cost < A.nokv.tasks[t.id].cost).map((t) => t.id);
  L.push(`- Correct: SQL ${T.sql.correct}/${T.sql.n}, nokv ${T.nokv.correct}/${T.nokv.n}.`);
  L.push(`- Prompt tokens: SQL ${int(T.sql.prompt)}, nokv ${int(T.nokv.prompt)} (nokv/SQL ${ratioPrompt.toFixed(3)}x; ${ratioPrompt <= 1 ? `${((1 - ratioPrompt) * 100).toFixed(1)}% fewer` : `${((ratioPrompt - 1) * 100).toFixed(0)}% more`}).`);
  L.push(`- Cost: SQL ${usd(T.sql.cost)}, nokv ${usd(T.nokv.cost)} (nokv/SQL ${ratio(T.nokv.cost, T.sql.cost)}).`);
  L.push(`- Target (nokv at most 0.5x SQL's prompt tokens, no task cheaper in SQL): ${ratioPrompt <= 0.5 && !sqlCheaper.length && T.nokv.correct === T.nokv.n && T.sql.correct === T.sql.n ? "met" : "**not met**"}${sqlCheaper.length ? `; SQL is cheaper on ${sqlCheaper.join(", ")}` : ""}.`);
  L.push("");
  L.push(`![prompt tokens per task](${basename(svg || "agent-benchmark.svg")})`);
  L.push("");
  L.push("| task | arm | correct | requests | tool calls | prompt tokens | cached | completion | cost (USD) | nokv/SQL prompt |");
  L.push("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const t of tasks) {
    for (const a of ARMS) {
      const x = A[a].tasks[t.id];
      L.push(`| ${a === "sql" ? `${t.id} ${t.title}` : ""} | ${LABEL[a]} | ${x.correct ? "yes" : "**no**"} | ${x.requests} | ${x.toolCalls} | ${int(x.prompt)} | ${int(x.cached)} | ${int(x.completion)} | ${usd(x.cost)} | ${a === "nokv" ? ratio(x.prompt, A.sql.tasks[t.id].prompt) : ""} |`);
    }
  }
  for (const a of ARMS) {
    const x = T[a];
    L.push(`| **total** | ${LABEL[a]} | ${x.correct}/${x.n} | ${x.requests} | ${x.toolCalls} | ${int(x.prompt)} | ${int(x.cached)} | ${int(x.completion)} | ${usd(x.cost)} | ${a === "nokv" ? ratio(x.prompt, T.sql.prompt) : ""} |`);
  }
  L.push("");
  L.push("Failures, if any:");
  L.push("");
  const fails = [];
  for (const a of ARMS) for (const t of tasks) if (!A[a].tasks[t.id].correct) fails.push(`- ${LABEL[a]} ${t.id}: ${String(A[a].tasks[t.id].reason).split("\n")[0]}`);
  L.push(fails.length ? fails.join("\n") : "- none");
  L.push("");
  const instrTok = countTokens(results.arms.nokv.instructions || "");
  const maxTask = tasks.reduce((m, t) => {
    const r = A.nokv.tasks[t.id].prompt / A.sql.tasks[t.id].prompt;
    return r > m.r ? { id: t.id, r } : m;
  }, { id: "", r: 0 });
  L.push("## Reading the result");
  L.push("");
  L.push(`nokv answers every task with one tool call: ${T.nokv.requests} requests in all (the call, then the answer) against SQL's ${T.sql.requests}. Each nokv request carries more fixed text, ${int(A.nokv.toolTokens)} tokens of tool definitions and server instructions against SQL's ${int(A.sql.toolTokens)}, but there are half as many requests and far less re-sent discovery and intermediate results. Three things in the interface make one call enough:`);
  L.push("");
  L.push(`1. **Field names up front.** The MCP server's instructions list the index's field names (${int(instrTok)} tokens here, with shared prefixes written once as \`params.{data.{batch_size,...}}\`), so the first call can filter and sort on \`min_val_loss\` or \`params.optimizer.lr\`. SQL's plans first read the schema (and, for T1 and T3, the parameter keys) and carry those results through every later request.`);
  L.push("2. **Precomputed reductions.** The index keeps min, max and latest-by-step of every logged metric, skipping NaN and Infinity, so a top-5 is a `where` + `sort` + `limit`; the SQL expert writes the window functions and conditional aggregation for the same answer.");
  L.push("3. **Rows and their logs in one call.** `find`'s `grep` option returns, for each returned run, the matching lines of a file under it (T3, T4, T5), where the SQL agent first finds the runs, then their blob ids, then greps the blobs.");
  L.push("");
  const slack = Math.floor((T.sql.prompt / 2 - T.nokv.prompt) / T.nokv.requests);
  L.push(`The closest task is ${maxTask.id} (${maxTask.r.toFixed(2)}x): SQL answers it with the schema and one query. Every token added to the definitions or the instructions is paid ${T.nokv.requests} times in this run` + (slack >= 0 ? `; ${slack + 1} more tokens per request would move nokv past half of SQL's prompt tokens, so the margin is thin.` : "."));
  L.push("");
  const alt = results.sqlSchemaInPrompt;
  if (alt) {
    const AT = armTotals(alt);
    L.push("## Sensitivity: SQL with its schema in the system prompt");
    L.push("");
    L.push(`nokv's server hands the model its field names up front; the SQL arm as specified learns its schema with a \`show_schema\` call. An SQL agent builder could instead put the schema in the system prompt (${int(alt.toolTokens - A.sql.toolTokens)} more tokens on every request), saving that round trip. Not the target comparison, but the closest like-for-like one: the same SQL plans, skipping \`show_schema\`.`);
    L.push("");
    L.push("| | " + tasks.map((t) => t.id).join(" | ") + " | total |");
    L.push("|---|" + tasks.map(() => "---:").join("|") + "|---:|");
    L.push(`| SQL, schema in prompt: prompt tokens | ${tasks.map((t) => int(alt.tasks[t.id].prompt)).join(" | ")} | ${int(AT.prompt)} |`);
    L.push(`| SQL, schema in prompt: correct | ${tasks.map((t) => (alt.tasks[t.id].correct ? "yes" : "no")).join(" | ")} | ${AT.correct}/${AT.n} |`);
    L.push(`| nokv / this SQL, prompt tokens | ${tasks.map((t) => ratio(A.nokv.tasks[t.id].prompt, alt.tasks[t.id].prompt)).join(" | ")} | ${ratio(T.nokv.prompt, AT.prompt)} |`);
    L.push(`| nokv / this SQL, cost | ${tasks.map((t) => ratio(A.nokv.tasks[t.id].cost, alt.tasks[t.id].cost)).join(" | ")} | ${ratio(T.nokv.cost, AT.cost)} |`);
    L.push("");
    const cheaper = tasks.filter((t) => alt.tasks[t.id].cost < A.nokv.tasks[t.id].cost).map((t) => t.id);
    L.push(cheaper.length ? `Against this SQL agent nokv is more expensive on ${cheaper.join(", ")}.` : "nokv stays cheaper on every task against this SQL agent too, though it needs more than half of its prompt tokens.");
    L.push("");
  }
  L.push("## What each agent did");
  L.push("");
  L.push("One line per task and arm: the tool calls of each request (`a + b` = parallel calls in one request).");
  L.push("");
  L.push("| task | SQL | nokv |");
  L.push("|---|---|---|");
  for (const t of tasks) L.push(`| ${t.id} | ${planLine(A.sql.tasks[t.id])} | ${planLine(A.nokv.tasks[t.id])} |`);
  L.push("");
  L.push("## Where the prompt tokens go");
  L.push("");
  L.push("Each request re-sends the whole context, so a piece costs its size times the number of requests that carry it. Pieces are counted on their own (so the sum differs slightly from the measured total).");
  L.push("");
  L.push("| arm | tool definitions (per request) | system prompt | task text | earlier calls | earlier results | measured total |");
  L.push("|---|---:|---:|---:|---:|---:|---:|");
  for (const a of ARMS) {
    const p = T[a].parts;
    L.push(`| ${LABEL[a]} | ${int(p.tools)} (${int(A[a].toolTokens)}) | ${int(p.system)} | ${int(p.task)} | ${int(p.calls)} | ${int(p.results)} | ${int(T[a].prompt)} |`);
  }
  L.push("");
  const defShare = (a) => `${((T[a].parts.tools / T[a].prompt) * 100).toFixed(0)}%`;
  L.push(`Tool definitions are ${defShare("nokv")} of nokv's prompt tokens and ${defShare("sql")} of SQL's: nokv shows ${int(A.nokv.toolTokens)} tokens of definitions (seven tools and the server instructions) on every request, SQL ${int(A.sql.toolTokens)} (four tools). At nokv's ${T.nokv.requests} requests that difference alone is ${int((A.nokv.toolTokens - A.sql.toolTokens) * T.nokv.requests)} tokens.`);
  L.push("");
  if (results.notes?.length) {
    for (const n of results.notes) L.push(n);
    L.push("");
  }
  L.push("## Runtime");
  L.push("");
  const tm = results.timings;
  const sec = (ms) => (ms / 1000).toFixed(1);
  L.push(`Generate corpus ${tm.generate_s ?? "?"} s; load SQLite ${tm.load_sqlite_s ?? "?"} s; nokv \`put -r\` ${tm.nokv_put_s ?? "?"} s and \`index define\` ${tm.nokv_index_s ?? "?"} s; SQL arm ${sec(A.sql.ms)} s and nokv arm ${sec(A.nokv.ms)} s for the five tasks (tool execution plus token counting).`);
  L.push("");
  L.push("## Method");
  L.push("");
  L.push("**Corpus** (`bench/agent/gen_corpus.py`, seeded, deterministic): an experiment-tracker export, one directory per run named by an 8-hex id with `metadata.json`, `params.yaml`, `metrics.json` (train runs: wide step records of train_loss, lr, grad_norm and every 25 steps val_loss; eval runs: long records `{step, key, value}`; NaN/Infinity/-Infinity written as bare tokens like Python's `json.dump`), `artifacts/stdout.txt`, `artifacts/stderr.txt` and for dirty git trees `artifacts/changes.patch` (one in five declared but missing). Planted traps: val_loss with NaN, +-Infinity and negative (ELBO-style) values; runs that did not complete with the best-looking numbers; a tie at rank 5/6 of T1 and at rank 2/3 of T2; eval runs whose latest value is not their best and whose records are out of step order or end in NaN; an eval run whose best (not latest) detection is the highest; missing metrics and metric files; sampler logs that name a missing checkpoint before the one they load; run names with `adult` on other datasets and an adult run without it; tracebacks with KeyboardInterrupt twice, and completed runs with a stray KeyboardInterrupt in stderr. Gold answers come from the generator's own state, not from either arm.");
  L.push("");
  L.push("**SQL arm**: `bench/agent/load_sqlite.py` loads the export into SQLite (tables experiments, params, metrics, dependencies, git_state, artifacts, blobs; NaN becomes NULL as Python's sqlite3 binds it, +-Infinity stays). Tools (`bench/agent/sql_tools.json`, executed by `bench/agent/sql_tools.py`): `show_schema`, `query_sql` (read-only connection, `query_only`, row cap), `read_blob` (offset/limit), `grep_blob` (many blobs per call, line numbers). Its plans (`plans/sql.mjs`) use CTEs, joins, window functions and conditional aggregation to answer in one query where SQL can, and look up parameter keys the task does not name.");
  L.push("");
  L.push("**nokv arm**: one `nokv put -r` of the export to `/runs` (one atomic publish) and `nokv index define /runs bench/agent/runs-index.yaml`, an index written once for the export (status, script, times, git state, artifact sizes, the usual reductions of every logged metric, params.yaml flattened). The official MCP TypeScript SDK client (`@modelcontextprotocol/sdk`, the version of tests/mcp) spawns `nokv mcp`; the tool definitions are those of `tools/list` and every result is the text of a real `tools/call`. The server's instructions (the MCP `initialize` result) list the index's field names; the plans (`plans/nokv.mjs`) read them there, so each task is one `find` (with its `grep` option where the task asks what a log says).");
  L.push("");
  L.push("**Tasks** (`bench/agent/tasks.json`, the same text for both arms):");
  L.push("");
  for (const t of tasks) L.push(`- ${t.id}: ${t.text}`);
  L.push("");
  L.push("**Judge** (`lib/judge.mjs`): every key of the gold answer must match; run ids exactly and in order; numbers within 1e-9 absolute or 1e-6 relative; strings, booleans and null exactly.");
  L.push("");
  L.push("**Token accounting** (`lib/session.mjs`): a chained session per task. The context is rendered the same way for both arms:");
  L.push("");
  L.push("```");
  L.push("<system>\\n{system prompt}\\n\\n# Tools\\n{server instructions, if any}\\n{one compact JSON {name, description, parameters} per line}\\n</system>\\n");
  L.push("<user>\\n{task text}\\n</user>\\n");
  L.push("<assistant>\\n[{\"id\":\"c1\",\"name\":...,\"arguments\":{...}}, ...]\\n</assistant>\\n   one per request; several calls = parallel calls");
  L.push("<tool id=\"c1\">\\n{result text}\\n</tool>\\n                                           one per call");
  L.push("<assistant>\\n{answer JSON}\\n</assistant>\\n                                        the final request");
  L.push("```");
  L.push("");
  L.push("`parameters` is the tool's input JSON Schema (for nokv exactly as `tools/list` returns it; output schemas and annotations are not shown to the model; the \`instructions\` of nokv's MCP \`initialize\` result, which list the index's fields, precede the tool lines, as MCP clients add them to the system prompt). Prompt tokens of a request = tokens of the context before it; cached tokens = the previous request's prompt tokens (a prefix of this one); completion tokens = the request's assistant message. Cost = uncached input at $" + PRICES.input + "/M, cached input at $" + PRICES.cached + "/M, output at $" + PRICES.output + "/M. Each task is a fresh session (nothing cached across tasks).");
  L.push("");
  L.push("System prompts (identical but for the last sentence):");
  L.push("");
  for (const a of ARMS) L.push(`- ${LABEL[a]}: ${systemPrompts[a].replaceAll("\n", " ")}`);
  L.push("");
  L.push("Transcripts of every call and result are in the work dir (`transcripts/ARM-TASK.json`), with `results.json`.");
  writeFileSync(md, L.join("\n") + "\n");
  if (svg) writeFileSync(svg, chart(results, tasks));
}
