#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of `nokv index` and of agent verbs over an index: the
real binary (env NOKV_BIN) on a fresh data dir per test. Standard library
only."""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
if os.sep in NOKV:
    NOKV = os.path.abspath(NOKV)

OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT = range(5)

SPEC = """\
rows: dirs
fields:
  status: {from: metadata.json, at: status}
  min_loss: {from: metrics.json, reduce: min, value: loss}
  log_bytes: {from: out.txt, size: true}
flatten:
  - {from: params.yaml, prefix: "p."}
"""


class IndexCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-index-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))
        src = os.path.join(self.tmp, "src")
        runs = {"a": ("completed", "[1.5, NaN, 0.5]", "lr: 0.1\n"),
                "b": ("failed", "[2.0]", "lr: 0.2\n"),
                "c": ("completed", "[]", "lr: 0.3\n")}
        for name, (status, losses, params) in runs.items():
            d = os.path.join(src, name)
            os.makedirs(d)
            with open(os.path.join(d, "metadata.json"), "w") as f:
                json.dump({"status": status}, f)
            with open(os.path.join(d, "metrics.json"), "w") as f:
                loss = losses.strip("[]").split(", ") if losses != "[]" else []
                f.write("[" + ",".join('{"loss": %s}' % x for x in loss) + "]")
            with open(os.path.join(d, "params.yaml"), "w") as f:
                f.write(params)
            with open(os.path.join(d, "out.txt"), "w") as f:
                f.write("x" * (10 * len(name) + ord(name) - ord("a")))
        self.spec = os.path.join(self.tmp, "spec.yaml")
        with open(self.spec, "w") as f:
            f.write(SPEC)
        self.run_ok("put", "-r", src, "/runs")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nokv(self, *args, stdin=None):
        return subprocess.run([NOKV, *args], env=self.env, input=stdin, capture_output=True,
                              text=True, timeout=120)

    def run_ok(self, *args, stdin=None):
        r = self.run_nokv(*args, stdin=stdin)
        self.assertEqual(r.returncode, OK, r.stderr)
        return r

    def agent(self, verb, args):
        return json.loads(self.run_ok("agent", verb, json.dumps(args)).stdout)

    def test_define_list_show_rebuild_drop(self):
        out = json.loads(self.run_ok("index", "define", "/runs", self.spec, "--json").stdout)
        self.assertEqual(out["name"], "runs")
        self.assertEqual(out["row_count"], 3)
        fields = {f["name"]: f for f in out["fields"]}
        self.assertEqual(fields["min_loss"]["type"], "float")
        self.assertEqual(fields["min_loss"]["rows"], 2)
        self.assertEqual(fields["min_loss"]["nonfinite_skipped"], 1)
        self.assertEqual(fields["p.lr"]["rows"], 3)
        listed = json.loads(self.run_ok("index", "list", "--json").stdout)
        self.assertEqual([i["name"] for i in listed["indexes"]], ["runs"])
        shown = json.loads(self.run_ok("index", "show", "runs", "--json").stdout)
        self.assertEqual(shown["spec"], SPEC)
        self.assertIn("min_loss", self.run_ok("index", "show", "runs").stdout)
        again = self.run_nokv("index", "define", "/runs", self.spec)
        self.assertEqual(again.returncode, CONFLICT, again.stderr)
        self.assertEqual(json.loads(self.run_ok("index", "rebuild", "runs", "--json").stdout)
                         ["row_count"], 3)
        self.run_ok("index", "drop", "runs")
        gone = self.run_nokv("index", "show", "runs")
        self.assertEqual(gone.returncode, NOT_FOUND)
        self.assertIn("no index named", gone.stderr)

    def test_bad_specs_are_usage_errors_and_write_nothing(self):
        for text, says in [("rows: dirs\nfields: {a: {from: m.json, at: x, bogus: 1}}",
                            "unknown key `bogus`"),
                           ("fields: {a: {from: m.json}}", "exactly one"),
                           ("{{{", "YAML")]:
            r = self.run_nokv("index", "define", "/runs", "-", stdin=text)
            self.assertEqual(r.returncode, USAGE, r.stderr)
            self.assertIn(says, r.stderr)
        r = self.run_nokv("index", "define", "/runs", os.path.join(self.tmp, "missing.yaml"))
        self.assertNotEqual(r.returncode, OK)
        r = self.run_nokv("index", "define", "/nowhere", self.spec)
        self.assertEqual(r.returncode, NOT_FOUND, r.stderr)
        self.assertEqual(json.loads(self.run_ok("index", "list", "--json").stdout)["indexes"], [])

    def test_agent_verbs_follow_later_commits(self):
        self.run_ok("index", "define", "/runs", self.spec)
        q = {"path": "/runs", "sort": [{"field": "min_loss"}], "fields": ["path", "min_loss"]}
        res = self.agent("find", q)
        self.assertEqual(res["index"], "runs")
        self.assertEqual(res["rows"], [["/runs/a", 0.5], ["/runs/b", 2.0], ["/runs/c", None]])
        before = res["version"]
        # Another process replaces a metrics file and removes a run.
        metrics = os.path.join(self.tmp, "m.json")
        with open(metrics, "w") as f:
            f.write('[{"loss": -1}]')
        self.run_ok("put", metrics, "/runs/c/metrics.json")
        self.run_ok("rm", "-r", "/runs/b")
        res = self.agent("find", q)
        self.assertEqual(res["rows"], [["/runs/c", -1], ["/runs/a", 0.5]])
        # The earlier version still answers as it was.
        old = self.agent("find", dict(q, at=before))
        self.assertEqual(old["rows"], [["/runs/a", 0.5], ["/runs/b", 2.0], ["/runs/c", None]])
        agg = self.agent("aggregate", {"path": "/runs", "group_by": ["status"],
                                       "measures": [{"op": "count"},
                                                    {"op": "max", "field": "p.lr"}]})
        self.assertEqual(agg["rows"], [["completed", 2, 0.3]])
        card = self.agent("stat", {"path": "/runs/a/out.txt"})
        self.assertEqual(card["index"]["row"], "/runs/a")
        self.assertEqual(card["index"]["fields"]["status"], "completed")
        bad = self.run_nokv("agent", "find", json.dumps({"path": "/runs", "sort": [{"field": "min_los"}]}))
        self.assertNotEqual(bad.returncode, OK)
        self.assertIn("min_loss", bad.stdout + bad.stderr)

    def test_mcp_instructions_name_the_index_fields(self):
        self.run_ok("index", "define", "/runs", self.spec)
        lines = [json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                             "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                                        "clientInfo": {"name": "e2e", "version": "0"}}}),
                 json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                             "params": {"name": "find", "arguments": {
                                 "path": "/runs", "where": {"status": "completed"},
                                 "sort": "-p.lr", "fields": ["name", "p.lr"],
                                 "grep": {"file": "out.txt", "pattern": "x", "limit": 1}}}})]
        r = self.run_ok("mcp", stdin="\n".join(lines) + "\n")
        replies = [json.loads(line) for line in r.stdout.splitlines()]
        instructions = replies[0]["result"]["instructions"]
        self.assertIn("\n/runs: log_bytes min_loss p.lr status", instructions)
        self.assertEqual(self.run_ok("agent", "instructions").stdout, instructions + "\n")
        found = replies[1]["result"]["structuredContent"]
        self.assertEqual(found["columns"], ["name", "p.lr", "grep"])
        self.assertEqual(found["rows"], [["c", 0.3, [[1, "x" * 12]]],
                                         ["a", 0.1, [[1, "x" * 10]]]])


if __name__ == "__main__":
    unittest.main()
