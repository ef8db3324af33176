#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""The metadata store stays healthy when every write is its own process.

People and scripts call the CLI once per file. Each `nokv put` opens the
store, commits and exits; nothing may pile up from one invocation to the next:
not table files, not write-ahead logs, not the time a command takes.

Runs NOKV_ONESHOT_WRITES one-shot writes (default 2000; NOKV_LONG_RUN=1 makes
it 10000), then reads under `ulimit -n 256`. Checks along the way:
  - the number of files in the data dir's meta/ stays bounded;
  - the CPU time (user+sys) of a command at the end is within 1.5x of one at
    the start (medians of 100; CPU time rather than wall time, so other
    processes on the machine do not decide the outcome);
  - every write is readable afterwards, under the low descriptor limit, by
    ls, stat, cat, an agent verb and `nokv mcp`.
Standard library only.
"""

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
LONG = os.environ.get("NOKV_LONG_RUN") == "1"
WRITES = int(os.environ.get("NOKV_ONESHOT_WRITES", "10000" if LONG else "2000"))
WINDOW = 100  # commands per latency sample
FILE_BOUND = 200  # files in meta/ (tables, logs, manifests, options)
FD_LIMIT = 256


def low_fd_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


class OneShotHealthTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-oneshot-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.env = dict(os.environ, NOKV_DATA_DIR=self.data_dir)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def meta_files(self):
        meta = os.path.join(self.data_dir, "meta")
        names = os.listdir(meta)
        return {
            "all": len(names),
            "sst": sum(n.endswith(".sst") for n in names),
            "log": sum(n.endswith(".log") for n in names),
        }

    def run_timed(self, args, input=None, preexec_fn=None):
        """Runs nokv; returns (CompletedProcess-like tuple, cpu seconds)."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([NOKV, *args], input=input, capture_output=True,
                              env=self.env, preexec_fn=preexec_fn, timeout=300)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return proc, cpu

    def test_many_one_shot_writes_stay_healthy(self):
        cpu = []
        wall = []
        peak = {"all": 0, "sst": 0, "log": 0}
        for i in range(WRITES):
            start = time.monotonic()
            proc, seconds = self.run_timed(["put", "-", f"/runs/r/m{i}.txt"],
                                           input=f"{i}\n".encode())
            wall.append(time.monotonic() - start)
            self.assertEqual(proc.returncode, 0,
                             f"put #{i}: {proc.stderr.decode(errors='replace')}")
            cpu.append(seconds)
            if i % 50 == 49:
                counts = self.meta_files()
                for k in peak:
                    peak[k] = max(peak[k], counts[k])
                self.assertLessEqual(
                    counts["all"], FILE_BOUND,
                    f"after {i + 1} one-shot writes meta/ holds {counts}")

        first = statistics.median(cpu[:WINDOW])
        last = statistics.median(cpu[-WINDOW:])
        print(f"\n{WRITES} one-shot puts: median CPU first {first * 1e3:.1f} ms, "
              f"last {last * 1e3:.1f} ms; median wall first "
              f"{statistics.median(wall[:WINDOW]) * 1e3:.1f} ms, last "
              f"{statistics.median(wall[-WINDOW:]) * 1e3:.1f} ms; peak meta/ files {peak}",
              file=sys.stderr)
        self.assertLessEqual(last, 1.5 * first,
                             f"a put costs {last * 1e3:.1f} ms of CPU after {WRITES} writes, "
                             f"{first * 1e3:.1f} ms at the start")

        # Reads under a low descriptor limit see every write.
        proc, _ = self.run_timed(["ls", "--json", "--limit", "100000", "/runs/r"],
                                 preexec_fn=low_fd_limit)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        names = {e["name"] for e in json.loads(proc.stdout)["entries"]}
        self.assertEqual(names, {f"m{i}.txt" for i in range(WRITES)})
        for i in (0, WRITES // 2, WRITES - 1):
            proc, _ = self.run_timed(["cat", f"/runs/r/m{i}.txt"], preexec_fn=low_fd_limit)
            self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
            self.assertEqual(proc.stdout, f"{i}\n".encode())
        proc, _ = self.run_timed(["stat", "--json", "/runs/r"], preexec_fn=low_fd_limit)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        proc, _ = self.run_timed(
            ["agent", "find", json.dumps({"path": "/runs/r", "where": {"name": {"prefix": "m1"}}, "limit": 5})],
            preexec_fn=low_fd_limit)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
        self.assertEqual(len(json.loads(proc.stdout)["rows"]), 5)

        # The MCP server answers too.
        requests = [
            {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                        "clientInfo": {"name": "oneshot-test", "version": "1"}}},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
             "params": {"name": "stat", "arguments": {"path": f"/runs/r/m{WRITES - 1}.txt"}}},
        ]
        proc, _ = self.run_timed(["mcp"], input="".join(json.dumps(r) + "\n" for r in requests)
                                 .encode(), preexec_fn=low_fd_limit)
        replies = [json.loads(line) for line in proc.stdout.decode().splitlines() if line]
        call = next(r for r in replies if r.get("id") == 2)
        self.assertNotIn("error", call, call)
        self.assertFalse(call["result"].get("isError"), call)


if __name__ == "__main__":
    unittest.main()
