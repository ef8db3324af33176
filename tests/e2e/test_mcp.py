#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""End-to-end tests of `nokv agent` and raw-protocol tests of `nokv mcp`.

Speaks JSON-RPC to the real binary (env NOKV_BIN) line by line: malformed
lines, unknown protocol versions, oversized and non-UTF-8 messages, and a
writer publishing into the same data dir while the server runs. Standard
library only.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest

NOKV = os.environ.get("NOKV_BIN", "nokv")


class AgentCliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="nokv-mcp-e2e-")
        self.env = dict(os.environ, NOKV_DATA_DIR=os.path.join(self.tmp, "data"))
        self.put("/runs/r1/log.txt", b"step 1\nerror: NaN\nstep 3\n")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def put(self, dest, data):
        proc = subprocess.run([NOKV, "put", "-", dest], input=data, env=self.env,
                              capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def agent(self, *args):
        return subprocess.run([NOKV, "agent", *args], env=self.env, capture_output=True,
                              timeout=60)


class AgentCommandTest(AgentCliTestCase):
    def test_tools_prints_the_definitions(self):
        proc = self.agent("tools")
        self.assertEqual(proc.returncode, 0)
        tools = json.loads(proc.stdout)
        self.assertEqual([t["name"] for t in tools],
                         ["ls", "stat", "catalog", "find", "aggregate", "read", "grep"])

    def test_verb_prints_its_result(self):
        proc = self.agent("grep", '{"path":"/runs","pattern":"NaN"}')
        self.assertEqual(proc.returncode, 0, proc.stderr)
        found = json.loads(proc.stdout)["files"][0]
        self.assertEqual(found["ref"], "nokv://runs/r1/log.txt@gen:1")
        self.assertEqual(found["lines"], [[2, "error: NaN"]])
        proc = self.agent("read", json.dumps({"path": found["ref"] + "#L2"}))
        self.assertEqual(json.loads(proc.stdout)["text"], "error: NaN\n")

    def test_errors_are_json_with_exit_codes(self):
        proc = self.agent("stat", '{"path":"/nope"}')
        self.assertEqual(proc.returncode, 3)
        self.assertEqual(json.loads(proc.stdout)["error"]["code"], "not_found")
        proc = self.agent("ls", '{"path":"/runs","limt":3}')
        self.assertEqual(proc.returncode, 2)
        self.assertIn("did you mean `limit`", json.loads(proc.stdout)["error"]["hint"])
        proc = self.agent("ls", "{broken")
        self.assertEqual(proc.returncode, 2)
        proc = self.agent("frobnicate", "{}")
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(json.loads(proc.stdout)["error"]["code"], "unknown_tool")


class McpSession:
    """A running `nokv mcp` with line-oriented helpers."""

    def __init__(self, env):
        self.proc = subprocess.Popen([NOKV, "mcp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def send_raw(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def reply(self):
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError("server closed stdout")
        return json.loads(line)

    def request(self, method, params=None, id=1):
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send_raw(json.dumps(msg).encode() + b"\n")
        return self.reply()

    def close(self):
        self.proc.stdin.close()
        rest = self.proc.stdout.read()
        code = self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stderr.close()
        return code, rest


class McpRawProtocolTest(AgentCliTestCase):
    def setUp(self):
        super().setUp()
        self.mcp = McpSession(self.env)

    def tearDown(self):
        proc = self.mcp.proc
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if not pipe.closed:
                pipe.close()
        super().tearDown()

    def test_version_negotiation(self):
        for version in ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]:
            r = self.mcp.request("initialize", {"protocolVersion": version, "capabilities": {},
                                                "clientInfo": {"name": "raw", "version": "0"}})
            self.assertEqual(r["result"]["protocolVersion"], version)
        r = self.mcp.request("initialize", {"protocolVersion": "2099-01-01", "capabilities": {}})
        self.assertEqual(r["result"]["protocolVersion"], "2025-11-25")
        r = self.mcp.request("initialize", {"capabilities": {}})
        self.assertEqual(r["error"]["code"], -32602)

    def test_malformed_lines(self):
        cases = [
            (b"{this is not json\n", -32700),
            (b'{"jsonrpc":"2.0","id":1,"method":"ping"\n', -32700),  # truncated
            (b'{"jsonrpc":"2.0","id":1,"method":"\xff\xfe"}\n', -32700),  # not UTF-8
            (b"[" * 10000 + b"]" * 10000 + b"\n", -32700),  # too deep
            (b'"just a string"\n', -32600),
            (b'{"id":1,"method":"ping"}\n', -32600),  # no jsonrpc member
            (b'{"jsonrpc":"1.0","id":1,"method":"ping"}\n', -32600),
            (b'{"jsonrpc":"2.0","id":1,"method":7}\n', -32600),
            (b'{"jsonrpc":"2.0","id":1,"method":"tools/fly"}\n', -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{}}}\n',
             -32602),
        ]
        for raw, code in cases:
            self.mcp.send_raw(raw)
            r = self.mcp.reply()
            self.assertEqual(r["jsonrpc"], "2.0", raw[:60])
            self.assertEqual(r["error"]["code"], code, raw[:60])
        # Still serving after all of that.
        self.assertEqual(self.mcp.request("ping", id=99), {"jsonrpc": "2.0", "id": 99, "result": {}})

    def test_oversized_message_is_refused_and_skipped(self):
        self.mcp.send_raw(b'{"jsonrpc":"2.0","id":1,"method":"ping","pad":"' + b"x" * (5 << 20) +
                          b'"}\n')
        self.assertEqual(self.mcp.reply()["error"]["code"], -32700)
        self.assertEqual(self.mcp.request("ping", id=2)["id"], 2)

    def test_notifications_and_blank_lines_get_no_reply(self):
        self.mcp.send_raw(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n\n  \n')
        self.mcp.send_raw(b'{"jsonrpc":"2.0","method":"notifications/cancelled",'
                          b'"params":{"requestId":5}}\n')
        r = self.mcp.request("ping", id=3)
        self.assertEqual(r["id"], 3)  # the first reply is the ping's
        code, rest = self.mcp.close()
        self.assertEqual(code, 0)
        self.assertEqual(rest, b"")

    def test_stdout_carries_only_protocol_messages(self):
        self.mcp.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}})
        r = self.mcp.request("tools/call", {"name": "ls", "arguments": {"path": "/runs"}}, id=2)
        self.assertEqual(r["result"]["structuredContent"]["entries"][0]["name"], "r1")
        r = self.mcp.request("tools/call", {"name": "ls", "arguments": {"path": "/x"}}, id=3)
        self.assertTrue(r["result"]["isError"])
        code, rest = self.mcp.close()
        self.assertEqual(code, 0)
        for line in rest.splitlines():
            json.loads(line)
        self.assertEqual(rest, b"")

    def test_works_while_another_process_writes(self):
        # A publish whose body is still streaming holds the writer lock.
        writer = subprocess.Popen([NOKV, "put", "-", "/runs/r2/late.txt"], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=self.env)
        try:
            writer.stdin.write(b"partial ")
            writer.stdin.flush()
            r = self.mcp.request("tools/call", {"name": "ls", "arguments": {"path": "/runs"}})
            self.assertEqual([e["name"] for e in r["result"]["structuredContent"]["entries"]],
                             ["r1"])
            writer.stdin.write(b"body\n")
            writer.stdin.close()
            self.assertEqual(writer.wait(timeout=60), 0, writer.stderr.read())
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
            writer.stderr.close()
        r = self.mcp.request("tools/call", {"name": "read",
                                            "arguments": {"path": "/runs/r2/late.txt"}}, id=2)
        self.assertEqual(r["result"]["structuredContent"]["text"], "partial body\n")


if __name__ == "__main__":
    unittest.main()
