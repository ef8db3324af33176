#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""Interop: what the `nokv` CLI stores in S3 is plain S3 objects that other
tools read. Publishes through `nokv --store s3://...`, then reads the blocks
back with `aws s3api` (awscli) and checks the SHA-256 nokv recorded; also
checks the CLI's store flags, the store record of the data dir, and that a
vanished block makes `nokv cat` and `nokv fsck` name the file and the block.

Env (set by `scripts/rgw.sh exec`): NOKV_BIN, NOKV_S3_ENDPOINT,
NOKV_S3_BUCKET, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")
ENDPOINT = os.environ.get("NOKV_S3_ENDPOINT", "")
BUCKET = os.environ.get("NOKV_S3_BUCKET", "")
# Debian's awscli; a user-level shim may shadow it on PATH.
AWS = "/usr/bin/aws" if os.path.exists("/usr/bin/aws") else shutil.which("aws")


@unittest.skipUnless(ENDPOINT and BUCKET and AWS, "needs scripts/rgw.sh exec and awscli")
class S3InteropTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-s3-interop-")
        self.prefix = "interop-%d-%s" % (os.getpid(), self._testMethodName)
        self.store = "s3://%s/%s" % (BUCKET, self.prefix)
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))
        self.env.pop("NOKV_STORE", None)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def nokv(self, *args, code=0, store=True):
        argv = [NOKV] + (["--store", self.store, "--s3-endpoint", ENDPOINT] if store else [])
        p = subprocess.run(argv + list(args), env=self.env, capture_output=True)
        p.stdout = p.stdout.decode(errors="replace")  # `cat` may print body bytes
        p.stderr = p.stderr.decode(errors="replace")
        self.assertEqual(p.returncode, code, "nokv %s: %s%s" % (args, p.stdout, p.stderr))
        return p

    def aws(self, *args):
        argv = [AWS, "--endpoint-url", ENDPOINT, "--region", "us-east-1"] + list(args)
        p = subprocess.run(argv, env=self.env, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, "aws %s: %s" % (args, p.stderr))
        return p.stdout

    def keys(self):
        out = self.aws("s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix",
                       self.prefix + "/", "--output", "json")
        return sorted((o["Key"], o["Size"]) for o in json.loads(out or "{}").get("Contents", []))

    def test_objects_are_readable_with_aws_s3api(self):
        body = os.urandom(9 * 1024 * 1024 + 321)  # three 4 MiB blocks
        src = os.path.join(self.tmp, "ckpt.bin")
        with open(src, "wb") as f:
            f.write(body)
        self.nokv("put", src, "/runs/r1/ckpt.bin")
        stat = json.loads(self.nokv("stat", "--json", "/runs/r1/ckpt.bin").stdout)
        self.assertEqual(stat["sha256"], hashlib.sha256(body).hexdigest())
        keys = self.keys()
        self.assertEqual(len(keys), stat["block_count"])
        self.assertEqual(sum(size for _, size in keys), len(body))
        # Blocks are named .../<8-digit index>: in key order they are the body.
        digest = hashlib.sha256()
        for i, (key, size) in enumerate(keys):
            self.assertTrue(key.endswith("/%08d" % i), key)
            out = os.path.join(self.tmp, "block")
            meta = json.loads(self.aws("s3api", "get-object", "--bucket", BUCKET, "--key", key, out))
            self.assertEqual(meta["ContentLength"], size)
            with open(out, "rb") as f:
                digest.update(f.read())
        self.assertEqual(digest.hexdigest(), stat["sha256"])
        # And nokv reads it back, verified, through the same store.
        back = os.path.join(self.tmp, "back.bin")
        self.nokv("get", "/runs/r1/ckpt.bin", back)
        with open(back, "rb") as f:
            self.assertEqual(f.read(), body)
        self.nokv("fsck", "--verify-data")

    def test_data_dir_remembers_its_store(self):
        src = os.path.join(self.tmp, "f")
        with open(src, "wb") as f:
            f.write(b"x" * 100000)
        self.nokv("put", src, "/f")
        p = self.nokv("ls", "/", store=False, code=2)
        self.assertIn(self.store + "/", p.stderr)
        self.assertIn("--store", p.stderr)
        env_store = dict(self.env, NOKV_STORE=self.store, NOKV_S3_ENDPOINT=ENDPOINT)
        p = subprocess.run([NOKV, "cat", "/f"], env=env_store, capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"x" * 100000)

    def test_vanished_block_is_named_by_cat_and_fsck(self):
        src = os.path.join(self.tmp, "f")
        with open(src, "wb") as f:
            f.write(os.urandom(5 * 1024 * 1024))
        self.nokv("put", src, "/data/f.bin")
        key = self.keys()[1][0]
        self.aws("s3api", "delete-object", "--bucket", BUCKET, "--key", key)
        p = self.nokv("cat", "/data/f.bin", code=5)
        self.assertIn("block 1 of /data/f.bin", p.stderr)
        p = self.nokv("fsck", code=5)
        self.assertIn("missing_block", p.stdout + p.stderr)
        self.assertIn("/data/f.bin", p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
