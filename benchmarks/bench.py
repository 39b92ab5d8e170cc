#!/usr/bin/env python3
"""Benchmark listlint against its parser's floor and against rumdl, a Rust linter.

    python benchmarks/bench.py                      # full run (about 15 minutes)
    python benchmarks/bench.py --quick              # 100, 1,000, 10,000 entries, 3 runs
    python benchmarks/bench.py --inputs 10000,corpus --only check   # a focused look

The floor is markdown-it-py's block-only parse with exactly listlint's parser
configuration (``listlint.document._block_parser``; the harness checks that the two agree
before measuring), in a process of its own: listlint cannot check a file without parsing
it once. The full parse (inline included, listlint's other parser) is the second
reference. rumdl (``pip install rumdl``, or ``pip install -e '.[bench]'``) runs on every
input, with its default rules and with the table / fragment / table-of-contents subset
(MD056, MD060, MD051, MD073), from a folder without configuration (``--no-config``) and
without its cache (``--no-cache``, as listlint's ``--no-cache``).

Every command is a whole process (start-up included), the commands of one input run in
alternation (so drift on a shared machine hits all of them alike), and the tables show
the median of N runs and peak resident memory. Inputs: ../shared/bench/gen_catalog.py
(100 to 100,000 entries; "every table misaligned": the 10,000-entry catalog with every
table row's padding disturbed; "dirty catalog": defects injected into 5% of its
entries) and every file of ../shared/corpus in one call. At the end: the goals of
issue 18 (met or not, with the numbers) and the growth from 1,000 to 100,000 entries.
"""

from __future__ import annotations

import argparse
import json
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

# The two parsers, written as listlint writes them (checked against listlint at start).
BLOCK_PARSER = (
    "MarkdownIt('commonmark', {'maxNesting': 40}).enable('table').disable(['inline', 'text_join'])"
)
FULL_PARSER = "MarkdownIt('commonmark', {'maxNesting': 40}).enable('table')"
# Read as listlint reads (bytes, decoded; no newline translation), parse without the BOM.
PARSE_SCRIPT = (
    "import sys\nfrom markdown_it import MarkdownIt\nmd = {parser}\n"
    "for p in sys.argv[1:]:\n"
    "    with open(p, 'rb') as f:\n        t = f.read().decode('utf-8')\n"
    "    md.parse(t[1:] if t.startswith('\\ufeff') else t)\n"
)
FLOOR = "block-only parse (floor)"
FULL = "full parse (inline too)"
RUMDL = "rumdl check (default rules)"
RUMDL_SUBSET = "rumdl check MD056,MD060,MD051,MD073"
RUMDL_FIX = "rumdl check --fix MD056,MD060,MD051,MD073"
SUBSET = "MD056,MD060,MD051,MD073"

SMALL = 100_000  # bytes: inputs this small are measured SMALL_ROUNDS times at least
SMALL_ROUNDS = 15
LARGE = 5_000_000  # bytes: the 100,000-entry catalog (14 MB) runs LARGE_ROUNDS times
LARGE_ROUNDS = 3


def check_parsers() -> None:
    """Stop if the floor's parser is not listlint's: a floor with other settings measures
    something else."""
    sys.path.insert(0, str(ROOT / "src"))
    from markdown_it import MarkdownIt

    from listlint import document

    for ours, theirs in ((BLOCK_PARSER, document._block_parser()), (FULL_PARSER, None)):
        md = eval(ours, {"MarkdownIt": MarkdownIt})
        ref = theirs if theirs is not None else document._full_parser()
        if md.get_active_rules() != ref.get_active_rules() or dict(md.options) != dict(ref.options):
            raise SystemExit(f"bench.py: {ours} is not listlint's parser configuration")


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


TIME = shutil.which("time", path="/usr/bin:/bin")


