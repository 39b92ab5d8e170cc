"""The fix guard's search for fixes to withhold, piece by piece (``listlint.guard._Local``):
a rule whose findings depend on their piece alone (SCOPE "block") has its fixes judged on
each piece by itself, and the verdicts must be those of the search over the whole text
(the same rule declared with SCOPE "document")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint.api import Job, fix_text
from listlint.diagnostic import Edit, Finding, Fix
from listlint.document import Document
from listlint.registry import Rule


class Options(NamedTuple):
    pass


def _respell(doc: Document, options: Any) -> Iterator[Finding]:
    """TODO becomes DONE: a visible change wherever a reader sees the word."""
    for m in re.finditer("TODO", doc.text):
        i = m.start()
        yield Finding(i, i + 4, "a TODO is left", fix=Fix("Say DONE", (Edit(i, i + 4, "DONE"),)))


def _job(scope: str, declare: tuple[str, ...] = ()) -> Job:
    rule = Rule(
        "respell",
        "LL951",
        "TODO left",
        "warning",
        True,
        "safe",
        Options,
        _respell,
        "test",
        fix_may_change=declare,
        scope=scope,
    )
    return Job([rule], {"respell": Options()})


BLOCKS = st.sampled_from(
    [
        "## Tools",
        "# Title TODO",
        "- [A](https://a.example/TODO) - TODO.\n- [B](https://b.example) - B.",
        "- item\n\n  continued TODO after a blank line",
        "|a|TODO|\n|-|-|\n| 1 |2|",
        "> quoted TODO\n> # heading in a quote",
        "```\ncode TODO\n\n# not a heading\n```",
        "```\nunclosed fence TODO",
        "<!-- comment TODO\n\n## commented out\n-->",
        "<!-- TODO -->",
        "<div>\n\n# after an html block TODO\n</div>",
        "Text `TODO` and TODO",
        "[ref]: http://example.org/TODO",
        "Text TODO\n===",
        "",
    ]
)


@st.composite
def sections(draw: st.DrawFn) -> str:
    parts = []
    for k in range(draw(st.integers(2, 6))):
        parts.append(f"## Section {k}")
        parts += draw(st.lists(BLOCKS, min_size=1, max_size=4))
    return "\n\n".join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _outcome(text: str, job: Job) -> tuple[Any, ...]:
    o = fix_text(text, job, "a.md")
    return o.new_text, [(d.line, d.column, d.message, d.fix) for d in o.diagnostics], o.errors


@explored(60)
@given(sections(), st.sampled_from([(), ("text:TODO|DONE",)]))
def test_withheld_piece_by_piece_as_over_the_whole_text(
    text: str, declare: tuple[str, ...]
) -> None:
    assert _outcome(text, _job("block", declare)) == _outcome(text, _job("document", declare))


def test_each_piece_is_searched_on_its_own(monkeypatch: Any) -> None:
    # 12 sections of 4 entries, half of whose fixes change the rendering (the others
    # respell a comment): the search over
    # the whole text lints it again for every subset it tries (about twice the number of
    # fixes); piece by piece, the whole text is linted a few times only.
    entries = [
        f"- [T{i}](https://x.example/{i}) - " + ("TODO" if i % 2 else "A. <!-- TODO -->")
        for i in range(4)
    ]
    text = "# List\n\n" + "".join(f"## S{k}\n\n" + "\n".join(entries) + "\n\n" for k in range(12))
    import listlint.fixrun as fixrun

    whole: list[int] = []
    real = fixrun.lint_document

    def counting(doc: Document, rules: Any, options: Any) -> Any:
        if len(doc.text) == len(text):
            whole.append(1)
        return real(doc, rules, options)

    monkeypatch.setattr(fixrun, "lint_document", counting)
    by_piece = _outcome(text, _job("block"))
    lints_by_piece = len(whole)
    whole.clear()
    assert by_piece == _outcome(text, _job("document"))
    assert lints_by_piece <= 6 < 40 < len(whole)
    assert by_piece[0] is not None and by_piece[0].count("<!-- DONE -->") == 24
