#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The bad-input suite: a hostile and careless client against a real `flowdeck serve`.

Starts serve on a new store, signs in as its first admin, reads the routes from
/openapi.json and sends every route malformed bodies, query strings and path parameters,
plus malformed HTTP framing, over raw sockets on 127.0.0.1. Prints the answers counted by
input class and status, the 5xx and dropped connections (both must be zero), and whether the
server still answers. A benchmark of robustness: it prints figures and asserts nothing.

    bench/hostile/hostile_suite.py [--flowdeck build/dev/app/flowdeck]
"""
import argparse
import collections
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def exchange(port, raw, timeout=20.0):
    """Sends raw bytes, returns (status or None, body bytes)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            # No half-close: a server may drop a request whose client stopped sending before
            # its answer (a sign-in checked on another thread) was ready.
            s.sendall(raw)
            data = b""
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None, b""
    if not data.startswith(b"HTTP/1."):
        return None, data
    head, _, body = data.partition(b"\r\n\r\n")
    try:
        return int(head[9:12]), body
    except ValueError:
        return None, data


def request(port, method, target, body=None, token=None, content_type=b"application/json"):
    lines = [b"%s %s HTTP/1.1" % (method.encode(), target), b"Host: 127.0.0.1",
             b"Connection: close"]
    if token:
        lines.append(b"Authorization: Bearer " + token.encode())
    if body is not None:
        lines.append(b"Content-Type: " + content_type)
        lines.append(b"Content-Length: %d" % len(body))
    return exchange(port, b"\r\n".join(lines) + b"\r\n\r\n" + (body or b""))


def deep(n, open_=b"[", close=b"]"):
    return open_ * n + b"1" + close * n


BODIES = [
    ("deep 100,000", deep(100_000)),
    ("deep 300 objects", b'{"a":' * 300 + b"1" + b"}" * 300),
    ("number overflow", b'{"a": 1e99999, "workflow": "x"}'),
    ("invalid UTF-8", b'{"name":"caf\xff","workflow":"caf\xff"}'),
    ("truncated", b'{"workflow": "x", "options": {'),
    ("empty", b""),
    ("top-level array", b"[1,2,3]"),
    ("top-level string", b'"text"'),
    ("top-level null", b"null"),
    ("wrong types", json.dumps({"workflow": 5, "options": "x", "variables": [], "taskData": 7,
                                "name": {}, "tasks": "none", "transitions": 1, "groups": "g",
                                "user": 5, "username": [], "password": {}, "automation": 3,
                                "trigger": [], "enabled": "yes", "type": 9}).encode()),
    ("nested wrong types", json.dumps({"options": {"variables": "x", "groups": 5,
                                                   "description": []},
                                       "taskData": {"finish_state": 5, "variables": "x"},
                                       "automation": {"name": 5, "tasks": []}}).encode()),
    ("huge string", json.dumps({"workflow": "x" * 2_000_000}).encode()),
    ("deep variables", b'{"workflow":"Device Health Check","options":{"variables":{"d":' +
     deep(2000) + b"}}}"),
    ("NUL and controls", b'{"workflow":"a\\u0000b\\u0001","name":"\\ud800"}'),
]

QUERIES = [
    ("duplicate limit", "limit=1&limit=2"),
    ("duplicate token", "token=a&token=b"),
    ("negative limit", "limit=-1&skip=-5"),
    ("non-numeric limit", "limit=abc&skip=1e99"),
    ("unknown sort", "sort=nope&order=sideways"),
    ("long contains", "contains[name]=" + "a" * 50_000),
    ("long ends-with", "ends-with[name]=" + "b" * 50_000),
    ("unknown field", "equals[nope]=1&in[status]="),
    ("bad q", "q=%7B"),
    ("deep q", "q=" + urllib.parse.quote("[" * 5000 + "]" * 5000)),
    ("malformed escape", "name=%zz&%ff=1"),
    ("invalid UTF-8 value", "equals[name]=%ff%fe"),
]

PATH_VALUES = [
    ("garbage id", "x"),
    ("object id", "000000000000000000000000"),
    ("long id", "a" * 10_000),
    ("escaped bytes", "%00%ff..%2f..%2f"),
]

