"""Checks for tables that are neither consistently compact nor consistently aligned."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Literal, NamedTuple

from listlint.diagnostic import Edit, Finding, Fix

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.tables import Row, Table

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f")

NAME = "table-format"
CODE = "LL104"
SUMMARY = "Table is neither consistently compact nor consistently aligned"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"


class Options(NamedTuple):
    """The options of table-format, from [rules.table-format] in the configuration."""

    style: Literal["any", "aligned", "compact"] = "any"
    max_width: int = 0
    loose_last_column: bool = False


def display_width(text: str) -> int:
    """Columns an editor gives ``text`` in a monospace font: East Asian wide and fullwidth
    characters count 2; combining marks and zero-width characters 0 (Unicode's East Asian
    Width property, as mdformat and markdownlint count)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if ch.isascii():
            width += 1
        elif unicodedata.combining(ch) or ch in _ZERO_WIDTH or unicodedata.category(ch) == "Cf":
            continue
        else:
            width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def check(doc: Document, options: Options) -> Iterator[Finding]:
    # Last lines of blocks that take lazy continuation lines.
    absorbing = {
        tok.map[1] - 1
        for tok in doc.tokens
        if tok.map is not None and tok.type in ("paragraph_open", "table_open")
    }
    for table in doc.tables:
        width = table.width
        if any(len(row.cells) > width or not row.has_pipe for row in table.rows):
            continue  # table-column-count reports it; formatting could drop or merge a cell
        if not table.header.leading_pipe and table.header.line - 1 in absorbing:
            # Its header line interrupted the block above (it may even start with `>`);
            # written with a leading pipe it could become a continuation of that block.
            continue
        finding = _check_table(doc, table, options)
        if finding is not None:
            yield finding


def _check_table(doc: Document, table: Table, options: Options) -> Finding | None:
    text = doc.text
    widths = _column_widths(table)
    target = options.style if options.style != "any" else "aligned"
    if (
        options.max_width
        and target == "aligned"
        and sum(widths) + 3 * len(widths) + 1 > (options.max_width)
    ):
        target = "compact"
    compact_line = _first_not_compact(text, table)
    aligned_line = _first_not_aligned(text, table, options.loose_last_column)
    if options.style == "any" and target == "aligned":
        if compact_line is None or aligned_line is None:
            return None
        bad = min(compact_line, aligned_line)
        problem = (
            f"neither compact nor aligned: line {compact_line + 1} breaks the compact layout "
            f"(one space around each cell) and line {aligned_line + 1} the aligned one "
            "(pipes in the same columns)"
        )
    elif target == "aligned":
        if aligned_line is None:
            return None
        bad = aligned_line
        problem = f"not aligned: the pipes of line {bad + 1} are not in the header's columns"
    else:
        if compact_line is None:
            return None
        bad = compact_line
        problem = f"not compact: line {bad + 1} does not have one space around each cell" + (
            " (the table is too wide to align)" if options.style != "compact" else ""
        )
    lines = _render(table, widths, target, options.loose_last_column)
    edits = _edits(doc, table, lines)
    if not edits:
        return None
    return Finding(
        table.header.start,
        doc.line_ends[table.header.line],
        f"table is {problem}",
        Fix("Reformat the table" + (" (aligned)" if target == "aligned" else " (compact)"), edits),
    )


def _column_widths(table: Table) -> list[int]:
    widths = [3] * table.width
    for row in (table.header, *table.body):
        for i, cell in enumerate(row.cells):
            widths[i] = max(widths[i], display_width(cell.text))
    return widths


def _segments(text: str, row: Row) -> list[str]:
    p = row.pipes
    return [text[p[i] + 1 : p[i + 1]] for i in range(len(p) - 1)]


def _first_not_compact(text: str, table: Table) -> int | None:
    for row in table.rows:
        # A short row is table-column-count's finding; compact is about the padding.
        if not (row.leading_pipe and row.trailing_pipe):
            return row.line
        segments = _segments(text, row)
        if row is table.delimiter:
            padded = all(s == f" {c.text} " for s, c in zip(segments, row.cells, strict=True))
            tight = all(s == c.text for s, c in zip(segments, row.cells, strict=True))
            if not (padded or tight):
                return row.line
        elif not all(
            s == f" {c.text} " or (not c.text and s in (" ", "  "))
            for s, c in zip(segments, row.cells, strict=True)
        ):
            return row.line
    return None


def _pipe_columns(text: str, row: Row, loose: bool) -> list[int]:
    columns = []
    col = 0
    pos = row.start
    for p in row.pipes:
        col += display_width(text[pos:p])
        columns.append(col)
        col += 1
        pos = p + 1
    if loose and row.trailing_pipe:
        columns.pop()
    return columns


def _first_not_aligned(text: str, table: Table, loose: bool) -> int | None:
    expected = _pipe_columns(text, table.header, loose)
    for row in table.rows[1:]:
        if _pipe_columns(text, row, loose) != expected:
            return row.line
    return None


def _pad(cell: str, width: int, align: str) -> str:
    space = width - display_width(cell)
    if align == "right":
        return " " * space + cell
    if align == "center":
        left = space // 2
        return " " * left + cell + " " * (space - left)
    return cell + " " * space


def _delimiter(align: str, width: int) -> str:
    if align == "center":
        return ":" + "-" * (width - 2) + ":"
    if align == "left":
        return ":" + "-" * (width - 1)
    if align == "right":
        return "-" * (width - 1) + ":"
    return "-" * width


_COMPACT_DASHES = {"": 3, "left": 4, "right": 4, "center": 5}


def _render(table: Table, widths: list[int], target: str, loose: bool) -> list[str]:
    aligns = table.aligns
    out = []
    last = len(widths) - 1
    for row in table.rows:
        cells = []
        for i in range(len(widths)):
            # A short row gets empty cells, which the renderer shows anyway.
            text = row.cells[i].text if i < len(row.cells) else ""
            compact = target == "compact" or (loose and i == last)
            if row is table.delimiter:
                cells.append(
                    _delimiter(aligns[i], _COMPACT_DASHES[aligns[i]] if compact else widths[i])
                )
            elif compact:
                cells.append(text)
            else:
                cells.append(_pad(text, widths[i], aligns[i]))
        out.append("| " + " | ".join(cells) + " |")
    return out


def _edits(doc: Document, table: Table, lines: Sequence[str]) -> tuple[Edit, ...]:
    text = doc.text
    # At top level every row takes the header's indentation; inside block quotes and list
    # items each row keeps its own container prefix.
    indent = None
    if not table.containers:
        header = table.header
        first = header.cells[0].start if header.cells else header.end
        raw = text[header.line_start : header.pipes[0] if header.leading_pipe else first]
        indent = raw[: len(raw) - len(raw.lstrip(" "))]
    edits = []
    for row, new in zip(table.rows, lines, strict=True):
        line = (text[row.line_start : row.start] if indent is None else indent) + new
        if text[row.line_start : row.end] != line:
            edits.append(Edit(row.line_start, row.end, line))
    return tuple(edits)
