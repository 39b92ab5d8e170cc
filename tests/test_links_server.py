"""A real HTTP server on 127.0.0.1 for the link checker's tests (no test reaches further).

``Site`` runs a threading ``http.server`` on a free loopback port; ``site.route(path,
answer)`` sets what a path answers: a status, headers, a body, a delay, or a function of
the request number. Every request is recorded (method, path, headers), and the most
requests in flight at once is counted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                site.handle(self, "GET")

            def do_HEAD(self) -> None:
                site.handle(self, "HEAD")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def route(self, path: str, answer: Route) -> str:
        self.routes[path] = answer
        return self.base + path

    def paths(self, method: str | None = None) -> list[str]:
        return [r.path for r in self.requests if method is None or r.method == method]

    def handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        with self.lock:
            request = Request(method, h.path, dict(h.headers.items()))
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

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


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
