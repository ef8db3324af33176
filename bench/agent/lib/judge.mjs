// Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
//
// Scores an answer against the gold answer: every key of the gold must be in the
// answer with an equal value. Lists compare element by element in order (so run
// ids must come in the asked order); numbers are equal within 1e-9 absolute or
// 1e-6 relative; strings, booleans and null compare exactly. Extra keys in the
// answer are ignored.

function numEqual(a, b) {
  const d = Math.abs(a - b);
  return d <= 1e-9 || d <= 1e-6 * Math.abs(b);
}

function compare(ans, gold, where) {
  if (gold === null) return ans === null || ans === undefined ? null : `${where}: expected null, got ${JSON.stringify(ans)}`;
  if (typeof gold === "number") {
    return typeof ans === "number" && numEqual(ans, gold) ? null : `${where}: expected ${gold}, got ${JSON.stringify(ans)}`;
  }
  if (typeof gold === "string" || typeof gold === "boolean") {
    return ans === gold ? null : `${where}: expected ${JSON.stringify(gold)}, got ${JSON.stringify(ans)}`;
  }
  if (Array.isArray(gold)) {
    if (!Array.isArray(ans)) return `${where}: expected a list`;
    if (ans.length !== gold.length) return `${where}: expected ${gold.length} items, got ${ans.length}`;
    for (let i = 0; i < gold.length; i++) {
      const e = compare(ans[i], gold[i], `${where}[${i}]`);
      if (e) return e;
    }
    return null;
  }
  if (typeof ans !== "object" || ans === null || Array.isArray(ans)) return `${where}: expected an object`;
  for (const k of Object.keys(gold)) {
    const e = compare(ans[k], gold[k], where ? `${where}.${k}` : k);
    if (e) return e;
  }
  return null;
}

export function judge(answer, gold) {
  const reason = compare(answer, gold, "");
  return { correct: reason === null, reason };
}
