// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The nokv arm's scripted agent: what an expert user of the seven verbs does.
// Every argument comes from the task text, the tool definitions, the server
// instructions or earlier results; code that reads one of those models the
// agent reading it. The server instructions list the fields of the index over
// /runs (parent.{a,b} groups dotted names), so each task is one find: filter,
// sort and project on index fields, and, where the task asks what a log says,
// the matching lines of that log for every row (find's grep option). Names the
// task states literally (train.py, completed, adult, KeyboardInterrupt) are
// used as given. The run layout (/runs/<id>/artifacts/...) is in the system prompt.

// A find column table as objects keyed by column; `all`: the plan asked for
// every match, so there must be no further page.
export function rowsOf(result, all = false) {
  if (result.error) throw new Error(`nokv arm error: ${result.error.code}: ${result.error.message}`);
  if (all && result.next_cursor) throw new Error("the plan expects one page");
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
}

// Brace expansion of one word: "a.{b,c.{d,e}}" -> a.b a.c.d a.c.e.
function expand(word) {
  const open = word.indexOf("{");
  if (open < 0) return [word];
  let depth = 0;
  let close = open;
  const cuts = [];
  for (let i = open; i < word.length; i++) {
    if (word[i] === "{") depth++;
    else if (word[i] === "}" && --depth === 0) {
      close = i;
      break;
    } else if (word[i] === "," && depth === 1) cuts.push(i);
  }
  const bounds = [open, ...cuts, close];
  const head = word.slice(0, open);
  const tails = expand(word.slice(close + 1));
  const out = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (const mid of expand(word.slice(bounds[k] + 1, bounds[k + 1]))) {
      for (const tail of tails) out.push(head + mid + tail);
    }
  }
  return out;
}

// The field names the instructions list for an indexed directory.
function indexFields(instructions, dir) {
  const line = instructions.split("\n").find((l) => l.startsWith(`${dir}: `));
  if (!line) throw new Error(`the instructions list no index over ${dir}`);
  return line.slice(dir.length + 2).split(" ").flatMap(expand);
}

// The agent picks, among the listed names, the one that means what the task says.
function fieldsFor(s, wanted) {
  const names = indexFields(s.instructions, "/runs");
  const out = {};
  for (const [key, re] of Object.entries(wanted)) {
    out[key] = names.find((n) => re.test(n));
    if (!out[key]) throw new Error(`no field for ${key} among ${names.join(" ")}`);
  }
  return out;
}

const STDOUT = "artifacts/stdout.txt";
const STDERR = "artifacts/stderr.txt";

export const plans = {
  async T1(s, p) {
    const f = fieldsFor(s, {
      minVal: /^min_val_loss$/,
      lr: /^params\.(.*\.)?(lr|learning_rate)$/,
      bs: /^params\.(.*\.)?batch_size$/,
      stdout: /^stdout_(size|bytes)$/,
      dirty: /(^|[._])dirty$/,
    });
    // The index's min reducer skips NaN and Infinity; ties sort by path (= id).
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: { status: "completed", script: p.script },
        sort: f.minVal,
        fields: ["name", f.lr, f.bs, f.minVal, f.stdout, f.dirty],
        limit: p.limit,
      }),
    );
    return s.answer({
      runs: rows.map((r) => ({
        id: r.name,
        lr: r[f.lr],
        batch_size: r[f.bs],
        min_val_loss: r[f.minVal],
        stdout_bytes: r[f.stdout],
        dirty: r[f.dirty],
      })),
    });
  },

  async T2(s, p) {
    const f = fieldsFor(s, {
      fidelity: /^latest_fidelity$/,
      utility: /^latest_utility$/,
      detection: /^latest_detection$/,
      privacy: /^latest_privacy$/,
      stderr: /^stderr_(size|bytes)$/,
    });
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: { status: "completed", script: p.script },
        sort: `-${f.fidelity}`,
        fields: ["name", f.fidelity, f.utility, f.detection, f.privacy, f.stderr],
        limit: p.limit,
      }),
    );
    return s.answer({
      runs: rows.map((r) => ({
        id: r.name,
        fidelity: r[f.fidelity],
        utility: r[f.utility],
        detection: r[f.detection],
        privacy: r[f.privacy],
        stderr_bytes: r[f.stderr],
      })),
    });
  },

  async T3(s, p) {
    const f = fieldsFor(s, { dataset: /^params\.(.*\.)?dataset$/ });
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: { script: p.script, [f.dataset]: p.dataset },
        fields: ["name"],
        grep: { file: STDOUT, pattern: "checkpoint|parameters", regex: true, ignore_case: true },
        limit: 50,
      }),
      true,
    );
    // Reading the matched lines: the checkpoint actually loaded (not the one
    // requested or missing) and the model's trainable parameter count.
    const runs = rows.map((r) => {
      const row = { id: r.name, checkpoint: null, parameters: null };
      for (const [, text] of r.grep ?? []) {
        const ck = text.match(/^Loaded checkpoint (\S+)/);
        if (ck) row.checkpoint = ck[1];
        const np = text.match(/([\d,]+) trainable parameters/);
        if (np) row.parameters = Number(np[1].replaceAll(",", ""));
      }
      return row;
    });
    return s.answer({ runs });
  },

  async T4(s, p) {
    const f = fieldsFor(s, { detection: /^latest_detection$/ });
    const [top] = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: { status: "completed", script: p.script },
        sort: `-${f.detection}`,
        fields: ["name", f.detection],
        grep: { file: STDOUT, pattern: "detection", ignore_case: true },
        limit: 1,
      }),
    );
    // The line that names the method used (not the list of available ones).
    const used = (top.grep ?? []).map(([, text]) => text.match(/using detection method: (\S+)/)).find(Boolean);
    return s.answer({ id: top.name, detection: top[f.detection], method: used ? used[1] : null });
  },

  async T5(s) {
    const f = fieldsFor(s, { stderr: /^stderr_(size|bytes)$/ });
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: { status: { ne: "completed" } },
        fields: ["name", "status", f.stderr],
        grep: { file: STDERR, pattern: "KeyboardInterrupt" },
        limit: 50,
      }),
      true,
    );
    return s.answer({
      runs: rows.map((r) => {
        const lines = (r.grep ?? []).filter(Array.isArray);
        if (r.grep?.length > lines.length) throw new Error("more KeyboardInterrupt lines than shown");
        return {
          id: r.name,
          status: r.status,
          stderr_bytes: r[f.stderr],
          keyboard_interrupt: lines.length > 0,
          last_line: lines.length ? lines[lines.length - 1][0] : null,
        };
      }),
    });
  },
};
