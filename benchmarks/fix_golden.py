#!/usr/bin/env python3
"""Record what ``listlint fix`` makes of the corpus and the benchmark inputs, or compare
with a recording: an optimisation of the fix must leave every byte as it was.

    python benchmarks/fix_golden.py record DIR   # before a change
    python benchmarks/fix_golden.py compare DIR  # after it: exit 1 on any difference

For each input: the fixed text (``fix -``, stdin to stdout) with its findings on stderr and
exit status, and ``fix --diff`` (the diff and what would remain), with the default rules and
with ``--extend-select table-format``. Inputs: every ``../shared/corpus/*.md``, and the
benchmark's 10,000-entry catalog, its misaligned copy and the dirty one (made as
``bench.py`` makes them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402

VARIANTS = {"default": [], "tables": ["--extend-select", "table-format"]}


def inputs(work: Path) -> list[Path]:
    out = sorted((SHARED / "corpus").glob("*.md"))
    big = bench.generate(work, 10_000)
    out += [big, bench.misaligned(big), bench.generate(work, 10_000, defects=0.05)]
    return out


def outputs(path: Path, cwd: Path) -> dict[str, str]:
    data = path.read_bytes()
    out: dict[str, str] = {}
    for variant, extra in VARIANTS.items():
        base = [sys.executable, "-m", "listlint", "fix", "--no-cache", *extra]
        runs = {
            "stdin": subprocess.run([*base, "-"], input=data, capture_output=True, cwd=cwd),
            "diff": subprocess.run([*base, "--diff", str(path)], capture_output=True, cwd=cwd),
        }
        for kind, proc in runs.items():
            key = f"{variant}/{kind}"
            out[key + "/stdout"] = hashlib.sha256(proc.stdout).hexdigest()
            out[key + "/stderr"] = hashlib.sha256(proc.stderr).hexdigest()
            out[key + "/rc"] = str(proc.returncode)
            (cwd / f"{path.name}.{variant}.{kind}.out").write_bytes(proc.stdout)
            (cwd / f"{path.name}.{variant}.{kind}.err").write_bytes(proc.stderr)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=("record", "compare"))
    parser.add_argument("dir", type=Path)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    work = args.dir / "inputs"
    work.mkdir(exist_ok=True)
    found: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="listlint-golden-") as tmp:
        cwd = Path(tmp) if args.mode == "compare" else args.dir
        for path in inputs(work):
            found[path.name] = outputs(path, cwd)
            print(path.name, flush=True)
        record = args.dir / "golden.json"
        if args.mode == "record":
            record.write_text(json.dumps(found, indent=1, sort_keys=True))
            return
        expected = json.loads(record.read_text())
        bad = [
            f"{name} {key}"
            for name, keys in expected.items()
            for key, value in keys.items()
            if found.get(name, {}).get(key) != value
        ]
        for line in bad:
            print("DIFFERENT:", line)
        if bad:
            for line in bad:  # keep the new outputs beside the recorded ones
                name, key = line.split(" ")
                variant, kind, _ = key.split("/")
                for ext in ("out", "err"):
                    src = cwd / f"{name}.{variant}.{kind}.{ext}"
                    src.replace(args.dir / f"{name}.{variant}.{kind}.{ext}.new")
            raise SystemExit(1)
        print("all identical")


if __name__ == "__main__":
    main()
