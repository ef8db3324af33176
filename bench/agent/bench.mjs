// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Runs both arms' scripted agents over the five tasks, judges the answers
// against the generator's gold, counts tokens and writes the results.
//
// Usage: node bench.mjs --work DIR --nokv BIN --python PY [--md FILE --svg FILE]
//                       [--command TEXT] [--timings JSON]
// DIR holds gold.json, corpus.json, runs.db (SQL arm) and data/ (nokv data dir).
// Writes DIR/results.json and DIR/transcripts/ARM-TASK.json; with --md/--svg
// also the report. Exits 1 if any answer is wrong.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { NokvArm, SqlArm } from "./lib/arms.mjs";
import { judge } from "./lib/judge.mjs";
import { Session, countTokens, toolSection } from "./lib/session.mjs";
import { writeReport } from "./lib/report.mjs";
import { plans as sqlPlans } from "./plans/sql.mjs";
import { plans as nokvPlans } from "./plans/nokv.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

// One system prompt for both arms; only the sentence saying where the data is differs.
const SYSTEM_COMMON =
  "You answer questions about an ML experiment tracker's export: hundreds of runs of training, " +
  "evaluation, sampling, preprocessing and tuning scripts. Each run has an 8-hex id, metadata " +
  "(status, script, times, git state), parameters (params.yaml), step metrics (metrics.json) and " +
  "stdout/stderr logs. Use the tools to find the evidence; never guess. Prefer few, precise calls; " +
  "you may issue several calls at once. When done, reply with only the JSON answer in the format " +
  "the task asks for.";
export const SYSTEM_PROMPTS = {
  sql: `${SYSTEM_COMMON}\nThe export is loaded into a SQLite database; file bodies are in the blobs table.`,
  nokv: `${SYSTEM_COMMON}\nThe export is a namespace: /runs/<id>/ holds metadata.json, params.yaml, metrics.json and artifacts/ (stdout.txt, stderr.txt).`,
};

const { values: opt } = parseArgs({
  options: {
    work: { type: "string" },
    nokv: { type: "string" },
    python: { type: "string", default: "python3" },
    md: { type: "string" },
    svg: { type: "string" },
    command: { type: "string", default: "" },
    timings: { type: "string", default: "{}" },
  },
});
if (!opt.work || !opt.nokv) {
  console.error("usage: node bench.mjs --work DIR --nokv BIN [--python PY] [--md FILE --svg FILE]");
  process.exit(2);
}

const tasks = JSON.parse(readFileSync(join(HERE, "tasks.json"), "utf8")).tasks;
const gold = JSON.parse(readFileSync(join(opt.work, "gold.json"), "utf8"));
const corpus = JSON.parse(readFileSync(join(opt.work, "corpus.json"), "utf8"));
mkdirSync(join(opt.work, "transcripts"), { recursive: true });

async function runArm(arm, plans, { transcripts = true } = {}) {
  const t0 = Date.now();
  await arm.start();
  const tools = arm.tools();
  const instructions = arm.instructions();
  const out = {
    arm: arm.name,
    toolTokens: countTokens(toolSection(tools, instructions)),
    instructions,
    systemTokens: countTokens(SYSTEM_PROMPTS[arm.name]),
    tasks: {},
  };
  for (const task of tasks) {
    const s = new Session({ arm, systemPrompt: SYSTEM_PROMPTS[arm.name], tools, instructions, task: task.text });
    const t1 = Date.now();
    let answer = null;
    let failure = null;
    try {
      answer = await plans[task.id](s, task.params);
    } catch (e) {
      failure = String(e.stack || e);
    }
    const verdict = failure ? { correct: false, reason: failure } : judge(answer, gold[task.id]);
    out.tasks[task.id] = {
      ...s.totals(),
      perRequest: s.requests,
      correct: verdict.correct,
      reason: verdict.reason,
      ms: Date.now() - t1,
      answer,
    };
    if (transcripts) writeFileSync(
      join(opt.work, "transcripts", `${arm.name}-${task.id}.json`),
      JSON.stringify({ task: task.text, calls: s.transcript, answer, verdict, requests: s.requests }, null, 1),
    );
  }
  await arm.close();
  out.ms = Date.now() - t0;
  return out;
}

const results = {
  corpus,
  timings: JSON.parse(opt.timings),
  arms: {
    sql: await runArm(new SqlArm({ python: opt.python, db: join(opt.work, "runs.db") }), sqlPlans),
    nokv: await runArm(new NokvArm({ nokv: opt.nokv, dataDir: join(opt.work, "data") }), nokvPlans),
  },
};
// Sensitivity, not the target: the SQL agent with the schema in its system
// prompt, so it needs no show_schema round trip (nokv's instructions play
// that part for its index). Transcripts are not written for it.
results.sqlSchemaInPrompt = await runArm(
  new SqlArm({ python: opt.python, db: join(opt.work, "runs.db"), schemaInPrompt: true }),
  sqlPlans,
  { transcripts: false },
);
writeFileSync(join(opt.work, "results.json"), JSON.stringify(results, null, 1));

let wrong = 0;
for (const [name, arm] of Object.entries(results.arms)) {
  const line = [];
  for (const task of tasks) {
    const t = arm.tasks[task.id];
    if (!t.correct) wrong++;
    line.push(`${task.id} ${t.correct ? "ok" : "WRONG"} ${t.requests}req ${t.prompt}tok`);
    if (!t.correct) console.error(`${name} ${task.id}: ${t.reason}`);
  }
  console.log(`${name.padEnd(4)} ${line.join(" | ")}`);
}
if (opt.md) writeReport({ results, tasks, md: opt.md, svg: opt.svg, command: opt.command, systemPrompts: SYSTEM_PROMPTS });
process.exit(wrong ? 1 : 0);
