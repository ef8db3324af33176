#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of names: non-UTF-8 names are refused everywhere (and a
multi-file put with one is all or nothing), control characters in names are
quoted in human output and exact in JSON, and relative namespace paths are
refused. The real binary (env NOKV_BIN) on a fresh data dir per test; standard
library only."""

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

ESC_NAME = b"r\x1b[31mred"
NEWLINE_NAME = b"two\nlines"
BAD_NAME = b"bad\xffname"


class NamesTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-names-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))
        self.work = os.path.join(self.tmp, "work")
        os.mkdir(self.work)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nokv(self, *args, input=None):
        # Arguments are bytes or str: a name that is not UTF-8 must reach nokv
        # byte for byte.
        argv = [NOKV.encode()] + [a if isinstance(a, bytes) else a.encode() for a in args]
        return subprocess.run(argv, env=self.env, input=input, capture_output=True,
                              cwd=self.work.encode(), timeout=120)

    def expect(self, code, *args, input=None):
        r = self.run_nokv(*args, input=input)
        self.assertEqual(r.returncode, code,
                         f"nokv {args!r}: exit {r.returncode}, want {code}\n"
                         f"stdout: {r.stdout[:1000]!r}\nstderr: {r.stderr[:1000]!r}")
        return r

    def ok(self, *args, input=None):
        return self.expect(OK, *args, input=input).stdout

    def ok_json(self, *args, input=None):
        return json.loads(self.ok(*args, "--json", input=input))

    def local(self, name, data=b"x"):
        path = os.path.join(self.work.encode(), name if isinstance(name, bytes) else name.encode())
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def root_names(self):
        r = self.run_nokv("ls", "--json", "/")
        if r.returncode == NOT_FOUND:  # no data dir yet: nothing was ever published
            return []
        self.assertEqual(r.returncode, OK, r.stderr)
        return [e["name"] for e in json.loads(r.stdout)["entries"]]


class InvalidUtf8Test(NamesTestCase):
    def assert_utf8_error(self, stderr, offset=3):
        text = stderr.decode("utf-8")  # the message itself is clean UTF-8
        self.assertIn("is not valid UTF-8", text)
        self.assertIn(f"byte 0xff at offset {offset}", text)
        self.assertIn("rename the local file", text)

    def test_put_of_a_local_file_with_such_a_name_fails_and_publishes_nothing(self):
        bad = self.local(BAD_NAME)
        r = self.expect(USAGE, "put", bad, "/in/")
        self.assert_utf8_error(r.stderr)
        self.assertEqual(self.root_names(), [])

    def test_multi_file_put_is_all_or_nothing(self):
        self.ok("put", "-", "/keep/seed.txt", input=b"seed")
        good1 = self.local("good1.txt")
        bad = self.local(BAD_NAME)
        good2 = self.local("good2.txt")
        r = self.expect(USAGE, "put", good1, bad, good2, "/in/")
        self.assert_utf8_error(r.stderr)
        self.assertEqual(self.root_names(), ["keep"])

    def test_put_r_of_a_tree_holding_such_a_name_publishes_nothing(self):
        self.local(b"tree/a.txt")
        self.local(b"tree/sub/" + BAD_NAME)
        self.local(b"tree/z.txt")
        r = self.expect(USAGE, "put", "-r", os.path.join(self.work, "tree"), "/tree")
        self.assert_utf8_error(r.stderr)
        self.assertEqual(self.root_names(), [])

    def test_checkpoint_publish_refuses_it(self):
        good = self.local("model.bin")
        bad = self.local(BAD_NAME)
        r = self.expect(USAGE, "checkpoint", "publish", "/ckpt", "--step", "1", good, bad)
        self.assert_utf8_error(r.stderr)
        self.assertEqual(self.root_names(), [])

    def test_every_command_that_names_a_path_refuses_it(self):
        self.ok("put", "-", "/d/f", input=b"f")
        bad = b"/d/" + BAD_NAME
        for args in (("mkdir", "-p", bad), ("mv", "/d/f", bad), ("cp", "/d/f", bad),
                     ("clone", "/d/f", bad), ("put", "-", bad)):
            with self.subTest(args=args):
                r = self.expect(USAGE, *args, input=b"x")
                self.assert_utf8_error(r.stderr, offset=3)
        self.assertEqual([e["name"] for e in self.ok_json("ls", "/d")["entries"]], ["f"])

    def test_a_read_of_such_a_name_is_a_clear_error_not_a_miss(self):
        self.ok("put", "-", "/d/f", input=b"f")
        for cmd in ("cat", "stat", "ls"):
            with self.subTest(cmd=cmd):
                r = self.expect(USAGE, cmd, b"/d/" + BAD_NAME)
                self.assert_utf8_error(r.stderr)
        r = self.expect(USAGE, "stat", "--json", b"/d/" + BAD_NAME)
        error = json.loads(r.stderr)["error"]
        self.assertEqual(error["code"], "invalid_argument")
        self.assertIn("bad\\xffname", error["message"])


class ControlCharacterTest(NamesTestCase):
    def setUp(self):
        super().setUp()
        self.ok("put", "-", b"/d/" + ESC_NAME, input=b"e")
        self.ok("put", "-", b"/d/" + NEWLINE_NAME, input=b"n")
        self.ok("mkdir", b"/d/sub\x07dir")

    def assert_no_raw_controls(self, out):
        for ch in (b"\x1b", b"\x07"):
            self.assertNotIn(ch, out)

    def test_ls_quotes_them(self):
        out = self.ok("ls", "/d")
        self.assert_no_raw_controls(out)
        self.assertEqual(out.decode().splitlines(),
                         ["$'r\\x1b[31mred'", "$'sub\\x07dir'/", "$'two\\nlines'"])
        long = self.ok("ls", "-l", "/d")
        self.assert_no_raw_controls(long)
        self.assertEqual(len(long.splitlines()), 3)  # one line per entry, newline or not
        self.assertTrue(long.decode().splitlines()[0].endswith("  $'r\\x1b[31mred'"))

    def test_tree_and_stat_quote_them(self):
        out = self.ok("tree", "/d")
        self.assert_no_raw_controls(out)
        self.assertIn("── $'r\\x1b[31mred'\n", out.decode())
        self.assertIn("── $'two\\nlines'\n", out.decode())
        stat = self.ok("stat", b"/d/" + ESC_NAME).decode()
        self.assertIn("path:          $'/d/r\\x1b[31mred'\n", stat)

    def test_watch_lines_quote_them(self):
        self.ok("mv", b"/d/" + ESC_NAME, b"/d/" + ESC_NAME + b"2")
        out = self.ok("watch", "/d")
        self.assert_no_raw_controls(out)
        lines = out.decode().splitlines()
        # mkdir /d, two puts, a mkdir, a rename: one line each, newline or not.
        self.assertEqual(len(lines), 5)
        self.assertIn(" create $'/d/two\\nlines' [gen 1,", lines[2])
        self.assertIn(" rename $'/d/r\\x1b[31mred' -> $'/d/r\\x1b[31mred2'", lines[4])

    def test_errors_naming_them_stay_one_line(self):
        r = self.expect(NOT_FOUND, "cat", b"/d/gone\x1b[31m\nfake")
        self.assert_no_raw_controls(r.stderr)
        self.assertEqual(r.stderr.decode().splitlines(),
                         ["nokv: /d/gone\\x1b[31m\\nfake does not exist"])
        r = self.expect(NOT_FOUND, "--json", "cat", b"/d/gone\x1b[31m")
        self.assertEqual(json.loads(r.stderr)["error"]["message"],
                         "/d/gone\x1b[31m does not exist")

    def test_the_quoted_form_is_the_name_in_a_shell(self):
        shown = self.ok("ls", "/d").decode().splitlines()
        for quoted, name in ((shown[0], ESC_NAME), (shown[2], NEWLINE_NAME)):
            back = subprocess.run(["bash", "-c", f"printf %s {quoted}"], capture_output=True,
                                  check=True).stdout
            self.assertEqual(back, name)

    def test_json_is_exact(self):
        names = [e["name"].encode() for e in self.ok_json("ls", "/d")["entries"]]
        self.assertEqual(names, [ESC_NAME, b"sub\x07dir", NEWLINE_NAME])
        tree = self.ok_json("tree", "/d")
        self.assertEqual([c["name"].encode() for c in tree["children"]], names)
        self.assertEqual(self.ok_json("stat", b"/d/" + ESC_NAME)["path"].encode(),
                         b"/d/" + ESC_NAME)
        agent = json.loads(self.ok("agent", "ls", json.dumps({"path": "/d"})))
        self.assertEqual([e["name"].encode() for e in agent["entries"]], names)

    def test_plain_names_are_unchanged(self):
        self.ok("put", "-", "/p/with space and caf\u00e9", input=b"x")
        self.assertEqual(self.ok("ls", "/p").decode(), "with space and caf\u00e9\n")


class RelativePathTest(NamesTestCase):
    def test_relative_namespace_paths_are_refused_with_the_absolute_form(self):
        self.ok("put", "-", "/runs/a.txt", input=b"a")
        for args, absolute in ((("ls", "runs"), "/runs"), (("cat", "runs/a.txt"), "/runs/a.txt"),
                               (("stat", "runs/a.txt"), "/runs/a.txt"),
                               (("mkdir", "-p", "runs/b"), "/runs/b"),
                               (("put", "-", "runs/c.txt"), "/runs/c.txt"),
                               (("mv", "/runs/a.txt", "runs/d.txt"), "/runs/d.txt")):
            with self.subTest(args=args):
                err = self.expect(USAGE, *args, input=b"x").stderr.decode()
                self.assertIn("is relative", err)
                self.assertIn("use " + absolute, err)
        self.assertEqual([e["name"] for e in self.ok_json("ls", "/runs")["entries"]], ["a.txt"])

    def test_help_says_paths_are_absolute(self):
        self.assertIn("absolute", self.ok("--help").decode())


if __name__ == "__main__":
    unittest.main()
