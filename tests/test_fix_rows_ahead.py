"""A fix pass that changed only table rows has its text's rendering without positions
(the guard's) made ahead, of its pieces, and not the one with positions (which the next
pass's views do not read then): the fix is the one made without rendering ahead."""

from __future__ import annotations

import pytest
from helpers import all_rules, options_for, watch_renderings

import listlint.github
import listlint.guard
from listlint.api import Job, fix_text
from listlint.guard import _rows_only


def _misaligned_list() -> str:
    """Tables formatted, but for the padding of the header and body rows of a third of
    them."""
    out = ["# Papers", ""]
    link = "[x](https://arxiv.org/abs/2101.{:05d})"
    for k in range(600):
        if k % 3:
            out += [f"## Part {k}", "", "| Name | Paper" + " " * 32 + " |"]
            out += ["| ---- | " + "-" * 37 + " |"]
            out += [f"| P{n}   | {link.format(n)} |" for n in range(3)]
        else:
            out += [f"## Part {k}", "", "|  Name |   Paper" + " " * 29 + "|"]
            out += ["| ---- | " + "-" * 37 + " |"]
            out += [f"|P{n}   |  {link.format(n)} |" for n in range(3)]
        out += ["", f"- [Tool {k}](https://example.com/{k}) - a tool.", ""]
    return "\n".join(out)


def test_a_fix_of_table_rows_renders_ahead_only_what_the_guard_compares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _misaligned_list()
    assert len(text) > listlint.github.PIECEWISE_AT
    job = Job(list(all_rules()), options_for())
    monkeypatch.setattr(listlint.github, "_PIECES", listlint.github.Pieces())
    made, started = watch_renderings(monkeypatch)
    ahead = fix_text(text, job)
    new = ahead.new_text
    assert new is not None and new != text
    assert started == [(text, True), (new, False)]
    # The fixed text rendered piece by piece (each changed piece once), never whole, nor
    # with positions.
    assert (new, False) not in made and not any(p and b != text for b, p in made)
    assert max(made.values()) == 1
    assert not listlint.github._pending
    monkeypatch.setattr(listlint.guard, "_prefetch", listlint.guard._no_prefetch)
    listlint.github._memo.clear()
    plain = fix_text(text, job)
    assert (plain.new_text, plain.diagnostics, plain.fixed) == (new, ahead.diagnostics, ahead.fixed)


@pytest.mark.parametrize(
    ("replaced", "replacements", "rows"),
    [
        (["|a|  b |"], ["| a | b |"], True),
        (["   | a |b|"], ["   | a | b |"], True),
        (["|a|b|", "| x |"], ["| a | b |", "x"], False),  # no longer a row
        (["|---|:-:|"], ["| --- | :-: |"], False),  # a delimiter row
        (["|a|\n|b|"], ["| a |\n| b |"], False),  # more than one line
        (["    |a|"], ["| a |"], False),  # indented code before
        ([], [], False),  # nothing replaced
        (["|a|"], ["|a|\r"], False),  # a CR: a line break to the parsers
        ([""], ["|a|"], False),  # a blank line before
        (["|a|"], ["| - |"], False),  # a delimiter row after
    ],
)
def test_rows_only(replaced: list[str], replacements: list[str], rows: bool) -> None:
    assert _rows_only(replaced, replacements) is rows
