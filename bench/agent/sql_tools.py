# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""The SQL arm's tools, executed for real against the SQLite database.

Speaks one JSON message per line on stdin/stdout:
  request  {"name": TOOL, "arguments": {...}}
  response {"text": RESULT_TEXT, "isError": BOOL}
RESULT_TEXT is what the model reads: the schema as plain text, everything else compact JSON.
The tools are defined in sql_tools.json; arguments are checked against those definitions.

Usage: sql_tools.py --db FILE
"""
import argparse
import json
import math
import os
import re
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MAX_CELL = 1000   # characters of one text cell shown by query_sql
MAX_LINE = 200    # characters of one line shown by grep_blob


class ToolError(Exception):
    pass


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def cell(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "NaN" if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str) and len(v) > MAX_CELL:
        return v[:MAX_CELL] + f"...(+{len(v) - MAX_CELL} chars; read_blob for more)"
    return v


class Tools:
    def __init__(self, db_path):
        self.db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        self.db.execute("PRAGMA query_only = ON")
        with open(os.path.join(HERE, "sql_tools.json")) as f:
            self.defs = {t["name"]: t["inputSchema"] for t in json.load(f)}

    def check(self, name, args):
        schema = self.defs.get(name)
        if schema is None:
            raise ToolError(f"unknown tool {name}")
        props = schema["properties"]
        for k in args:
            if k not in props:
                raise ToolError(f"unknown argument {k}; accepted: {', '.join(props)}")
        for k in schema.get("required", []):
            if k not in args:
                raise ToolError(f"missing argument {k}")
        for k, v in args.items():
            p = props[k]
            if p.get("type") == "integer":
                if not isinstance(v, int) or isinstance(v, bool):
                    raise ToolError(f"{k} must be an integer")
                if v < p.get("minimum", v) or v > p.get("maximum", v):
                    raise ToolError(f"{k} must be in [{p.get('minimum')}, {p.get('maximum')}]")

    def show_schema(self):
        out = []
        for name, sql in self.db.execute(
                "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"):
            if sql.startswith("CREATE TABLE"):
                n = self.db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                out.append(f"{sql}; -- {n} rows")
            else:
                out.append(sql + ";")
        return "\n".join(out)

    def query_sql(self, sql, max_rows=100):
        try:
            cur = self.db.execute(sql)
        except sqlite3.Error as e:
            raise ToolError(f"SQL error: {e}")
        if cur.description is None:
            raise ToolError("not a query: only SELECT statements return rows")
        rows = cur.fetchmany(max_rows + 1)
        out = {"columns": [d[0] for d in cur.description],
               "rows": [[cell(v) for v in r] for r in rows[:max_rows]]}
        if len(rows) > max_rows:
            out["truncated"] = True
        return dumps(out)

    def blob(self, blob_id):
        row = self.db.execute("SELECT content FROM blobs WHERE id = ?", (blob_id,)).fetchone()
        if row is None:
            raise ToolError(f"no blob {blob_id}")
        return row[0].encode() if isinstance(row[0], str) else row[0]

    def read_blob(self, blob_id, offset=0, limit=8192):
        data = self.blob(blob_id)
        part = data[offset:offset + limit]
        text = part.decode("utf-8", "ignore")
        out = {"blob_id": blob_id, "size": len(data), "offset": offset, "text": text}
        if offset + len(part) < len(data):
            out["next_offset"] = offset + len(part)
        return dumps(out)

    def grep_blob(self, blob_ids, pattern, regex=False, ignore_case=False, max_matches=100):
        try:
            rx = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE if ignore_case else 0)
        except re.error as e:
            raise ToolError(f"bad regex: {e}")
        matches, more = [], False
        for bid in blob_ids:
            for n, line in enumerate(self.blob(bid).decode("utf-8", "replace").split("\n"), 1):
                if rx.search(line):
                    if len(matches) == max_matches:
                        more = True
                        break
                    matches.append([bid, n, line[:MAX_LINE]])
            if more:
                break
        out = {"matches": matches}
        if more:
            out["truncated"] = True
        return dumps(out)

    def call(self, name, args):
        self.check(name, args)
        return getattr(self, name)(**args)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    tools = Tools(ap.parse_args().db)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            resp = {"text": tools.call(req["name"], req.get("arguments", {})), "isError": False}
        except ToolError as e:
            resp = {"text": dumps({"error": str(e)}), "isError": True}
        sys.stdout.write(dumps(resp) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
