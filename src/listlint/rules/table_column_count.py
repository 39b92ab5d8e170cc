"""Checks for table rows whose cell count differs from the header's."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from listlint.diagnostic import Edit, Finding, Fix
from listlint.views.tables import inner_pipes

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.tables import Row, Table

NAME = "table-column-count"
CODE = "LL101"
SUMMARY = "Table row has more or fewer cells than the header"
SEVERITY = "error"
DEFAULT = True
FIX = "sometimes"


class Options(NamedTuple):
    """The options of table-column-count, from [rules.table-column-count] in the configuration."""

    pad_short_rows: bool = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for table in doc.tables:
        width = table.width
        for row in table.body:
            n = len(row.cells)
            if n == width:
                continue
            if not row.has_pipe:
                yield _absorbed_line(doc, table, row)
            elif n < width:
                yield _short(row, width, options)
            else:
                yield _long(doc, row, width)


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def _short(row: Row, width: int, options: Options) -> Finding:
    n = len(row.cells)
    missing = width - n
    fix = None
    if options.pad_short_rows:
        pad = " |" * missing if row.trailing_pipe else " |" * (missing + 1)
        fix = Fix(f"Add {_cells(missing)}", (Edit(row.end, row.end, pad),))
    start = row.cells[0].start if row.cells else row.start
    return Finding(
        start,
        row.end,
        f"row has {_cells(n)} but the header has {width}; "
        + (
            "the missing cell renders empty"
            if missing == 1
            else f"the {missing} missing cells render empty"
        ),
        fix,
    )


def _long(doc: Document, row: Row, width: int) -> Finding:
    extra = row.cells[width:]
    text = doc.text
    first_pipe = _pipe_before(text, extra[0].start, row.start)
    if all(not c.text for c in extra) and first_pipe is not None:
        # Only empty cells are dropped: removing them loses nothing and renders the same.
        last_pipe = text.rfind("|", row.start, row.end)
        return Finding(
            first_pipe,
            last_pipe + 1,
            f"row has {_cells(len(row.cells))} but the header has {width}; "
            + ("the extra cell is empty" if len(extra) == 1 else "the extra cells are empty"),
            Fix("Remove the empty extra cells", (Edit(first_pipe, last_pipe, ""),)),
        )
    dropped = " | ".join(c.text for c in extra if c.text)
    inner = inner_pipes(text, row)
    if inner and len(row.cells) - len(inner) == width:
        return Finding(
            inner[0],
            inner[0] + 1,
            f"row has {_cells(len(row.cells))} but the header has {width} because a `|` "
            "inside a code span or link splits a cell; the last cell is dropped when rendered",
        )
    # Escaping the pipes that open the extra cells merges them into the last column.
    edits = tuple(
        Edit(p, p + 1, "\\|")
        for p in (_pipe_before(text, c.start, row.start) for c in extra)
        if p is not None
    )
    return Finding(
        extra[0].start,
        max(extra[-1].end, extra[0].start),
        f"row has {_cells(len(row.cells))} but the header has {width}; "
        + (
            f"the extra cell (`{dropped}`) is dropped"
            if len(extra) == 1
            else f"the {len(extra)} extra cells (`{dropped}`) are dropped"
        )
        + " when the table is rendered",
        Fix("Escape the extra pipes so the text stays in the last column", edits, "unsafe"),
    )


def _pipe_before(text: str, pos: int, floor: int) -> int | None:
    p = text.rfind("|", floor, pos)
    return p if p != -1 else None


def _absorbed_line(doc: Document, table: Table, row: Row) -> Finding:
    fix = None
    if not table.containers:
        fix = Fix(
            "Insert a blank line to end the table",
            (Edit(row.line_start, row.line_start, doc.newline),),
            "unsafe",
        )
    text = row.cells[0].text if row.cells else ""
    return Finding(
        row.cells[0].start if row.cells else row.start,
        row.end,
        f"line `{text[:40]}` has no pipe but is read as a one-cell row of the table above; "
        "a blank line is needed to end the table",
        fix,
    )
