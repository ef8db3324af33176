#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of the `nokv` command-line tool.

Runs the real binary (env NOKV_BIN) against a fresh data dir per test
(env NOKV_DATA_DIR) and checks outputs, JSON shapes and exit codes.
Standard library only.
"""

import errno
import filecmp
import hashlib
import json
import os
import random
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")

# Exit codes (src/cli/exit_codes.h).
OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT, CORRUPTION, IO_ERROR, BUSY = range(8)

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def random_bytes(n, seed):
    return random.Random(seed).randbytes(n)


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-")
        self.data_dir = os.path.join(self.tmp, "data")
        self.env = dict(os.environ, NOKV_DATA_DIR=self.data_dir)
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- helpers ----

    def run_nokv(self, *args, input=None, env=None, cwd=None, timeout=120):
        return subprocess.run([NOKV, *args], input=input, capture_output=True,
                              env=env or self.env, cwd=cwd or self.work, timeout=timeout)

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

    def local(self, relpath, data):
        path = os.path.join(self.work, relpath)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def cat(self, path):
        return self.ok("cat", path)


class PutCatTest(CliTestCase):
    def test_inline_round_trip(self):
        src = self.local("hello.txt", b"hello, nokv\n")
        out = self.ok("put", src, "/notes/hello.txt")
        self.assertIn(b"/notes/hello.txt", out)
        self.assertEqual(self.cat("/notes/hello.txt"), b"hello, nokv\n")
        info = self.ok_json("stat", "/notes/hello.txt")
        self.assertTrue(info["inline"])
        self.assertEqual(info["size"], 12)

    def test_blocked_round_trip(self):
        data = random_bytes(300 * 1024, seed=1)
        src = self.local("big.bin", data)
        self.ok("put", src, "/runs/big.bin")
        self.assertEqual(self.cat("/runs/big.bin"), data)
        info = self.ok_json("stat", "/runs/big.bin")
        self.assertFalse(info["inline"])
        self.assertGreaterEqual(info["block_count"], 1)
        self.assertEqual(info["sha256"], hashlib.sha256(data).hexdigest())
        # Ranged reads.
        self.assertEqual(self.ok("cat", "--offset", "1000", "--length", "70000", "/runs/big.bin"),
                         data[1000:71000])
        self.assertEqual(self.ok("cat", "--offset", str(len(data) - 5), "/runs/big.bin"),
                         data[-5:])
        self.assertEqual(self.ok("cat", "--length", "3", "/runs/big.bin"), data[:3])
        self.assertEqual(self.ok("cat", "--offset", str(len(data) + 10), "/runs/big.bin"), b"")

    def test_stdin(self):
        data = random_bytes(100 * 1024, seed=2)
        self.ok("put", "-", "/in/stdin.bin", input=data)
        self.assertEqual(self.cat("/in/stdin.bin"), data)
        proc = self.expect(USAGE, "put", "-", "/in/", input=b"x")
        self.assertIn(b"stdin", proc.stderr)

    def test_binary_file_with_nul_and_empty_file(self):
        data = b"\x00\x01\xff\n\x00"
        self.ok("put", self.local("bin", data), "/b/bin")
        self.assertEqual(self.cat("/b/bin"), data)
        self.ok("put", self.local("empty", b""), "/b/empty")
        self.assertEqual(self.cat("/b/empty"), b"")
        self.assertEqual(self.ok_json("stat", "/b/empty")["size"], 0)

    def test_several_files_are_one_commit(self):
        srcs = [self.local(f"shard{i}.bin", random_bytes(1000 + i, seed=i)) for i in range(3)]
        srcs.append(self.local("shard-big.bin", random_bytes(200 * 1024, seed=9)))
        result = self.ok_json("put", *srcs, "/ckpt")
        self.assertEqual(len(result["files"]), 4)
        versions = {f["version"] for f in result["files"]}
        self.assertEqual(versions, {result["version"]})
        self.assertEqual(sorted(f["path"] for f in result["files"]),
                         ["/ckpt/shard-big.bin", "/ckpt/shard0.bin", "/ckpt/shard1.bin",
                          "/ckpt/shard2.bin"])
        for f in result["files"]:
            for key in ("path", "generation", "size", "sha256"):
                self.assertIn(key, f)

    def test_dest_existing_dir_and_trailing_slash(self):
        src = self.local("a.txt", b"a")
        self.ok("mkdir", "/d")
        self.ok("put", src, "/d")
        self.assertEqual(self.cat("/d/a.txt"), b"a")
        self.ok("put", src, "/e/")
        self.assertEqual(self.cat("/e/a.txt"), b"a")

    def test_positional_named_like_a_command(self):
        src = self.local("ls", b"not a command")
        self.ok("put", "ls", "/cmds/")
        self.assertEqual(self.cat("/cmds/ls"), b"not a command")
        # A relative namespace path is refused, never guessed.
        err = self.expect(USAGE, "cat", "cmds/ls").stderr.decode()
        self.assertIn("relative", err)
        self.assertIn("use /cmds/ls", err)

    def test_replace_bumps_generation(self):
        src = self.local("f", b"one")
        self.assertEqual(self.ok_json("put", src, "/g/f")["files"][0]["generation"], 1)
        self.local("f", b"two")
        self.assertEqual(self.ok_json("put", src, "/g/f")["files"][0]["generation"], 2)
        self.assertEqual(self.cat("/g/f"), b"two")

    def test_content_type_and_idempotency_key(self):
        src = self.local("m.json", b"{}")
        first = self.ok_json("put", "--content-type", "application/x-test",
                             "--idempotency-key", "k1", src, "/ct/m.json")
        self.assertEqual(self.ok_json("stat", "/ct/m.json")["content_type"], "application/x-test")
        again = self.ok_json("put", "--idempotency-key", "k1", src, "/ct/m.json")
        self.assertTrue(again["replayed"])
        self.assertEqual(again["version"], first["version"])
        self.assertEqual(self.ok_json("stat", "/ct/m.json")["generation"], 1)

    def test_named_pipe_source(self):
        fifo = os.path.join(self.work, "fifo")
        os.mkfifo(fifo)
        proc = subprocess.Popen([NOKV, "put", fifo, "/from/fifo"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env, cwd=self.work)
        with open(fifo, "wb") as f:
            f.write(b"through a pipe")
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, OK, err)
        self.assertEqual(self.cat("/from/fifo"), b"through a pipe")

    def test_missing_local_source_creates_nothing(self):
        self.expect(NOT_FOUND, "put", os.path.join(self.work, "nope"), "/x")
        self.assertFalse(os.path.exists(self.data_dir))

    def test_directory_without_r(self):
        os.makedirs(os.path.join(self.work, "tree"))
        proc = self.expect(CONFLICT, "put", "tree", "/t")
        self.assertIn(b"-r", proc.stderr)


class TreeTransferTest(CliTestCase):
    def make_tree(self):
        root = os.path.join(self.work, "tree")
        self.local("tree/a.txt", b"alpha\n")
        self.local("tree/sub/b.bin", random_bytes(150 * 1024, seed=3))
        self.local("tree/sub/deeper/c.txt", b"gamma")
        self.local("tree/sub/deeper/zero", b"")
        os.makedirs(os.path.join(root, "empty"))
        os.makedirs(os.path.join(root, "sub", "empty2"))
        return root

    def assert_same_tree(self, a, b):
        cmp = filecmp.dircmp(a, b)

        def check(c):
            self.assertEqual(c.left_only, [], c.left)
            self.assertEqual(c.right_only, [], c.right)
            _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
            self.assertEqual(mismatch + errors, [], c.left)
            for sub in c.subdirs.values():
                check(sub)

        check(cmp)

    def test_put_r_and_get_r(self):
        root = self.make_tree()
        result = self.ok_json("put", "-r", root, "/data/t")
        self.assertEqual(len(result["files"]), 4)
        self.assertEqual({f["version"] for f in result["files"]}, {result["version"]})
        self.assertEqual(self.ok_json("stat", "/data/t/empty")["kind"], "directory")
        self.assertEqual(self.ok_json("stat", "/data/t/sub/empty2")["kind"], "directory")

        out = os.path.join(self.tmp, "restore")
        self.ok("get", "-r", "/data/t", out)
        self.assert_same_tree(root, out)

        # Like cp -r: into an existing directory.
        self.ok("put", "-r", root, "/data/t")
        self.assertEqual(self.cat("/data/t/tree/a.txt"), b"alpha\n")
        into = os.path.join(self.tmp, "into")
        os.mkdir(into)
        self.ok("get", "-r", "/data/t/sub", into)
        self.assertEqual(sorted(os.listdir(os.path.join(into, "sub"))),
                         ["b.bin", "deeper", "empty2"])
        leftovers = [n for _, _, files in os.walk(self.tmp) for n in files if ".tmp-" in n]
        self.assertEqual(leftovers, [])

    def test_get_single_file(self):
        data = random_bytes(70 * 1024, seed=4)
        self.ok("put", self.local("x.bin", data), "/g/x.bin")
        dst = os.path.join(self.tmp, "copy.bin")
        self.ok("get", "/g/x.bin", dst)
        with open(dst, "rb") as f:
            self.assertEqual(f.read(), data)
        d = os.path.join(self.tmp, "dl")
        os.mkdir(d)
        self.ok("get", "/g/x.bin", d)
        with open(os.path.join(d, "x.bin"), "rb") as f:
            self.assertEqual(f.read(), data)
        self.expect(CONFLICT, "get", "/g", d)  # a directory needs -r
        self.expect(NOT_FOUND, "get", "/g/none", d)

    def test_put_r_leaves_out_the_data_dir(self):
        env = {k: v for k, v in self.env.items() if k != "NOKV_DATA_DIR"}  # ./.nokv
        self.local("proj/code.py", b"print()")
        proj = os.path.join(self.work, "proj")
        self.ok("mkdir", "/p", env=env, cwd=proj)
        proc = self.expect(OK, "put", "-r", ".", "/p/proj", env=env, cwd=proj)
        self.assertIn(b"data dir", proc.stderr)
        self.assertEqual(self.ok("ls", "/p/proj", env=env, cwd=proj), b"code.py\n")
        self.expect(USAGE, "put", "-r", ".nokv", "/p/self", env=env, cwd=proj)

    def test_symlink_loop_is_refused(self):
        root = os.path.join(self.work, "loopy")
        self.local("loopy/f.txt", b"f")
        os.makedirs(os.path.join(root, "sub"))
        os.symlink("..", os.path.join(root, "sub", "up"))
        proc = self.expect(USAGE, "put", "-r", "-L", root, "/loop")
        self.assertIn(b"loop", proc.stderr)
        self.expect(NOT_FOUND, "stat", "/loop")

    def test_special_files_are_skipped(self):
        root = os.path.join(self.work, "special")
        self.local("special/f.txt", b"f")
        os.mkfifo(os.path.join(root, "fifo"))
        proc = self.expect(OK, "put", "-r", root, "/sp")
        self.assertIn(b"warning", proc.stderr)
        self.assertEqual(self.ok("ls", "/sp"), b"f.txt\n")


class ListTest(CliTestCase):
    def test_paging(self):
        srcs = [self.local(f"many/f{i:03d}", str(i).encode()) for i in range(25)]
        self.ok("put", *srcs, "/many/")
        names, cursor, pages = [], None, 0
        while True:
            args = ["ls", "--json", "--limit", "10", "/many"]
            if cursor:
                args += ["--cursor", cursor]
            page = json.loads(self.ok(*args))
            pages += 1
            self.assertLessEqual(len(page["entries"]), 10)
            names += [e["name"] for e in page["entries"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(names, [f"f{i:03d}" for i in range(25)])
        # Human mode: the cursor goes to stderr.
        proc = self.expect(OK, "ls", "--limit", "10", "/many")
        self.assertEqual(len(proc.stdout.splitlines()), 10)
        m = re.search(rb"next cursor: (\S+)", proc.stderr)
        self.assertIsNotNone(m, proc.stderr)
        proc = self.expect(OK, "ls", "--limit", "100", "--cursor", m.group(1).decode(), "/many")
        self.assertEqual(len(proc.stdout.splitlines()), 15)
        self.assertNotIn(b"next cursor", proc.stderr)
        # Without --limit everything streams.
        self.assertEqual(len(self.ok("ls", "/many").splitlines()), 25)
        self.expect(USAGE, "ls", "--limit", "0", "/many")

    def test_long_and_json(self):
        self.ok("put", self.local("f.txt", b"12345"), "/l/f.txt")
        self.ok("mkdir", "/l/dir")
        lines = self.ok("ls", "-l", "/l").decode().splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith("d") and lines[0].endswith("dir/"), lines)
        self.assertTrue(lines[1].startswith("f") and lines[1].endswith("f.txt"), lines)
        self.assertIn(" 5 ", lines[1])
        self.assertRegex(lines[1], r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
        self.assertEqual(self.ok("ls", "/l"), b"dir/\nf.txt\n")

        listing = self.ok_json("ls", "/l")
        self.assertIsNone(listing["next_cursor"])
        by_name = {e["name"]: e for e in listing["entries"]}
        self.assertEqual(by_name["dir"]["kind"], "directory")
        f = by_name["f.txt"]
        self.assertEqual(f["kind"], "file")
        self.assertEqual(f["size"], 5)
        self.assertEqual(f["generation"], 1)
        self.assertRegex(f["mtime"], ISO_TIME)
        self.assertIn("ino", f)

        # A file lists as its own entry.
        one = self.ok_json("ls", "/l/f.txt")
        self.assertEqual([e["name"] for e in one["entries"]], ["f.txt"])
        self.assertEqual(self.ok("ls", "/l/f.txt"), b"f.txt\n")
        self.assertEqual(self.ok("ls", "/"), b"l/\n")

    def test_tree(self):
        self.ok("put", self.local("t/a", b"a"), "/t/x/a")
        self.ok("put", self.local("t/b", b"b"), "/t/x/y/b")
        self.ok("put", self.local("t/c", b"c"), "/t/c")
        text = self.ok("tree", "/t").decode()
        self.assertIn("├── ", text)
        self.assertIn("└── ", text)
        for name in ("x/", "y/", "a", "b", "c"):
            self.assertIn(name, text)
        self.assertIn("2 directories, 3 files", text)
        shallow = self.ok("tree", "--max-depth", "1", "/t").decode()
        self.assertNotIn("y/", shallow)
        nested = self.ok_json("tree", "/t")
        self.assertEqual(nested["kind"], "directory")
        x = next(c for c in nested["children"] if c["name"] == "x")
        y = next(c for c in x["children"] if c["name"] == "y")
        self.assertEqual([c["name"] for c in y["children"]], ["b"])
        shallow_json = self.ok_json("tree", "--max-depth", "1", "/t")
        x = next(c for c in shallow_json["children"] if c["name"] == "x")
        self.assertNotIn("children", x)


class StatTest(CliTestCase):
    def test_stat_fields(self):
        data = random_bytes(90 * 1024, seed=5)
        put = self.ok_json("put", self.local("s.bin", data), "/s/s.bin")
        info = self.ok_json("stat", "/s/s.bin")
        self.assertEqual(info["path"], "/s/s.bin")
        self.assertEqual(info["kind"], "file")
        self.assertEqual(info["size"], len(data))
        self.assertEqual(info["generation"], 1)
        self.assertEqual(info["version"], put["version"])
        self.assertEqual(info["sha256"], hashlib.sha256(data).hexdigest())
        self.assertIsInstance(info["content_type"], str)
        self.assertRegex(info["ctime"], ISO_TIME)
        self.assertRegex(info["mtime"], ISO_TIME)
        self.assertGreaterEqual(info["block_count"], 1)
        self.assertFalse(info["inline"])
        self.assertGreater(info["ino"], 0)
        d = self.ok_json("stat", "/s")
        self.assertEqual(d["kind"], "directory")
        self.assertEqual(d["child_count"], 1)
        text = self.ok("stat", "/s/s.bin").decode()
        for key in ("kind:", "size:", "generation:", "version:", "sha256:", "content type:",
                    "blocks:", "inline:", "ino:", "ctime:", "mtime:"):
            self.assertIn(key, text)
        self.assertIn("children:", self.ok("stat", "/s").decode())


class MutationTest(CliTestCase):
    def test_mkdir(self):
        self.expect(NOT_FOUND, "mkdir", "/a/b/c")
        self.assertEqual(self.ok("mkdir", "-p", "/a/b/c"), b"")
        self.ok("mkdir", "-p", "/a/b/c")
        self.expect(CONFLICT, "mkdir", "/a/b/c")
        self.assertEqual(self.ok_json("stat", "/a/b/c")["kind"], "directory")
        self.assertIn("version", self.ok_json("mkdir", "/a/d"))
        self.ok("mkdir", "/m1", "/m2")
        self.assertEqual(self.ok("ls", "/"), b"a/\nm1/\nm2/\n")

    def test_rm(self):
        self.ok("put", self.local("f", b"f"), "/d/sub/f")
        proc = self.expect(CONFLICT, "rm", "/d")
        self.assertIn(b"rm -r", proc.stderr)
        self.assertEqual(self.ok("rm", "-r", "/d"), b"")
        self.expect(NOT_FOUND, "stat", "/d")
        self.expect(NOT_FOUND, "rm", "/d")
        self.ok("put", self.local("g", b"g"), "/g")
        self.assertIn("version", self.ok_json("rm", "/g"))

    def test_rm_if_generation(self):
        src = self.local("f", b"1")
        self.ok("put", src, "/f")
        self.ok("put", src, "/f")  # generation 2
        proc = self.expect(CONFLICT, "rm", "--if-generation", "1", "/f")
        self.assertIn(b"nokv stat", proc.stderr)
        self.ok("rm", "--if-generation", "2", "/f")
        self.expect(NOT_FOUND, "stat", "/f")

    def test_mv(self):
        self.ok("put", self.local("f", b"moved"), "/a/f")
        self.ok("mkdir", "/b")
        self.assertEqual(self.ok("mv", "/a/f", "/b/g"), b"")
        self.assertEqual(self.cat("/b/g"), b"moved")
        self.expect(NOT_FOUND, "stat", "/a/f")
        self.ok("mv", "/b/g", "/a")  # into an existing directory
        self.assertEqual(self.cat("/a/g"), b"moved")
        # A directory cannot move into its own subtree.
        self.ok("mkdir", "-p", "/x/y")
        proc = self.run_nokv("mv", "/x", "/x/y/z")
        self.assertIn(proc.returncode, (USAGE, CONFLICT), proc.stderr)
        self.assertTrue(proc.stderr.startswith(b"nokv: "), proc.stderr)
        self.ok_json("stat", "/x/y")

    def test_mv_no_replace(self):
        self.ok("put", self.local("one", b"1"), "/one")
        self.ok("put", self.local("two", b"2"), "/two")
        self.expect(CONFLICT, "mv", "--no-replace", "/one", "/two")
        self.assertEqual(self.cat("/two"), b"2")
        self.ok("mv", "/one", "/two")
        self.assertEqual(self.cat("/two"), b"1")

    def test_cp(self):
        data = random_bytes(200 * 1024, seed=6)
        self.ok("put", self.local("src.bin", data), "/src/src.bin")
        self.ok("put", self.local("small", b"small"), "/src/small")
        self.ok("cp", "/src/src.bin", "/copy.bin")
        self.assertEqual(self.cat("/copy.bin"), data)
        self.ok("cp", "/src", "/src2")
        self.assertEqual(self.cat("/src2/src.bin"), data)
        self.assertEqual(self.cat("/src2/small"), b"small")
        self.expect(CONFLICT, "cp", "/src/small", "/copy.bin")

    def test_if_absent(self):
        src = self.local("f", b"f")
        self.ok("put", "--if-absent", src, "/p/f")
        proc = self.expect(CONFLICT, "put", "--if-absent", src, "/p/f")
        self.assertTrue(proc.stderr.startswith(b"nokv: "), proc.stderr)
        self.expect(USAGE, "put", "--if-absent", "--if-generation", "1", src, "/p/f")

    def test_if_generation(self):
        src = self.local("f", b"v1")
        self.ok("put", src, "/p/f")
        self.local("f", b"v2")
        out = self.ok_json("put", "--if-generation", "1", src, "/p/f")
        self.assertEqual(out["files"][0]["generation"], 2)
        proc = self.expect(CONFLICT, "put", "--if-generation", "1", src, "/p/f")
        self.assertIn(b"nokv stat", proc.stderr)
        self.assertEqual(self.cat("/p/f"), b"v2")
        other = self.local("g", b"g")
        self.expect(USAGE, "put", "--if-generation", "2", src, other, "/p/")


class ErrorTest(CliTestCase):
    def setUp(self):
        super().setUp()
        self.ok("put", self.local("seed", b"seed"), "/seed")

    def test_not_found(self):
        self.expect(NOT_FOUND, "cat", "/nope")
        self.expect(NOT_FOUND, "stat", "/nope/deeper")
        self.expect(NOT_FOUND, "ls", "/nope")
        proc = self.expect(NOT_FOUND, "cat", "--json", "/nope")
        err = json.loads(proc.stderr.decode().strip().splitlines()[-1])
        self.assertEqual(err["error"]["code"], "not_found")
        self.assertTrue(err["error"]["message"])
        self.assertEqual(proc.stdout, b"")

    def test_missing_data_dir(self):
        env = dict(self.env, NOKV_DATA_DIR=os.path.join(self.tmp, "never"))
        proc = self.expect(NOT_FOUND, "ls", "/", env=env)
        self.assertIn(b"no nokv data dir", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "never")))

    def test_bad_paths(self):
        long_name = "/" + "n" * 256
        long_path = "/" + "/".join(["p" * 200] * 21)  # > 4096 bytes
        self.assertGreater(len(long_path), 4096)
        for bad in ("", "/a/../b", "/..", long_name, long_path):
            with self.subTest(path=bad[:40]):
                self.expect(USAGE, "stat", bad)
                self.expect(USAGE, "mkdir", "-p", bad)
                self.expect(USAGE, "put", self.local("f", b"x"), bad)
        self.ok("mkdir", "/" + "n" * 255)  # exactly at the limit is fine

    def test_kind_conflicts(self):
        self.ok("mkdir", "/dir")
        proc = self.expect(CONFLICT, "cat", "/dir")
        self.assertEqual(proc.stdout, b"")
        self.ok("mkdir", "-p", "/d3/f")
        self.expect(CONFLICT, "put", self.local("f", b"f"), "/d3/")
        self.expect(CONFLICT, "put", "-", "/d3/f", input=b"data")
        self.expect(CONFLICT, "mkdir", "/seed/sub")  # a file is in the way

    def test_usage_errors(self):
        self.expect(USAGE, "put", self.local("only", b"x"))
        proc = self.expect(USAGE, "frobnicate")
        self.assertIn(b"unknown command", proc.stderr)
        self.expect(USAGE, "ls", "--limit", "-1", "/")
        self.expect(USAGE, "cat", "--offset", "x", "/seed")
        self.expect(USAGE, "ls", "--no-such-flag")
        self.expect(USAGE)
        proc = self.expect(USAGE, "cat", "--json")
        self.assertIn("error", json.loads(proc.stderr.decode().strip().splitlines()[-1]))

    def test_version_and_help(self):
        self.assertEqual(self.ok("--version").strip(), b"nokv 0.1.0")
        top = self.ok("--help").decode()
        self.assertIn("Exit codes", top)
        for cmd in ("put", "get", "cat", "ls", "tree", "stat", "mkdir", "rm", "mv", "cp", "fsck"):
            with self.subTest(cmd=cmd):
                self.assertIn(cmd, top)
                self.assertIn("Example", self.ok(cmd, "--help").decode())

    def test_data_dir_flag_positions(self):
        other = os.path.join(self.tmp, "other")
        env = {k: v for k, v in self.env.items() if k != "NOKV_DATA_DIR"}
        self.ok("--data-dir", other, "put", self.local("f", b"f"), "/f", env=env)
        self.assertEqual(self.ok("cat", "/f", "--data-dir", other, env=env), b"f")
        self.assertEqual(self.ok("--json", "--data-dir", other, "stat", "/f", env=env)[:1], b"{")
        # Default ./.nokv relative to the working directory.
        self.ok("mkdir", "/here", env=env)
        self.assertTrue(os.path.isdir(os.path.join(self.work, ".nokv")))

    def test_closed_stdout_pipe(self):
        data = random_bytes(2 * 1024 * 1024, seed=7)
        self.ok("put", self.local("big", data), "/big")
        proc = subprocess.Popen([NOKV, "cat", "/big"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=self.env)
        self.assertEqual(proc.stdout.read(10), data[:10])
        proc.stdout.close()
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, OK, err)
        self.assertEqual(err, b"")


class FsckTest(CliTestCase):
    def block_files(self):
        blocks = os.path.join(self.data_dir, "blocks")
        found = []
        for dirpath, _, files in os.walk(blocks):
            found += [os.path.join(dirpath, f) for f in files if ".tmp" not in f]
        return sorted(found)

    def test_clean_then_corrupt(self):
        data = random_bytes(300 * 1024, seed=8)
        self.ok("put", self.local("big", data), "/big")
        self.ok("put", self.local("small", b"tiny"), "/small")
        report = self.ok_json("fsck", "--verify-data")
        self.assertTrue(report["clean"])
        self.assertEqual(report["files"], 2)
        self.assertEqual(report["issues"], [])
        self.assertIn(b"clean", self.ok("fsck"))

        blocks = self.block_files()
        self.assertTrue(blocks, "no block files under DATA_DIR/blocks")
        victim = max(blocks, key=os.path.getsize)
        os.chmod(victim, 0o644)
        with open(victim, "r+b") as f:
            f.seek(os.path.getsize(victim) // 2)
            b = f.read(1)
            f.seek(-1, os.SEEK_CUR)
            f.write(bytes([b[0] ^ 0xFF]))

        proc = self.expect(CORRUPTION, "cat", "/big")
        self.assertLess(len(proc.stdout), len(data))
        self.assertIn(b"nokv: ", proc.stderr)
        self.assertEqual(self.cat("/small"), b"tiny")
        proc = self.expect(CORRUPTION, "fsck", "--verify-data")
        self.assertIn(b"problem", proc.stderr)
        proc = self.expect(CORRUPTION, "fsck", "--verify-data", "--json")
        report = json.loads(proc.stdout)
        self.assertFalse(report["clean"])
        self.assertTrue(report["issues"])

    def test_repair(self):
        self.ok("put", self.local("f", b"f"), "/f")
        report = self.ok_json("fsck", "--repair")
        self.assertIn("repair", report)
        self.assertTrue(report["clean"])


class WriterLockTest(CliTestCase):
    def test_second_writer_is_busy(self):
        self.ok("mkdir", "/pre")
        holder = subprocess.Popen([NOKV, "put", "-", "/slow"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=self.env)
        try:
            # Let the holder take the lock first (a second writer racing it at
            # start-up could win, and then the holder would be the busy one).
            time.sleep(0.5)
            deadline = time.monotonic() + 30
            attempt = 0
            while True:
                if holder.poll() is not None:
                    self.fail(f"the lock holder exited early: {holder.communicate()}")
                proc = self.run_nokv("mkdir", f"/x{attempt}")
                attempt += 1
                if proc.returncode == BUSY or time.monotonic() > deadline:
                    break
                self.assertEqual(proc.returncode, OK, proc.stderr)
                time.sleep(0.1)
            self.assertEqual(proc.returncode, BUSY, proc.stderr)
            self.assertIn(str(holder.pid).encode(), proc.stderr)
            self.assertIn(b"read-only", proc.stderr)
            self.assertIn(b"pre/", self.ok("ls", "/"))
            self.ok("stat", "/pre")
            # Closing the pipe lets the holder finish its publish.
            _, err = holder.communicate(input=b"slow body", timeout=60)
            self.assertEqual(holder.returncode, OK, err)
        finally:
            if holder.poll() is None:
                holder.kill()
                holder.communicate()
        self.assertEqual(self.cat("/slow"), b"slow body")
        self.ok("mkdir", "/after")


class ProgressTest(CliTestCase):
    def test_progress_bar_only_on_a_terminal(self):
        import pty
        data = random_bytes(9 * 1024 * 1024, seed=10)
        src = self.local("nine", data)
        try:
            master, slave = pty.openpty()
        except OSError as e:
            self.skipTest(f"no pseudo-terminal available: {e}")
        try:
            proc = subprocess.Popen([NOKV, "put", src, "/nine"], stdout=subprocess.DEVNULL,
                                    stderr=slave, env=self.env, cwd=self.work)
            os.close(slave)
            slave = None
            tty_output = b""
            while True:
                ready, _, _ = select.select([master], [], [], 60)
                if not ready:
                    break
                try:
                    chunk = os.read(master, 4096)
                except OSError as e:
                    if e.errno == errno.EIO:  # the child closed the terminal
                        break
                    raise
                if not chunk:
                    break
                tty_output += chunk
            proc.wait(timeout=60)
        finally:
            os.close(master)
            if slave is not None:
                os.close(slave)
        self.assertEqual(proc.returncode, OK, tty_output)
        self.assertIn(b"%", tty_output)
        self.assertIn(b"MB/s", tty_output)
        # Not a terminal: no bar.
        proc = self.expect(OK, "put", src, "/nine2")
        self.assertEqual(proc.stderr, b"")


if __name__ == "__main__":
    if not shutil.which(NOKV) and not os.path.exists(NOKV):
        sys.exit(f"nokv binary not found: set NOKV_BIN (got {NOKV!r})")
    unittest.main()
