#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of operating nokv: fsck after a killed publish, what gc
says it holds back, waiting for the writer lock, -v/--quiet and
`--version --json`.

Runs the real binary (env NOKV_BIN) against a fresh data dir per test.
Standard library only.
"""

import json
import os
import re
import signal
import subprocess
import time
import unittest

from test_cli import BUSY, CORRUPTION, NOKV, OK, USAGE, CliTestCase, random_bytes


def block_files(data_dir):
    found = []
    for dirpath, _, files in os.walk(os.path.join(data_dir, "blocks")):
        found += [os.path.join(dirpath, f) for f in files]
    return sorted(found)


def total_size(paths):
    return sum(os.path.getsize(p) for p in paths)


class LockHolder:
    """`nokv put - PATH` reading a pipe: it holds the writer lock until the
    pipe is closed."""

    def __init__(self, test, path="/slow"):
        self.test = test
        self.proc = subprocess.Popen([NOKV, "put", "-", path], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=test.env)
        lock = os.path.join(test.data_dir, "writer.lock")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                test.fail(f"the lock holder exited early: {self.proc.communicate()}")
            try:
                with open(lock) as f:
                    if f"pid {self.proc.pid} " in f.read():
                        return
            except FileNotFoundError:
                pass
            time.sleep(0.02)
        test.fail("the lock holder never took the writer lock")

    def finish(self, body=b"slow body"):
        _, err = self.proc.communicate(input=body, timeout=60)
        self.test.assertEqual(self.proc.returncode, OK, err)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


class WaitTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ok("mkdir", "/pre")

    def test_wait_times_out_with_busy_naming_the_holder(self):
        holder = LockHolder(self)
        try:
            start = time.monotonic()
            proc = self.expect(BUSY, "put", "--wait=200ms", "-", "/second", input=b"2")
            waited = time.monotonic() - start
            self.assertGreaterEqual(waited, 0.2)
            self.assertLess(waited, 10)
            self.assertIn(f"pid {holder.proc.pid}".encode(), proc.stderr)
            self.assertIn(b"waited", proc.stderr)
            # The environment variable does the same for scripts.
            env = dict(self.env, NOKV_WAIT="150ms")
            proc = self.expect(BUSY, "mkdir", "/x", env=env)
            self.assertIn(b"waited", proc.stderr)
            # --wait=0 overrides it: fail at once.
            proc = self.expect(BUSY, "mkdir", "--wait=0", "/x", env=env)
            self.assertNotIn(b"waited", proc.stderr)
        finally:
            holder.kill()

    def run_behind_holder(self, *args):
        """Runs `nokv ARGS` while a LockHolder holds the data dir: it must
        still be waiting after 0.5 s and succeed once the holder finishes."""
        holder = LockHolder(self)
        try:
            waiter = subprocess.Popen([NOKV, *args], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, env=self.env)
            time.sleep(0.5)
            self.assertIsNone(waiter.poll(), "the second writer did not wait")
            holder.finish()
            _, err = waiter.communicate(timeout=60)
            self.assertEqual(waiter.returncode, OK, err)
        finally:
            holder.kill()

    def test_waiting_writer_proceeds_after_the_holder(self):
        self.run_behind_holder("put", "--wait=20s", self.local("second", b"second body"),
                               "/second")
        self.assertEqual(self.cat("/slow"), b"slow body")
        self.assertEqual(self.cat("/second"), b"second body")

    def test_bare_wait_does_not_take_the_next_argument(self):
        # `--wait` alone waits without a limit; `/d` stays the path.
        self.run_behind_holder("mkdir", "--wait", "/d")
        self.ok("stat", "/d")
        # `--wait 5s` (a separate duration) is the wait, not a path.
        self.ok("mkdir", "--wait", "5s", "/e")
        self.ok("stat", "/e")

    def test_bad_wait_is_a_usage_error(self):
        proc = self.expect(USAGE, "mkdir", "--wait=soon", "/x")
        self.assertIn(b"--wait 'soon' is not a duration", proc.stderr)
        proc = self.expect(USAGE, "mkdir", "/x", env=dict(self.env, NOKV_WAIT="later"))
        self.assertIn(b"NOKV_WAIT 'later' is not a duration", proc.stderr)


class CrashedPublishFsckTest(CliTestCase):
    def kill_mid_upload(self):
        """Starts a publish of a body larger than two 4 MiB blocks, kills it
        with SIGKILL once blocks are in the store, and returns those blocks."""
        before = set(block_files(self.data_dir))
        proc = subprocess.Popen([NOKV, "put", "-", "/big"], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=self.env)
        try:
            proc.stdin.write(random_bytes(9 * 1024 * 1024, seed=3))
            proc.stdin.flush()
            deadline = time.monotonic() + 60
            while len(set(block_files(self.data_dir)) - before) < 2:
                self.assertLess(time.monotonic(), deadline, "no blocks were uploaded")
                time.sleep(0.02)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdin.close()
        left = sorted(set(block_files(self.data_dir)) - before)
        self.assertGreaterEqual(len(left), 2)
        return left

    def test_pending_cleanup_is_information_and_repair_reports_bytes(self):
        self.ok("put", self.local("kept", random_bytes(300 * 1024, seed=1)), "/kept")
        left = self.kill_mid_upload()
        left_bytes = total_size(left)

        out = self.ok("fsck")
        self.assertRegex(out, rb"pending cleanup: +1 abandoned upload, %d blocks" % len(left))
        self.assertIn(b"status:           clean", out)
        report = self.ok_json("fsck")
        self.assertTrue(report["clean"])
        self.assertEqual(report["issues"], [])
        self.assertEqual(report["pending_cleanup"],
                         {"intents": 1, "blocks": len(left), "bytes": left_bytes})

        report = self.ok_json("fsck", "--repair")
        self.assertEqual(report["repair"], {"intents_removed": 1, "objects_removed": len(left),
                                            "bytes_removed": left_bytes})
        self.assertEqual(report["pending_cleanup"], {"intents": 0, "blocks": 0, "bytes": 0})
        for path in left:
            self.assertFalse(os.path.exists(path), path)
        self.assertEqual(self.ok_json("fsck", "--verify-data")["files"], 1)

    def test_repair_text_names_what_it_removed(self):
        left = self.kill_mid_upload()
        out = self.ok("fsck", "--repair")
        self.assertRegex(out, rb"repaired: +1 abandoned upload, %d objects \((\d|\.)+ MiB\) removed"
                         % len(left))
        self.assertNotIn(b"pending cleanup", out)

    def test_gc_counts_the_abandoned_upload(self):
        left_bytes = total_size(self.kill_mid_upload())
        report = self.ok_json("gc")
        self.assertEqual(report["intents_removed"], 1)
        self.assertEqual(report["bytes_freed"], left_bytes)

    def test_damage_still_exits_5(self):
        self.ok("put", self.local("kept", random_bytes(300 * 1024, seed=1)), "/kept")
        kept = block_files(self.data_dir)
        self.kill_mid_upload()
        os.unlink(kept[0])
        proc = self.expect(CORRUPTION, "fsck", "--json")
        report = json.loads(proc.stdout)
        self.assertFalse(report["clean"])
        self.assertEqual([i["kind"] for i in report["issues"]], ["missing_block"])
        self.assertEqual(report["pending_cleanup"]["intents"], 1)


class GcHeldTest(CliTestCase):
    def test_gc_that_frees_nothing_says_why(self):
        old = random_bytes(100 * 1024, seed=4)
        self.ok("put", self.local("m1", old), "/m.bin")
        self.ok("put", self.local("m2", b"new"), "/m.bin")
        out = self.ok("gc")
        self.assertRegex(out, rb"bytes freed: +0 ")
        self.assertIn(b"held:               100.0 KiB by history younger than "
                      b"--keep-history 1h; 0 B by snapshots", out)
        report = self.ok_json("gc")
        self.assertEqual(report["bytes_freed"], 0)
        held = report["held"]
        self.assertEqual(held["history"]["bytes"], len(old))
        self.assertEqual(held["history"]["bodies"], 1)
        self.assertEqual(held["history"]["keep_history_seconds"], 3600)
        self.assertEqual(held["snapshots"], [])
        self.assertTrue(held["exact"])

    def test_snapshot_holds_are_named(self):
        old = random_bytes(100 * 1024, seed=5)
        self.ok("put", self.local("m1", old), "/d/m.bin")
        self.ok("snapshot", "create", "/d", "--name", "before")
        self.ok("rm", "/d/m.bin")
        report = self.ok_json("gc", "--keep-history", "0")
        self.assertEqual(report["bytes_freed"], 0)
        self.assertEqual(report["held"]["history"]["bytes"], 0)
        rows = report["held"]["snapshots"]
        self.assertEqual([r["name"] for r in rows], ["before"])
        self.assertEqual(rows[0]["bytes"], len(old))
        out = self.ok("gc", "--keep-history", "0")
        self.assertIn(b"snapshot before: 100.0 KiB in 1 body", out)
        self.ok("snapshot", "drop", "before")
        report = self.ok_json("gc", "--keep-history", "0")
        self.assertEqual(report["bytes_freed"], len(old))
        self.assertEqual(report["held"]["snapshots"], [])


class VerbosityTest(CliTestCase):
    def test_verbose_names_data_dir_store_and_timing(self):
        self.ok("mkdir", "/a")
        proc = self.expect(OK, "-v", "ls", "/")
        self.assertIn(f"data dir {self.data_dir}".encode(), proc.stderr)
        self.assertIn(b"store local", proc.stderr)
        self.assertRegex(proc.stderr, rb"ls took [0-9.]+ ms")
        self.assertNotIn(b"table files", proc.stderr)
        proc = self.expect(OK, "ls", "-vv", "/")
        self.assertIn(b"table files", proc.stderr)
        self.assertEqual(proc.stdout, self.ok("ls", "/"))
        self.assertEqual(self.expect(OK, "ls", "/").stderr, b"")

    def test_quiet_keeps_errors_only(self):
        self.ok("mkdir", "/a")
        self.ok("mkdir", "/b")
        proc = self.expect(OK, "ls", "--limit", "1", "/")
        self.assertIn(b"next cursor", proc.stderr)
        proc = self.expect(OK, "ls", "-q", "--limit", "1", "/")
        self.assertEqual(proc.stderr, b"")
        self.assertTrue(proc.stdout)
        proc = self.expect(OK, "--quiet", "put", "-r", self.tmp, "/all")
        self.assertEqual(proc.stderr, b"")  # no "skipping ...: it is the nokv data dir"
        proc = self.expect(3, "-q", "cat", "/missing")
        self.assertIn(b"/missing", proc.stderr)


class VersionJsonTest(CliTestCase):
    def test_version_json(self):
        for args in (["--version", "--json"], ["--json", "--version"]):
            info = json.loads(self.ok(*args))
            self.assertRegex(info["version"], r"^\d+\.\d+\.\d+")
            self.assertRegex(info["rocksdb_version"], r"^\d+\.\d+\.\d+$")
            self.assertIn(info["build_type"], ["release", "debug", "optimized with assertions"])
            self.assertIsInstance(info["assertions"], bool)
        self.assertRegex(self.ok("--version"), rb"^nokv \d+\.\d+\.\d+")
        # After a read command, --version still picks a commit version.
        self.ok("mkdir", "/v1")
        first = self.ok_json("stat", "/v1")["version"]
        self.ok("mkdir", "/v2")
        names = [e["name"] for e in self.ok_json("ls", "--version", str(first), "/")["entries"]]
        self.assertIn("v1", names)
        self.assertNotIn("v2", names)


if __name__ == "__main__":
    unittest.main()
