// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The nokv arm's scripted agent: what an expert user of the seven verbs does.
// Every argument comes from the task text, the tool definitions or earlier
// results; code that reads a result models the agent reading it. Each task
// starts a fresh session, so each begins with `catalog /runs` to learn the
// field names (the index over /runs and the flattened params). Names the task
// states literally (train.py, completed, adult, KeyboardInterrupt) are used as
// given. The run layout (/runs/<id>/artifacts/...) is stated in the system prompt.

// A find/aggregate column table as objects keyed by column.
export function rowsOf(result) {
  if (result.error) throw new Error(`nokv arm error: ${result.error.code}: ${result.error.message}`);
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
}

// Reading the catalog: the field whose name matches what the task describes.
function field(catalog, re, what) {
  if (catalog.error) throw new Error(`nokv arm error: ${catalog.error.code}: ${catalog.error.message}`);
  const names = Object.keys(catalog.fields);
  const f = names.find((n) => re.test(n));
  if (!f) throw new Error(`no field for ${what} among ${names.join(", ")}`);
  return f;
}

const eq = (f, value) => ({ field: f, op: "eq", value });
const stdoutOf = (id) => `/runs/${id}/artifacts/stdout.txt`;

export const plans = {
  async T1(s, p) {
    const cat = await s.one("catalog", { path: "/runs" });
    const f = {
      status: field(cat, /^status$/, "status"),
      script: field(cat, /^script$/, "script"),
      minVal: field(cat, /^min_val_loss$|^val_loss[._]min$/, "minimum val_loss"),
      lr: field(cat, /^params\.(.*\.)?(lr|learning_rate)$/, "learning rate"),
      bs: field(cat, /^params\.(.*\.)?batch_size$/, "batch size"),
      stdout: field(cat, /^stdout_(size|bytes)$/, "stdout size"),
      dirty: field(cat, /(^|[._])dirty$/, "git dirty"),
    };
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: [eq(f.status, "completed"), eq(f.script, p.script), { field: f.minVal, op: "exists" }],
        sort: [
          { field: f.minVal, direction: "asc" },
          { field: "name", direction: "asc" },
        ],
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
    const cat = await s.one("catalog", { path: "/runs" });
    const latest = (m) => field(cat, new RegExp(`^latest_${m}$|^${m}[._]latest$`), `latest ${m}`);
    const f = {
      status: field(cat, /^status$/, "status"),
      script: field(cat, /^script$/, "script"),
      fidelity: latest("fidelity"),
      utility: latest("utility"),
      detection: latest("detection"),
      privacy: latest("privacy"),
      stderr: field(cat, /^stderr_(size|bytes)$/, "stderr size"),
    };
    const rows = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: [eq(f.status, "completed"), eq(f.script, p.script), { field: f.fidelity, op: "exists" }],
        sort: [
          { field: f.fidelity, direction: "desc" },
          { field: "name", direction: "asc" },
        ],
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
    const cat = await s.one("catalog", { path: "/runs" });
    const f = {
      script: field(cat, /^script$/, "script"),
      dataset: field(cat, /^params\.(.*\.)?dataset$/, "dataset"),
    };
    const found = await s.one("find", {
      path: "/runs",
      where: [eq(f.script, p.script), eq(f.dataset, p.dataset)],
      sort: [{ field: "name", direction: "asc" }],
      fields: ["name"],
      limit: 50,
    });
    const ids = rowsOf(found).map((r) => r.name);
    if (found.next_cursor) throw new Error("T3 plan expects one page of runs");
    const greps = await s.step(
      ids.map((id) => ["grep", { path: stdoutOf(id), pattern: "checkpoint|parameters", regex: true, ignore_case: true }]),
    );
    // Reading the matched lines: the checkpoint actually loaded (not the one
    // requested or missing) and the model's trainable parameter count.
    const runs = ids.map((id, i) => {
      const row = { id, checkpoint: null, parameters: null };
      for (const m of greps[i].matches) {
        const ck = m.text.match(/^Loaded checkpoint (\S+)/);
        if (ck) row.checkpoint = ck[1];
        const np = m.text.match(/([\d,]+) trainable parameters/);
        if (np) row.parameters = Number(np[1].replaceAll(",", ""));
      }
      return row;
    });
    return s.answer({ runs });
  },

  async T4(s, p) {
    const cat = await s.one("catalog", { path: "/runs" });
    const f = {
      status: field(cat, /^status$/, "status"),
      script: field(cat, /^script$/, "script"),
      detection: field(cat, /^latest_detection$|^detection[._]latest$/, "latest detection"),
    };
    const [top] = rowsOf(
      await s.one("find", {
        path: "/runs",
        where: [eq(f.status, "completed"), eq(f.script, p.script), { field: f.detection, op: "exists" }],
        sort: [
          { field: f.detection, direction: "desc" },
          { field: "name", direction: "asc" },
        ],
        fields: ["name", f.detection],
        limit: 1,
      }),
    );
    const grep = await s.one("grep", { path: stdoutOf(top.name), pattern: "detection", ignore_case: true });
    // The line that names the method used (not the list of available ones).
    const used = grep.matches.map((m) => m.text.match(/using detection method: (\S+)/)).find(Boolean);
    return s.answer({ id: top.name, detection: top[f.detection], method: used ? used[1] : null });
  },

  async T5(s) {
    const cat = await s.one("catalog", { path: "/runs" });
    const f = {
      status: field(cat, /^status$/, "status"),
      stderr: field(cat, /^stderr_(size|bytes)$/, "stderr size"),
    };
    // Both at once: the runs that did not complete, and the last KeyboardInterrupt
    // line of every stderr that has one (the agent keeps those of the first list).
    const [found, grep] = await s.step([
      [
        "find",
        {
          path: "/runs",
          where: [{ field: f.status, op: "ne", value: "completed" }],
          sort: [{ field: "name", direction: "asc" }],
          fields: ["name", f.status, f.stderr],
          limit: 50,
        },
      ],
      ["grep", { path: "/runs", glob: "*/artifacts/stderr.txt", pattern: "KeyboardInterrupt", mode: "last", limit: 100 }],
    ]);
    if (found.next_cursor || grep.next_cursor) throw new Error("T5 plan expects one page");
    const last = new Map(grep.files.map((m) => [m.path.split("/")[2], m.line]));
    return s.answer({
      runs: rowsOf(found).map((r) => ({
        id: r.name,
        status: r[f.status],
        stderr_bytes: r[f.stderr],
        keyboard_interrupt: last.has(r.name),
        last_line: last.get(r.name) ?? null,
      })),
    });
  },
};
