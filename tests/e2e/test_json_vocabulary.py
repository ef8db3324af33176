#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of the JSON vocabulary and of help and docs: the CLI's
--json and the agent verbs use the same keys and values, gc's keys are the
documented ones, snapshot/index/checkpoint mutations report what they did,
`snapshot list` is oldest first, `snapshot show` shows an expired snapshot,
and the group commands' help has examples. The real binary (env NOKV_BIN);
standard library only."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
if os.sep in NOKV:
    NOKV = os.path.abspath(NOKV)
README = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")

OK, INTERNAL, USAGE, NOT_FOUND, CONFLICT = range(5)

SPEC = """\
rows: dirs
fields:
  status: {from: metadata.json, at: status}
"""


class VocabularyTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-e2e-vocab-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_nokv(self, *args, input=None):
        return subprocess.run([NOKV, *args], env=self.env, input=input, capture_output=True,
                              text=True, timeout=120)

    def ok(self, *args, input=None):
        r = self.run_nokv(*args, input=input)
        self.assertEqual(r.returncode, OK, f"nokv {args}: {r.stderr}")
        return r.stdout

    def ok_json(self, *args, input=None):
        return json.loads(self.ok(*args, "--json", input=input))

    def agent(self, verb, args):
        return json.loads(self.ok("agent", verb, json.dumps(args)))

    def put(self, path, data="x"):
        self.ok("put", "-", path, input=data)


class SharedVocabularyTest(VocabularyTestCase):
    def test_cli_and_agent_name_kinds_and_child_counts_alike(self):
        self.put("/runs/r1/metadata.json", '{"status": "done"}')
        self.put("/runs/r1/log.txt")
        cli_ls = {e["name"]: e for e in self.ok_json("ls", "/runs")["entries"]}
        agent_ls = {e["name"]: e for e in self.agent("ls", {"path": "/runs"})["entries"]}
        self.assertEqual(cli_ls["r1"]["kind"], "directory")
        self.assertEqual(agent_ls["r1"]["kind"], "directory")
        self.assertEqual(cli_ls["r1"]["child_count"], 2)
        self.assertEqual(agent_ls["r1"]["child_count"], 2)
        self.assertNotIn("children", agent_ls["r1"])
        cli_stat = self.ok_json("stat", "/runs/r1")
        agent_stat = self.agent("stat", {"path": "/runs/r1"})
        for key in ("kind", "child_count", "path"):
            self.assertEqual(cli_stat[key], agent_stat[key], key)
        file_stat = self.agent("stat", {"path": "/runs/r1/log.txt"})
        self.assertEqual(file_stat["kind"], self.ok_json("stat", "/runs/r1/log.txt")["kind"])
        found = self.agent("find", {"path": "/runs", "where": {"kind": "directory"}})
        self.assertEqual(found["rows"], [["/runs/r1", "directory", None]])

    def test_an_old_kind_value_is_an_error_not_an_empty_answer(self):
        self.put("/runs/r1/log.txt")
        r = self.run_nokv("agent", "find", json.dumps({"path": "/runs", "where": {"kind": "dir"}}))
        self.assertEqual(r.returncode, USAGE, r.stdout)
        error = json.loads(r.stdout or r.stderr)["error"]
        self.assertEqual(error["code"], "invalid_argument")
        self.assertIn("`file` or `directory`", error["message"])


class GcKeysTest(VocabularyTestCase):
    def test_every_gc_json_key_is_documented(self):
        self.put("/g/a")
        report = self.ok_json("gc", "--dry-run")
        with open(README, encoding="utf-8") as f:
            readme = f.read()
        paragraph = re.search(r"`gc --json` has the keys (.*?)\n\n", readme, re.S)
        self.assertIsNotNone(paragraph, "README names the keys of gc --json")
        documented = set(re.findall(r"`([a-z_]+)`", paragraph.group(1)))
        self.assertEqual(set(report), documented)


class MutationReportsTest(VocabularyTestCase):
    def test_snapshot_mutations_say_what_they_did(self):
        self.put("/s/a")
        created = self.ok_json("snapshot", "create", "/s", "--name", "s1")
        self.assertEqual((created["action"], created["name"], created["path"]),
                         ("created", "s1", "/s"))
        renewed = self.ok_json("snapshot", "renew", "s1", "--ttl", "1h")
        self.assertEqual(renewed["action"], "renewed")
        self.assertIsNotNone(renewed["expires"])
        dropped = self.ok_json("snapshot", "drop", "s1")
        self.assertEqual(dropped["action"], "dropped")
        self.assertEqual(dropped["snapshot"]["path"], "/s")
        self.assertEqual(dropped["snapshot"]["version"], created["version"])
        self.assertGreater(dropped["version"], created["version"])
        self.ok("snapshot", "create", "/s", "--name", "s2")
        self.assertIn("dropped snapshot s2 of /s", self.ok("snapshot", "drop", "s2"))

    def test_index_mutations_say_what_they_did(self):
        self.put("/runs/a/metadata.json", '{"status": "done"}')
        spec = os.path.join(self.tmp, "spec.yaml")
        with open(spec, "w") as f:
            f.write(SPEC)
        defined = self.ok_json("index", "define", "/runs", spec)
        self.assertEqual((defined["action"], defined["name"], defined["row_count"]),
                         ("defined", "runs", 1))
        rebuilt = self.ok_json("index", "rebuild", "runs")
        self.assertEqual(rebuilt["action"], "rebuilt")
        dropped = self.ok_json("index", "drop", "runs")
        self.assertEqual(dropped["action"], "dropped")
        self.assertEqual(dropped["index"]["dir"], "/runs")
        self.assertEqual(dropped["index"]["row_count"], 1)
        self.assertEqual(self.ok_json("index", "list")["indexes"], [])

    def test_checkpoint_publish_says_what_it_did(self):
        shard = os.path.join(self.tmp, "model.bin")
        with open(shard, "w") as f:
            f.write("weights")
        out = self.ok_json("checkpoint", "publish", "/ckpt", "--step", "7", shard)
        self.assertEqual(out["action"], "published")
        self.assertEqual(out["step"], 7)
        self.assertEqual([s["size"] for s in out["shards"]], [7])


