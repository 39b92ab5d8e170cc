"""Checks for an unescaped pipe inside a code span or link in a table row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.registry import NoOptions
from listlint.views.tables import TableJudge, inner_pipes, is_comment_cell

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.tables import Row

NAME = "table-pipe-in-code"
CODE = "LL103"
SUMMARY = "Unescaped pipe inside a code span or link splits a table cell"
SEVERITY = "error"
DEFAULT = True
FIX = "unsafe"
SCOPE = "block"


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for table in doc.tables:
        for row in (table.header, *table.body):
            yield from _row(doc, row, table.width)
    judge = TableJudge(doc.text)
    for broken in doc.tables.broken:
        if broken.reason == "count":
            yield from _row(doc, broken.header, len(broken.delimiter.cells), judge)


def _row(
    doc: Document, row: Row, expected: int, judge: TableJudge | None = None
) -> Iterator[Finding]:
    pipes = inner_pipes(doc.text, row)
    # Only where escaping them gives the row the cell count its table expects.
    if not pipes or len(row.cells) - len(pipes) != expected:
        return
    # Escaping a header's pipes makes a table appear; not if it would also turn the lines
    # after it into other blocks.
    # Nor if a hidden note after the last cell would move into view.
    fixable = not any(is_comment_cell(c.text) for c in row.cells[expected:]) and (
        judge is None or judge.sound(tuple(Edit(p, p, "\\") for p in pipes))
    )
    for p in pipes:
        yield Finding(
            p,
            p + 1,
            "this `|` inside a code span or link splits the table cell in two; "
            "escape it as `\\|` (it still renders as `|`)",
            Fix("Escape the pipe", (Edit(p, p, "\\"),), "unsafe") if fixable else None,
        )
