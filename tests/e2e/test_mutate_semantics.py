#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of what mutating commands do and report: rm and mkdir
of several paths are one commit (all or nothing), mv -p, --json of every
mutation lists its changes, rollback prints what it restored, diff compares
paths by contents (also after a rollback), history follows the path.

Runs the real binary (env NOKV_BIN) against a fresh data dir per test.
Standard library only.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
if os.sep in NOKV:
    NOKV = os.path.abspath(NOKV)

# Exit codes (src/cli/exit_codes.h).
OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT = range(5)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


class MutateSemanticsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-mutate-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nokv(self, *args, input=None):
        return subprocess.run([NOKV, *args], input=input, capture_output=True, env=self.env,
                              cwd=self.tmp, timeout=60)

    def expect(self, code, *args, input=None):
        proc = self.run_nokv(*args, input=input)
        self.assertEqual(proc.returncode, code,
                         f"nokv {' '.join(args)}: exit {proc.returncode}, want {code}\n"
                         f"stdout: {proc.stdout[:2000]!r}\nstderr: {proc.stderr.decode()}")
        return proc

    def ok(self, *args, input=None):
        return self.expect(OK, *args, input=input).stdout.decode()

    def ok_json(self, *args):
        return json.loads(self.ok("--json", *args))

    def put(self, path, data):
        self.ok("put", "-", path, input=data)

    def exists(self, path):
        return self.run_nokv("stat", path).returncode == OK

    @staticmethod
    def changes(result):
        return [(c["type"], c["path"]) for c in result["changes"]]

    # ---- multi-path rm and mkdir ----

    def test_rm_of_several_paths_is_all_or_nothing(self):
        self.put("/x1", b"1")
        self.put("/x2", b"2")
        err = self.expect(NOT_FOUND, "rm", "/x1", "/nonexistent", "/x2").stderr.decode()
        self.assertIn("/nonexistent", err)
        self.assertIn("nothing was removed", err)
        self.assertTrue(self.exists("/x1"))
        self.assertTrue(self.exists("/x2"))
        before = self.ok_json("stat", "/")["version"]
        result = self.ok_json("rm", "/x1", "/x2")
        self.assertEqual(result["version"], before + 1)  # one commit
        self.assertEqual(self.changes(result), [("remove", "/x1"), ("remove", "/x2")])
        self.assertEqual(result["changes"][0]["kind"], "file")
        self.assertFalse(self.exists("/x1"))

    def test_mkdir_of_several_paths_is_all_or_nothing(self):
        self.put("/taken", b"f")
        err = self.expect(CONFLICT, "mkdir", "/a", "/taken", "/b").stderr.decode()
        self.assertIn("/taken", err)
        self.assertFalse(self.exists("/a"))
        self.assertFalse(self.exists("/b"))
        result = self.ok_json("mkdir", "-p", "/a", "/b/c")
        self.assertEqual(self.changes(result),
                         [("mkdir", "/a"), ("mkdir", "/b"), ("mkdir", "/b/c")])

    # ---- mv -p and --json of mutations ----

    def test_mv_needs_p_for_missing_parents(self):
        self.put("/runs/exp1/m.bin", b"m")
        self.ok("cp", "/runs/exp1", "/runs/exp1-fork")
        err = self.expect(NOT_FOUND, "mv", "/runs/exp1-fork", "/archive/exp1").stderr.decode()
        self.assertIn("mv -p", err)
        self.assertFalse(self.exists("/archive"))
        result = self.ok_json("mv", "-p", "/runs/exp1-fork", "/archive/exp1")
        self.assertEqual(self.changes(result), [("mkdir", "/archive"), ("rename", "/archive/exp1")])
        self.assertEqual(result["changes"][1]["from_path"], "/runs/exp1-fork")
        self.assertEqual(self.ok("cat", "/archive/exp1/m.bin"), "m")

    def test_json_of_cp_and_clone_lists_changes(self):
        self.put("/s/f.txt", b"f")
        cp = self.ok_json("cp", "/s", "/t")
        self.assertEqual(self.changes(cp), [("clone", "/t")])
        self.assertEqual(cp["changes"][0]["kind"], "directory")
        clone = self.ok_json("clone", "/s/f.txt", "/u.txt")
        self.assertEqual(self.changes(clone), [("clone", "/u.txt")])
        self.assertEqual(clone["changes"][0]["from_path"], "/s/f.txt")
        self.assertEqual(clone["changes"][0]["generation"], 1)

    # ---- rollback, diff and watch ----

    def test_rollback_after_rm_prints_what_it_restored_and_diff_is_empty(self):
        self.put("/train/run-a/model.bin", b"weights")
        self.put("/train/run-a/logs/0.txt", b"loss")
        self.ok("snapshot", "create", "/train", "--name", "before")
        self.ok("rm", "-r", "/train/run-a")
        self.put("/train/run-a/extra.txt", b"x")
        cursor = self.run_nokv("watch", "/", "--from", "now").stderr.decode().split()[-1]
        text = self.ok("rollback", "/train/run-a", "--to", "before")
        self.assertIn("restored /train/run-a/model.bin", text)
        self.assertIn("restored /train/run-a/logs/0.txt", text)
        self.assertIn("removed  /train/run-a/extra.txt", text)
        self.assertIn("3 paths restored, 1 removed", text)
        diff = self.ok_json("diff", "before", "now")
        self.assertEqual(diff["entries"], [])
        events = [json.loads(line) for line in
                  self.ok("--json", "watch", "/", "--from", cursor).splitlines()]
        self.assertEqual([(e["type"], e["path"]) for e in events[:-1]],
                         [("rollback", "/train/run-a"), ("remove", "/train/run-a/extra.txt"),
                          ("mkdir", "/train/run-a/logs"), ("create", "/train/run-a/logs/0.txt"),
                          ("create", "/train/run-a/model.bin")])
        # Nothing left to restore: no commit, said so.
        again = self.ok_json("rollback", "/train/run-a", "--to", "before")
        self.assertEqual(again["restored"], [])
        self.assertEqual(again["removed"], [])
        self.put("/train/run-a/extra.txt", b"y")
        result = self.ok_json("rollback", "/train/run-a", "--to", "before")
        self.assertEqual([c["path"] for c in result["removed"]], ["/train/run-a/extra.txt"])
        self.assertEqual(result["snapshot"], "before")

    def test_diff_json_has_null_for_the_missing_side(self):
        self.put("/d/gone.txt", b"g")
        self.put("/d/mod.txt", b"1")
        self.ok("snapshot", "create", "/d", "--name", "s")
        self.ok("rm", "/d/gone.txt")
        self.put("/d/new.txt", b"n")
        self.ok("rm", "/d/mod.txt")
        self.put("/d/mod.txt", b"22")  # a new file at the same path: modified
        entries = {e["path"]: e for e in self.ok_json("diff", "s", "now")["entries"]}
        self.assertEqual(sorted(entries), ["/d/gone.txt", "/d/mod.txt", "/d/new.txt"])
        added, removed, modified = entries["/d/new.txt"], entries["/d/gone.txt"], entries["/d/mod.txt"]
        self.assertEqual(added["type"], "added")
        for key in ("old_size", "old_generation", "old_sha256"):
            self.assertIsNone(added[key], key)
        self.assertEqual(added["new_sha256"], sha256(b"n"))
        self.assertEqual(removed["type"], "removed")
        for key in ("new_size", "new_generation", "new_sha256"):
            self.assertIsNone(removed[key], key)
        self.assertEqual(removed["old_size"], 1)
        self.assertEqual(modified["type"], "modified")
        self.assertEqual((modified["old_size"], modified["new_size"]), (1, 2))

    # ---- history ----

    def test_history_follows_the_path_across_rename_and_rm_put(self):
        self.put("/c/params.json", b"one")
        self.put("/c/.params.json.tmp", b"two")
        self.ok("mv", "/c/.params.json.tmp", "/c/params.json")
        self.ok("rm", "/c/params.json")
        self.put("/c/params.json", b"three")
        gens = self.ok_json("history", "/c/params.json")["generations"]
        self.assertEqual([g["sha256"] for g in gens],
                         [sha256(b"three"), sha256(b"two"), sha256(b"one")])
        self.assertEqual([g["current"] for g in gens], [True, False, False])
        self.assertEqual(gens[1]["from_path"], "/c/.params.json.tmp")
        for g in gens:  # each is readable at the version history names
            self.assertEqual(
                sha256(self.expect(OK, "cat", "--version", str(g["version"]),
                                   "/c/params.json").stdout), g["sha256"])
        text = self.ok("history", "/c/params.json")
        self.assertIn("renamed from /c/.params.json.tmp", text)
        self.assertIn("earlier file, read with --version", text)


if __name__ == "__main__":
    unittest.main()
