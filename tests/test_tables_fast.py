"""``inner_pipes``'s shortcuts give what its general reading gives: the splitting pipes
inside a code span or a link of a table row, whatever the row holds."""

from __future__ import annotations

import re

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.views.links import code_spans
from listlint.views.tables import Row, inner_pipes

PIECES = st.sampled_from(
    ["|", "`", "``", "[a](u)", "![i](v)", "[", "]", "(", ")", "](", "!", "x", " ", "\\", '"t"']
)
ROWS = st.lists(PIECES, min_size=1, max_size=14).map("".join)
# The links inner_pipes looks for, with an image's `!` (which it now leaves out).
LINK = re.compile(r"!?\[[^\[\]\n]*\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")


def _general(text: str, row: Row) -> list[int]:
    """inner_pipes before its shortcut for rows with code (and with the `!` of images)."""
    content = text[row.start : row.end]
    if len(row.pipes) < 2 or ("`" not in content and "](" not in content):
        return []
    if "`" not in content and "|" not in "".join(LINK.findall(content)):
        return []
    if "`" not in content and all(
        c.text.count("[") == c.text.count("]") and c.text.count("(") == c.text.count(")")
        for c in row.cells
    ):
        return []
    spans = [(row.start + s, row.start + e) for s, e in code_spans(content)]
    if "](" in content:
        spans += [(row.start + m.start(), row.start + m.end()) for m in LINK.finditer(content)]
    return sorted({p for p in row.pipes for s, e in spans if s < p < e - 1})


def _rows(text: str) -> list[tuple[Row, ...]]:
    tables = Document(text).tables
    return [t.rows for t in tables] + [(b.header, b.delimiter) for b in tables.broken]


@explored(400)
@given(ROWS, ROWS)
@example("`a | b` | c", "x")
@example("`a` | `b`", "`c | d`")
@example("![i](v|w) | x", "[a](b | c)")
@example("\\`a | b`", "``a | ` | b``")
def test_inner_pipes_as_the_general_reading(first: str, second: str) -> None:
    text = f"| h | k |\n| - | - |\n| {first} |\n| {second} |\n\n| {first} |\n| - |\n"
    doc = Document(text)
    seen = 0
    for rows in _rows(text):
        for row in rows:
            assert inner_pipes(doc.text, row) == _general(doc.text, row)
            seen += 1
    assert seen


def _pipes_by_find(text: str, start: int, end: int, lazy: bool) -> tuple[int, ...]:
    """``split_row``'s splitting pipes as it found them before its split: one ``find``
    at a time, a pipe after a backslash not splitting."""
    i, j = start, end
    while i < j and text[i] in " \t" and not lazy:
        i += 1
    while j > i and text[j - 1] in " \t":
        j -= 1
    pipes = []
    if i < j and text[i] == "|":
        pipes.append(i)
        i += 1
    trailing = j > i and text[j - 1] == "|" and (j - 2 < start or text[j - 2] != "\\")
    if trailing:
        j -= 1
    p = text.find("|", i, j)
    while p != -1:
        if p == start or text[p - 1] != "\\":
            pipes.append(p)
        p = text.find("|", p + 1, j)
    if trailing:
        pipes.append(j)
    return tuple(pipes)


@explored(500)
@given(
    st.text(alphabet="|\\ \tab`", max_size=16), st.text(alphabet="> x", max_size=3), st.booleans()
)
def test_split_row_finds_the_pipes_one_find_at_a_time_finds(
    row: str, prefix: str, lazy: bool
) -> None:
    from listlint.views.tables import split_row

    text = prefix + row + "\n"
    start, end = len(prefix), len(prefix) + len(row)
    found = split_row(text, start, end, 0, 0, lazy)
    assert found.pipes == _pipes_by_find(text, start, end, lazy)
    assert len(found.cells) == len(found.pipes) - found.leading_pipe - found.trailing_pipe + 1
