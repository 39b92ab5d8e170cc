"""Checks for table rows whose cell count differs from the header's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.records import NamedTuple
from listlint.views.tables import inner_pipes, is_comment_cell

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.tables import Cell, Row, Table

NAME = "table-column-count"
CODE = "LL101"
SUMMARY = "Table row has more or fewer cells than the header"
SEVERITY = "error"
DEFAULT = True
FIX = "sometimes"
SCOPE = "block"


class Options(NamedTuple):
    """The options of table-column-count, from [rules.table-column-count] in the configuration."""

    pad_short_rows: bool = True
    report_comment_cells: bool = False
    report_empty_extra_cells: bool = False


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
                finding = _long(doc, row, width, options)
                if finding is not None:
                    yield finding


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


def _long(doc: Document, row: Row, width: int, options: Options) -> Finding | None:
    extra = row.cells[width:]
    text = doc.text
    first_pipe = _pipe_before(text, extra[0].start, row.start)
    n = len(row.cells)
    if all(not c.text for c in extra):
        # Only empty cells are dropped (a stray last pipe): GitHub shows the row as meant.
        if not options.report_empty_extra_cells or first_pipe is None:
            return None
        # Removing them loses nothing and renders the same.
        last_pipe = text.rfind("|", row.start, row.end)
        return Finding(
            first_pipe,
            last_pipe + 1,
            f"row has {_cells(n)} but the header has {width}; "
            + ("the extra cell is empty" if len(extra) == 1 else "the extra cells are empty"),
            Fix("Remove the empty extra cells", (Edit(first_pipe, last_pipe, ""),)),
        )
    comments = [c for c in extra if is_comment_cell(c.text)]
    if not options.report_comment_cells and all(not c.text or c in comments for c in extra):
        return None  # a hidden note after the last cell: GitHub drops it, as meant
    inner = inner_pipes(text, row)
    if inner and n - len(inner) == width:
        return Finding(
            inner[0],
            inner[0] + 1,
            f"row has {_cells(n)} but the header has {width} because a `|` "
            "inside a code span or link splits a cell; the last cell is dropped when rendered",
        )
    return Finding(
        extra[0].start,
        max(extra[-1].end, extra[0].start),
        f"row has {_cells(n)} but the header has {width}; "
        + _dropped(extra)
        + " when the table is rendered",
        _escape_fix(text, row, row.cells[width - 1], extra, comments),
    )


def _dropped(extra: tuple[Cell, ...]) -> str:
    """What the extra cells hold, counted exactly: `the 3 extra cells (`a`, `b` and one
    empty cell) are dropped`."""
    quoted = [f"`{c.text}`" for c in extra if c.text]
    empty = len(extra) - len(quoted)
    if empty:
        quoted.append("one empty cell" if empty == 1 else f"{empty} empty cells")
    what = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    if len(extra) == 1:
        return f"the extra cell ({what}) is dropped"
    return f"the {len(extra)} extra cells ({what}) are dropped"


def _escape_fix(
    text: str, row: Row, last: Cell, extra: tuple[Cell, ...], comments: list[Cell]
) -> Fix | None:
    """Escaping the pipes that open the extra cells merges them into the last column. A
    hidden note is never made visible: the escaping stops before the first comment cell,
    and there is no fix when a comment cell comes before text. Empty cells among them
    (the last column's own, or an extra one) are dropped from the merge instead of
    showing as a stray `|`: `| x | | text |` under two columns becomes `| x | text |`."""
    visible = list(extra)
    while visible and (not visible[-1].text or visible[-1] in comments):
        visible.pop()
    if any(c in comments for c in visible):
        return None
    merged = [last, *visible]
    if any(not c.text for c in merged):
        opening = _pipe_before(text, last.start, row.start)
        start = last.start if opening is None else opening + 1
        joined = " \\| ".join(c.text for c in merged if c.text)
        move = Edit(start, visible[-1].end, joined if opening is None else " " + joined)
        return Fix("Move the extra cells' text into the last column", (move,), "unsafe")
    edits = tuple(
        Edit(p, p + 1, "\\|")
        for p in (_pipe_before(text, c.start, row.start) for c in visible)
        if p is not None
    )
    if not edits:
        return None
    return Fix("Escape the extra pipes so the text stays in the last column", edits, "unsafe")


def _pipe_before(text: str, pos: int, floor: int) -> int | None:
    p = text.rfind("|", floor, pos)
    return p if p != -1 else None


def _absorbed_line(doc: Document, table: Table, row: Row) -> Finding:
    fix = None
    # Only for the table's last line: rows after it would become text of its paragraph.
    if not table.containers and row is table.body[-1]:
        fix = Fix(
            "Insert a blank line to end the table",
            # The newline of the line above: a bare CR followed by an inserted LF would
            # merge into one CRLF line break.
            (Edit(row.line_start, row.line_start, doc.newline_after(row.line - 1)),),
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
