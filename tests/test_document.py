"""The line index and the newline style against their definitions, on mixed newlines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint.document import BOM, Document

TEXTS = st.lists(st.sampled_from(["a", "é", " ", "\n", "\r", "\r\n", "\t", "|"]), max_size=30).map(
    "".join
)


@explored(300)
@given(TEXTS, st.booleans())
def test_line_index_and_newline_follow_the_parsers_newline_rule(body: str, bom: bool) -> None:
    text = BOM + body if bom else body
    doc = Document(text)
    start = 1 if bom else 0
    starts, ends = [start], []
    for m in re.finditer(r"\r\n|\r|\n", text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    assert (list(doc.line_starts), list(doc.line_ends)) == (starts, ends)
    counts: dict[str, int] = {}
    for m in re.finditer(r"\r\n|\r|\n", text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    # The most common newline; on a tie the one written first (dicts keep that order).
    assert doc.newline == (max(counts, key=lambda k: counts[k]) if counts else "\n")


# Every kind of block the parser makes, attributes (ordered list start, cell alignment) and
# metadata (reference definitions) included.
EVERY_BLOCK = """# Title

Setext
======

> quote
> > nested
> - item in a quote

1. one
2. two

7) seven
- [ ] task
- [x] done
  * nested

| a | b | c |
|:--|:-:|--:|
| 1 | 2 | 3 |

```python
code
```

    indented

<div>
html
</div>

[ref]: https://example.org "title"

> [!NOTE]
> an alert on GitHub, a quote here

***
"""


@explored(60)
@given(st.lists(st.sampled_from(EVERY_BLOCK.split("\n")), max_size=25).map("\n".join))
def test_lean_tokens_equal_markdown_it_pys_own(text: str) -> None:
    """The block parser's tokens (made without a dict of attributes and one of metadata
    each) equal those markdown-it-py makes with the same settings."""
    from markdown_it import MarkdownIt

    from listlint.document import _EMPTY, MAX_NESTING, parse

    plain = (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
        .enable("table")
        .disable(["inline", "text_join"])
    )
    for body in (text, EVERY_BLOCK):
        tokens = parse(body)
        assert tokens == plain.parse(body)
        assert all(t.attrs is _EMPTY for t in tokens if not t.attrs)
        assert any(t.attrs for t in parse(EVERY_BLOCK))  # an ordered list's start, aligns


ROW_PARTS = ["|", "\\|", "\\\\|", "\\", " ", "a", "`", "-", ":", "é"]


@explored(300)
@given(
    st.lists(st.lists(st.sampled_from(ROW_PARTS), max_size=12).map("".join), max_size=5),
    st.sampled_from(["| a | b |", "a | b", "|a|b|c|"]),
    st.sampled_from(["|---|---|", "| :- | -: |", "---|---", "|-|-|-|"]),
)
def test_table_rows_split_as_markdown_it_py_splits_them(
    rows: list[str], header: str, delimiter: str
) -> None:
    """The block parser splits a table row without a backslash with ``str.split``
    (``_plain_row_split``): the tokens equal markdown-it-py's, escaped pipes, escaped
    backslashes and code spans included."""
    import importlib

    from markdown_it import MarkdownIt

    from listlint.document import MAX_NESTING, _block_parser, parse

    module = importlib.import_module("markdown_it.rules_block.table")
    table_rules = [r.fn for r in _block_parser().block.ruler.__rules__ if r.name == "table"]
    assert table_rules[0] is not module.table  # the split is in place
    plain = (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
        .enable("table")
        .disable(["inline", "text_join"])
    )
    for body in (
        "\n".join([header, delimiter, *rows]) + "\n",
        "> " + "\n> ".join([header, delimiter, *rows]),
        "- x\n\n  " + "\n  ".join([header, delimiter, *rows]),
    ):
        assert parse(body) == plain.parse(body)


# Line starts for every block rule, and the characters that start none; prefixes that put
# a line in a list item, a block quote, a code block or a lazy continuation.
LINE_STARTS = ["```", "~~~", ">", "***", "---", "___", "- ", "* ", "+ ", "1. ", "2) ", "#", "# "]
LINE_STARTS += ["[a]: /u", "[a]", "<div>", "<!-- c -->", "|", "| a |", "a |", "===", "a", "é"]
LINE_PREFIXES = ["", " ", "  ", "    ", "\t", "> ", "- ", "  - ", "1. "]
LINES = st.tuples(st.sampled_from(LINE_PREFIXES), st.sampled_from([*LINE_STARTS, ""])).map("".join)


@explored(400)
@given(st.lists(LINES, max_size=14).map("\n".join))
def test_block_rules_chosen_by_first_character_parse_as_markdown_it_py(text: str) -> None:
    """The block parser tries, at each line, only the rules that can start with its first
    character (``_by_first_character``), and its rules log nothing: the tokens equal
    markdown-it-py's with the same settings, in lists, block quotes and tables too."""
    from markdown_it import MarkdownIt

    from listlint.document import MAX_NESTING, _block_parser, parse

    assert all(len(rules) == 1 for rules in (_block_parser().block.ruler.__cache__ or {}).values())
    plain = (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
        .enable("table")
        .disable(["inline", "text_join"])
    )
    for body in (text, text + "\n| a | b |\n| - | - |\n" + text, "> " + text.replace("\n", "\n> ")):
        assert parse(body) == plain.parse(body)