FRAMING = [
    ("garbage request line", b"GARBAGE\r\n\r\n"),
    ("HTTP/0.9", b"GET /health/status\r\n"),
    ("unknown version", b"GET / HTTP/9.9\r\nHost: x\r\n\r\n"),
    ("header without colon", b"GET / HTTP/1.1\r\nHost x\r\n\r\n"),
    ("two lengths", b"POST /login HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
    ("bad chunk", b"POST /login HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
    ("NUL in path", b"GET /health\x00/status HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("length and chunked", b"POST /login HTTP/1.1\r\nContent-Length: 5\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flowdeck", default=os.path.join(ROOT, "build", "dev", "app", "flowdeck"))
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="flowdeck-hostile-")
    store = os.path.join(work, "hostile.db")
    port = free_port()
    env = dict(os.environ)
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(var, None)
    log = open(os.path.join(work, "serve.log"), "wb")
    serve = subprocess.Popen([args.flowdeck, "serve", "--db", store, "--listen",
                              "127.0.0.1:%d" % port], stderr=log, stdout=log, env=env)
    for _ in range(200):
        if request(port, "GET", b"/health/status")[0] == 200:
            break
        time.sleep(0.05)
    password = open(store + ".admin-password.txt").read().strip()
    status, body = request(port, "POST", b"/login",
                           json.dumps({"username": "admin", "password": password}).encode())
    token = body.decode()
    assert status == 200, (status, body)

    # Something to find: the demo workflows and a job of one of them.
    for name in sorted(os.listdir(os.path.join(ROOT, "resources", "demo"))):
        if name.endswith(".json"):
            doc = json.load(open(os.path.join(ROOT, "resources", "demo", name)))
            request(port, "POST", b"/automation-studio/automations",
                    json.dumps({"automation": doc}).encode(), token)
    status, body = request(port, "POST", b"/operations-manager/jobs/start",
                           json.dumps({"workflow": "Device Health Check", "options": {
                               "variables": {"device": "dist-sw-04"}}}).encode(), token)
    job = json.loads(body).get("data", {}) if status == 200 else {}
    known = {"jobId": job.get("_id", "x"), "id": job.get("_id", "x")}

    status, body = request(port, "GET", b"/openapi.json", token=token)
    spec = json.loads(body)
    # /logout would end the suite's own session: it is sent, but signed out.
    operations = [(m.upper(), p) for p, item in spec["paths"].items() for m in item
                  if m in ("get", "post", "put", "patch", "delete")]
    real_token = token

    counts = collections.Counter()   # (class, status) -> n
    bad = []                         # (class, method, target, status)
    sent = 0

    def record(klass, method, target, status):
        nonlocal sent
        sent += 1
        counts[(klass, status)] += 1
        if status is None or status >= 500:
            bad.append((klass, method, target[:120], status))

    def fill(path, value):
        out, parts = "", path.split("/")
        return "/".join(value if p.startswith("{") else p for p in parts)

    for method, path in operations:
        token = None if path == "/logout" else real_token
        targets = [("known ids", "/".join(known.get(p[1:-1], "x") if p.startswith("{") else p
                                          for p in path.split("/")))]
        if "{" in path:
            targets += [(k, fill(path, v)) for k, v in PATH_VALUES]
        for klass, target in targets:
            s, _ = request(port, method, target.encode(), b"{}" if method in ("POST", "PUT", "PATCH")
                           else None, token)
            record("path: " + klass, method, target, s)
        target = targets[0][1]
        if method in ("POST", "PUT", "PATCH"):
            for klass, body in BODIES:
                record("body: " + klass, method, target,
                       request(port, method, target.encode(), body, token)[0])
            # Unauthenticated, the worst of them.
            record("body: deep 100,000, signed out", method, target,
                   request(port, method, target.encode(), BODIES[0][1])[0])
            record("body: form type", method, target,
                   request(port, method, target.encode(), b"a=1&a=2", token,
                           b"application/x-www-form-urlencoded")[0])
        for klass, query in QUERIES:
            full = target + "?" + query
            record("query: " + klass, method, full,
                   request(port, method, full.encode(), b"{}" if method in ("POST", "PUT", "PATCH")
                           else None, token)[0])
    for klass, raw in FRAMING:
        status, _ = exchange(port, raw)
        record("framing: " + klass, "-", raw.decode("latin-1"), status)

    alive = serve.poll() is None
    health = request(port, "GET", b"/health/status")[0]
    serve.terminate()
    serve.wait(timeout=20)

    classes = sorted({k for k, _ in counts})
    print("bad-input suite: %d requests over %d operations of /openapi.json, %d framing cases"
          % (sent, len(operations), len(FRAMING)))
    print("%-40s %s" % ("input class", "answers (status: count)"))
    for klass in classes:
        row = sorted(((s if s is not None else 0), n) for (k, s), n in counts.items() if k == klass)
        print("%-40s %s" % (klass, "  ".join("%s: %d" % (s if s else "none", n) for s, n in row)))
    by_class = collections.Counter()
    for (k, s), n in counts.items():
        by_class["none" if s is None else "%dxx" % (s // 100)] += n
    print("totals: " + "  ".join("%s %d" % kv for kv in sorted(by_class.items())))
    print("5xx or no answer: %d" % len(bad))
    for b in bad[:40]:
        print("  %s %s %r -> %s" % b)
    print("server alive after the suite: %s; /health/status: %s" % (alive, health))
    print("serve's log: %s" % os.path.join(work, "serve.log"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
