// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// The SQL arm's scripted agent: what an expert SQL user does with show_schema,
// query_sql, read_blob and grep_blob. Every argument comes from the task text,
// the tool definitions or earlier results; code that reads a result models the
// agent reading it. Each task starts a fresh session, so each begins by looking
// at the schema, unless its instructions already hold it (the sensitivity run
// with the schema in the system prompt). Names the task states literally (train.py, completed, val_loss,
// fidelity, adult, KeyboardInterrupt) are used as given; names it does not state
// (parameter keys) are looked up first. Queries use joins, CTEs, window
// functions and conditional aggregation to answer in one round trip where SQL can.

// A query result as objects keyed by column.
export function rowsOf(result) {
  if (result.error) throw new Error(`SQL arm error: ${result.error}`);
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
}

const bool = (v) => (v === null || v === undefined ? v : !!v);

// The parameter keys of a script's runs, to find the ones the task describes.
function paramKeysSql(script) {
  return `SELECT DISTINCT key FROM params WHERE run_id IN (SELECT id FROM experiments WHERE script = '${script}') ORDER BY key`;
}

function pickKey(keys, re, what) {
  const k = keys.find((x) => re.test(x));
  if (!k) throw new Error(`no parameter key for ${what} among ${keys.join(", ")}`);
  return k;
}

// The schema, unless the instructions already show it.
async function lookAtSchema(s) {
  if (!s.instructions.includes("CREATE TABLE")) await s.one("show_schema", {});
}

const sqlStr = (s) => `'${String(s).replaceAll("'", "''")}'`;