def test_markdown_it_pys_debug_messages_are_kept_when_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With markdown-it-py's debug messages logged, a block parser made then keeps its
    rules' messages (they are made quiet only when nothing would be logged)."""
    import logging

    from listlint import document

    monkeypatch.setattr(document, "_BLOCK_PARSER", None)
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        document.parse("# a\n\n- b\n")
    assert any("entering heading" in r.getMessage() for r in caplog.records)
    monkeypatch.setattr(document, "_BLOCK_PARSER", None)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="markdown_it"):
        document.parse("# a\n")
    with caplog.at_level(logging.DEBUG, logger="markdown_it"):
        document.parse("# a\n")
    assert not caplog.records


def test_a_rule_writing_into_the_shared_attributes_gets_markdown_it_pys_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A parser setting under which a block rule writes into a token's attributes (task
    lists: a class on each item) parses with markdown-it-py's own tokens instead."""
    from markdown_it import MarkdownIt

    from listlint.document import MAX_NESTING, _block_parser, parse

    monkeypatch.setitem(_block_parser().options, "tasklists", True)
    text = "- [ ] task\n- [x] done\n"
    plain = (
        MarkdownIt("commonmark", {"maxNesting": MAX_NESTING, "tasklists": True})
        .enable("table")
        .disable(["inline", "text_join"])
    )
    tokens = parse(text)
    assert tokens == plain.parse(text)
    assert tokens[1].attrs == {"class": "task-list-item"}


def test_a_check_keeps_no_rendering_of_its_text(tmp_path: Path) -> None:
    """The views read what they need from GitHub's rendering at once (tables, headings,
    anchors); a check then keeps no copy of the HTML (memoised, or kept whole to be cut
    into pieces by a later rendering), since nothing renders its text again."""
    from listlint import github
    from listlint.api import lint_text, load_job

    rows = "".join(f"| [e{i}](https://example.org/{i}) | entry {i} |\n" for i in range(3000))
    text = "# List\n\n- [Table](#table)\n\n## Table\n\n| Name | About |\n| --- | --- |\n" + rows
    assert len(text) >= github.PIECEWISE_AT  # long enough to be rendered by pieces later
    job, _ = load_job(tmp_path)
    result = lint_text(text, job)
    assert result.document is not None and len(result.document.tables) == 1
    assert result.document.structure.exists("table")
    assert not any(key[0] == text for key in github._memo)
    assert github._PIECES._whole is None or github._PIECES._whole[0] != text


INDENTED = st.lists(st.sampled_from([" ", "\t", "\n", "a", "-", ">", "1.", "`"]), max_size=40)


@explored(400)
@given(INDENTED.map("".join))
def test_line_markers_are_markdown_it_pys(text: str) -> None:
    """``line_markers`` (leading spaces and tabs measured by a regex) makes the markers
    markdown-it-py's ``StateBlock`` makes a character at a time, tabs expanded, a last
    line of only spaces and tabs without a newline included; both parsers use them."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.state_block import StateBlock

    from listlint.document import MAX_NESTING, _full_parser, line_markers, parse, render

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    state = StateBlock(text, md, {}, [])
    expected = (state.bMarks, state.eMarks, state.tShift, state.sCount)
    assert line_markers(text) == expected
    assert parse(text) == md.disable(["inline", "text_join"]).parse(text)
    assert render(text) == MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(
        "table"
    ).render(text)
    assert "parse" in vars(_full_parser().block)  # its block pass is the quick one


def test_a_deep_nested_list_parses_as_markdown_it_py_parses_it() -> None:
    """The input that made line markers matter (adversarial.py's deep list, smaller)."""
    from markdown_it import MarkdownIt

    from listlint.document import MAX_NESTING, parse

    text = "".join("  " * i + "- x\n" for i in range(300)) + "\t\t- tab\n  \t- mixed\n"
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    assert parse(text) == md.disable(["inline", "text_join"]).parse(text)
