#!/usr/bin/env python3
"""Benchmark listlint against the parser's own floor and the peers that are installed.

    python benchmarks/bench.py            # full run (100, 10k, 100k entries, the corpus)
    python benchmarks/bench.py --quick    # small inputs only

Every command runs as a whole process (start-up included), the tools in alternation, and
the table shows the median of N runs (at least 15 for inputs under 100 kB), peak memory,
and the ratio to "markdown-it-py parse only". Inputs come from
../shared/bench/gen_catalog.py. Peers run when present: mdformat and pymarkdown (Python),
markdownlint-cli2 and remark-lint through npx when installed locally in node_modules
(`npm install --no-save markdownlint-cli2 remark-cli remark-preset-lint-recommended`; no
download is attempted by the harness). `--quick` takes about a minute without the peers,
three to four with them.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PY = sys.executable
PARSE_ONLY = (
    "import sys\nfrom markdown_it import MarkdownIt\n"
    "md = MarkdownIt('commonmark').enable('table')\n"
    "for p in sys.argv[1:]:\n    md.parse(open(p, encoding='utf-8').read())\n"
)


SMALL = 100_000  # bytes: inputs this small are measured SMALL_ROUNDS times at least
SMALL_ROUNDS = 15
PEERS_UP_TO = 5_000_000  # bytes: the 100,000-entry catalog (14 MB) runs listlint only
NODE_TOOLS = ("markdownlint-cli2", "remark-lint")


def generate(folder: Path, entries: int, defects: float = 0.0) -> Path:
    out = folder / f"catalog-{entries}{'-dirty' if defects else ''}.md"
    if not out.exists():
        args = [PY, str(SHARED / "bench" / "gen_catalog.py"), "--entries", str(entries)]
        if defects:
            args += ["--defects", str(defects)]
        with out.open("w") as f:
            subprocess.run(args, stdout=f, stderr=subprocess.DEVNULL, check=True)
    return out


def misaligned(source: Path) -> Path:
    """The catalog with every table row's padding disturbed: every table needs formatting."""
    out = source.with_name(source.stem + "-misaligned.md")
    rng = random.Random(1)
    lines = []
    for line in source.read_text(encoding="utf-8").split("\n"):
        if line.startswith("| ") and not line.startswith(("| ---", "|---")):
            pad = " " * rng.randint(1, 3) + "|" + " " * rng.randint(1, 2)
            line = line.replace(" | ", pad, 2)
        lines.append(line)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


def measure(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one process, run in ``cwd`` (a folder
    without a listlint configuration, like most lists' repositories)."""
    start = time.perf_counter()
    # As on a user's machine, modules are loaded from their cached bytecode; with
    # PYTHONDONTWRITEBYTECODE set (as on this workplace's machines) every run would compile
    # listlint's source again and measure that instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss


def fix_copies(files: list[Path], work: Path) -> list[tuple[Path, Path]]:
    """(original, copy) pairs: ``listlint fix`` rewrites the copies, restored before each run."""
    return [(f, work / "fix" / f.name) for f in files]


def restore(pairs: list[tuple[Path, Path]]) -> None:
    for original, copy in pairs:
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(original, copy)


def tools(files: list[Path], work: Path) -> dict[str, list[str] | None]:
    paths = [str(f) for f in files]
    listlint = [PY, "-m", "listlint"]
    copies = [str(copy) for _, copy in fix_copies(files, work)]
    out: dict[str, list[str] | None] = {
        "markdown-it-py parse only": [PY, "-c", PARSE_ONLY, *paths],
        "listlint check": [*listlint, "check", "--quiet", "--exit-zero", "--no-cache", *paths],
        "listlint check --jobs 1": [
            *listlint,
            "check",
            "--quiet",
            "--exit-zero",
            "--no-cache",
            "-j",
            "1",
            *paths,
        ],
        "listlint check, cached": [*listlint, "check", "--quiet", "--exit-zero", *paths],
        "listlint fix --diff": [*listlint, "fix", "--diff", "--quiet", "--exit-zero", *paths],
        "listlint fix": [*listlint, "fix", "--quiet", "--exit-zero", "--no-cache", *copies],
    }
    size = sum(f.stat().st_size for f in files)
    if size > PEERS_UP_TO:
        return out  # the peers take minutes there (see RESULTS.md); listlint's own scaling
    if shutil.which("mdformat"):
        out["mdformat --check"] = ["mdformat", "--check", *paths]
    # pymarkdown takes minutes on the larger inputs (180x the parse on 10k entries).
    if shutil.which("pymarkdown") and size < 1_000_000:
        out["pymarkdown scan"] = ["pymarkdown", "scan", *paths]
    npx = shutil.which("npx")
    if npx and (ROOT / "node_modules" / ".bin" / "markdownlint-cli2").exists():
        out["markdownlint-cli2"] = [npx, "--no-install", "markdownlint-cli2", *paths]
    if npx and (ROOT / "node_modules" / ".bin" / "remark").exists():
        out["remark-lint"] = [
            npx,
            "--no-install",
            "remark",
            "--quiet",
            "--frail",
            "--use",
            "remark-preset-lint-recommended",
            "--no-stdout",
            *paths,
        ]
    return out


def run(label: str, files: list[Path], repeat: int, work: Path) -> list[str]:
    commands = tools(files, work)
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    if sum(f.stat().st_size for f in files) < SMALL:
        # A run of a tenth of a second varies by 10-20% from one process to the next: more
        # rounds, so that the median holds still.
        repeat = max(repeat, SMALL_ROUNDS)
    for _ in range(repeat):  # in alternation, so drift hits every tool alike
        for name, cmd in commands.items():
            if cmd is not None:
                if name == "listlint fix":
                    restore(fix_copies(files, work))
                # npx finds the locally installed peers from the repository only.
                cwd = ROOT if name in NODE_TOOLS else work
                samples[name].append(measure(cmd, cwd))
    floor_t = statistics.median(t for t, _ in samples["markdown-it-py parse only"])
    floor_m = statistics.median(m for _, m in samples["markdown-it-py parse only"])
    rows = []
    for name, got in samples.items():
        t = statistics.median(x for x, _ in got)
        m = statistics.median(x for _, x in got)
        rows.append(
            f"| {label} | {name} | {t:.2f} s | {t / floor_t:.2f}x | {m / 1024:.0f} MiB | "
            f"{m / floor_m:.2f}x |"
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small inputs, 3 runs each")
    ap.add_argument("--repeat", type=int, default=0, help="runs per command (default 5)")
    args = ap.parse_args()
    repeat = args.repeat or (3 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="listlint-bench-"))
    sizes = [100, 10_000] if args.quick else [100, 10_000, 100_000]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; median of {repeat}"
    )
    print("| input | command | time | vs parse | peak memory | vs parse |")
    print("| --- | --- | --- | --- | --- | --- |")
    for n in sizes:
        for row in run(f"{n} entries", [generate(work, n)], repeat, work):
            print(row, flush=True)
    corpus = sorted((SHARED / "corpus").glob("*.md"))
    if corpus:
        for row in run(f"corpus ({len(corpus)} files)", corpus, repeat, work):
            print(row, flush=True)
    tables = misaligned(generate(work, 2_000 if args.quick else 10_000))
    for row in run("every table misaligned", [tables], repeat, work):
        print(row, flush=True)
    dirty = generate(work, 2_000 if args.quick else 10_000, defects=0.05)
    for row in run("dirty catalog, fix", [dirty], repeat, work):
        print(row, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
