"""A check reads GitHub's tables and headings from cmark-gfm's syntax tree
(``listlint.github.outline``) instead of its HTML: what it reads must be what the readers of
the HTML read (``read_rendering`` with the rendering kept, which reads the HTML), on
generated documents, the corpus, the seeds and the rendering regressions.

CI runs a fixed, reproducible set of examples; LISTLINT_EXPLORE=N runs N random ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from explore import explored
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st
from test_tables_github import documents

from listlint import github
from listlint.document import Document
from listlint.views.anchors import read_rendering

SETTINGS = explored(150, HealthCheck.filter_too_much)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _both(text: str) -> tuple[object, object, bool]:
    doc = Document(text)
    github._memo.clear()
    github._outlines.clear()
    from_html = read_rendering(text, doc.line_starts, True)
    github._memo.clear()
    read = github.outline(text, doc.line_starts)
    from_tree = read_rendering(text, doc.line_starts, False)
    assert body_of(text) not in github._outlines  # forgotten once read
    return from_html, from_tree, read is not None


def body_of(text: str) -> str:
    return text.removeprefix("\ufeff")


# Lines of the blocks where the tree and the HTML could part: headings (ATX, setext, with
# markup, in items and quotes), lists in lists, quotes, tables anywhere, fences, breaks.
LINE = st.sampled_from(
    [
        "# Title",
        "## A *b* `c` [d](https://e.org/x)",
        "### ![img](i.png) &amp; \\# x ###",
        "Setext",
        "===",
        "---",
        "-",
        "- - -",
        "***",
        "- item",
        "- # heading in an item",
        "  - nested",
        "    - deeper",
        "1. one",
        "10) ten",
        "   text",
        "> quote",
        "> # quoted heading",
        ">> deeper",
        "> - quoted item",
        "| a | b |",
        "|---|:-:|",
        "a | b",
        "-|-",
        ":-",
        "--:",
        "| c |",
        "b|c",
        "  b|c",
        "  -|-",
        "> b|c",
        "> -|-",
        "  ---",
        "  ===",
        "> ===",
        "- x\ty",
        '<a id="x"></a>',
        'See <a name="y">here</a> and <b>this</b>',
        '# Title <a id="t"></a>',
        '<p align="center">',
        '[l](https://e.org/?id=3 "name = z")',
        "  | d | e |",
        "  |---|---|",
        "```",
        "~~~ py",
        "    indented code",
        "\tTab",
        "- [ ] task",
        "text with ~~gone~~ www.example.com",
        "Foo  ",
        "bar\\",
        "",
        "",
    ]
)


@st.composite
def block_soup(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINE, min_size=1, max_size=14))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    bom = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    return bom + newline.join(lines) + (newline if draw(st.booleans()) else "")


@SETTINGS
@given(st.one_of(documents(), block_soup()))
@example("- []()\u2014\n  |d\n  -|\n  |")  # a table without body rows, first in an item
@example("|a|\n--\n")
@example("- a\n\nb|c\n-|-\n\n- # d\n")  # a list before a paragraph the table emptied
@example("> - a\n>\n> b|c\n> -|-\n> - # d\n")
@example("a\n:-\n")
@example("> a\n> ---\n\n- b\n  ===\n")
@example("# a\n\n- x\n\n  # b\n- y\n  | c |\n  |---|\n  | d |\n\n> | e |\n> |---|\n")
def test_the_tree_reads_what_the_html_reads(text: str) -> None:
    from_html, from_tree, used = _both(text)
    assert used or "<" in text or "[^" in text
    assert from_tree == from_html


@pytest.mark.parametrize(
    "path",
    sorted(
        [
            *(SHARED / "corpus").glob("*.md"),
            *(SHARED / "seeds").glob("*.md"),
            *(SHARED / "regressions" / "github-rendering").glob("*.md"),
        ]
    ),
    ids=lambda p: p.name,
)
def test_the_tree_reads_what_the_html_reads_in_shared_lists(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    from_html, from_tree, _ = _both(text)
    assert from_tree == from_html


@pytest.mark.parametrize(
    "text",
    [
        "# a\n\nb[^1]\n\n[^1]: c\n",  # footnotes
        "# a <!-- b -->\n",  # comments
        "<h2>a</h2>\n",  # raw HTML headings
        "<table><tr><td>a</td></tr></table>\n",
    ],
)
def test_what_only_the_html_tells_is_read_from_it(text: str) -> None:
    assert github.outline(text, Document(text).line_starts) is None
    from_html, from_tree, used = _both(text)
    assert not used
    assert from_tree == from_html


@pytest.mark.parametrize(
    "text",
    [
        '<a name="x"></a>\n\n# a\n',
        '> <a\n>id="y">z</a>\n',  # the attribute past a block quote mark
        '- <span\n  NAME = "w">v</span>\n',
    ],
)
def test_anchors_are_read_from_the_html_rendered_with_the_tree(text: str) -> None:
    read = github.outline(text, Document(text).line_starts)
    assert read is not None and read.html is not None
    from_html, from_tree, used = _both(text)
    assert used
    assert from_tree == from_html
    assert from_tree.anchors  # type: ignore[attr-defined]


def test_without_the_c_functions_the_html_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# a\n\n| b |\n|---|\n| c |\n"
    monkeypatch.setattr(github, "_tree", lambda: None)
    assert github.outline(text, Document(text).line_starts) is None


def test_an_outline_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# a\n\n| b |\n|---|\n| c |\n"
    lines = Document(text).line_starts
    github._outlines.clear()
    first = github.outline(text, lines)
    assert first is not None
    assert github.outline(text, lines) is first
    github.forget(text)
    assert text not in github._outlines
