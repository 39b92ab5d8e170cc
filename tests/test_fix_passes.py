"""The fix loop's passes: what a later pass reuses of the one before must be what it would
have computed afresh (the tokens of unchanged pieces, listlint.pieces)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import all_rules, options_for
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import documents, edit_versions, sectioned

from listlint.api import Job, fix_text
from listlint.document import parse
from listlint.pieces import Pieces

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"

BLOCKS = st.sampled_from(
    [
        "# Title",
        "## Tools",
        "- [A](http://a.example) - A.\n- [B](https://b.example) - B.",
        "- item\n\n  continued after a blank line",
        "|a|b|\n|-|-|\n| 1 |2|",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |",
        "> quoted\n> # heading in a quote",
        "```\ncode\n\n# not a heading\n```",
        "```\nunclosed fence",
        "<!-- comment\n\n## commented out\n-->",
        "<script>\n\n# in a script\n</script>",
        "<div>\n\n# after an html block\n</div>",
        "    indented code\n\n# x",
        "[ref]: http://example.org",
        "Text\n===",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(edit_versions(BLOCKS, 4))
def test_pieces_taken_from_a_whole_parse_parse_later_texts_as_the_whole_parse(
    texts: list[str],
) -> None:
    first = parse(texts[0])
    seeded = Pieces()
    seeded.seed(texts[0], first)
    chooser = Pieces()
    assert chooser.parse(texts[0]) == first
    for text in texts[1:]:
        expected = parse(text)
        assert seeded.tokens(text) == expected  # reuse whatever can be reused
        assert chooser.parse(text) == expected  # whole or in pieces, as it chooses


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every parse of the fix loop compare its tokens with a whole parse."""
    original = Pieces.parse
    calls: list[int] = []

    def checking(self: Pieces, body: str) -> Any:
        tokens = original(self, body)
        assert tokens == parse(body)
        calls.append(1)
        return tokens

    monkeypatch.setattr(Pieces, "parse", checking)
    return calls


@settings(max_examples=60, deadline=None)
@given(st.one_of(documents(), sectioned()))
def test_every_pass_of_a_fix_parses_as_the_whole_parse(text: str) -> None:
    job = Job(list(all_rules()), options_for(), unsafe=True)
    with pytest.MonkeyPatch.context() as mp:
        calls = _checked(mp)
        fix_text(text, job)
    assert calls


def test_every_pass_of_a_fix_parses_as_the_whole_parse_on_the_corpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(p for p in CORPUS.glob("*.md") if p.stat().st_size < 300_000)
    if not files:
        pytest.skip("no corpus next to the repository")
    calls = _checked(monkeypatch)
    job = Job(list(all_rules()), options_for(), unsafe=True)
    for path in files:
        before = len(calls)
        outcome = fix_text(path.read_text(encoding="utf-8"), job, path.name)
        assert len(calls) > before + (outcome.new_text is not None), path.name


def _big_list() -> str:
    out = ["# Papers", ""]
    for k in range(300):
        out += [f"## Part {k}", "", "| Name | Paper |", "|---|---|"]
        out += [f"| P{k}-{n}  |  [x](http://arxiv.org/abs/2101.{n:05d}) |" for n in range(3)]
        out += ["", f"- [Tool {k}](http://example.com/{k}) - a tool.", ""]
    return "\n".join(out)


def test_renderings_started_ahead_are_each_made_once_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large text's GitHub rendering is started in a thread before it is parsed: the
    table view and the guard wait for it instead of rendering again, and the fix is the
    one made without it."""
    from collections import Counter

    import listlint.github
    import listlint.guard

    text = _big_list()
    assert len(text) > listlint.guard._PREFETCH_SIZE
    job = Job(list(all_rules()), options_for(), unsafe=True)
    original = listlint.github._render
    made: Counter[tuple[str, bool]] = Counter()

    def counting(body: str, sourcepos: bool) -> str:
        made[body, sourcepos] += 1
        return original(body, sourcepos)

    monkeypatch.setattr(listlint.github, "_render", counting)
    listlint.github._memo.clear()
    ahead = fix_text(text, job)
    assert ahead.new_text is not None and ahead.new_text != text
    assert made and max(made.values()) == 1
    assert (text, True) in made and (ahead.new_text, True) in made
    assert not listlint.github._pending
    monkeypatch.setattr(listlint.guard, "_prefetch", listlint.guard._no_prefetch)
    listlint.github._memo.clear()
    plain = fix_text(text, job)
    assert (plain.new_text, plain.diagnostics, plain.fixed) == (
        ahead.new_text,
        ahead.diagnostics,
        ahead.fixed,
    )
