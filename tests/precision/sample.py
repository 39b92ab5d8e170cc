"""The precision sample: default findings on ../shared/corpus, a seeded random sample of
them, and the verdicts a person gave each one after reading it in context.

    python tests/precision/sample.py            # show what changed since the review
    python tests/precision/sample.py update     # record it: population.tsv, verdicts.tsv
    python tests/precision/sample.py show N     # print sampled finding N in its context

``population.tsv`` lists every default finding at the last update (so that a finding
nobody has seen fails tests/test_precision.py). A finding is in the sample when the hash
of its key (file, rule, line, column) with ``SEED`` is below the threshold kept in
``verdicts.tsv``'s header: the sample is random, reproducible, and a new finding is
sampled at the same rate without re-drawing the rest. ``update`` adds sampled new
findings to ``verdicts.tsv`` as ``unreviewed``; read each (``show``), then write its
verdict: ``true`` (a defect the maintainer would fix), ``noise`` (accurate, not worth
acting on) or ``false`` (wrong), and why.

The default rule set is what ``listlint check`` runs, without link-relative: the corpus
files were copied out of their repositories, so every relative link points at nothing
there (a finding about the copy, not the list). arxiv-id's "today" is pinned.
"""

from __future__ import annotations

import csv
import hashlib
import sys
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
POPULATION = HERE / "population.tsv"
VERDICTS = HERE / "verdicts.tsv"
SEED = "issue-13"
SAMPLE_SIZE = 120  # at the first draw; the threshold then stays fixed
VERDICT_KINDS = ("true", "noise", "false", "unreviewed")
CONTEXT = 3


class Key(NamedTuple):
    file: str
    rule: str
    line: int
    column: int


class Found(NamedTuple):
    key: Key
    message: str


class Verdict(NamedTuple):
    key: Key
    verdict: str
    why: str
    message: str


def rank(key: Key) -> int:
    """The finding's place in the random order: a hash of the seed and its key."""
    raw = f"{SEED}\t{key.file}\t{key.rule}\t{key.line}\t{key.column}".encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big")


def default_findings() -> list[Found]:
    """Every default finding on the corpus, in a stable order."""
    sys.path.insert(0, str(ROOT / "src"))
    from listlint.config import Config, rule_options
    from listlint.lint import lint_text
    from listlint.registry import load_rules, select

    rules = load_rules(entry_points=False)
    chosen = select(rules, (), ("link-relative",))
    options = rule_options(Config(rules={"arxiv-id": {"today": "2026-11-29"}}), rules)
    out = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_bytes().decode("utf-8")
        result = lint_text(text, chosen, options, path.name)
        for d in result.diagnostics:
            out.append(Found(Key(path.name, d.rule, d.line, d.column), d.message))
    out.sort(key=lambda f: f.key)
    return out


def read_population() -> dict[Key, str]:
    if not POPULATION.exists():
        return {}
    with POPULATION.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    return {Key(r[0], r[1], int(r[2]), int(r[3])): r[4] for r in rows[1:]}


def read_verdicts() -> tuple[int, list[Verdict]]:
    """The sampling threshold and the verdicts."""
    if not VERDICTS.exists():
        return 0, []
    with VERDICTS.open(encoding="utf-8", newline="") as f:
        lines = f.read().splitlines()
    threshold = int(lines[0].split("threshold=", 1)[1].split()[0])
    rows = list(csv.reader(lines[1:], delimiter="\t"))
    verdicts = [Verdict(Key(r[0], r[1], int(r[2]), int(r[3])), r[4], r[5], r[6]) for r in rows[1:]]
    return threshold, verdicts


def _clean(text: str) -> str:
    return " ".join(text.split())


def write_population(found: list[Found]) -> None:
    with POPULATION.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "rule", "line", "column", "message"])
        for x in found:
            w.writerow([*x.key, _clean(x.message)])


def write_verdicts(threshold: int, verdicts: list[Verdict]) -> None:
    with VERDICTS.open("w", encoding="utf-8", newline="") as f:
        f.write(f"# seed={SEED} threshold={threshold} (see tests/precision/sample.py)\n")
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["file", "rule", "line", "column", "verdict", "why", "message"])
        for v in sorted(verdicts, key=lambda v: v.key):
            w.writerow([*v.key, v.verdict, _clean(v.why), _clean(v.message)])


def threshold_for(found: list[Found], size: int = SAMPLE_SIZE) -> int:
    ranks = sorted(rank(x.key) for x in found)
    return ranks[min(size, len(ranks)) - 1] + 1 if ranks else 0


def update() -> None:
    found = default_findings()
    threshold, verdicts = read_verdicts()
    if not threshold:
        threshold = threshold_for(found)
    known = {v.key for v in verdicts}
    for x in found:
        if rank(x.key) < threshold and x.key not in known:
            verdicts.append(Verdict(x.key, "unreviewed", "", x.message))
    write_population(found)
    write_verdicts(threshold, verdicts)
    sampled = sum(1 for x in found if rank(x.key) < threshold)
    print(f"{len(found)} default findings, {sampled} sampled; see {VERDICTS}")


def show(index: int) -> None:
    _, verdicts = read_verdicts()
    v = verdicts[index]
    lines = (CORPUS / v.key.file).read_bytes().decode("utf-8").splitlines()
    print(f"[{index}] {v.key.file}:{v.key.line}:{v.key.column} {v.key.rule}: {v.message}")
    print(f"    verdict: {v.verdict} {v.why}")
    for n in range(max(1, v.key.line - CONTEXT), min(len(lines), v.key.line + CONTEXT) + 1):
        mark = ">" if n == v.key.line else " "
        print(f"{mark}{n:5} {lines[n - 1][:400]}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["show"]:
        show(int(argv[1]))
    else:
        population = read_population()
        now = {x.key: x.message for x in default_findings()}
        for key in sorted(set(now) - set(population)):
            print("new:  ", *key, now[key])
        for key in sorted(set(population) - set(now)):
            print("gone: ", *key, population[key])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