def measure(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one process, run in ``cwd`` (a folder
    without any configuration, like most lists' repositories)."""
    # As on a user's machine, modules are loaded from their cached bytecode; with
    # PYTHONDONTWRITEBYTECODE set (as on this workplace's machines) every run would compile
    # listlint's source again and measure that instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # A process forked from this one starts its peak memory count at this process's size
    # (Linux keeps the high-water mark across exec): GNU time, a small program, starts the
    # command instead and reports the command's own peak.
    memfile = cwd.parent / "maxrss"
    wrapped = [TIME, "-f", "%M", "-o", str(memfile), *cmd] if TIME else cmd
    start = time.perf_counter()
    proc = subprocess.Popen(
        wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start - OVERHEAD[0]
    if TIME:
        return elapsed, int(memfile.read_text().split()[-1])
    return elapsed, usage.ru_maxrss


OVERHEAD = [0.0]  # seconds that starting a command through GNU time adds


def calibrate(cwd: Path) -> None:
    """Measure what the wrapper adds (``time true`` against ``true``), to subtract it."""
    if not TIME:
        return
    true = shutil.which("true") or "/bin/true"
    direct, wrapped = [], []
    for _ in range(21):
        start = time.perf_counter()
        subprocess.run([true], check=True)
        direct.append(time.perf_counter() - start)
        wrapped.append(measure([true], cwd)[0])
    OVERHEAD[0] = max(0.0, statistics.median(wrapped) - statistics.median(direct))


def rumdl() -> str | None:
    found = shutil.which("rumdl") or shutil.which("rumdl", path=str(Path(PY).parent))
    return found


def commands(kind: str, files: list[Path], work: Path) -> dict[str, list[str]]:
    """What runs on one input. ``kind``: catalog, corpus, fix (an input made to be fixed),
    tables (made for table-format, an opt-in rule: selected on top of the defaults)."""
    paths = [str(f) for f in files]
    copies = [str(work / "fix" / f.name) for f in files]
    listlint = [PY, "-m", "listlint"]
    # table-format is opt-in: the input made for it selects it on top of the defaults.
    extra = ["--extend-select", "table-format"] if kind == "tables" else []
    check = [*listlint, "check", *extra, "--quiet", "--exit-zero"]
    out = {
        FLOOR: [PY, "-c", PARSE_SCRIPT.format(parser=BLOCK_PARSER), *paths],
        FULL: [PY, "-c", PARSE_SCRIPT.format(parser=FULL_PARSER), *paths],
    }
    peer = rumdl()
    if peer:
        base = [peer, "check", "--no-config", "--no-cache", "--color", "never"]
        out[RUMDL] = [*base, *paths]
        out[RUMDL_SUBSET] = [*base, "--enable", SUBSET, *paths]
        if kind in ("fix", "tables"):
            out[RUMDL_FIX] = [*base, "--fix", "--enable", SUBSET, *copies]
    out["listlint check"] = [*check, "--no-cache", *paths]
    if kind == "corpus":
        out["listlint check --jobs 1"] = [*check, "--no-cache", "--jobs", "1", *paths]
    if kind == "catalog" or kind == "corpus":
        out["listlint check, cached"] = [*check, *paths]
    fix = [*listlint, "fix", *extra, "--quiet", "--exit-zero"]
    out["listlint fix --diff"] = [*fix, "--diff", *paths]
    out["listlint fix"] = [*fix, "--no-cache", *copies]
    return out


def restore(files: list[Path], work: Path) -> None:
    (work / "fix").mkdir(exist_ok=True)
    for f in files:
        shutil.copyfile(f, work / "fix" / f.name)


def run(
    kind: str, files: list[Path], repeat: int, work: Path, only: list[str]
) -> dict[str, tuple[float, int]]:
    """Median time and memory of each command on one input."""
    cmds = commands(kind, files, work)
    if only:
        cmds = {n: c for n, c in cmds.items() if n == FLOOR or any(o in n for o in only)}
    size = sum(f.stat().st_size for f in files)
    if size < SMALL:
        # A run of a tenth of a second varies by 10-20% from one process to the next: more
        # rounds, so that the median holds still.
        repeat = max(repeat, SMALL_ROUNDS)
    elif size > LARGE:
        repeat = min(repeat, LARGE_ROUNDS)
    cwd = work / "cwd"  # no configuration here or above (a temporary folder)
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in cmds}
    for _ in range(repeat):
        for name, cmd in cmds.items():
            if cmd[-1].startswith(str(work / "fix")):  # it rewrites its copies
                restore(files, work)
            samples[name].append(measure(cmd, cwd))
    return {
        name: (statistics.median(t for t, _ in got), int(statistics.median(m for _, m in got)))
        for name, got in samples.items()
    }


def table(label: str, got: dict[str, tuple[float, int]]) -> list[str]:
    floor_t, floor_m = got[FLOOR]
    peer = got.get(RUMDL, (0.0, 0))[0]
    rows = []
    for name, (t, m) in got.items():
        vs_peer = f"{t / peer:.1f}x" if peer else "-"
        rows.append(
            f"| {label} | {name} | {t:.3f} s | {t / floor_t:.2f}x | {vs_peer} | "
            f"{m / 1024:.0f} MiB | {m / floor_m:.2f}x |"
        )
    return rows


def goals(results: dict[str, dict[str, tuple[float, int]]]) -> list[str]:
    """Issue 18's goals against this run's medians."""

    def ratio(label: str, name: str, memory: bool = False) -> float | None:
        got = results.get(label, {})
        if name not in got or FLOOR not in got:
            return None
        i = 1 if memory else 0
        return got[name][i] / got[FLOOR][i]

    corpus = next((k for k in results if k.startswith("corpus")), "corpus")
    wanted = [
        ("`check`, 10,000 entries", ratio("10000 entries", "listlint check"), 1.3),
        ("`check`, the corpus in one call", ratio(corpus, "listlint check"), 1.3),
        ("`check --jobs 1`, the corpus", ratio(corpus, "listlint check --jobs 1"), 1.3),
        ("start-up: `check`, 100 entries", ratio("100 entries", "listlint check"), 1.2),
        ("`fix`, every table misaligned", ratio("every table misaligned", "listlint fix"), 1.6),
        ("`fix`, dirty catalog", ratio("dirty catalog", "listlint fix"), 2.0),
    ]
    for label in ("10000 entries", "100000 entries", corpus):
        wanted.append((f"peak memory, `check`, {label}", ratio(label, "listlint check", True), 1.3))
    rows = ["| goal | at most | measured | met |", "| --- | --- | --- | --- |"]
    for text, value, bound in wanted:
        if value is not None:
            ok = "yes" if value <= bound else "**no**"
            rows.append(f"| {text} | {bound:.1f}x the floor | {value:.2f}x | {ok} |")
    return rows


def growth(results: dict[str, dict[str, tuple[float, int]]]) -> list[str]:
    """Cost per 1,000 entries beyond start-up (the 100-entry run), at each size."""
    sizes = [n for n in (1_000, 10_000, 100_000) if f"{n} entries" in results]
    if "100 entries" not in results or len(sizes) < 2:
        return []
    rows = [
        "| command | " + " | ".join(f"{n:,} entries" for n in sizes) + " | largest / smallest |",
        "| --- | " + " | ".join("---" for _ in sizes) + " | --- |",
    ]
    for name in (FLOOR, FULL, RUMDL, "listlint check", "listlint fix"):
        base = results["100 entries"].get(name)
        if base is None or any(name not in results[f"{n} entries"] for n in sizes):
            continue
        per = [(results[f"{n} entries"][name][0] - base[0]) / (n - 100) * 1000 for n in sizes]
        cells = " | ".join(f"{p * 1000:.1f} ms" for p in per)
        rows.append(f"| {name} | {cells} | {per[-1] / per[0]:.2f}x |")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="100 to 10,000 entries, 3 runs each")
    ap.add_argument("--repeat", type=int, default=0, help="runs per command (default 5)")
    ap.add_argument(
        "--inputs",
        default="",
        help="comma-separated: 100,1000,10000,100000,corpus,misaligned,dirty (default: all)",
    )
    ap.add_argument("--only", default="", help="comma-separated parts of command names")
    ap.add_argument("--json", type=Path, help="also write the medians to this file")
    args = ap.parse_args()
    check_parsers()
    repeat = args.repeat or (3 if args.quick else 5)
    work = Path(tempfile.mkdtemp(prefix="listlint-bench-"))
    (work / "cwd").mkdir()
    calibrate(work / "cwd")
    sizes = [100, 1_000, 10_000] if args.quick else [100, 1_000, 10_000, 100_000]
    chosen = set(filter(None, args.inputs.split(",")))
    only = list(filter(None, args.only.split(",")))
    big = 2_000 if args.quick else 10_000
    corpus = sorted((SHARED / "corpus").glob("*.md"))
    inputs: list[tuple[str, str, str, list[Path]]] = [
        (str(n), f"{n} entries", "catalog", [generate(work, n)]) for n in sizes
    ]
    if corpus:
        inputs.append(("corpus", f"corpus ({len(corpus)} files)", "corpus", corpus))
    inputs.append(
        ("misaligned", "every table misaligned", "tables", [misaligned(generate(work, big))])
    )
    inputs.append(("dirty", "dirty catalog", "fix", [generate(work, big, defects=0.05)]))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; median of {repeat} (at least {SMALL_ROUNDS} under "
        f"{SMALL // 1000} kB, at most {LARGE_ROUNDS} over {LARGE // 1_000_000} MB); "
        f"rumdl: {rumdl() or 'not installed'}; start-up of GNU time subtracted: "
        f"{OVERHEAD[0] * 1000:.1f} ms"
    )
    print("| input | command | time | vs floor | vs rumdl | peak memory | vs floor |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    results: dict[str, dict[str, tuple[float, int]]] = {}
    for key, label, kind, files in inputs:
        if chosen and key not in chosen:
            continue
        results[label] = run(kind, files, repeat, work, only)
        for row in table(label, results[label]):
            print(row, flush=True)
    print()
    print("\n".join(goals(results)))
    rows = growth(results)
    if rows:
        print("\nCost per 1,000 entries beyond start-up (the 100-entry run):\n")
        print("\n".join(rows))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
