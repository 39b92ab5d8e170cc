"""Latency of `listlint server`: from the last keystroke to published diagnostics.

A real client (pytest-lsp's, over standard input and output) starts the `listlint`
console script, opens a catalog from ../shared/bench/gen_catalog.py, waits for its first
diagnostics, then types: bursts of a few characters into an entry's description, a
keystroke every 40 ms (faster than the debounce, as a person types), and measures the
time from the burst's last change to the diagnostics of that version. The debounce is
included; so is everything the server does (applying the change, linting, converting
positions, writing JSON) and the client's reading. The server process's CPU time over the
same interval is printed too: on a busy machine it says what the server itself costs.

    python benchmarks/server_bench.py                # 1,000 and 10,000 entries
    python benchmarks/server_bench.py --entries 1000 --bursts 10

Needs the test extras (pytest-lsp). The machine's load average is printed with the
results: other processes on a shared machine slow every number down.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp.client import (
    DEFAULT_CLIENT_FEATURES,
    LanguageClient,
    client_capabilities,
    register_lsp_features,
)

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parents[1] / "shared" / "bench" / "gen_catalog.py"
CONSOLE = str(Path(sys.executable).with_name("listlint"))
KEYSTROKE = 0.04  # seconds between keystrokes within a burst
BURST = 5  # keystrokes per burst
PAUSE = 0.5  # quiet time after a burst's diagnostics, before the next one


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) the process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def catalog(entries: int, folder: Path) -> Path:
    path = folder / f"catalog-{entries}.md"
    with path.open("w", encoding="utf-8") as f:
        subprocess.run(
            [sys.executable, str(GENERATOR), "--entries", str(entries)], stdout=f, check=True
        )
    return path


class Bench:
    def __init__(self) -> None:
        self.client = LanguageClient(converter_factory=default_converter)
        self.arrived: dict[int | None, float] = {}
        self.counts: dict[int | None, int] = {}
        features: dict[str, Any] = dict(DEFAULT_CLIENT_FEATURES)
        features[lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = lambda ls, params: self._published(params)
        features[lsp.CLIENT_REGISTER_CAPABILITY] = lambda ls, params: None
        register_lsp_features(self.client, features)

    def _published(self, params: lsp.PublishDiagnosticsParams) -> None:
        self.arrived.setdefault(params.version, time.perf_counter())
        self.counts[params.version] = len(params.diagnostics)

    async def wait(self, version: int, timeout: float = 120.0) -> float:
        deadline = time.perf_counter() + timeout
        while version not in self.arrived:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no diagnostics for version {version}")
            await asyncio.sleep(0.001)
        return self.arrived[version]


async def measure(path: Path, bursts: int) -> tuple[list[float], list[float], list[int | None]]:
    bench = Bench()
    client = bench.client
    await client.start_io(CONSOLE, "server", cwd=str(path.parent))
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=path.parent.as_uri(),
        )
    )
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    await bench.wait(1)
    lines = text.split("\n")
    # Type into entries spread over the document (list items with a description).
    targets = [i for i, line in enumerate(lines) if line.startswith("- [") and " - " in line]
    step = max(1, len(targets) // (bursts + 1))
    assert client._server is not None
    pid = client._server.pid
    version = 1
    latencies = []
    cpu = []
    for b in range(bursts):
        line = targets[(b + 1) * step % len(targets)]
        column = len(lines[line])
        for k in range(BURST):
            version += 1
            at = lsp.Position(line=line, character=column + k)
            client.text_document_did_change(
                lsp.DidChangeTextDocumentParams(
                    text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    content_changes=[
                        lsp.TextDocumentContentChangePartial(
                            range=lsp.Range(start=at, end=at), text="x"
                        )
                    ],
                )
            )
            last = time.perf_counter()
            if k == BURST - 1:
                cpu_before = cpu_seconds(pid)
            if k < BURST - 1:
                await asyncio.sleep(KEYSTROKE)
        lines[line] += "x" * BURST
        arrived = await bench.wait(version)
        latencies.append(arrived - last)
        cpu.append(cpu_seconds(pid) - cpu_before)
        await asyncio.sleep(PAUSE)
    # Within a burst the debounce holds linting back: only each burst's last version (and
    # the opened one) should have been published.
    ends = {1 + BURST * (b + 1) for b in range(bursts)}
    extra = sorted(v for v in bench.arrived if v not in ends and v != 1)
    await client.shutdown_session()
    await client.stop()
    return latencies, cpu, extra


def in_process(path: Path, edits: int) -> dict[str, float]:
    """CPU seconds per lint (medians) of a version one character longer than the last,
    without the server, collector paused: the whole document parsed and checked (what
    ``listlint check`` does), only the touched piece parsed again but every rule run on the
    whole document (the server before it checked pieces), and as the server does: only the
    touched piece parsed and checked again, the document rules on views joined from the
    pieces' (``listlint.server.composed``); "new line": the server, when each edit adds a
    line (every piece below moves)."""
    import gc

    from listlint.api import lint_text
    from listlint.document import Document
    from listlint.server import features
    from listlint.server.incremental import Lints, Pieces

    setups = features.Setups()
    job = setups.for_folder(path.parent).job
    original = path.read_text(encoding="utf-8").split("\n")
    times: dict[str, list[float]] = {}
    gc.disable()
    try:
        for kind in ("whole", "parse", "server", "new line"):
            lines = list(original)
            pieces = Pieces()
            lints = Lints()
            previous: Any = None
            for i in range(edits + 1):
                at = (len(lines) // (edits + 2)) * (i + 1)
                lines[at] += "\nx" if kind == "new line" else "x"
                text = "\n".join(lines)
                if previous is not None:
                    previous.release()
                began = time.process_time()
                if kind == "whole":
                    previous = lint_text(text, job, str(path)).document
                elif kind == "parse":
                    previous = Document(text, str(path))
                    previous.__dict__["tokens"] = pieces.tokens(text)
                    features.lint_rules(previous, job, lambda: False)
                else:
                    previous = features.lint_snapshot(
                        setups, path.as_uri(), i, text, str(path), None, lints
                    )
                times.setdefault(kind, []).append(time.process_time() - began)
            if previous is not None:
                previous.release()
    finally:
        gc.enable()
    # The first lint of the pieces parses and checks everything: not what typing costs.
    return {kind: statistics.median(t[1:]) for kind, t in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, action="append")
    parser.add_argument("--bursts", type=int, default=15)
    args = parser.parse_args()
    sizes = args.entries or [1000, 10000]
    limits = {1000: 0.200, 10000: 0.600}
    print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        for entries in sizes:
            path = catalog(entries, Path(tmp))
            load = os.getloadavg()[0]
            latencies, cpu, extra = asyncio.run(measure(path, args.bursts))
            load = (load + os.getloadavg()[0]) / 2
            ms = [x * 1000 for x in latencies]
            q = statistics.quantiles(ms, n=10) if len(ms) > 1 else ms
            limit = limits.get(entries)
            cost = in_process(path, 5)
            print(
                f"{entries} entries, in process, CPU per lint: whole document "
                f"{cost['whole'] * 1000:.0f} ms; touched piece parsed again "
                f"{cost['parse'] * 1000:.0f} ms; as the server does "
                f"{cost['server'] * 1000:.0f} ms ({cost['new line'] * 1000:.0f} ms when the "
                "edit adds a line)"
            )
            print(
                f"{entries} entries: median {statistics.median(ms):.0f} ms, "
                f"p90 {q[-1]:.0f} ms, max {max(ms):.0f} ms over {len(ms)} bursts"
                + (f" (goal {limit * 1000:.0f} ms)" if limit else "")
                + f"; server CPU from the last keystroke: median "
                f"{statistics.median(cpu) * 1000:.0f} ms"
                + (f"; versions published mid-burst: {extra}" if extra else "")
                + f"; load average {load:.1f}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
