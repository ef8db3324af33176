# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""Loads the experiment-tracker export into one SQLite database, the SQL arm's data.

Reads every CORPUS/runs/<id>/ the way an importer of such an export would: metadata.json
and metrics.json with Python's json module (NaN and Infinity tokens accepted), params.yaml
with PyYAML, and each file under artifacts/ as a blob. Python's sqlite3 binds NaN as
NULL and keeps +-Infinity as REAL; the schema comments say so.

Usage: load_sqlite.py --corpus DIR --db FILE
"""
import argparse
import hashlib
import json
import os
import sqlite3

import yaml

SCHEMA = """
CREATE TABLE experiments (
  id TEXT PRIMARY KEY,      -- 8-hex run id
  name TEXT,
  status TEXT,
  project TEXT,
  script TEXT,              -- entry point, e.g. train.py
  created_at TEXT,          -- ISO-8601 UTC
  started_at TEXT,
  completed_at TEXT,        -- NULL unless completed
  duration_s REAL,
  tags TEXT                 -- JSON array
);
CREATE TABLE params (
  run_id TEXT REFERENCES experiments(id),
  key TEXT,                 -- dotted path in params.yaml, e.g. model.hidden_dim
  value,                    -- INTEGER, REAL or TEXT; booleans 0/1; lists as JSON text
  PRIMARY KEY (run_id, key)
);
CREATE TABLE metrics (
  run_id TEXT REFERENCES experiments(id),
  key TEXT,                 -- metric name
  step INTEGER,
  value REAL                -- NaN stored as NULL; +-Infinity kept
);
CREATE INDEX metrics_run_key ON metrics(run_id, key);
CREATE TABLE dependencies (
  run_id TEXT REFERENCES experiments(id),
  package TEXT,
  version TEXT
);
CREATE TABLE git_state (
  run_id TEXT PRIMARY KEY REFERENCES experiments(id),
  commit_sha TEXT,
  branch TEXT,
  dirty INTEGER,            -- 0/1
  patch_file TEXT           -- declared patch artifact name, NULL if none
);
CREATE TABLE blobs (
  id INTEGER PRIMARY KEY,
  sha256 TEXT,
  size INTEGER,             -- bytes
  content TEXT              -- UTF-8 file body
);
CREATE TABLE artifacts (
  run_id TEXT REFERENCES experiments(id),
  name TEXT,                -- stdout.txt, stderr.txt, changes.patch
  size INTEGER,             -- bytes; NULL if declared but missing
  blob_id INTEGER REFERENCES blobs(id)  -- NULL if declared but missing
);
CREATE INDEX artifacts_run ON artifacts(run_id);
"""


def flatten(prefix, node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            flatten(f"{prefix}{k}.", v, out)
    else:
        key = prefix[:-1]
        if isinstance(node, bool):
            out.append((key, int(node)))
        elif isinstance(node, (list, tuple)):
            out.append((key, json.dumps(node, separators=(",", ":"))))
        else:
            out.append((key, node))


def metric_rows(run_id, records):
    """Wide records {step, a, b} and long records {step, key, value} both become rows."""
    rows = []
    for rec in records:
        step = rec.get("step")
        if "key" in rec and "value" in rec:
            rows.append((run_id, rec["key"], step, rec["value"]))
        else:
            for k, v in rec.items():
                if k != "step" and isinstance(v, (int, float)) and not isinstance(v, bool):
                    rows.append((run_id, k, step, float(v)))
    return rows


def load(corpus, db_path):
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    root = os.path.join(corpus, "runs")
    blob_id = 0
    for rid in sorted(os.listdir(root)):
        d = os.path.join(root, rid)
        with open(os.path.join(d, "metadata.json")) as f:
            m = json.load(f)
        db.execute("INSERT INTO experiments VALUES (?,?,?,?,?,?,?,?,?,?)",
                   (m["id"], m["name"], m["status"], m["project"], m["script"], m["created_at"],
                    m["started_at"], m["completed_at"], m["duration_s"], json.dumps(m["tags"])))
        g = m["git"]
        db.execute("INSERT INTO git_state VALUES (?,?,?,?,?)",
                   (m["id"], g["commit"], g["branch"], int(g["dirty"]), g["patch"]))
        db.executemany("INSERT INTO dependencies VALUES (?,?,?)",
                       [(m["id"], p, v) for p, v in m["dependencies"].items()])
        with open(os.path.join(d, "params.yaml")) as f:
            flat = []
            flatten("", yaml.safe_load(f), flat)
        db.executemany("INSERT INTO params VALUES (?,?,?)", [(m["id"], k, v) for k, v in flat])
        mp = os.path.join(d, "metrics.json")
        if os.path.exists(mp):
            with open(mp) as f:
                db.executemany("INSERT INTO metrics VALUES (?,?,?,?)", metric_rows(m["id"], json.load(f)))
        adir = os.path.join(d, "artifacts")
        names = sorted(os.listdir(adir))
        for name in names:
            with open(os.path.join(adir, name), "rb") as f:
                data = f.read()
            blob_id += 1
            db.execute("INSERT INTO blobs VALUES (?,?,?,?)",
                       (blob_id, hashlib.sha256(data).hexdigest(), len(data), data.decode()))
            db.execute("INSERT INTO artifacts VALUES (?,?,?,?)", (m["id"], name, len(data), blob_id))
        if g["patch"] and g["patch"] not in names:
            db.execute("INSERT INTO artifacts VALUES (?,?,NULL,NULL)", (m["id"], g["patch"]))
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--db", required=True)
    a = ap.parse_args()
    load(a.corpus, a.db)


if __name__ == "__main__":
    main()
