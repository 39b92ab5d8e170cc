"""A check reads the HTML anchors of GitHub's rendering (``rendered_anchors``) only where
the text may hold one (``github.may_hold_anchors``): an ``id`` or ``name`` attribute of raw
HTML after white space or ">", or a footnote. Wherever the rendering has an anchor, the
test must say so: raw HTML in block quotes, list items, tables and lazy lines, attribute
names in any case, split over lines, after tabs, beside ``?id=`` in URLs.

CI runs a fixed, reproducible set of examples; LISTLINT_EXPLORE=N runs N random ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint import github
from listlint.document import Document
from listlint.views.anchors import read_rendering, rendered_anchors

SETTINGS = explored(200)
SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _anchors(text: str) -> list[object]:
    html = github.render_html(text, sourcepos=True)
    return list(rendered_anchors(html, text, Document(text).line_starts))


NAME = st.sampled_from(["id", "ID", "Id", "name", "NAME", "nAmE", "idx", "data-id", "ıd"])
GAP = st.sampled_from([" ", "\t", "\n", "\n> ", "\n  ", "\n\t", " \n ", "\r\n", ">"])
EQUALS = st.sampled_from(["=", " = ", "\n=", "\n> =", "=\n", ""])
VALUE = st.sampled_from(['"x"', "'y'", "z", '""', "a&amp;b", "?id=1"])
TAG = st.sampled_from(["a", "div", "span", "p", "img", "h2", "script", "li", "details"])
PREFIX = st.sampled_from(["", "> ", ">", "- ", "  ", "1. ", "| a | ", "\t", "    ", "* > "])
TEXT = st.sampled_from(
    [
        "text",
        "[a](https://x.org/?id=3&name=4)",
        "https://x.org/p?id=1",
        "`<a id=x>`",
        "<!-- <a id=c> -->",
        "&lt;a id=e&gt;",
        "[^1]",
        "[^1]: note",
        "| h |\n| - |",
        "",
    ]
)


@st.composite
def tag(draw: st.DrawFn) -> str:
    attrs = "".join(
        draw(GAP) + draw(NAME) + draw(EQUALS) + draw(VALUE) for _ in range(draw(st.integers(0, 2)))
    )
    return f"<{draw(TAG)}{attrs}{draw(st.sampled_from(['>', ' />', '>x</a>', '']))}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        part = draw(st.one_of(tag(), TEXT))
        lines.append(draw(PREFIX) + part.replace("\n", "\n" + draw(PREFIX)))
    return draw(st.sampled_from(["\n", "\n\n"])).join(lines) + "\n"


@SETTINGS
@given(documents())
@example('<a\nid="x">\n')
@example('> <a\n> id="x">\n')
@example('> <a\n>id="x">\n')
@example('- <a\n\tid="x">\n')
@example("<a ID\n> = x>\n")
@example("text[^1]\n\n[^1]: note\n")
@example("[a](https://x.org/?id=3) <b>\n")
def test_no_anchor_where_the_text_holds_none(text: str) -> None:
    if not github.may_hold_anchors(text):
        assert _anchors(text) == []


def _texts() -> list[Path]:
    found = sorted((SHARED / "corpus").glob("*.md")) + sorted((SHARED / "seeds").glob("*.md"))
    return found + sorted(FIXTURES.glob("**/*.md"))


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if not github.may_hold_anchors(text):
        assert _anchors(text) == []


def test_anchors_still_read() -> None:
    text = '# T\n\n> <a\n> id="here">x</a>\n\n[go](#here)\n'
    doc = Document(text)
    assert [a.value for a in read_rendering(text, doc.line_starts, True).anchors] == ["here"]
    assert [a.value for a in read_rendering(text, doc.line_starts, False).anchors] == ["here"]
    github.forget(text)


def test_query_strings_are_no_anchors() -> None:
    text = "- [a](https://x.org/?id=1&name=2) <b>\n"
    assert not github.may_hold_anchors(text)
    assert github.may_hold_anchors(text.replace("<b>", '<b id="k">'))
