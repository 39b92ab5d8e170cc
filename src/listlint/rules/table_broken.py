"""Checks for table-shaped lines that do not render as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.registry import NoOptions
from listlint.views.tables import TableJudge, inner_pipes

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
SCOPE = "block"


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    judge = TableJudge(doc.text)
    for broken in doc.tables.broken:
        if broken.reason == "delimiter":
            yield _bad_delimiter(broken)
        elif broken.reason == "count":
            yield _count(doc, broken, judge)
        else:
            yield _context(doc, broken, judge)


def _bad_delimiter(broken: BrokenTable) -> Finding:
    cell = broken.bad_cell
    assert cell is not None
    return Finding(
        cell.start,
        max(cell.end, cell.start + 1),
        f"delimiter cell `{cell.text}` is not dashes with optional colons "
        "(`---`, `:---`, `---:`, `:---:`), so the table renders as a paragraph of pipes",
    )


def _count(doc: Document, broken: BrokenTable, judge: TableJudge) -> Finding:
    header, delimiter = broken.header, broken.delimiter
    n, m = len(header.cells), len(delimiter.cells)
    line_end = doc.line_ends[delimiter.line]
    inner = inner_pipes(doc.text, header)
    if inner:
        # Escaping the pipe (table-pipe-in-code) is the author's call; rewriting the
        # delimiter would cut the code span or link in two.
        return Finding(
            inner[0],
            inner[0] + 1,
            f"the header row has {_cells(n)} but the delimiter row has {m}; a `|` inside a code "
            "span or link splits a header cell, so the table renders as a paragraph",
        )
    cells = [c.text for c in delimiter.cells[:n]] + ["---"] * (n - m)
    new = (
        ("| " if delimiter.leading_pipe else "")
        + " | ".join(cells)
        + (" |" if delimiter.trailing_pipe or n == 1 else "")
    )
    if not new.startswith("|") and _LIST_ITEM.match(new):
        new = "| " + new + ("" if new.endswith("|") else " |")  # `- |` would be a list item
    fix = None
    edit = Edit(delimiter.start, line_end, new)
    if _renders_table(doc.text[header.start : header.end], new, n) and judge.sound((edit,)):
        fix = Fix(f"Rewrite the delimiter row with {n} cells", (edit,), "unsafe")
    return Finding(
        delimiter.cells[0].start if delimiter.cells else delimiter.start,
        line_end,
        f"the header row has {_cells(n)} but the delimiter row has {m}, "
        "so the table renders as a paragraph of pipes",
        fix,
    )


def _context(doc: Document, broken: BrokenTable, judge: TableJudge) -> Finding:
    header, delimiter = broken.header, broken.delimiter
    fix = None
    above = doc.line(header.line - 1).strip() if header.line > 0 else ""
    text = doc.text
    # The newline of the line above: an LF inserted after a bare CR would merge with it
    # into one CRLF line break, and no blank line would appear.
    edit = Edit(header.line_start, header.line_start, doc.newline_after(header.line - 1))
    if (
        header.start == header.line_start
        and delimiter.start == delimiter.line_start
        and above
        and _renders_table(
            text[header.line_start : header.end],
            text[delimiter.line_start : delimiter.end],
            len(header.cells),
        )
        and judge.sound((edit,))
    ):
        fix = Fix("Insert a blank line before the table", (edit,), "unsafe")
    return Finding(
        header.start,
        doc.line_ends[header.line],
        "these lines are shaped like a table but render as text: they continue the paragraph "
        "or list item above; a blank line is needed before the table",
        fix,
    )


_LIST_ITEM = lazy(r"[-+*][ \t]")
_HEADER_CELL = lazy(r"<th[ >]")


def _renders_table(header: str, delimiter: str, cells: int) -> bool:
    """Whether GitHub renders these two lines, on their own, as a table with ``cells``
    columns: a fix that writes them must make a table, not an indented code block, a list
    item or a heading (one small rendering, only for the rare broken table)."""
    from listlint.github import render_html

    html = render_html(f"{header}\n{delimiter}\n")
    return html.startswith("<table>") and len(_HEADER_CELL.findall(html)) == cells


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"
