#!/usr/bin/env python3
"""The system an adapter talks to in Flowdeck's tests: a small pet store with every kind of
authentication, and endpoints that misbehave on purpose (slow, flaky, huge, redirecting, not
JSON). Prints its port on the first line of standard output; records each request, which
GET /_log answers."""
import base64
import json
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
LOG = []
TOKENS = set()
COUNTERS = {}
NEXT_TOKEN = [0]


def new_token(prefix):
    with LOCK:
        NEXT_TOKEN[0] += 1
        token = "%s-%d" % (prefix, NEXT_TOKEN[0])
        TOKENS.add(token)
    return token


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json", headers=None):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = url.path
        if path == "/_log":
            with LOCK:
                return self.answer(200, LOG)
        if path == "/_expire":
            with LOCK:
                TOKENS.clear()
            return self.answer(200, {"expired": True})
        with LOCK:
            LOG.append({"method": self.command, "path": path, "query": query, "raw": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body.decode("utf-8", "replace"), "at": time.time(),
                        "client_port": self.client_address[1]})
        auth = self.headers.get("Authorization", "")

        if path == "/login":
            creds = json.loads(body or b"{}")
            if creds.get("user") == "ops" and creds.get("pass") == "s3cret":
                return self.answer(200, {"data": {"session": new_token("session")}})
            return self.answer(401, {"error": "bad credentials"})
        if path == "/oauth/token":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if (form.get("grant_type") == "client_credentials" and form.get("client_id") == "app"
                    and form.get("client_secret") == "shh"):
                return self.answer(200, {"access_token": new_token("oauth"), "expires_in": 3600,
                                         "token_type": "Bearer"})
            return self.answer(401, {"error": "invalid_client"})

        # Authentication, by the prefix of the path.
        if path.startswith("/basic/"):
            if auth != "Basic " + base64.b64encode(b"ops:s3cret").decode():
                return self.answer(401, {"error": "unauthorized"})
            path = path[len("/basic"):]
        elif path.startswith("/static/"):
            if self.headers.get("X-Api-Key") != "key-123":
                return self.answer(401, {"error": "unauthorized"})
            path = path[len("/static"):]
        elif path.startswith("/session/"):
            with LOCK:
                ok = self.headers.get("X-Session") in TOKENS
            if not ok:
                return self.answer(401, {"error": "session expired"})
            path = path[len("/session"):]
        elif path.startswith("/bearer/"):
            with LOCK:
                ok = auth.startswith("Bearer ") and auth[7:] in TOKENS
            if not ok:
                return self.answer(401, {"error": "invalid token"})
            path = path[len("/bearer"):]

        if path.startswith("/itsm/v2/"):
            return self.itsm(path[len("/itsm/v2"):], query, body)
        if path.startswith("/pets/") and self.command == "GET":
            pet_id = urllib.parse.unquote(path[len("/pets/"):])
            return self.answer(200, {"id": pet_id, "name": "Rex", "kind": query.get("kind", "dog")})
        if path == "/pets" and self.command == "POST":
            pet = json.loads(body or b"{}")
            pet["id"] = "p-1"
            return self.answer(201, pet)
        if path == "/pets" and self.command == "GET":
            return self.answer(200, [{"id": "1", "name": "Rex"}, {"id": "2", "name": "Tom"}])
        if path.startswith("/pets/") and self.command == "DELETE":
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/flaky":
            key = query.get("key", "")
            with LOCK:
                COUNTERS[key] = COUNTERS.get(key, 0) + 1
                n = COUNTERS[key]
            if n <= int(query.get("fail", "2")):
                return self.answer(503, {"error": "busy", "attempt": n})
            return self.answer(200, {"attempt": n})
        if path == "/slow":
            time.sleep(float(query.get("ms", "100")) / 1000.0)
            return self.answer(200, {"slept": query.get("ms")})
        if path == "/redirect":
            n = int(query.get("n", "0"))
            if n > 0:
                return self.answer(302, {}, headers={"Location": "/redirect?n=%d" % (n - 1)})
            return self.answer(200, {"arrived": True})
        if path == "/big":
            size = int(query.get("bytes", "1000"))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if query.get("chunked"):
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b" " * 65536
                sent = 0
                try:
                    while sent < size:
                        self.wfile.write(chunk)
                        sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True
                return
            self.send_header("Content-Length", str(size))
            self.end_headers()
            try:
                self.wfile.write(b" " * size)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        if path == "/html":
            return self.answer(200, b"<html><body>a login page</body></html>",
                               content_type="application/json")
        if path == "/health":
            return self.answer(200, {"status": "up"})
        return self.answer(404, {"error": "no route " + path})

    def itsm(self, path, query, body):
        """The ITSM the Itential package fixture (tests/data/adapters/itential/itsm) talks to:
        answers in ServiceNow's manner ({"result": ...}), one XML inventory, a form endpoint."""
        if path.startswith("/changes/") and self.command == "GET":
            number = urllib.parse.unquote(path[len("/changes/"):])
            if number == "CHG0404":
                return self.answer(404, {"error": {"message": "No Record found"}})
            return self.answer(200, {"result": {"number": number, "short_description": "Replace core switch",
                                                "state": "scheduled", "sys_id": "a1b2"}})
        if path == "/changes" and self.command == "POST":
            change = json.loads(body or b"{}")
            change["number"] = "CHG0040001"
            return self.answer(201, {"result": change})
        if path.startswith("/changes/") and self.command == "PATCH":
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/changes" and self.command == "GET":
            return self.answer(200, {"result": [{"number": "CHG1", "short_description": "one"},
                                                {"number": "CHG2", "short_description": "two"}]})
        if path == "/inventory/devices":
            if query.get("site") == "slow":  # beyond the action's own timeout (400 ms)
                time.sleep(1.5)
            xml = ('<devices site="%s"><device name="sw-01" role="core">10.0.0.1</device>'
                   '<device name="sw-02" role="access">10.0.0.2</device></devices>' % query.get("site", ""))
            return self.answer(200, xml.encode(), content_type="application/xml")
        if path.startswith("/notes/") and self.command == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode()))
            return self.answer(200, {"saved": form})
        if path == "/health":
            return self.answer(200, {"status": "ok"})
        return self.answer(404, {"error": "no route " + path})

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = handle_any


class QuietServer(ThreadingHTTPServer):
    """Clients that hang up on purpose (size limits, timeouts, refused certificates) are part
    of the tests, not errors worth a traceback. The listen backlog is wide: with the default 5,
    a burst of connections (the benchmark's hundreds) overflows it and the kernel drops SYNs,
    which clients retry after 1, 3, 7 s, so calls seemed to take seconds the server never saw."""

    request_queue_size = 1024

    def handle_error(self, request, client_address):
        pass


def main():
    server = QuietServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) > 2:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
