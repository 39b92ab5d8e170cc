"""Checks for table-shaped lines that do not render as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.registry import NoOptions
from listlint.views.tables import inner_pipes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.tables import BrokenTable

NAME = "table-broken"
CODE = "LL102"
SUMMARY = "Table-shaped lines render as a paragraph, not a table"
SEVERITY = "error"
DEFAULT = True
FIX = "unsafe"


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for broken in doc.tables.broken:
        if broken.reason == "delimiter":
            yield _bad_delimiter(broken)
        elif broken.reason == "count":
            yield _count(doc, broken)
        else:
            yield _context(doc, broken)


def _bad_delimiter(broken: BrokenTable) -> Finding:
    cell = broken.bad_cell
    assert cell is not None
    return Finding(
        cell.start,
        max(cell.end, cell.start + 1),
        f"delimiter cell `{cell.text}` is not dashes with optional colons "
        "(`---`, `:---`, `---:`, `:---:`), so the table renders as a paragraph of pipes",
    )


def _count(doc: Document, broken: BrokenTable) -> Finding:
    header, delimiter = broken.header, broken.delimiter
    n, m = len(header.cells), len(delimiter.cells)
    cells = [c.text for c in delimiter.cells[:n]] + ["---"] * (n - m)
    body = " | ".join(cells)
    new = (
        ("| " if delimiter.leading_pipe else "")
        + body
        + (" |" if delimiter.trailing_pipe or n == 1 else "")
    )
    line_end = doc.line_ends[delimiter.line]
    inner = inner_pipes(doc.text, header)
    if inner and n - len(inner) == m:
        return Finding(
            inner[0],
            inner[0] + 1,
            f"the header row has {n} cells but the delimiter row has {m} because a `|` inside "
            "a code span or link splits a header cell, so the table renders as a paragraph",
        )
    return Finding(
        delimiter.cells[0].start if delimiter.cells else delimiter.start,
        line_end,
        f"the header row has {n} cells but the delimiter row has {m}, "
        "so the table renders as a paragraph of pipes",
        Fix(
            f"Rewrite the delimiter row with {n} cells",
            (Edit(delimiter.start, line_end, new),),
            "unsafe",
        ),
    )


def _context(doc: Document, broken: BrokenTable) -> Finding:
    header = broken.header
    fix = None
    above = doc.line(header.line - 1).strip() if header.line > 0 else ""
    if header.start == header.line_start and above:
        fix = Fix(
            "Insert a blank line before the table",
            (Edit(header.line_start, header.line_start, doc.newline),),
            "unsafe",
        )
    return Finding(
        header.start,
        doc.line_ends[header.line],
        "these lines are shaped like a table but render as text: they continue the paragraph "
        "or list item above; a blank line is needed before the table",
        fix,
    )