export const plans = {
  async T1(s, p) {
    await lookAtSchema(s);
    const keys = rowsOf(await s.one("query_sql", { sql: paramKeysSql(p.script) })).map((r) => r.key);
    const lr = pickKey(keys, /(^|\.)(lr|learning_rate)$/, "learning rate");
    const bs = pickKey(keys, /(^|\.)batch_size$/, "batch size");
    const sql = `WITH v AS (
  SELECT run_id, min(value) AS min_val_loss FROM metrics
  WHERE key = 'val_loss' AND abs(value) < 1e308 GROUP BY run_id)
SELECT e.id, lr.value AS lr, bs.value AS batch_size, v.min_val_loss, a.size AS stdout_bytes, g.dirty
FROM experiments e JOIN v ON v.run_id = e.id
LEFT JOIN params lr ON lr.run_id = e.id AND lr.key = ${sqlStr(lr)}
LEFT JOIN params bs ON bs.run_id = e.id AND bs.key = ${sqlStr(bs)}
LEFT JOIN artifacts a ON a.run_id = e.id AND a.name = 'stdout.txt'
LEFT JOIN git_state g ON g.run_id = e.id
WHERE e.script = ${sqlStr(p.script)} AND e.status = 'completed'
ORDER BY v.min_val_loss, e.id LIMIT ${p.limit}`;
    const rows = rowsOf(await s.one("query_sql", { sql }));
    return s.answer({ runs: rows.map((r) => ({ ...r, dirty: bool(r.dirty) })) });
  },

  async T2(s, p) {
    await lookAtSchema(s);
    const sql = `WITH l AS (
  SELECT run_id, key, value, row_number() OVER (PARTITION BY run_id, key ORDER BY step DESC) AS rn
  FROM metrics
  WHERE key IN ('fidelity', 'utility', 'detection', 'privacy') AND abs(value) < 1e308
    AND run_id IN (SELECT id FROM experiments WHERE script = ${sqlStr(p.script)} AND status = 'completed'))
SELECT run_id AS id,
  max(CASE key WHEN 'fidelity' THEN value END) AS fidelity,
  max(CASE key WHEN 'utility' THEN value END) AS utility,
  max(CASE key WHEN 'detection' THEN value END) AS detection,
  max(CASE key WHEN 'privacy' THEN value END) AS privacy,
  (SELECT size FROM artifacts a WHERE a.run_id = l.run_id AND a.name = 'stderr.txt') AS stderr_bytes
FROM l WHERE rn = 1 GROUP BY run_id HAVING fidelity IS NOT NULL
ORDER BY fidelity DESC, id LIMIT ${p.limit}`;
    return s.answer({ runs: rowsOf(await s.one("query_sql", { sql })) });
  },

  async T3(s, p) {
    await lookAtSchema(s);
    const keys = rowsOf(await s.one("query_sql", { sql: paramKeysSql(p.script) })).map((r) => r.key);
    const ds = pickKey(keys, /(^|\.)dataset$/, "dataset");
    const runs = rowsOf(
      await s.one("query_sql", {
        sql: `SELECT e.id, a.blob_id FROM experiments e
JOIN params p ON p.run_id = e.id AND p.key = ${sqlStr(ds)} AND p.value = ${sqlStr(p.dataset)}
JOIN artifacts a ON a.run_id = e.id AND a.name = 'stdout.txt'
WHERE e.script = ${sqlStr(p.script)} ORDER BY e.id`,
        max_rows: 500,
      }),
    );
    const grep = await s.one("grep_blob", {
      blob_ids: runs.map((r) => r.blob_id),
      pattern: "checkpoint|parameters",
      regex: true,
      ignore_case: true,
      max_matches: 500,
    });
    // Reading the matched lines: the checkpoint actually loaded (not the one
    // requested or missing) and the model's trainable parameter count.
    const byBlob = new Map(runs.map((r) => [r.blob_id, { id: r.id, checkpoint: null, parameters: null }]));
    for (const [blob, , line] of grep.matches) {
      const row = byBlob.get(blob);
      const ck = line.match(/^Loaded checkpoint (\S+)/);
      if (ck) row.checkpoint = ck[1];
      const np = line.match(/([\d,]+) trainable parameters/);
      if (np) row.parameters = Number(np[1].replaceAll(",", ""));
    }
    return s.answer({ runs: [...byBlob.values()] });
  },

  async T4(s, p) {
    await lookAtSchema(s);
    const [top] = rowsOf(
      await s.one("query_sql", {
        sql: `WITH l AS (
  SELECT run_id, value, row_number() OVER (PARTITION BY run_id ORDER BY step DESC) AS rn
  FROM metrics WHERE key = 'detection' AND abs(value) < 1e308
    AND run_id IN (SELECT id FROM experiments WHERE script = ${sqlStr(p.script)} AND status = 'completed'))
SELECT l.run_id AS id, l.value AS detection, a.blob_id AS stdout_blob
FROM l JOIN artifacts a ON a.run_id = l.run_id AND a.name = 'stdout.txt'
WHERE rn = 1 ORDER BY detection DESC, id LIMIT 1`,
      }),
    );
    const grep = await s.one("grep_blob", { blob_ids: [top.stdout_blob], pattern: "detection", ignore_case: true });
    // The line that names the method used (not the list of available ones).
    const used = grep.matches.map((m) => m[2].match(/using detection method: (\S+)/)).find(Boolean);
    return s.answer({ id: top.id, detection: top.detection, method: used ? used[1] : null });
  },

  async T5(s) {
    await lookAtSchema(s);
    const runs = rowsOf(
      await s.one("query_sql", {
        sql: `SELECT e.id, e.status, a.size AS stderr_bytes, a.blob_id,
  instr(b.content, 'KeyboardInterrupt') > 0 AS ki
FROM experiments e
LEFT JOIN artifacts a ON a.run_id = e.id AND a.name = 'stderr.txt'
LEFT JOIN blobs b ON b.id = a.blob_id
WHERE e.status <> 'completed' ORDER BY e.id`,
        max_rows: 500,
      }),
    );
    const withKi = runs.filter((r) => r.ki);
    const last = new Map();
    if (withKi.length) {
      const grep = await s.one("grep_blob", {
        blob_ids: withKi.map((r) => r.blob_id),
        pattern: "KeyboardInterrupt",
        max_matches: 500,
      });
      for (const [blob, line] of grep.matches) last.set(blob, Math.max(last.get(blob) || 0, line));
    }
    return s.answer({
      runs: runs.map((r) => ({
        id: r.id,
        status: r.status,
        stderr_bytes: r.stderr_bytes,
        keyboard_interrupt: !!r.ki,
        last_line: last.get(r.blob_id) ?? null,
      })),
    });
  },
};
