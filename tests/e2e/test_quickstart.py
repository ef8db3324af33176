#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""Runs the README's "Quick start" shell block verbatim, so it cannot rot.

The block is taken from README.md as it stands and run with `sh -e` in a
scratch directory holding the local inputs it names (./ckpt-1000/, a.bin,
b.bin, params.json), with HOME pointing there (the block exports
NOKV_DATA_DIR=$HOME/.nokv) and `nokv` on PATH resolving to NOKV_BIN.
Standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")


def quick_start_block():
    with open(README, encoding="utf-8") as f:
        text = f.read()
    section = text.split("\n## Quick start\n", 1)
    if len(section) != 2:
        raise AssertionError("README.md has no '## Quick start' section")
    match = re.search(r"```sh\n(.*?)```", section[1].split("\n## ", 1)[0], re.S)
    if match is None:
        raise AssertionError("the Quick start section has no ```sh block")
    return match.group(1)


class QuickStartTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-quickstart-")
        self.home = os.path.join(self.tmp, "home")
        self.work = os.path.join(self.tmp, "work")
        bin_dir = os.path.join(self.tmp, "bin")
        for d in (self.home, self.work, bin_dir):
            os.mkdir(d)
        nokv = shutil.which(NOKV) if os.sep not in NOKV else os.path.abspath(NOKV)
        os.symlink(nokv, os.path.join(bin_dir, "nokv"))
        self.env = dict(os.environ, HOME=self.home,
                        NOKV_DATA_DIR=os.path.join(self.tmp, "data"),
                        PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
        self.inputs = {
            "ckpt-1000/model.bin": os.urandom(300 << 10),
            "ckpt-1000/optimizer/state.bin": os.urandom(5000),
            "ckpt-1000/meta.json": b'{"step":1000}',
            "a.bin": b"shard a",
            "b.bin": b"shard b",
            "params.json": b'{"lr":1e-4}',
        }
        for rel, data in self.inputs.items():
            path = os.path.join(self.work, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def nokv(self, *args):
        """Runs nokv on the data dir the block exported."""
        env = dict(self.env, NOKV_DATA_DIR=os.path.join(self.home, ".nokv"))
        proc = subprocess.run(["nokv", *args], capture_output=True, env=env, cwd=self.work,
                              timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        return proc.stdout

    def test_quick_start_runs_as_written(self):
        block = quick_start_block()
        self.assertIn("nokv put -r ./ckpt-1000", block)
        proc = subprocess.run(["sh", "-e", "-x", "-c", block], capture_output=True, env=self.env,
                              cwd=self.work, timeout=300)
        self.assertEqual(proc.returncode, 0,
                         f"the Quick start failed (exit {proc.returncode}); trace:\n"
                         f"{proc.stderr.decode(errors='replace')}")
        # It used the data dir it exported, under HOME.
        self.assertTrue(os.path.isdir(os.path.join(self.home, ".nokv")))
        # get -r restored the tree into ./restore/, creating it.
        for rel, data in self.inputs.items():
            if rel.startswith("ckpt-1000/"):
                with open(os.path.join(self.work, "restore", rel), "rb") as f:
                    self.assertEqual(f.read(), data, rel)
        # The guarded put replaced params.json with the local file.
        self.assertEqual(self.nokv("cat", "/runs/exp1/params.json"), self.inputs["params.json"])
        # The fork was moved under /archive.
        moved = json.loads(self.nokv("ls", "--json", "/archive/exp1"))
        self.assertEqual(sorted(e["name"] for e in moved["entries"]),
                         ["ckpt-1000", "params.json", "shards"])


if __name__ == "__main__":
    if os.sep not in NOKV and not shutil.which(NOKV):
        sys.exit(f"nokv binary not found: set NOKV_BIN (got {NOKV!r})")
    unittest.main()
