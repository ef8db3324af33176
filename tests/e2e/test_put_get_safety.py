#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of what `nokv put` and `nokv get` must never get wrong.

- a local file that changes while it is uploaded is refused, nothing is published;
- an idempotency key replays only the identical request, anything else conflicts;
- symlinks in a tree are skipped unless -L, and -L stays inside the tree
  unless --follow-outside;
- `get` creates missing local directories, leaves no temporary files, and
  removes those a killed get left;
- `put --json` says what it published.

Runs the real binary (env NOKV_BIN). Standard library only.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
if os.sep in NOKV:
    NOKV = os.path.abspath(NOKV)  # the tests run nokv from other directories

OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT, CORRUPTION, IO_ERROR, BUSY = range(8)


class Case(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-safety-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nokv(self, *args, input=None, env=None):
        return subprocess.run([NOKV, *args], input=input, capture_output=True,
                              env=env or self.env, cwd=self.work, timeout=120)

    def expect(self, code, *args, **kw):
        proc = self.run_nokv(*args, **kw)
        self.assertEqual(proc.returncode, code,
                         f"nokv {' '.join(args)}: exit {proc.returncode}, want {code}\n"
                         f"stdout: {proc.stdout[:2000]!r}\nstderr: {proc.stderr.decode()}")
        return proc

    def ok_json(self, *args, **kw):
        return json.loads(self.expect(OK, *args, "--json", **kw).stdout)

    def local(self, rel, data):
        path = os.path.join(self.work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def cat(self, path):
        return self.expect(OK, "cat", path).stdout

    def absent(self, path):
        self.expect(NOT_FOUND, "stat", path)


class ChangedWhileReadTest(Case):
    """The binary pauses after the first chunk of the N-th file it reads
    (NOKV_TEST_PAUSE_READ_DIR), so the file is changed mid-upload for sure."""

    def put_changing(self, args, changes):
        """Runs `nokv put ARGS`; `changes[n]` (n = 1, 2, ...) runs while the
        n-th file read is paused. Returns the finished process."""
        hook = os.path.join(self.tmp, "hook")
        os.mkdir(hook)
        env = dict(self.env, NOKV_TEST_PAUSE_READ_DIR=hook)
        proc = subprocess.Popen([NOKV, "put", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=self.work)
        for n in range(1, len(changes) + 1):
            paused = os.path.join(hook, f"paused.{n}")
            deadline = time.time() + 60
            while not os.path.exists(paused):
                self.assertIsNone(proc.poll(), proc.stderr.read() if proc.poll() is not None else "")
                self.assertLess(time.time(), deadline, "nokv never paused")
                time.sleep(0.01)
            time.sleep(0.02)  # a later timestamp tick than the open
            changes[n - 1]()
            open(os.path.join(hook, f"resume.{n}"), "w").close()
        out, err = proc.communicate(timeout=120)
        proc.stdout_bytes, proc.stderr_text = out, err.decode()
        return proc

    def assert_refused(self, proc, local):
        self.assertEqual(proc.returncode, CONFLICT, proc.stderr_text)
        self.assertIn(local + " changed while it was read", proc.stderr_text)
        self.assertIn("retry when it is stable", proc.stderr_text)
        self.assertEqual(proc.stdout_bytes, b"")

    def assert_store_clean(self):
        # No blocks of the refused upload survive it.
        fsck = self.ok_json("fsck")
        self.assertEqual(fsck["orphan_objects"], 0, fsck)
        blocks = os.path.join(self.env["NOKV_DATA_DIR"], "blocks")
        leftover = [f for _, _, fs in os.walk(blocks) for f in fs] if os.path.isdir(blocks) else []
        self.assertEqual(leftover, [])

    def test_big_file_truncated_mid_upload(self):
        big = self.local("big.bin", os.urandom(9 << 20))  # three blocks
        proc = self.put_changing([big, "/d/big.bin"], [lambda: os.truncate(big, 1000)])
        self.assert_refused(proc, big)
        self.assertIn("size went from 9437184 to 1000", proc.stderr_text)
        self.absent("/d/big.bin")
        self.assert_store_clean()

    def test_big_file_grown_mid_upload(self):
        big = self.local("big.bin", os.urandom(5 << 20))

        def grow():
            with open(big, "ab") as f:
                f.write(b"x" * 100)
        proc = self.put_changing([big, "/d/big.bin"], [grow])
        self.assert_refused(proc, big)
        self.absent("/d/big.bin")

    def test_small_file_rewritten_same_size(self):
        small = self.local("params.json", b'{"lr":1}')

        def rewrite():
            with open(small, "r+b") as f:
                f.write(b'{"lr":2}')
        proc = self.put_changing([small, "/d/params.json"], [rewrite])
        self.assert_refused(proc, small)
        self.assertIn("it was modified", proc.stderr_text)
        self.absent("/d/params.json")

    def test_one_changed_file_aborts_the_whole_commit(self):
        a = self.local("tree/a.bin", os.urandom(200 << 10))
        b = self.local("tree/b.bin", os.urandom(200 << 10))
        proc = self.put_changing(["-r", os.path.join(self.work, "tree"), "/t/"],
                                 [lambda: None, lambda: os.truncate(b, 10)])
        self.assert_refused(proc, b)
        self.absent("/t/tree/a.bin")
        self.absent("/t/tree")
        self.assert_store_clean()
        self.assertTrue(os.path.exists(a))

    def test_stable_file_publishes(self):
        data = os.urandom(5 << 20)
        big = self.local("big.bin", data)
        proc = self.put_changing([big, "/d/big.bin"], [lambda: None])
        self.assertEqual(proc.returncode, OK, proc.stderr_text)
        self.assertEqual(self.cat("/d/big.bin"), data)


class IdempotencyKeyTest(Case):
    def test_same_request_replays(self):
        src = self.local("m.bin", b"one")
        first = self.ok_json("put", "--idempotency-key", "k", src, "/i/m.bin")
        self.assertFalse(first["replayed"])
        again = self.expect(OK, "put", "--idempotency-key", "k", src, "/i/m.bin")
        self.assertIn("replayed", again.stderr.decode())
        self.assertEqual(self.ok_json("stat", "/i/m.bin")["generation"], 1)

    def test_other_body_is_a_conflict(self):
        src = self.local("m.bin", b"one")
        self.ok_json("put", "--idempotency-key", "k", src, "/i/m.bin")
        self.local("m.bin", b"two")
        proc = self.expect(CONFLICT, "put", "--idempotency-key", "k", src, "/i/m.bin")
        self.assertIn('idempotency key "k" was already used for a different request',
                      proc.stderr.decode())
        self.assertEqual(self.cat("/i/m.bin"), b"one")

    def test_other_big_body_is_a_conflict(self):
        src = self.local("m.bin", os.urandom(5 << 20))
        self.ok_json("put", "--idempotency-key", "k", src, "/i/m.bin")
        self.local("m.bin", os.urandom(5 << 20))
        self.expect(CONFLICT, "put", "--idempotency-key", "k", src, "/i/m.bin")
        self.assertEqual(self.ok_json("stat", "/i/m.bin")["generation"], 1)

    def test_other_path_is_a_conflict(self):
        src = self.local("m.bin", b"one")
        self.ok_json("put", "--idempotency-key", "k", src, "/i/m.bin")
        self.expect(CONFLICT, "put", "--idempotency-key", "k", src, "/i/other.bin")
        self.absent("/i/other.bin")

    def test_stdin_retry_replays(self):
        self.ok_json("put", "--idempotency-key", "s", "-", "/i/s.txt", input=b"x")
        again = self.ok_json("put", "--idempotency-key", "s", "-", "/i/s.txt", input=b"x")
        self.assertTrue(again["replayed"])
        self.expect(CONFLICT, "put", "--idempotency-key", "s", "-", "/i/s.txt", input=b"y")


class SymlinkTest(Case):
    def setUp(self):
        super().setUp()
        self.outside = self.local("secret/credentials", b"aws_secret_access_key=x")
        self.tree = os.path.join(self.work, "tree")
        self.local("tree/data.bin", b"data")
        self.local("tree/sub/inner.bin", b"inner")
        os.symlink("data.bin", os.path.join(self.tree, "file_link"))
        os.symlink("sub", os.path.join(self.tree, "dir_link"))
        os.symlink(self.outside, os.path.join(self.tree, "creds"))
        os.symlink(os.path.dirname(self.outside), os.path.join(self.tree, "secret_dir"))
        os.symlink("missing", os.path.join(self.tree, "dangling"))

    def names(self, path):
        return sorted(e["name"] for e in self.ok_json("ls", path)["entries"])

    def test_default_skips_every_symlink_and_says_so(self):
        proc = self.expect(OK, "put", "-r", self.tree, "/s/")
        err = proc.stderr.decode()
        for link in ("file_link", "dir_link", "creds", "secret_dir", "dangling"):
            self.assertIn(f"skipping {os.path.join(self.tree, link)}: it is a symlink", err)
        self.assertIn("use -L", err)
        self.assertNotIn("No such file or directory", err)
        self.assertEqual(self.names("/s/tree"), ["data.bin", "sub"])

    def test_follow_stays_inside_the_tree(self):
        proc = self.expect(OK, "put", "-r", "-L", self.tree, "/s/")
        err = proc.stderr.decode()
        self.assertEqual(self.names("/s/tree"), ["data.bin", "dir_link", "file_link", "sub"])
        self.assertEqual(self.cat("/s/tree/file_link"), b"data")
        self.assertEqual(self.cat("/s/tree/dir_link/inner.bin"), b"inner")
        self.assertIn("outside the source tree; add --follow-outside", err)
        self.assertIn("creds", err)
        self.assertIn("dangling symlink", err)

    def test_follow_outside_when_asked(self):
        self.expect(OK, "put", "-r", "-L", "--follow-outside", self.tree, "/s/")
        self.assertEqual(self.cat("/s/tree/creds"), b"aws_secret_access_key=x")
        self.assertEqual(self.cat("/s/tree/secret_dir/credentials"), b"aws_secret_access_key=x")

    def test_follow_outside_needs_follow(self):
        self.expect(USAGE, "put", "-r", "--follow-outside", self.tree, "/s/")

    def test_link_to_an_ancestor_is_an_error_not_a_hang(self):
        os.symlink("..", os.path.join(self.tree, "sub", "up"))
        proc = self.expect(USAGE, "put", "-r", "-L", self.tree, "/s/")
        self.assertIn("loop", proc.stderr.decode())
        self.absent("/s/tree")
        self.expect(OK, "put", "-r", self.tree, "/plain/")  # skipped without -L

    def test_symlink_loop_is_an_error(self):
        os.symlink("b", os.path.join(self.tree, "a"))
        os.symlink("a", os.path.join(self.tree, "b"))
        proc = self.expect(USAGE, "put", "-r", "-L", self.tree, "/s/")
        self.assertIn("loop", proc.stderr.decode())

    def test_explicit_link_argument_is_followed(self):
        self.expect(OK, "put", os.path.join(self.tree, "creds"), "/s/creds")
        self.assertEqual(self.cat("/s/creds"), b"aws_secret_access_key=x")
        self.expect(OK, "put", "-r", os.path.join(self.tree, "dir_link"), "/s/d")
        self.assertEqual(self.cat("/s/d/inner.bin"), b"inner")


class GetLocalTest(Case):
    def setUp(self):
        super().setUp()
        self.local("ckpt/a.bin", b"a")
        self.local("ckpt/deep/b.bin", os.urandom(100 << 10))
        self.expect(OK, "put", "-r", os.path.join(self.work, "ckpt"), "/runs/ckpt")

    def tree_files(self, root):
        return sorted(os.path.relpath(os.path.join(d, f), root)
                      for d, _, fs in os.walk(root) for f in fs)

    def test_tree_into_missing_directory(self):
        self.expect(OK, "get", "-r", "/runs/ckpt", "./restore/")
        self.assertEqual(self.tree_files(os.path.join(self.work, "restore")),
                         ["ckpt/a.bin", "ckpt/deep/b.bin"])

    def test_tree_to_missing_nested_path(self):
        self.expect(OK, "get", "-r", "/runs/ckpt", "x/y/copy")
        self.assertEqual(self.tree_files(os.path.join(self.work, "x")),
                         ["y/copy/a.bin", "y/copy/deep/b.bin"])

    def test_file_to_missing_directory(self):
        self.expect(OK, "get", "/runs/ckpt/a.bin", "p/q/")
        with open(os.path.join(self.work, "p/q/a.bin"), "rb") as f:
            self.assertEqual(f.read(), b"a")

    def test_no_temporary_files_left(self):
        self.expect(OK, "get", "-r", "/runs/ckpt", "out")
        self.assertEqual(self.tree_files(os.path.join(self.work, "out")),
                         ["a.bin", "deep/b.bin"])
        # A failed get (a directory where a file goes) leaves none either.
        os.makedirs(os.path.join(self.work, "bad", "ckpt", "a.bin", "x"))
        self.expect(CONFLICT, "get", "-r", "/runs/ckpt", "bad")
        self.assertEqual(self.tree_files(os.path.join(self.work, "bad")), [])

    def test_stale_temporary_files_of_a_killed_get_are_removed(self):
        dead = subprocess.Popen(["true"])
        dead.wait()
        out = os.path.join(self.work, "out")
        os.makedirs(os.path.join(out, "ckpt", "deep"))  # out exists: the copy goes into it
        stale = [os.path.join(out, f".nokv-tmp.{dead.pid}.0"),
                 os.path.join(out, "ckpt", f".nokv-tmp.{dead.pid}.3"),
                 os.path.join(out, "ckpt", "deep", f".nokv-tmp.{dead.pid}.7")]
        live = os.path.join(out, f".nokv-tmp.{os.getpid()}.0")  # a running process
        mine = os.path.join(out, "notes.tmp-1")  # not ours to remove
        for p in stale + [live, mine]:
            open(p, "w").close()
        self.expect(OK, "get", "-r", "/runs/ckpt", "out")
        for p in stale:
            self.assertFalse(os.path.exists(p), p)
        self.assertTrue(os.path.exists(live))
        self.assertTrue(os.path.exists(mine))


class PutJsonTest(Case):
    def test_json_lists_what_was_published(self):
        a = self.local("a.bin", b"alpha")
        b = self.local("b.bin", os.urandom(100 << 10))
        out = self.ok_json("put", a, b, "/j/")
        self.assertFalse(out["replayed"])
        self.assertIsInstance(out["version"], int)
        by_path = {f["path"]: f for f in out["files"]}
        self.assertEqual(sorted(by_path), ["/j/a.bin", "/j/b.bin"])
        for local, path in ((a, "/j/a.bin"), (b, "/j/b.bin")):
            with open(local, "rb") as f:
                data = f.read()
            self.assertEqual(by_path[path]["size"], len(data))
            self.assertEqual(by_path[path]["sha256"], hashlib.sha256(data).hexdigest())
            self.assertEqual(by_path[path]["generation"], 1)


if __name__ == "__main__":
    if not shutil.which(NOKV) and not os.path.exists(NOKV):
        sys.exit(f"nokv binary not found: set NOKV_BIN (got {NOKV!r})")
    unittest.main()
