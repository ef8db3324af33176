// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// What parts of an arm's tool definitions and results cost, in prompt tokens of
// the run just measured. Nothing here changes what the agents did: each item is
// a hypothetical edit of the definitions or of the result texts, priced by how
// many requests carried the edited text.
import { countTokens, toolSection } from "./session.mjs";

const clone = (x) => JSON.parse(JSON.stringify(x));

function inlineRefs(node, defs) {
  if (Array.isArray(node)) return node.map((x) => inlineRefs(x, defs));
  if (node && typeof node === "object") {
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/$defs/")) {
      return inlineRefs(defs[node.$ref.slice("#/$defs/".length)], defs);
    }
    const out = {};
    for (const [k, v] of Object.entries(node)) if (k !== "$defs") out[k] = inlineRefs(v, defs);
    return out;
  }
  return node;
}

// Edits of a tool list: name -> function(tools) -> tools.
export const DEFINITION_EDITS = {
  "drop the `at` argument from every tool (one server-wide default, or only on the verbs that need it)": (tools) =>
    tools.map((t) => {
      const u = clone(t);
      delete u.inputSchema.properties?.at;
      if (u.inputSchema.$defs) delete u.inputSchema.$defs.at;
      return u;
    }),
  "inline `$defs`/`$ref` (each tool states its schema once, without indirection)": (tools) =>
    tools.map((t) => ({ ...t, inputSchema: inlineRefs(t.inputSchema, t.inputSchema.$defs || {}) })),
  "drop `additionalProperties: false` (the server rejects unknown arguments anyway)": (tools) =>
    tools.map((t) => {
      const u = clone(t);
      delete u.inputSchema.additionalProperties;
      return u;
    }),
};

export function definitionCosts(tools, instructions, requests) {
  const base = countTokens(toolSection(tools, instructions));
  const rows = [];
  let all = tools;
  for (const [what, edit] of Object.entries(DEFINITION_EDITS)) {
    const saved = base - countTokens(toolSection(edit(tools), instructions));
    all = edit(all);
    rows.push({ what, perRequest: saved, total: saved * requests });
  }
  const saved = base - countTokens(toolSection(all, instructions));
  rows.push({ what: "all of the above", perRequest: saved, total: saved * requests });
  return { base, rows };
}

// Edits of a result (parsed JSON) by tool name; each returns the edited value.
function dropTop(keys) {
  return (v) => {
    if (!v || typeof v !== "object" || Array.isArray(v)) return v;
    const u = { ...v };
    for (const k of keys) delete u[k];
    return u;
  };
}
function dropInItems(listKey, keys) {
  return (v) => {
    if (!v || !Array.isArray(v[listKey])) return v;
    return {
      ...v,
      [listKey]: v[listKey].map((m) => {
        if (!m || typeof m !== "object") return m;
        const u = { ...m };
        for (const k of keys) delete u[k];
        return u;
      }),
    };
  };
}

export const RESULT_EDITS = {
  "`version` in every result": { tools: null, edit: dropTop(["version"]) },
  "grep's `files_searched` and `bytes_scanned`": { tools: ["grep"], edit: dropTop(["files_searched", "bytes_scanned"]) },
  "grep's `ref` per match (the match already has path and line)": {
    tools: ["grep"],
    edit: (v) => dropInItems("files", ["ref"])(dropInItems("matches", ["ref"])(v)),
  },
  "the walk report of find/catalog/aggregate (`scanned`, `complete`, `index`, ...)": {
    tools: ["find", "catalog", "aggregate"],
    edit: dropTop(["scanned", "complete", "index", "index_rows", "source", "walked"]),
  },
};

RESULT_EDITS["catalog as a column table [field, type, count, distinct, min, max] instead of one object per field"] = {
  tools: ["catalog"],
  edit: (v) => {
    if (!v || !v.fields) return v;
    const cols = ["type", "count", "distinct", "min", "max"];
    const { fields, ...rest } = v;
    return { ...rest, columns: ["field", ...cols], rows: Object.entries(fields).map(([k, f]) => [k, ...cols.map((c) => f[c] ?? null)]) };
  },
};

// All result edits at once, as a rewrite of a result text.
export function leanResult(name, text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch {
    return text;
  }
  for (const { tools, edit } of Object.values(RESULT_EDITS)) if (!tools || tools.includes(name)) v = edit(v);
  return JSON.stringify(v);
}

// All definition edits at once.
export function leanTools(tools) {
  let t = tools;
  for (const edit of Object.values(DEFINITION_EDITS)) t = edit(t);
  return t;
}

// sessions: [{transcript, requests}] of one arm.
export function resultCosts(sessions) {
  const rows = [];
  for (const [what, { tools, edit }] of Object.entries(RESULT_EDITS)) {
    let total = 0;
    let count = 0;
    for (const s of sessions) {
      for (const c of s.transcript) {
        if (c.isError || (tools && !tools.includes(c.name))) continue;
        let v;
        try {
          v = JSON.parse(c.result);
        } catch {
          continue;
        }
        const before = countTokens(JSON.stringify(v));
        const after = countTokens(JSON.stringify(edit(v)));
        if (before === after) continue;
        count++;
        total += (before - after) * (s.requests.length - c.request);
      }
    }
    rows.push({ what, results: count, total });
  }
  return rows;
}
