#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of the time commands of the `nokv` tool: snapshots,
reads at a version or snapshot, history, clone, diff, rollback, checkpoints,
watch and gc.

Runs the real binary (env NOKV_BIN) against a fresh data dir per test
(env NOKV_DATA_DIR) and checks outputs, JSON shapes and exit codes.
Standard library only.
"""

import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
if os.sep in NOKV:
    NOKV = os.path.abspath(NOKV)  # the tests run nokv from another directory

# Exit codes (src/cli/exit_codes.h).
OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT, CORRUPTION, IO_ERROR, BUSY, EXPIRED = range(9)

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def random_bytes(n, seed):
    return random.Random(seed).randbytes(n)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def tree_bytes(root):
    total = 0
    for dirpath, _, files in os.walk(root):
        for name in files:
            total += os.path.getsize(os.path.join(dirpath, name))
    return total


class TimeCliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-time-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.env = dict(os.environ, NOKV_DATA_DIR=self.data_dir)
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- helpers ----

    def run_nokv(self, *args, input=None, env=None, timeout=60):
        return subprocess.run([NOKV, *args], input=input, capture_output=True,
                              env=env or self.env, cwd=self.work, timeout=timeout)

    def expect(self, code, *args, input=None, **kw):
        proc = self.run_nokv(*args, input=input, **kw)
        self.assertEqual(
            proc.returncode, code,
            f"nokv {' '.join(args)}: exit {proc.returncode}, want {code}\n"
            f"stdout: {proc.stdout[:2000]!r}\nstderr: {proc.stderr.decode(errors='replace')}")
        return proc

    def ok(self, *args, input=None, **kw):
        return self.expect(OK, *args, input=input, **kw).stdout

    def ok_json(self, *args, **kw):
        return json.loads(self.ok(*args, "--json", **kw))

    def fails(self, code, *args, **kw):
        """Runs a failing command; returns its stderr as text (one clear line)."""
        proc = self.expect(code, *args, **kw)
        self.assertEqual(proc.stdout, b"")
        stderr = proc.stderr.decode()
        self.assertTrue(stderr.startswith("nokv: "), stderr)
        return stderr

    def put(self, path, data):
        """Publishes `data` at `path`; returns the commit version."""
        return self.ok_json("put", "-", path, input=data)["version"]

    def local(self, relpath, data):
        path = os.path.join(self.work, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def cat(self, path, *flags):
        return self.ok("cat", *flags, path)

    def snapshot(self, path, name, *flags):
        return self.ok_json("snapshot", "create", path, "--name", name, *flags)

    def watch_json(self, *args, **kw):
        """Runs `nokv watch --json`; returns (events, next_cursor)."""
        lines = [json.loads(line) for line in self.ok("watch", *args, "--json", **kw).splitlines()]
        self.assertIn("next_cursor", lines[-1])
        return lines[:-1], lines[-1]["next_cursor"]


class SnapshotTest(TimeCliTestCase):
    def test_create_list_show_renew_drop(self):
        self.put("/runs/a.txt", b"a1")
        snap = self.snapshot("/runs", "s1", "--ttl", "7d")
        self.assertEqual(snap["name"], "s1")
        self.assertEqual(snap["path"], "/runs")
        self.assertEqual(snap["kind"], "directory")
        self.assertRegex(snap["created"], ISO_TIME)
        self.assertEqual(snap["expires_ns"] - snap["created_ns"], 7 * 86400 * 10**9)
        self.assertFalse(snap["expired"])

        # Without --name a name is chosen; without --ttl it never expires.
        auto = self.ok_json("snapshot", "create", "/runs")
        self.assertEqual(auto["name"], f"snap-{auto['version']}")
        self.assertIsNone(auto["expires"])

        listed = self.ok_json("snapshot", "list")["snapshots"]
        self.assertEqual(sorted(s["name"] for s in listed), sorted(["s1", auto["name"]]))
        text = self.ok("snapshot", "list").decode()
        self.assertIn("s1", text)
        self.assertIn("never", text)

        shown = self.ok_json("snapshot", "show", "s1")
        self.assertEqual(shown["version"], snap["version"])
        self.assertIn("expires:", self.ok("snapshot", "show", "s1").decode())

        renewed = self.ok_json("snapshot", "renew", "s1", "--ttl", "90s")
        self.assertLess(renewed["expires_ns"] - renewed["created_ns"], 7 * 86400 * 10**9)
        renewed = self.ok_json("snapshot", "renew", "s1", "--ttl", "0")
        self.assertIsNone(renewed["expires"])

        self.ok("snapshot", "drop", "s1")
        self.assertIn("no snapshot named s1", self.fails(NOT_FOUND, "snapshot", "show", "s1"))
        self.fails(NOT_FOUND, "snapshot", "drop", "s1")
        self.assertEqual([s["name"] for s in self.ok_json("snapshot", "list")["snapshots"]],
                         [auto["name"]])

    def test_errors(self):
        self.put("/runs/a.txt", b"a")
        self.snapshot("/runs", "s1")
        self.assertIn("exists", self.fails(CONFLICT, "snapshot", "create", "/runs", "--name", "s1"))
        self.assertIn("duration", self.fails(USAGE, "snapshot", "create", "/runs", "--ttl", "5y"))
        self.fails(USAGE, "snapshot", "create", "/runs", "--name", "bad name")
        self.fails(NOT_FOUND, "snapshot", "create", "/nope")
        self.fails(NOT_FOUND, "snapshot", "renew", "nope", "--ttl", "1h")
        self.fails(USAGE, "snapshot", "renew", "s1")  # --ttl is required
        self.fails(USAGE, "snapshot")
        self.assertIn("unknown command 'snapshot bogus'", self.fails(USAGE, "snapshot", "bogus"))

    def test_snapshot_of_a_file(self):
        self.put("/cfg/params.json", b'{"lr": 1}')
        self.snapshot("/cfg/params.json", "params")
        self.put("/cfg/params.json", b'{"lr": 2}')
        self.assertEqual(self.ok_json("snapshot", "show", "params")["kind"], "file")
        self.assertEqual(self.cat("/cfg/params.json", "--snapshot", "params"), b'{"lr": 1}')
        self.assertEqual(self.cat("/cfg/params.json"), b'{"lr": 2}')
        # The snapshot holds the file alone, not its directory.
        self.fails(USAGE, "ls", "--snapshot", "params", "/cfg")


class ReadAtTest(TimeCliTestCase):
    def setUp(self):
        super().setUp()
        self.big_v1 = random_bytes(200 * 1024, seed=1)
        self.put("/p/a.txt", b"old")
        self.put("/p/big.bin", self.big_v1)
        self.v1 = self.put("/p/sub/c.txt", b"c")
        self.snap_version = self.snapshot("/p", "s1")["version"]
        self.put("/p/a.txt", b"new!")
        self.put("/p/b.txt", b"b")
        self.put("/p/big.bin", random_bytes(1000, seed=2))
        self.ok("rm", "-r", "/p/sub")

    def test_reads_see_the_snapshot_and_the_version(self):
        for flags, version in ((["--snapshot", "s1"], self.snap_version),
                               (["--version", str(self.v1)], self.v1)):
            with self.subTest(flags=flags):
                self.assertEqual(self.cat("/p/a.txt", *flags), b"old")
                self.assertEqual(self.cat("/p/big.bin", *flags), self.big_v1)
                names = [e["name"] for e in self.ok_json("ls", *flags, "/p")["entries"]]
                self.assertEqual(names, ["a.txt", "big.bin", "sub"])
                self.assertEqual(self.ok("ls", *flags, "/p/sub"), b"c.txt\n")
                info = self.ok_json("stat", *flags, "/p/a.txt")
                self.assertEqual((info["size"], info["generation"]), (3, 1))
                tree = self.ok_json("tree", *flags, "/p")
                self.assertEqual([c["name"] for c in tree["children"]], ["a.txt", "big.bin", "sub"])
                self.assertIn(b"c.txt", self.ok("tree", *flags, "/p"))
                out = os.path.join(self.work, "restore-" + flags[0].strip("-"))
                got = self.ok_json("get", "-r", *flags, "/p", out)
                self.assertEqual(got["version"], version)
                with open(os.path.join(out, "big.bin"), "rb") as f:
                    self.assertEqual(f.read(), self.big_v1)
                self.assertFalse(os.path.exists(os.path.join(out, "b.txt")))
        # The live namespace moved on.
        self.assertEqual(self.cat("/p/a.txt"), b"new!")
        self.fails(NOT_FOUND, "ls", "/p/sub")

    def test_snapshot_and_version_together_is_a_usage_error(self):
        both = ["--snapshot", "s1", "--version", str(self.v1)]
        for args in (["cat", "/p/a.txt"], ["ls", "/p"], ["stat", "/p/a.txt"], ["tree", "/p"],
                     ["get", "/p/a.txt", os.path.join(self.work, "x")],
                     ["history", "/p/a.txt"], ["clone", "/p", "/q"]):
            with self.subTest(command=args[0]):
                self.assertIn("excludes", self.fails(USAGE, *args, *both))

    def test_errors(self):
        self.assertIn("outside snapshot s1",
                      self.fails(USAGE, "cat", "--snapshot", "s1", "/other/x.txt"))
        self.fails(USAGE, "ls", "--snapshot", "s1", "/")
        self.assertIn("no snapshot named nope", self.fails(NOT_FOUND, "ls", "--snapshot", "nope",
                                                           "/p"))
        self.fails(NOT_FOUND, "cat", "--snapshot", "nope", "/p/a.txt")
        self.fails(USAGE, "cat", "--version", "0", "/p/a.txt")
        self.fails(USAGE, "cat", "--version", "-3", "/p/a.txt")
        self.fails(NOT_FOUND, "cat", "--snapshot", "s1", "/p/b.txt")  # created later


class HistoryTest(TimeCliTestCase):
    def test_history_and_generations(self):
        bodies = [b"one", random_bytes(100 * 1024, seed=3), b"three!"]
        versions = [self.put("/h/f.bin", body) for body in bodies]
        gens = self.ok_json("history", "/h/f.bin")
        self.assertEqual(gens["path"], "/h/f.bin")
        rows = gens["generations"]
        self.assertEqual([g["generation"] for g in rows], [3, 2, 1])
        self.assertEqual([g["version"] for g in rows], versions[::-1])
        self.assertEqual([g["current"] for g in rows], [True, False, False])
        self.assertEqual([g["size"] for g in rows], [len(b) for b in bodies[::-1]])
        self.assertEqual([g["sha256"] for g in rows], [sha256(b) for b in bodies[::-1]])
        self.assertRegex(rows[0]["time"], ISO_TIME)

        text = self.ok("history", "/h/f.bin").decode().splitlines()
        self.assertIn("GEN", text[0])
        self.assertTrue(text[1].startswith("*"), text)
        self.assertIn(sha256(bodies[2]), text[1])

        for gen, body in enumerate(bodies, start=1):
            self.assertEqual(self.cat("/h/f.bin", "--generation", str(gen)), body)
        self.assertEqual(self.ok_json("stat", "--generation", "2", "/h/f.bin")["sha256"],
                         sha256(bodies[1]))
        local = os.path.join(self.work, "gen2.bin")
        self.ok("get", "--generation", "2", "/h/f.bin", local)
        with open(local, "rb") as f:
            self.assertEqual(f.read(), bodies[1])

        # History as of an older version.
        old = self.ok_json("history", "--version", str(versions[1]), "/h/f.bin")["generations"]
        self.assertEqual([(g["generation"], g["current"]) for g in old], [(2, True), (1, False)])

    def test_errors(self):
        self.put("/h/f.bin", b"x")
        self.fails(NOT_FOUND, "cat", "--generation", "7", "/h/f.bin")
        self.fails(USAGE, "cat", "--generation", "0", "/h/f.bin")
        self.fails(CONFLICT, "history", "/h")  # a directory
        self.fails(NOT_FOUND, "history", "/h/nope")


class CloneRollbackTest(TimeCliTestCase):
    def test_clone_live_and_from_a_snapshot(self):
        big = random_bytes(300 * 1024, seed=4)
        self.put("/src/big.bin", big)
        self.put("/src/d/small.txt", b"small")
        self.snapshot("/src", "before")
        self.put("/src/big.bin", b"replaced")
        self.put("/src/late.txt", b"late")

        result = self.ok_json("clone", "--snapshot", "before", "/src", "/fork")
        self.assertGreater(result["version"], 0)
        self.assertEqual(self.cat("/fork/big.bin"), big)
        self.assertEqual(self.cat("/fork/d/small.txt"), b"small")
        self.fails(NOT_FOUND, "stat", "/fork/late.txt")

        self.ok("clone", "/src", "/fork-live")
        self.assertEqual(self.cat("/fork-live/big.bin"), b"replaced")
        self.assertEqual(self.cat("/fork-live/late.txt"), b"late")

        # The fork shares blocks: it stays readable after its source is gone.
        self.ok("rm", "-r", "/src")
        self.ok("snapshot", "drop", "before")
        self.ok("gc", "--keep-history", "0")
        self.assertEqual(self.cat("/fork/big.bin"), big)

        self.assertIn("clone never replaces",
                      self.fails(CONFLICT, "clone", "/fork", "/fork-live"))
        self.fails(NOT_FOUND, "clone", "/nope", "/x")

    def test_clone_at_a_version(self):
        v = self.put("/v/a.txt", b"v1")
        self.put("/v/a.txt", b"v2")
        self.ok("clone", "--version", str(v), "/v", "/v-old")
        self.assertEqual(self.cat("/v-old/a.txt"), b"v1")

    def test_rollback_restores_bytes(self):
        big = random_bytes(150 * 1024, seed=5)
        self.put("/w/model.bin", big)
        self.put("/w/cfg.json", b"{}")
        self.snapshot("/w", "good")
        self.put("/w/model.bin", b"broken")
        self.ok("rm", "/w/cfg.json")
        self.put("/w/junk.txt", b"junk")

        self.assertGreater(self.ok_json("rollback", "/w", "--to", "good")["version"], 0)
        self.assertEqual(self.cat("/w/model.bin"), big)
        self.assertEqual(self.cat("/w/cfg.json"), b"{}")
        self.fails(NOT_FOUND, "stat", "/w/junk.txt")
        self.assertEqual(self.ok("ls", "/w"), b"cfg.json\nmodel.bin\n")

        self.fails(NOT_FOUND, "rollback", "/w", "--to", "nope")
        self.fails(USAGE, "rollback", "/elsewhere", "--to", "good")
        self.fails(USAGE, "rollback", "/w")  # --to is required


class DiffTest(TimeCliTestCase):
    def setUp(self):
        super().setUp()
        self.old_body = random_bytes(80 * 1024, seed=6)
        self.new_body = random_bytes(90 * 1024, seed=7)
        self.put("/d/keep.txt", b"keep")
        self.put("/d/mod.bin", self.old_body)
        self.put("/d/gone.txt", b"gone")
        self.put("/d/old-name.txt", b"moving")
        self.v_from = self.snapshot("/d", "base")["version"]
        self.put("/d/mod.bin", self.new_body)
        self.ok("rm", "/d/gone.txt")
        self.ok("mv", "/d/old-name.txt", "/d/new-name.txt")
        self.v_to = self.put("/d/added.txt", b"added")

    def test_json(self):
        report = self.ok_json("diff", "base", "now")
        self.assertEqual(report["path"], "/d")  # defaults to the snapshot's root
        self.assertEqual(report["from_version"], self.v_from)
        self.assertEqual(report["to_version"], self.v_to)
        self.assertEqual(report["method"], "events")
        self.assertGreater(report["paths_examined"], 0)
        by_path = {e["path"]: e for e in report["entries"]}
        self.assertEqual({p: e["type"] for p, e in by_path.items()}, {
            "/d/added.txt": "added",
            "/d/gone.txt": "removed",
            "/d/mod.bin": "modified",
            "/d/new-name.txt": "renamed",
        })
        mod = by_path["/d/mod.bin"]
        self.assertEqual((mod["old_size"], mod["new_size"]), (len(self.old_body),
                                                              len(self.new_body)))
        self.assertEqual(mod["size_change"], len(self.new_body) - len(self.old_body))
        self.assertEqual(mod["old_sha256"], sha256(self.old_body))
        self.assertEqual(mod["new_sha256"], sha256(self.new_body))
        self.assertEqual((mod["old_generation"], mod["new_generation"]), (1, 2))
        self.assertEqual(by_path["/d/new-name.txt"]["old_path"], "/d/old-name.txt")
        self.assertEqual(by_path["/d/added.txt"]["new_sha256"], sha256(b"added"))
        self.assertEqual(by_path["/d/gone.txt"]["old_sha256"], sha256(b"gone"))

        # Versions, @NAME and an explicit PATH give the same answer.
        same = self.ok_json("diff", str(self.v_from), str(self.v_to), "/d")
        self.assertEqual(same["entries"], report["entries"])
        same = self.ok_json("diff", "@base", str(self.v_to))
        self.assertEqual(same["entries"], report["entries"])
        one = self.ok_json("diff", "base", "now", "/d/mod.bin")["entries"]
        self.assertEqual([e["type"] for e in one], ["modified"])
        self.assertEqual(self.ok_json("diff", "base", "base")["entries"], [])

    def test_human(self):
        lines = self.ok("diff", "base", "now").decode().splitlines()
        self.assertEqual(len(lines), 5, lines)
        self.assertRegex(lines[0], r"^added\s+/d/added\.txt\s+5 B\s+sha256 " +
                         sha256(b"added")[:12] + "$")
        self.assertRegex(lines[1], r"^removed\s+/d/gone\.txt")
        self.assertIn("modified /d/mod.bin", lines[2])
        self.assertIn(f"+{10 * 1024 // 1024}.0 KiB", lines[2])
        self.assertIn(sha256(self.old_body)[:12] + " -> " + sha256(self.new_body)[:12], lines[2])
        self.assertNotIn(sha256(self.new_body), lines[2])  # short digests only
        self.assertIn("renamed  /d/old-name.txt -> /d/new-name.txt", lines[3])
        self.assertIn("4 changes under /d", lines[4])
        self.assertIn("method events", lines[4])

    def test_errors(self):
        self.fails(NOT_FOUND, "diff", "nope", "now")
        self.fails(USAGE, "diff", "base", "now", "/elsewhere")
        self.fails(USAGE, "diff", "@", "now")
        self.fails(USAGE, "diff", "0", "now")
        self.fails(USAGE, "diff", "base")


class CheckpointTest(TimeCliTestCase):
    def test_publish_latest_list(self):
        model = random_bytes(120 * 1024, seed=8)
        f1 = self.local("model.bin", model)
        f2 = self.local("optim.pt", b"optimizer")
        out = self.ok_json("checkpoint", "publish", "/runs/e1", "--step", "100", f1, f2)
        self.assertEqual(out["step"], 100)
        step100 = out["path"]
        self.assertTrue(step100.startswith("/runs/e1/step-"))
        self.assertEqual(sorted(s["path"] for s in out["shards"]),
                         [step100 + "/model.bin", step100 + "/optim.pt"])
        self.assertEqual(self.cat(step100 + "/model.bin"), model)
        manifest = json.loads(self.cat(out["manifest"]))
        self.assertIn("model.bin", json.dumps(manifest))

        # A directory publishes its files recursively, by relative path.
        self.local("ckpt/weights.bin", b"w")
        self.local("ckpt/opt/state.pt", b"s")
        out = self.ok_json("checkpoint", "publish", "/runs/e1", "--step", "200",
                           os.path.join(self.work, "ckpt"))
        step200 = out["path"]
        self.assertEqual(sorted(s["path"] for s in out["shards"]),
                         [step200 + "/opt/state.pt", step200 + "/weights.bin"])

        latest = self.ok_json("checkpoint", "latest", "/runs/e1")
        self.assertEqual((latest["step"], latest["path"]), (200, step200))
        self.assertEqual(latest["version"], out["version"])
        for shard in latest["shards"]:
            self.assertEqual(shard["generation"], 1)
            self.assertRegex(shard["sha256"], HEX64)
        self.assertIn(b"step 200", self.ok("checkpoint", "latest", "/runs/e1"))

        # A shard removed later makes its step incomplete; latest falls back.
        self.ok("rm", step200 + "/weights.bin")
        listed = self.ok_json("checkpoint", "list", "/runs/e1")["checkpoints"]
        self.assertEqual([(c["step"], c["complete"]) for c in listed], [(100, True), (200, False)])
        self.assertIn("weights.bin", listed[1]["problem"])
        text = self.ok("checkpoint", "list", "/runs/e1").decode()
        self.assertIn("incomplete", text)
        self.assertEqual(self.ok_json("checkpoint", "latest", "/runs/e1")["step"], 100)

    def test_errors(self):
        f = self.local("a.bin", b"a")
        self.ok("checkpoint", "publish", "/runs/e2", "--step", "1", f)
        self.assertIn("already published",
                      self.fails(CONFLICT, "checkpoint", "publish", "/runs/e2", "--step", "1", f))
        self.fails(NOT_FOUND, "checkpoint", "latest", "/runs/none")
        self.ok("mkdir", "-p", "/runs/empty")
        self.fails(NOT_FOUND, "checkpoint", "latest", "/runs/empty")
        self.fails(NOT_FOUND, "checkpoint", "publish", "/runs/e2", "--step", "2",
                   os.path.join(self.work, "missing.bin"))
        self.fails(USAGE, "checkpoint", "publish", "/runs/e2", f)  # --step is required
        g = self.local("other/a.bin", b"b")
        self.fails(USAGE, "checkpoint", "publish", "/runs/e2", "--step", "3", f, g)


class WatchTest(TimeCliTestCase):
    def test_replay_resume_and_limit(self):
        self.put("/seed", b"seed")
        start = self.watch_json("/w")[1]
        self.put("/w/a.txt", b"a1")
        self.put("/w/a.txt", b"a2")
        self.ok("mv", "/w/a.txt", "/w/b.txt")
        self.put("/elsewhere/x", b"x")
        self.ok("rm", "/w/b.txt")

        events, end = self.watch_json("/w", "--from", start)
        kinds = [(e["type"], e["path"]) for e in events]
        self.assertIn(("create", "/w/a.txt"), kinds)
        self.assertIn(("replace", "/w/a.txt"), kinds)
        self.assertIn(("rename", "/w/b.txt"), kinds)
        self.assertIn(("remove", "/w/b.txt"), kinds)
        self.assertFalse(any(e["path"].startswith("/elsewhere") for e in events))
        versions = [e["version"] for e in events]
        self.assertEqual(versions, sorted(versions))
        replace = next(e for e in events if e["type"] == "replace")
        self.assertEqual((replace["generation"], replace["size"], replace["sha256"]),
                         (2, 2, sha256(b"a2")))
        rename = next(e for e in events if e["type"] == "rename")
        self.assertEqual(rename["from_path"], "/w/a.txt")

        # Nothing new after the end cursor.
        self.assertEqual(self.watch_json("/w", "--from", end), ([], end))
        # --limit stops early; its cursor resumes right after the last event.
        first, cursor = self.watch_json("/w", "--from", start, "--limit", "2")
        self.assertEqual(first, events[:2])
        rest, _ = self.watch_json("/w", "--from", cursor)
        self.assertEqual(first + rest, events)
        # --from now starts at the end.
        self.assertEqual(self.watch_json("/w", "--from", "now")[0], [])

        proc = self.expect(OK, "watch", "/w", "--from", start)
        lines = proc.stdout.decode().splitlines()
        self.assertEqual(len(lines), len(events))
        replace_line = next(l for l in lines if " replace " in l)
        self.assertRegex(replace_line, r"^\d+ replace /w/a\.txt \[gen 2, 2 B, sha256 " +
                         sha256(b"a2")[:12] + r"\]$")
        self.assertTrue(any(re.match(r"^\d+ rename /w/a\.txt -> /w/b\.txt$", l) for l in lines),
                        lines)
        self.assertEqual(proc.stderr.decode(), f"next cursor: {end}\n")

    def test_expired_and_foreign_cursors(self):
        self.put("/w/a.txt", b"a")
        _, old = self.watch_json("/")
        self.put("/w/b.txt", b"b")
        self.ok("gc", "--keep-events", "0")
        err = self.fails(EXPIRED, "watch", "/", "--from", old)
        self.assertIn("expired", err)
        self.assertIn("oldest valid cursor", err)

        other = dict(self.env, NOKV_DATA_DIR=os.path.join(self.tmp, "other"))
        self.expect(OK, "put", "-", "/x", input=b"x", env=other)
        _, foreign = self.watch_json("/", env=other)
        self.assertIn("another data dir", self.fails(USAGE, "watch", "/", "--from", foreign))
        self.fails(USAGE, "watch", "/", "--from", "not-a-cursor")
        self.fails(USAGE, "watch", "/", "--limit", "0")

    def test_follow_sees_another_process(self):
        self.put("/seed", b"seed")
        _, start = self.watch_json("/f")
        proc = subprocess.Popen([NOKV, "watch", "/f", "--from", start, "--follow", "--json"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env,
                                cwd=self.work, bufsize=0)
        try:
            for i in range(3):
                self.put(f"/f/x{i}", b"%d" % i)
            self.put("/not-watched", b"n")
            events = self.read_json_lines(proc, want=3, timeout=10)
            self.assertEqual([(e["type"], e["path"]) for e in events],
                             [("create", f"/f/x{i}") for i in range(3)])
            proc.send_signal(signal.SIGTERM)
            rest, _ = proc.communicate(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, OK, proc.stderr)
        # The last line is the cursor after everything printed.
        final = json.loads(rest.decode().splitlines()[-1])
        self.assertEqual(self.watch_json("/f", "--from", final["next_cursor"])[0], [])

    def read_json_lines(self, proc, want, timeout):
        """Reads JSON lines from proc.stdout until `want` events arrived."""
        buf = b""
        events = []
        deadline = time.monotonic() + timeout
        while len(events) < want:
            left = deadline - time.monotonic()
            self.assertGreater(left, 0, f"only {len(events)} of {want} events: {events}")
            ready, _, _ = select.select([proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            self.assertNotEqual(chunk, b"", "watch --follow exited early")
            buf += chunk
            *lines, buf = buf.split(b"\n")
            events += [e for e in map(json.loads, lines) if e.get("type") != "mkdir"]
        return events


class GcTest(TimeCliTestCase):
    def test_gc_frees_blocks_after_rm(self):
        big = random_bytes(600 * 1024, seed=9)
        v_big = self.put("/g/big.bin", big)
        blocks = os.path.join(self.data_dir, "blocks")
        before = tree_bytes(blocks)
        self.assertGreaterEqual(before, len(big))
        self.snapshot("/g", "hold")
        self.ok("rm", "/g/big.bin")

        # A snapshot keeps the blocks alive.
        report = self.ok_json("gc", "--keep-history", "0")
        self.assertEqual(report["bytes_freed"], 0)
        self.assertGreater(report["versions_pinned"], 0)
        self.assertEqual(self.cat("/g/big.bin", "--snapshot", "hold"), big)

        self.ok("snapshot", "drop", "hold")
        dry = self.ok_json("gc", "--dry-run", "--keep-history", "0")
        self.assertTrue(dry["dry_run"])
        self.assertEqual(tree_bytes(blocks), before)

        report = self.ok_json("gc", "--keep-history", "0")
        self.assertGreaterEqual(report["bytes_freed"], len(big))
        self.assertGreater(report["blocks_deleted"], 0)
        self.assertGreater(report["bodies_freed"], 0)
        self.assertTrue(report["finished"])
        self.assertEqual(report["delete_failures"], 0)
        for key in ("floor_version", "snapshots_expired", "versions_pruned", "intents_removed",
                    "events_trimmed", "steps"):
            self.assertIn(key, report)
        self.assertLessEqual(tree_bytes(blocks), before - len(big))
        self.ok("fsck", "--verify-data")
        self.assertIn("pruned", self.fails(EXPIRED, "cat", "--version", str(v_big), "/g/big.bin"))

        text = self.ok("gc").decode()
        self.assertIn("bytes freed:", text)
        self.assertIn("floor version:", text)

    def test_gc_forgets_idempotency_keys_after_their_window(self):
        src = os.path.join(self.tmp, "k.txt")
        with open(src, "wb") as f:
            f.write(b"once")
        first = self.ok_json("put", "--idempotency-key", "job-1", src, "/k/f")
        again = self.ok_json("put", "--idempotency-key", "job-1", src, "/k/f")
        self.assertTrue(again["replayed"])
        self.assertEqual(self.ok_json("gc")["idempotency_trimmed"], 0)
        report = self.ok_json("gc", "--keep-idempotency", "0")
        self.assertEqual(report["idempotency_trimmed"], 1)
        anew = self.ok_json("put", "--idempotency-key", "job-1", src, "/k/f")
        self.assertFalse(anew["replayed"])
        self.assertGreater(anew["version"], first["version"])

    def test_expired_snapshot_and_errors(self):
        self.put("/g/a.txt", b"a")
        self.snapshot("/g", "brief", "--ttl", "1")
        time.sleep(1.2)
        self.assertEqual(self.ok_json("gc")["snapshots_expired"], 1)
        self.fails(NOT_FOUND, "snapshot", "show", "brief")
        self.assertIn("duration", self.fails(USAGE, "gc", "--keep-history", "1x"))
        self.fails(USAGE, "gc", "--max-steps", "-1")


if __name__ == "__main__":
    if not shutil.which(NOKV) and not os.path.exists(NOKV):
        sys.exit(f"nokv binary not found: set NOKV_BIN (got {NOKV!r})")
    unittest.main()
