"""Precision of the default rule set on real lists (issue 13): the reviewed sample in
tests/precision/verdicts.tsv, each finding read in context and judged true (a defect the
maintainer would fix), noise (accurate, not worth acting on) or false (wrong).

Fails when precision regresses: a sampled finding nobody reviewed, a true finding no
longer found, fewer than 90% true among the sampled findings still reported, a false
finding still reported without an explanation, or a default finding on the corpus that
is not in tests/precision/population.tsv (review it: ``python tests/precision/sample.py``
shows what is new, ``update`` records it and samples it at the same rate).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "precision"))
import sample

pytestmark = pytest.mark.skipif(
    not sample.CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"
)
TARGET = 0.90


@pytest.fixture(scope="module")
def found() -> dict[sample.Key, str]:
    return {x.key: x.message for x in sample.default_findings()}


def test_verdict_file_is_well_formed() -> None:
    threshold, verdicts = sample.read_verdicts()
    assert threshold > 0
    assert len(verdicts) >= 100, "the sample must hold at least 100 findings"
    for v in verdicts:
        assert v.verdict in sample.VERDICT_KINDS, v
        assert v.verdict == "unreviewed" or v.why.strip(), f"{v.key}: say why"
        assert sample.rank(v.key) < threshold, f"{v.key} is not in the sample"
    assert len({v.key for v in verdicts}) == len(verdicts)


def test_every_sampled_finding_is_reviewed() -> None:
    _, verdicts = sample.read_verdicts()
    unreviewed = [v.key for v in verdicts if v.verdict == "unreviewed"]
    assert not unreviewed, f"read these in context and judge them: {unreviewed}"


def test_no_default_finding_outside_the_reviewed_population(found: dict[sample.Key, str]) -> None:
    population = sample.read_population()
    new = sorted(set(found) - set(population))
    assert not new, (
        f"{len(new)} default findings on the corpus are new (first: {new[:3]}); run "
        "`python tests/precision/sample.py update` and review the sampled ones"
    )
    threshold, verdicts = sample.read_verdicts()
    reviewed = {v.key for v in verdicts}
    missing = [k for k in found if sample.rank(k) < threshold and k not in reviewed]
    assert not missing, f"sampled findings without a verdict: {missing[:5]}"


def test_true_findings_are_still_found(found: dict[sample.Key, str]) -> None:
    _, verdicts = sample.read_verdicts()
    lost = [v.key for v in verdicts if v.verdict == "true" and v.key not in found]
    assert not lost, f"true findings no longer reported (a recall regression): {lost}"


def test_precision_of_the_sample_is_at_least_90_percent(found: dict[sample.Key, str]) -> None:
    _, verdicts = sample.read_verdicts()
    live = [v for v in verdicts if v.key in found and v.verdict != "unreviewed"]
    true = sum(v.verdict == "true" for v in live)
    counts = {k: sum(v.verdict == k for v in live) for k in ("true", "noise", "false")}
    assert live
    assert true / len(live) >= TARGET, f"precision {true}/{len(live)}: {counts}"


def test_false_findings_are_fixed_or_explained(found: dict[sample.Key, str]) -> None:
    _, verdicts = sample.read_verdicts()
    for v in verdicts:
        if v.verdict == "false" and v.key in found:
            assert "explained:" in v.why, f"{v.key} is false and still reported: fix it"
