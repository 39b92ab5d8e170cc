#!/usr/bin/env python3
"""Adversarial inputs: does any input make listlint slow or make it crash?

    python benchmarks/adversarial.py            # ~1 MB inputs (and one 10 MB line)
    python benchmarks/adversarial.py --scale 0.1

Each input is checked (``listlint check``) in a fresh process; the time is compared with
listlint's time on a normal synthetic catalog of the same size, and with the
time markdown-it-py alone takes to parse that same input (some inputs are slow for the
parser itself: listlint cannot be faster than parsing once per fix pass). An input passes
when it is within BOUND of the normal catalog, or within PARSER_BOUND of the parser's own
time on it; a crash (exit code other than 0, 1, 2, or a traceback) or a timeout fails.
``listlint fix --diff`` is run and timed too (it must not crash; it parses once per fix
pass). This is a script, not a timed test: timings belong in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BOUND = 5.0  # times listlint's time on a normal catalog of the same size
PARSER_BOUND = 1.5  # times the parser's own time on the same input
PARSE_ONLY = (
    "import sys\nfrom markdown_it import MarkdownIt\n"
    "MarkdownIt('commonmark').enable('table').parse(open(sys.argv[1]).read())"
)


def inputs(size: int) -> dict[str, str]:
    n = size
    row = "| a " * 1 + "|\n"
    return {
        "nested brackets": "[" * (n // 2) + "x" + "]" * (n // 2),
        "unclosed brackets": "[a](" * (n // 4),
        "backticks": "".join("`" * (i % 7 + 1) + "x" for i in range(n // 5)),
        "angle brackets": "<a" * (n // 2),
        "pipes": "|" * n,
        "emphasis": "*_" * (n // 2),
        "deep list": "".join("  " * i + "- x\n" for i in range(min(3000, n // 400))) * 4,
        "deep block quotes": (">" * 2000 + " x\n") * (n // 2000),
        "table with 100,000 columns": "|"
        + "a|" * 100_000
        + "\n|"
        + "-|" * 100_000
        + "\n"
        + "|"
        + "b|" * 100_000
        + "\n",
        "table with 100,000 rows": "| a | b |\n|---|---|\n" + row * 100_000,
        "one 10 MB line": "word https://example.com/x [l](u) `c` " * (10_000_000 // 38),
        "many links": "- [x](https://example.com/a) [y](https://e.org/b)\n" * (n // 50),
        "many definitions": "".join(f"[l{i}]: https://e.org/{i}\n" for i in range(n // 25)),
        "arxiv ids": "arXiv:2401.00001 " * (n // 17),
        "html comments": "<!-- " * (n // 5),
        "code fences": "```\n" * (n // 4),
        "crlf and nul": ("a\r\n\x00|b\r|\n") * (n // 8),
    }


def normal(size: int, folder: Path) -> Path:
    entries = max(10, size // 140)
    out = folder / "normal.md"
    with out.open("w") as f:
        subprocess.run(
            [sys.executable, str(SHARED / "bench" / "gen_catalog.py"), "--entries", str(entries)],
            stdout=f,
            stderr=subprocess.DEVNULL,
            check=True,
        )
    return out


def run(path: Path, timeout: float, how: str = "check") -> tuple[float, int, str]:
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "listlint", how, "--quiet", "--exit-zero", "--no-cache", str(path)]
    if how == "fix":
        cmd.insert(4, "--diff")
    if how == "parse":
        cmd = [sys.executable, "-c", PARSE_ONLY, str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return timeout, -1, "timeout"
    return time.perf_counter() - start, proc.returncode, proc.stderr[-300:]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="input size in MB (default 1)")
    args = ap.parse_args()
    size = int(args.scale * 1_000_000)
    folder = Path(tempfile.mkdtemp(prefix="listlint-adversarial-"))
    failures = 0
    print(
        "| input | size | listlint check | normal catalog, same size | ratio | "
        "parser alone on it | ratio | listlint fix --diff | result |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    baselines: dict[int, float] = {}
    for name, text in inputs(size).items():
        path = folder / "input.md"
        path.write_text(text, encoding="utf-8")
        bucket = max(100_000, round(len(text), -5))
        if bucket not in baselines:
            baselines[bucket] = run(normal(bucket, folder), 600)[0]
        base = baselines[bucket]
        elapsed, code, err = run(path, max(120.0, base * BOUND * 4))
        fixed, fix_code, fix_err = run(path, max(120.0, base * BOUND * 12), "fix")
        parser, parser_code, _ = run(path, 600, "parse")
        ratio, parser_ratio = elapsed / base, elapsed / parser
        fast = ratio <= BOUND or parser_ratio <= PARSER_BOUND
        crashed = "Traceback" in err + fix_err or not {code, fix_code} <= {0, 1, 2}
        ok = fast and not crashed
        failures += not ok
        result = "ok" if ok else f"FAIL (exit {code}/{fix_code}) {err.strip()[-200:]}"
        note = "" if parser_code == 0 else " (parser fails)"
        print(
            f"| {name} | {len(text) / 1e6:.1f} MB | {elapsed:.2f} s | {base:.2f} s | "
            f"{ratio:.2f}x | {parser:.2f} s{note} | {parser_ratio:.2f}x | {fixed:.2f} s | "
            f"{result} |",
            flush=True,
        )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
