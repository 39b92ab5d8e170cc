#!/usr/bin/env python3
"""What the fix guard costs: ``listlint fix`` with the guard, against the same command with
the guard replaced by the bare fix loop (for this measurement only: the guard is never
skipped), on the 10,000-entry catalog, clean and with defects in 5% of its entries.

    python benchmarks/guard_cost.py [--runs 5]

Whole processes (start-up and cmark-gfm's import included), the two commands in
alternation on a fresh copy of the input each run, median of N runs, CPU time (user +
system) too, which other work on a shared machine blurs less.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_catalog.py"

WITH_GUARD = "import sys\nfrom listlint.cli import main\nsys.exit(main(sys.argv[1:]))\n"
WITHOUT_GUARD = (
    "import sys\nimport listlint.guard as g\nfrom listlint.fix import run_fixes\n"
    "def bare(text, lint, *, unsafe, declared, render=None):\n"
    "    run = run_fixes(text, lambda t: lint(t, None), unsafe=unsafe)\n"
    "    return g.Guarded(run, frozenset())\n"
    "g.guarded_fix = bare\n"
    "from listlint.cli import main\nsys.exit(main(sys.argv[1:]))\n"
)


def timed(script: str, source: Path, work: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one whole process (CPU time is
    steadier than the wall clock on a shared machine)."""
    shutil.copyfile(source, work)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", script, "fix", "--no-cache", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
        cwd=work.parent,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "listlint.toml").write_text("")
        inputs = {}
        for label, extra in (
            ("10,000 entries", []),
            ("10,000 entries, 5% defects", ["--defects", "0.05"]),
        ):
            path = tmp / f"input-{len(inputs)}.md"
            with path.open("wb") as f:
                subprocess.run(
                    [sys.executable, str(GEN), "--entries", "10000", *extra],
                    stdout=f,
                    stderr=subprocess.DEVNULL,
                    check=True,
                )
            inputs[label] = path
        print("| input | measure | fix without guard | fix with guard | guard's cost |")
        print("| --- | --- | --- | --- | --- |")
        for label, source in inputs.items():
            bare, guarded = [], []
            work = tmp / "work.md"
            for _ in range(args.runs):
                bare.append(timed(WITHOUT_GUARD, source, work))
                guarded.append(timed(WITH_GUARD, source, work))
            for k, measure in enumerate(("wall clock", "CPU")):
                b = statistics.median(t[k] for t in bare)
                g = statistics.median(t[k] for t in guarded)
                print(
                    f"| {label} | {measure} | {b:.2f} s | {g:.2f} s | {100 * (g - b) / b:+.1f}% |"
                )


if __name__ == "__main__":
    main()
