"""A real HTTP server on 127.0.0.1 for the link checker's tests (no test reaches further).

``Site`` runs a threading ``http.server`` on a free loopback port; ``site.route(path,
answer)`` sets what a path answers: a status, headers, a body, a delay, or a function of
the request number. Every request is recorded (method, path, headers, body), and the most
requests in flight at once is counted. ``GraphQL`` answers like GitHub's GraphQL API;
``Proxy`` is a forwarding HTTP proxy that records what went through it. ``Site(tls)``
speaks HTTPS with a certificate for 127.0.0.1 that ``make_certificates`` signs by a CA it
makes (with the ``openssl`` program; the fixture ``tls_site`` skips without one). The
fixtures ``site``, ``other_site``, ``tls_site`` and ``proxy`` are shared by the link
checker's test files.
"""

from __future__ import annotations

import json
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"<html><body>ok</body></html>"
    delay: float = 0.0
    head_status: int | None = None  # a different answer to HEAD


Route = Answer | Callable[[int, "Request"], Answer]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""


class _Quiet(BaseHTTPRequestHandler):
    """HTTP/1.1 (keep-alive, as real sites), and no access log on the test's output."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Loopback:
    """A threading HTTP server on a free port of 127.0.0.1, serving until ``close``."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], tls: Certificates | None = None) -> str:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls.cert, tls.key)
            # A client that refuses the certificate ends the handshake in accept(): an
            # OSError, which the server ignores.
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"{scheme}://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass(frozen=True)
class Certificates:
    ca: Path  # the CA's certificate (PEM): what a client trusts
    cert: Path  # the server's certificate for IP 127.0.0.1, signed by the CA
    key: Path  # the server's private key


def make_certificates(folder: Path) -> Certificates:
    """A CA and a server certificate for 127.0.0.1 signed by it, made by ``openssl``."""

    def openssl(command: str, *args: str) -> None:
        argv = ["openssl", *command.split(), *args]
        subprocess.run(argv, cwd=folder, check=True, capture_output=True, stdin=subprocess.DEVNULL)

    ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
    openssl(
        f"req -x509 {ec} -keyout ca.key -out ca.pem -days 2",
        *("-subj", "/CN=listlint test CA"),
        *("-addext", "basicConstraints=critical,CA:TRUE"),
        *("-addext", "keyUsage=critical,keyCertSign,cRLSign"),
    )
    openssl(f"req {ec} -keyout server.key -out server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "server.ext").write_text(
        "subjectAltName = IP:127.0.0.1\n"
        "basicConstraints = critical, CA:FALSE\n"
        "keyUsage = critical, digitalSignature\n"
        "extendedKeyUsage = serverAuth\n"
        "subjectKeyIdentifier = hash\n"
        "authorityKeyIdentifier = keyid\n",
        encoding="ascii",
    )
    openssl(
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 2"
        " -extfile server.ext -out server.pem"
    )
    return Certificates(folder / "ca.pem", folder / "server.pem", folder / "server.key")


class Site(_Loopback):
    def __init__(self, tls: Certificates | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        site = self

        class Handler(_Quiet):
            def do_GET(self) -> None:
                site.handle(self, "GET")

            def do_HEAD(self) -> None:
                site.handle(self, "HEAD")

            def do_POST(self) -> None:
                site.handle(self, "POST")

        self.base = self._serve(Handler, tls)
        self.port = self.server.server_address[1]

    def route(self, path: str, answer: Route) -> str:
        self.routes[path] = answer
        return self.base + path

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method is None or r.method == method]

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        size = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(size) if size else b""
        with self.lock:
            request = Request(method, h.path, dict(h.headers.items()), body)
            self.requests.append(request)
            n = self.counts[h.path] = self.counts.get(h.path, 0) + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            route = self.routes.get(h.path) or self.routes.get(h.path.split("?", 1)[0])
            route = route or Answer(404, body=b"not found")
            answer = route(n, request) if callable(route) else route
            if answer.delay:
                time.sleep(answer.delay)
            status = answer.status
            if method == "HEAD" and answer.head_status is not None:
                status = answer.head_status
            h.send_response(status)
            headers = {"Content-Type": "text/html; charset=utf-8", **answer.headers}
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(answer.body)))
            h.end_headers()
            if method != "HEAD":
                h.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with self.lock:
                self.in_flight -= 1


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


@pytest.fixture
def other_site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl program to make a test certificate with")
    return make_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def tls_site(certificates: Certificates) -> Iterator[Site]:
    """A site on https://127.0.0.1:PORT whose certificate ``certificates.ca`` signs."""
    s = Site(certificates)
    yield s
    s.close()


_ALIAS = re.compile(r'(r\d+): repository\(owner: ("[^"]*"), name: ("[^"]*")\)')


class GraphQL:
    """A route answering GitHub GraphQL repository queries by alias, from ``repos``:
    ``owner/name`` as asked (any case) -> (``nameWithOwner``, archived); others are
    missing (null and a ``NOT_FOUND`` error). ``remaining``: the rate limit left, one
    point a query; at 0 a query is refused with 403 and ``X-RateLimit-Remaining: 0``."""

    def __init__(self, repos: dict[str, tuple[str, bool]], remaining: int = 5000) -> None:
        self.repos = {k.lower(): v for k, v in repos.items()}
        self.remaining = remaining
        self.reset = 1_900_000_000
        self.asked: list[list[str]] = []  # owner/name of each query

    def __call__(self, n: int, request: Request) -> Answer:
        limit = {"X-RateLimit-Remaining": str(self.remaining), "X-RateLimit-Reset": "1900000000"}
        if self.remaining <= 0:
            return Answer(403, limit, b'{"message": "API rate limit exceeded"}')
        self.remaining -= 1
        limit["X-RateLimit-Remaining"] = str(self.remaining)
        query = json.loads(request.body)["query"]
        data: dict[str, object] = {
            "rateLimit": {"remaining": self.remaining, "resetAt": "2030-03-17T17:46:40Z"}
        }
        errors = []
        names = []
        for alias, owner, name in _ALIAS.findall(query):
            full = f"{json.loads(owner)}/{json.loads(name)}"
            names.append(full)
            found = self.repos.get(full.lower())
            if found is None:
                data[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "message": f"Could not resolve to a Repository with the name '{full}'.",
                    }
                )
            else:
                data[alias] = {"nameWithOwner": found[0], "isArchived": found[1]}
        self.asked.append(names)
        reply: dict[str, object] = {"data": data}
        if errors:
            reply["errors"] = errors
        headers = {"Content-Type": "application/json", **limit}
        return Answer(200, headers, json.dumps(reply).encode())


class Proxy(_Loopback):
    """A forwarding HTTP proxy on loopback for plain-http URLs: it records each request
    (method, absolute URL, headers) and passes it on to the site it names."""

    def __init__(self) -> None:
        import http.client
        from urllib.parse import urlsplit

        self.requests: list[Request] = []
        proxy = self

        class Handler(_Quiet):
            def forward(self) -> None:
                proxy.requests.append(Request(self.command, self.path, dict(self.headers)))
                target = urlsplit(self.path)
                if target.scheme != "http" or not target.hostname:
                    self.send_error(400, "only absolute http URLs")
                    return
                conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=5)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
                path = target.path + (f"?{target.query}" if target.query else "")
                conn.request(self.command, path or "/", headers=headers)
                resp = conn.getresponse()
                body = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
                conn.close()

            do_GET = do_HEAD = do_POST = forward

        self.url = self._serve(Handler)


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    p = Proxy()
    yield p
    p.close()
