"""Differential campaign: findings and fixes of two listlint trees on the same inputs.

python benchmarks/qa_differential.py make-inputs DIR      build the inputs once
python benchmarks/qa_differential.py run TREE INPUTS OUT  run one tree (PYTHONPATH=TREE/src)
python benchmarks/qa_differential.py compare OUT_A OUT_B  say every difference

TREE is a checkout of listlint (a `git worktree add` of the commit to compare against, or
this one). Every tree runs under this Python (``QA_PYTHON`` to choose another): its
dependencies are the same, only ``TREE/src`` changes.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

PY = os.environ.get("QA_PYTHON", sys.executable)
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def gen(args: list[str]) -> str:
    return subprocess.run(
        [PY, str(SHARED / "bench/gen_catalog.py"), *args],
        capture_output=True,
        text=True,
        check=True,
        # keep \r\n when asked
    ).stdout


def mutate(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 12)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(14)
        ln = lines[i]
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, ln)
        elif op == 2:
            lines.insert(i, "")
        elif op == 3 and "|" in ln:
            k = [j for j, c in enumerate(ln) if c == "|"]
            j = rng.choice(k)
            lines[i] = ln[:j] + ln[j + 1 :]
        elif op == 4:
            lines[i] = "  " + ln
        elif op == 5:
            lines[i] = ln.lstrip()
        elif op == 6 and "](" in ln:
            lines[i] = ln.replace("](", "] (", 1)
        elif op == 7:
            lines[i] = ln + " | extra"
        elif op == 8:
            lines[i] = ln.replace("https://", "http://", 1)
        elif op == 9:
            lines[i] = "- " + ln
        elif op == 10:
            lines[i] = ln + "\r"
        elif op == 11:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 12:
            lines[i] = ln.replace("arxiv.org/abs/", "arxiv.org/pdf/", 1)
        elif op == 13:
            lines.insert(i, "| a | b |\n|---|---|\n| c |")
    return "\n".join(lines)


def make_inputs(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for p in sorted((SHARED / "corpus").glob("*.md")):
        shutil.copyfile(p, out / ("corpus__" + p.name))
    for p in sorted((SHARED / "seeds").glob("*.md")):
        shutil.copyfile(p, out / ("seed__" + p.name))
    for p in sorted((SHARED / "regressions/github-rendering").glob("*.md")):
        if p.name != "CASES.md":
            shutil.copyfile(p, out / ("regr__" + p.name))
    n = 0
    for entries in (30, 300, 3000):
        for seed in (1, 2):
            for defects in (0.0, 0.05, 0.3):
                for crlf in (False, True):
                    args = [
                        "--entries",
                        str(entries),
                        "--seed",
                        str(seed),
                        "--defects",
                        str(defects),
                    ]
                    if crlf:
                        args.append("--crlf")
                    data = subprocess.run(
                        [PY, str(SHARED / "bench/gen_catalog.py"), *args],
                        capture_output=True,
                        check=True,
                    ).stdout
                    name = f"gen_{entries}_{seed}_{defects}_{'crlf' if crlf else 'lf'}"
                    if seed == 2 and entries < 3000:
                        data = b"\xef\xbb\xbf" + data  # BOM
                        name += "_bom"
                    if seed == 2 and defects == 0.3:
                        data = data.rstrip(b"\r\n")  # no final newline
                        name += "_nofinal"
                    (out / (name + ".md")).write_bytes(data)
                    n += 1
    # mutants of corpus, seed and small catalogs
    rng = random.Random(18)
    bases = (
        sorted(out.glob("corpus__*.md"))
        + sorted(out.glob("seed__*.md"))
        + sorted(out.glob("gen_300_*.md"))
    )
    for k in range(60):
        b = rng.choice(bases)
        text = b.read_bytes().decode("utf-8", "surrogateescape")
        lines = text.split("\n")
        # a window keeps mutants small and diverse
        if len(lines) > 400:
            s = rng.randrange(len(lines) - 300)
            lines = lines[s : s + 300]
        t = mutate("\n".join(lines), rng)
        (out / f"mut_{k:03d}.md").write_bytes(t.encode("utf-8", "surrogateescape"))


def run(tree: Path, inputs: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    names = sorted(p.name for p in inputs.glob("*.md"))

    def ll(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([PY, "-m", "listlint", *args], cwd=cwd, env=env, capture_output=True)

    # check
    for tag, extra in (("default", []), ("all", ["--select", "ALL"])):
        for jobs in ("1", "2"):
            r = ll(
                ["check", "--no-cache", "--output-format", "json", "-j", jobs, *extra, *names],
                inputs,
            )
            (out / f"check_{tag}_j{jobs}.json").write_bytes(r.stdout)
            (out / f"check_{tag}_j{jobs}.rc").write_text(f"{r.returncode}\n{r.stderr.decode()}")
    # fix
    for tag, extra in (
        ("safe", []),
        ("unsafe", ["--unsafe-fixes"]),
        ("all", ["--select", "ALL"]),
        ("allunsafe", ["--select", "ALL", "--unsafe-fixes"]),
    ):
        work = out / f"fix_{tag}"
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(inputs, work)
        r = ll(["fix", "--no-cache", "--output-format", "json", *extra, *names], work)
        (out / f"fix_{tag}.json").write_bytes(r.stdout)
        (out / f"fix_{tag}.rc").write_text(f"{r.returncode}\n{r.stderr.decode()}")
        # idempotence: a second fix changes nothing
        before = {n: (work / n).read_bytes() for n in names}
        r2 = ll(["fix", "--no-cache", "--output-format", "json", *extra, *names], work)
        changed = [n for n in names if (work / n).read_bytes() != before[n]]
        (out / f"fix_{tag}.second").write_text(
            json.dumps({"changed": changed, "rc": r2.returncode})
        )


def compare(a: Path, b: Path) -> int:
    bad = 0
    for fa in sorted(a.iterdir()):
        fb = b / fa.name
        if fa.is_dir():
            for x in sorted(fa.iterdir()):
                y = fb / x.name
                if x.read_bytes() != y.read_bytes():
                    print(f"DIFF fixed output {fa.name}/{x.name}")
                    bad += 1
            continue
        if fa.read_bytes() != fb.read_bytes():
            bad += 1
            print(f"DIFF {fa.name}")
            if fa.suffix == ".json":
                try:
                    ja, jb = json.loads(fa.read_bytes()), json.loads(fb.read_bytes())
                    sa = {json.dumps(x, sort_keys=True) for x in ja}
                    sb = {json.dumps(x, sort_keys=True) for x in jb}
                    for x in sorted(sa - sb)[:10]:
                        print("   only A:", x)
                    for x in sorted(sb - sa)[:10]:
                        print("   only B:", x)
                except Exception as exc:
                    print("   ", exc)
            else:
                print("   A:", fa.read_text()[:500])
                print("   B:", fb.read_text()[:500])
    for x in sorted(a.glob("fix_*.second")):
        d = json.loads(x.read_text())
        if d["changed"]:
            print(f"NOT IDEMPOTENT ({a.name}) {x.name}: {d['changed']}")
    print("differences:", bad)
    return 1 if bad else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make-inputs":
        make_inputs(Path(sys.argv[2]))
    elif cmd == "run":
        run(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    elif cmd == "compare":
        raise SystemExit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
