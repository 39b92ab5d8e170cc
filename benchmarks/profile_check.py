#!/usr/bin/env python3
"""Where ``listlint check`` spends its time on one file: per view, per rule, per function.

    python benchmarks/profile_check.py catalog.md          # views and rules, ms (median of 3)
    python benchmarks/profile_check.py catalog.md --top 25 # and cProfile's top functions
    python benchmarks/profile_check.py catalog.md --fix --top 25 # cProfile of `fix` instead

Times are CPU time of this process (``time.process_time``): on a shared machine, wall
time also counts the waits for a CPU. In one process, with the default rules and no
configuration, as ``listlint check`` runs them (the cyclic garbage collector paused, as
the command line does). The document is built anew for each round and every memo of
listlint's modules is cleared, so each round costs what a fresh process would. Views are
the document's cached properties (every one, in the order the class defines them; one
whose parts another view built first costs less, and the parts a step built are listed
with it); what a rule builds for itself is counted in the rule.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import tempfile
import time
from functools import cached_property
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from listlint.api import load_job
from listlint.document import Document
from listlint.lint import to_diagnostics
from listlint.runner import check_text, fix_text, read


def clear_memos() -> None:
    for name, module in list(sys.modules.items()):
        if name.startswith("listlint"):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


def views() -> list[str]:
    names = [n for n, v in vars(Document).items() if isinstance(v, cached_property)]
    return ["tokens", *[n for n in names if n != "tokens"]]


def one_round(text: str, path: str, job: object) -> dict[str, tuple[float, str]]:
    clear_memos()
    out: dict[str, tuple[float, str]] = {}
    start = time.process_time()
    doc = Document(text, path)
    out["line index (Document())"] = (time.process_time() - start, "")

    def step(label: str, work: object) -> object:
        before = set(doc.__dict__)
        start = time.process_time()
        result = work() if callable(work) else None
        took = time.process_time() - start
        built = sorted(set(doc.__dict__) - before - {label.split()[-1]})
        out[label] = (took, ", ".join(built))
        return result

    for name in views():
        step(f"view {name}", lambda name=name: getattr(doc, name))
    rules, options = job.rules, job.options  # type: ignore[attr-defined]
    lint_cost = 0.0
    for rule in rules:
        found = step(
            f"rule {rule.name}", lambda rule=rule: list(rule.check(doc, options[rule.name]))
        )
        start = time.process_time()
        to_diagnostics(doc, rule, found or [], doc.suppressions)  # type: ignore[arg-type]
        lint_cost += time.process_time() - start
    out["findings to diagnostics (lint.py)"] = (lint_cost, "")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument(
        "--min", action="store_true", help="the fastest round, not the median (a busy machine)"
    )
    ap.add_argument("--top", type=int, default=0, help="cProfile: this many functions")
    ap.add_argument("--fix", action="store_true", help="cProfile `fix` instead of `check`")
    ap.add_argument("--sort", default="tottime", help="cProfile sort key (tottime, cumtime)")
    args = ap.parse_args()
    job, _ = load_job(Path(tempfile.mkdtemp(prefix="listlint-profile-")))
    text, _ = read(str(args.file))
    gc.disable()
    rounds = [one_round(text, str(args.file), job) for _ in range(args.rounds)]
    total = 0.0
    stat = "fastest" if args.min else "median"
    print(f"{args.file} ({len(text) / 1e6:.2f} MB), {stat} of {args.rounds} rounds\n")
    print("| step | ms | also built |\n| --- | --- | --- |")
    for label in rounds[0]:
        pick = min if args.min else statistics.median
        ms = pick(r[label][0] for r in rounds) * 1000
        total += ms
        print(f"| {label} | {ms:.1f} | {rounds[0][label][1]} |")
    print(f"| total | {total:.1f} | |")
    start = time.process_time()
    clear_memos()
    check_text(text, job, str(args.file))
    took = (time.process_time() - start) * 1000
    print(f"\n`check_text` as the command line calls it: {took:.1f} ms")
    if args.top:
        clear_memos()
        profiler = cProfile.Profile()
        work = fix_text if args.fix else check_text
        profiler.runcall(work, text, job, str(args.file))
        buf = io.StringIO()
        pstats.Stats(profiler, stream=buf).sort_stats(args.sort).print_stats(args.top)
        lines = buf.getvalue().splitlines()
        first = next(i for i, line in enumerate(lines) if "function calls" in line)
        root = str(Path(sys.prefix))
        print("\n```")
        print(
            "\n".join(
                line.replace(root + "/lib/python3.11/site-packages/", "")
                for line in lines[first:]
                if line.strip()
            )
        )
        print("```")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