class SnapshotListingTest(VocabularyTestCase):
    def test_list_is_oldest_first_with_the_columns_help_names(self):
        self.put("/s/a")
        for name in ("zz-first", "aa-second", "mm-third"):
            self.ok("snapshot", "create", "/s", "--name", name)
        listed = [s["name"] for s in self.ok_json("snapshot", "list")["snapshots"]]
        self.assertEqual(listed, ["zz-first", "aa-second", "mm-third"])
        lines = self.ok("snapshot", "list").splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "VERSION", "CREATED", "EXPIRES", "PATH"])
        self.assertEqual([line.split()[0] for line in lines[1:]], listed)
        help_text = self.ok("snapshot", "list", "--help")
        self.assertIn("oldest first", help_text)
        for column in ("name", "version", "created", "expires", "path"):
            self.assertIn(column, help_text)

    def test_show_of_an_expired_snapshot_shows_it_marked_expired(self):
        self.put("/s/a")
        self.ok("snapshot", "create", "/s", "--name", "brief", "--ttl", "1")
        time.sleep(1.2)
        shown = self.ok_json("snapshot", "show", "brief")
        self.assertTrue(shown["expired"])
        self.assertEqual(shown["path"], "/s")
        self.assertIn("(expired)", self.ok("snapshot", "show", "brief"))
        # Reading through it still fails: it no longer pins anything.
        self.assertEqual(self.run_nokv("ls", "--snapshot", "brief", "/s").returncode, 8)


class HintsTest(VocabularyTestCase):
    def hint_of(self, *args):
        r = self.run_nokv(*args)
        self.assertNotEqual(r.returncode, OK, args)
        lines = r.stderr.splitlines()
        message = lines[0]
        hints = [line for line in lines if line.startswith("nokv: hint: ")]
        self.assertEqual(len(hints), 1, r.stderr)
        return message, hints[0][len("nokv: hint: "):]

    def test_hints_say_what_to_do_next_not_the_message_again(self):
        self.put("/s/a")
        self.ok("snapshot", "create", "/s", "--name", "dup")
        message, hint = self.hint_of("snapshot", "create", "/s", "--name", "dup")
        self.assertIn("exists", message)
        self.assertIn("`nokv snapshot show dup`", hint)
        shard = os.path.join(self.tmp, "model.bin")
        with open(shard, "w") as f:
            f.write("w")
        self.ok("checkpoint", "publish", "/ckpt", "--step", "1", shard)
        message, hint = self.hint_of("checkpoint", "publish", "/ckpt", "--step", "1", shard)
        self.assertIn("already published", message)
        self.assertIn("`nokv checkpoint list /ckpt`", hint)
        _, hint = self.hint_of("cat", "--generation", "9", "/s/a")
        self.assertIn("`nokv history /s/a`", hint)


class HelpAndReadmeTest(VocabularyTestCase):
    def test_group_commands_and_their_subcommands_have_examples(self):
        groups = {"snapshot": ("create", "list", "show", "renew", "drop"),
                  "index": ("define", "list", "show", "drop", "rebuild"),
                  "checkpoint": ("publish", "latest", "list")}
        for group, subs in groups.items():
            text = self.ok(group, "--help")
            self.assertIn("Examples:", text, group)
            self.assertIn(f"nokv {group} ", text.split("Examples:")[1], group)
            for sub in subs:
                text = self.ok(group, sub, "--help")
                self.assertIn(f"nokv {group} {sub}", text.split("Example:")[1], (group, sub))

    def test_readme_lists_version_once_and_the_index_commands(self):
        with open(README, encoding="utf-8") as f:
            readme = f.read()
        self.assertEqual(len(re.findall(r"^\| `--version`", readme, re.M)), 1)
        for cmd in ("nokv index define", "nokv index list", "nokv index rebuild"):
            self.assertTrue(re.search(r"^\| `" + re.escape(cmd), readme, re.M), cmd)


if __name__ == "__main__":
    unittest.main()
