"""The seed catalog and the real lists in ../shared/corpus: no internal error, fixes are
idempotent and keep the rendering, and the findings match the reviewed snapshot
(tests/corpus_snapshot.json; LISTLINT_UPDATE_SNAPSHOT=1 rewrites it for review)."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from helpers import all_rules, html, options_for

from listlint.fix import fix_to_fixed_point
from listlint.lint import lint_text
from listlint.registry import select

ROOT = Path(__file__).parent.parent
SHARED = ROOT.parent / "shared"
SNAPSHOT = Path(__file__).parent / "corpus_snapshot.json"
FILES = sorted([*SHARED.glob("seeds/*.md"), *SHARED.glob("corpus/*.md")], key=lambda p: p.name)
# The default rules plus the opt-in ones a paper list would plausibly turn on; without
# link-relative, because these files were copied out of their repositories, so every
# relative link (images, CONTRIBUTING.md) would point at nothing.
RULES = select(
    all_rules(), (), ("link-relative",), ("arxiv-date", "arxiv-text-style", "entry-format")
)
OPTIONS = options_for(
    {"arxiv-id": {"today": "2026-11-29"}} if any(r.name == "arxiv-id" for r in RULES) else None
)

pytestmark = pytest.mark.skipif(not FILES, reason="../shared is not beside the checkout")


def _lint(text: str, name: str = "-", rules: list | None = None) -> list:  # type: ignore[type-arg]
    result = lint_text(text, RULES if rules is None else rules, OPTIONS, name)
    assert result.errors == []
    return result.diagnostics


def _counts() -> dict[str, dict[str, int]]:
    out = {}
    for path in FILES:
        text = path.read_bytes().decode("utf-8")
        out[path.name] = dict(sorted(Counter(d.rule for d in _lint(text, path.name)).items()))
    return out


# What the review of these findings found (read by eye, session 1):
# - table-column-count: public-apis has 81 rows ending in an empty extra cell (`| No | |`),
#   invisible on GitHub and no longer reported by default (session 3), one row with a real
#   extra `Yes`, and BradyFU a row whose description is dropped by GitHub (an extra fifth
#   cell) and one short row.
# - table-format (opt-in since session 3): all ~580 findings were whitespace (dair-ai's 85
#   tables pad `| **Paper**  | **Links** |`, public-apis' 44 headers, decorative headers,
#   overflowing last columns); none a defect a maintainer would fix.
# - duplicate-url: all read; real copy-paste errors among them (public-apis "Markestack"
#   links the mediastack URL; EthicalML's "Massive Text Embedding Benchmark" links
#   mlcommons/inference); BradyFU repeats whole entries across sections (213).
# - arxiv-link: BradyFU links 547 PDFs; no impossible arXiv id exists in the corpus.
# - link-fragment / toc: RUCAIBox's table of contents still links the old "New" headings;
#   free-programming-books-zh links #http, which no heading has. Since session 4 these
#   dead ToC entries are toc's alone, one finding per entry (link-fragment defers to toc).
# - link-empty: BradyFU's 19 "[Demo]()" / "[Coming soon]()" placeholders.
# - arxiv-date (opt-in): 7 rows whose date column precedes the arXiv id's month; Hannibal's
#   date column is the model's release date, not the paper's, so it is not always a defect.
# - arxiv-text-style (opt-in, session 2): nothing; the lists write arXiv:ID or link.
# - entry-format (opt-in, session 2): awesome (sindresorhus) has one entry with an en dash
#   for its separator; awesome-python 5 descriptions without the final period its other
#   entries have, and 5 starting lower-case (some are names: "sklearn", "dogpile.cache",
#   which `capitalized = false` accepts); free-programming-books-zh, Awesome-LLM and
#   llm-course do not end descriptions with a period (their style: `punctuation = "any"`);
#   the seed names the author after the dash ("- Jay Alammar", "- fast.ai"), the same.
# - heading-increment (session 2): free-programming-books-zh's "数据库" section holds only
#   `<!-- Waiting to add in -->`: empty to a reader, now reported.
def test_findings_match_the_reviewed_snapshot() -> None:
    counts = _counts()
    if os.environ.get("LISTLINT_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(counts, indent=2, ensure_ascii=False) + "\n")
    assert counts == json.loads(SNAPSHOT.read_text())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fix_is_idempotent_and_keeps_rendering(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    fixed, _ = fix_to_fixed_point(text, lambda t: _lint(t, path.name), unsafe=False)
    assert fix_to_fixed_point(fixed, lambda t: _lint(t, path.name), unsafe=False)[0] == fixed
    # Safe fixes of rules that keep the rendering, alone, leave the HTML unchanged.
    keeping = [r for r in RULES if not r.fix_changes_html]

    def lint_keeping(t: str) -> list:  # type: ignore[type-arg]
        return lint_text(t, keeping, OPTIONS, path.name).diagnostics

    assert html(fix_to_fixed_point(text, lint_keeping, unsafe=False)[0]) == html(text)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_fix_keeps_the_github_rendering_up_to_the_declared_changes(path: Path) -> None:
    # `listlint fix` as users run it (the fix guard included): GitHub's rendering of the
    # fixed list (cmark-gfm) is the original's, up to what the applied rules declare.
    from listlint.github import render_html
    from listlint.guard import guarded_fix, normalise
    from listlint.runner import Job, fix_text

    text = path.read_bytes().decode("utf-8")
    declared = {r.name: r.fix_may_change for r in RULES}

    def lint(t: str, names: object = None) -> list:  # type: ignore[type-arg]
        chosen = RULES if names is None else [r for r in RULES if r.name in names]  # type: ignore[operator]
        return _lint(t, path.name, chosen)

    guarded = guarded_fix(text, lint, unsafe=False, declared=declared)
    fixed = guarded.run.text
    kinds = {k for a in guarded.run.applied for k in declared[a.rule]}
    assert normalise(render_html(fixed), kinds) == normalise(render_html(text), kinds)
    outcome = fix_text(text, Job(RULES, OPTIONS), path.name)
    assert (outcome.new_text or text) == fixed
    assert outcome.errors == []  # every list has something to fix, and nothing is withheld
    assert fix_text(fixed, Job(RULES, OPTIONS), path.name).new_text is None
    # The link rewriters alone (no guard): only real link destinations change.
    for name in ("link-http", "arxiv-link"):
        [rule] = [r for r in RULES if r.name == name]
        alone, _ = fix_to_fixed_point(
            text, lambda t, r=rule: _lint(t, path.name, [r]), unsafe=False
        )  # type: ignore[misc]
        own = set(rule.fix_may_change)
        assert normalise(render_html(alone), own) == normalise(render_html(text), own), name


# Opt-in structure rules with a configuration each list would plausibly use.
STRUCTURE_SNAPSHOT = Path(__file__).parent / "corpus_structure_snapshot.json"
STRUCTURE = {
    # Entries alphabetical within every category (not the table of contents: session 2).
    "sindresorhus__awesome__readme.md": {"sort-entries": {"sections": ["*"]}},
    "vinta__awesome-python__README.md": {"sort-entries": {"sections": ["*"]}},
    # Categories (level 3) alphabetical: public-apis keeps them so, and is clean.
    "public-apis__public-apis__README.md": {"section-order": {"level": 3, "alphabetical": True}},
    # Contents first, the rest alphabetical.
    "EbookFoundation__free-programming-books__books_free-programming-books-ro.md": {
        "section-order": {"level": 3, "order": ["Index", "*"], "alphabetical": True}
    },
}


def test_structure_findings_match_the_reviewed_snapshot() -> None:
    counts = {}
    for name, config in STRUCTURE.items():
        path = SHARED / "corpus" / name
        rules = [r for r in all_rules() if r.name in config]
        text = path.read_bytes().decode("utf-8")
        result = lint_text(text, rules, options_for(config), name)
        assert result.errors == []
        counts[name] = dict(sorted(Counter(d.rule for d in result.diagnostics).items()))
        fixed, _ = fix_to_fixed_point(
            text,
            lambda t, r=rules, c=config: lint_text(t, r, options_for(c)).diagnostics,  # type: ignore[misc]
            unsafe=False,
        )
        # Moving and sorting keep every non-blank line exactly once.
        assert Counter(x for x in re.split(r"\r\n|\r|\n", fixed) if x.strip()) == Counter(
            x for x in re.split(r"\r\n|\r|\n", text) if x.strip()
        )
    if os.environ.get("LISTLINT_UPDATE_SNAPSHOT") == "1":
        STRUCTURE_SNAPSHOT.write_text(json.dumps(counts, indent=2) + "\n")
    assert counts == json.loads(STRUCTURE_SNAPSHOT.read_text())


EVERY_RULE = [r for r in all_rules() if r.name != "link-relative"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_rule_at_once_converges(path: Path) -> None:
    # Opt-in rules too, unsafe fixes included: no two rules undo each other's fixes (the
    # table of contents was sorted by sort-entries and put back by toc, forever).
    text = path.read_bytes().decode("utf-8")

    def lint(t: str) -> list:  # type: ignore[type-arg]
        result = lint_text(t, EVERY_RULE, OPTIONS, path.name)
        assert result.errors == []
        return result.diagnostics

    fixed, _ = fix_to_fixed_point(text, lint, unsafe=True)
    assert fix_to_fixed_point(fixed, lint, unsafe=True)[0] == fixed
