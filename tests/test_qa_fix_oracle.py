"""A fix gives what it would give if every pass parsed its text afresh: the pieces' tokens
kept between passes (listlint.pieces), the rows of tables read again in place of a parse
(listlint.tablerows) and the views carried from the pass before (listlint.carried) are
only ways of computing the same thing. The oracle is the fix with all three turned off:
each pass's text parsed whole, no view carried. Lists of sections with tables that
table-format re-pads, short rows padded, http links rewritten inside cells, in every line
ending style and with a byte-order mark."""

from __future__ import annotations

from typing import Any

import pytest
from explore import explored
from helpers import all_rules, options_for
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from listlint import carried
from listlint.api import Job, fix_text
from listlint.document import parse
from listlint.pieces import Pieces

ALL = [r for r in all_rules() if not r.online]
JOBS = [
    Job([r for r in ALL if r.default], options_for()),
    Job(ALL, options_for(), unsafe=True),
    Job(ALL, options_for({"table-column-count": {"pad-short-rows": True}})),
]

CELLS = st.sampled_from(
    ["a", "Long name here", "[x](http://x.example/p)", "[y](https://arxiv.org/pdf/2401.00001)",
     "`a|b`", "a \\| b", "日本語", "🎉", "", " ", "**b**", "<br>", "2021", "x|y"]
)  # fmt: skip
DELIMS = st.sampled_from(["---", ":---", "---:", ":-:", "-", "--------"])


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    width = draw(st.integers(1, 4))
    outer = draw(st.booleans())
    pad = draw(st.sampled_from(["", " ", "   "]))

    def row(cells: list[str]) -> str:
        body = "|".join(f"{pad}{c}{pad}" for c in cells)
        return f"|{body}|" if outer or len(cells) < 2 else body

    out = [row(draw(st.lists(CELLS, min_size=width, max_size=width)))]
    out.append(row(draw(st.lists(DELIMS, min_size=width, max_size=width))))
    for _ in range(draw(st.integers(0, 5))):
        n = draw(st.integers(max(1, width - 1), width + 1))
        out.append(row(draw(st.lists(CELLS, min_size=n, max_size=n))))
    return out


AFTER = st.sampled_from([[""], ["", "Text after."], ["lazy line"], ["- item"], ["> quote"], []])
BEFORE = st.sampled_from([[""], ["Some text"], ["- item", ""], ["> q", ""]])


@st.composite
def lists(draw: st.DrawFn) -> str:
    out = ["# Papers", ""]
    names = draw(
        st.lists(st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"]), min_size=1, max_size=5)
    )
    for k, name in enumerate(names):
        out += [f"## {name}", *draw(BEFORE)]
        indent = draw(st.sampled_from(["", "", "", "  "]))
        out += [indent + line for line in draw(table())]
        out += draw(AFTER)
        if draw(st.booleans()):
            out += ["", f"- [Tool {k}](http://example.com/{k}) - a tool.", ""]
        out.append("")
        for j in range(draw(st.integers(0, 3))):  # sections no fix touches: pieces kept
            out += [f"## {name} {j}", ""]
            out += [f"- [Entry {i}](https://example.org/{k}/{j}/{i}) - An entry." for i in range(6)]
            out.append("")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(out)
    if draw(st.integers(0, 4)) == 0:
        text = "\ufeff" + text
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


def _outcome(text: str, job: Job) -> tuple[Any, ...]:
    out = fix_text(text, job, "list.md")
    found = [(d.line, d.column, d.code, d.message, d.fix) for d in out.diagnostics]
    return out.new_text, found, out.fixed, out.errors, list(out.applied)


def _afresh(text: str, job: Job) -> tuple[Any, ...]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Pieces, "parse", lambda self, body: parse(body))
        mp.setattr(carried, "taken", lambda doc, pieces: None)
        return _outcome(text, job)


@explored(120, HealthCheck.data_too_large)
@given(lists(), st.sampled_from(range(len(JOBS))))
def test_a_fix_is_the_fix_made_with_every_pass_parsed_afresh(text: str, which: int) -> None:
    job = JOBS[which]
    assert _outcome(text, job) == _afresh(text, job)
