#!/usr/bin/env python3
# Copyright 2026 The nokv Authors. Licensed under the Apache License, Version 2.0.
"""A fault-injecting HTTP proxy between an S3 client and an S3 server.

Requests are forwarded byte for byte (the Host header included, so SigV4
signatures made for the proxy's address stay valid). Before forwarding, each
request takes the next action of a plan:

  pass         forward it
  drop         read the request, then close the connection without answering
  reset        close the connection before reading the body
  stall:S      wait S seconds, then close without answering
  lose         forward it, then close without passing the answer on (the
               server did the work; the client cannot know)
  500 / 503    answer with that status and an S3 InternalError/ServiceUnavailable body
  slowdown     answer 503 with the S3 SlowDown error code
  down         like reset, for every request from now on (the store is gone)

--plan is a comma-separated list; an item may end in xN to repeat it (503x3).
After the plan, --then (default pass) applies to every request. With
--fail-percent P (and --seed), each later request fails with a random fault
with probability P.

Prints "LISTENING PORT" on stdout once ready; on SIGTERM or stdin EOF prints
"STATS key=value ..." and exits. Loopback only; it stops by itself after
--max-seconds.
"""
import argparse
import random
import signal
import socket
import sys
import threading
import time
import http.client
import urllib.parse

ERROR_BODY = (
    '<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
    "<Message>injected by fault_proxy</Message></Error>"
)


class Plan:
    def __init__(self, plan, then, fail_percent, seed):
        self.items = []
        for item in filter(None, (plan or "").split(",")):
            count = 1
            if "x" in item and item.rsplit("x", 1)[1].isdigit():
                item, n = item.rsplit("x", 1)
                count = int(n)
            self.items.extend([item] * count)
        self.then = then
        self.fail_percent = fail_percent
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.stats = {}
        self.down = False

    def next(self):
        with self.lock:
            if self.down:
                action = "down"
            elif self.items:
                action = self.items.pop(0)
            elif self.fail_percent and self.rng.uniform(0, 100) < self.fail_percent:
                action = self.rng.choice(["500", "503", "slowdown", "drop", "reset", "stall:1.5"])
            else:
                action = self.then
            if action == "down":
                self.down = True
            key = action.split(":")[0]
            self.stats[key] = self.stats.get(key, 0) + 1
            return action


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None, b""
        data += chunk
        if len(data) > 1 << 20:
            return None, b""
    head, rest = data.split(b"\r\n\r\n", 1)
    return head.decode("latin-1"), rest


def recv_exact(conn, n, have):
    buf = bytearray(have)
    while len(buf) < n:
        chunk = conn.recv(min(1 << 20, n - len(buf)))
        if not chunk:
            raise ConnectionError("client closed mid-body")
        buf += chunk
    return bytes(buf[:n]), bytes(buf[n:])


def send_error(conn, status, code):
    body = ERROR_BODY.format(code=code).encode()
    reason = {500: "Internal Server Error", 503: "Service Unavailable"}[status]
    conn.sendall(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/xml\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode() + body
    )


def serve_connection(conn, upstream, plan):
    up = None
    try:
        while True:
            # One request at a time: the clients served here never pipeline.
            head, rest = read_head(conn)
            if head is None:
                return
            lines = head.split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = []
            length = 0
            expect = False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                value = value.strip()
                lname = name.lower()
                if lname == "content-length":
                    length = int(value)
                if lname == "expect":
                    expect = True
                    continue
                headers.append((name, value))
            action = plan.next()
            if action in ("reset", "down"):
                return
            if expect:
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            body, _ = recv_exact(conn, length, rest)
            if action == "drop":
                return
            if action.startswith("stall"):
                time.sleep(float(action.split(":")[1]) if ":" in action else 5)
                return
            if action in ("500", "503"):
                send_error(conn, int(action), "InternalError" if action == "500" else "ServiceUnavailable")
                continue
            if action == "slowdown":
                send_error(conn, 503, "SlowDown")
                continue
            if up is None:
                up = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
            up.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                up.putheader(name, value)
            up.endheaders(body if length else None)
            resp = up.getresponse()
            data = resp.read()
            if action == "lose":
                return
            out = [f"HTTP/1.1 {resp.status} {resp.reason}"]
            for name, value in resp.getheaders():
                if name.lower() in ("transfer-encoding", "connection"):
                    continue
                if name.lower() == "content-length" and method != "HEAD":
                    continue
                out.append(f"{name}: {value}")
            if method != "HEAD":
                out.append(f"Content-Length: {len(data)}")
            conn.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + data)
    except (ConnectionError, OSError, http.client.HTTPException):
        return
    finally:
        if up is not None:
            up.close()
        try:
            conn.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of the real server")
    ap.add_argument("--plan", default="")
    ap.add_argument("--then", default="pass")
    ap.add_argument("--fail-percent", type=float, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-seconds", type=float, default=600)
    args = ap.parse_args()
    upstream = urllib.parse.urlparse(args.upstream)
    plan = Plan(args.plan, args.then, args.fail_percent, args.seed)

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(128)
    server.settimeout(0.2)
    print(f"LISTENING {server.getsockname()[1]}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    deadline = time.monotonic() + args.max_seconds
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=serve_connection, args=(conn, upstream, plan), daemon=True).start()
    server.close()
    with plan.lock:
        stats = " ".join(f"{k}={v}" for k, v in sorted(plan.stats.items()))
    print(f"STATS {stats}", flush=True)


if __name__ == "__main__":
    main()
