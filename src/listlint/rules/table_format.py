"""Checks for tables that are neither consistently compact nor consistently aligned."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Literal

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.tables import Row, Table

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufe0e\ufe0f")

NAME = "table-format"
CODE = "LL104"
SUMMARY = "Table is neither consistently compact nor consistently aligned"
SEVERITY = "warning"
DEFAULT = False
FIX = "safe"
SCOPE = "block"


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
    for table in doc.tables:
        width = table.width
        if any(len(row.cells) > width or not row.has_pipe for row in table.rows):
            continue  # table-column-count reports it; formatting could drop or merge a cell
        yield from _check_table(doc, table, options)


def _check_table(doc: Document, table: Table, options: Options) -> Iterator[Finding]:
    text = doc.text
    loose = options.loose_last_column
    widths = _column_widths(table) if options.max_width else None
    too_wide = widths is not None and sum(widths) + 3 * len(widths) + 1 > options.max_width
    if options.style == "any" and not too_wide:
        # A table that keeps one layout throughout (most, and every table once formatted)
        # is told by one of the two tests: the one its header row suggests goes first.
        if _row_compact(text, table, table.header):
            not_compact = _not_compact(text, table)
            if not not_compact:
                return
            not_aligned = _not_aligned(text, table, loose)
        else:
            not_aligned = _not_aligned(text, table, loose)
            if not not_aligned:
                return
            not_compact = _not_compact(text, table)
        if not not_compact or not not_aligned:
            return
    else:
        not_compact = _not_compact(text, table)
        not_aligned = _not_aligned(text, table, loose)
    if options.style == "any" and not too_wide:
        # The layout the table already mostly has is the one its odd rows break.
        target = "compact" if len(not_compact) < len(not_aligned) else "aligned"
    elif options.style == "aligned" and not too_wide:
        target = "aligned"
    else:
        target = "compact"
    bad = not_aligned if target == "aligned" else not_compact
    if not bad:
        return
    compact = {id(row) for row in table.rows} - {id(row) for row in not_compact}
    if widths is None:
        widths = _column_widths(table)
    lines = _render(text, table, widths, target, loose, compact)
    edits = _edits(doc, table, lines)
    if not edits:
        return
    fix = Fix("Reformat the table" + (" (aligned)" if target == "aligned" else " (compact)"), edits)
    for row in bad:
        yield Finding(
            row.start + _indent_len(text, row),
            doc.line_ends[row.line],
            _message(table, row, target, too_wide and options.style != "compact"),
            fix,
        )


def _message(table: Table, row: Row, target: str, too_wide: bool) -> str:
    kind = (
        "header row"
        if row is table.header
        else "delimiter row"
        if row is table.delimiter
        else "row"
    )
    if target == "aligned":
        other = "the other rows" if row is table.header else "the header"
        return f"{kind} is not aligned with the table: its pipes are not in the columns of {other}"
    return f"{kind} breaks the table's compact layout (outer pipes, one space around each cell)" + (
        "; the table is too wide to align" if too_wide else ""
    )


def _indent_len(text: str, row: Row) -> int:
    i = row.start
    while i < row.end and text[i] in " \t":
        i += 1
    return i - row.start


def _column_widths(table: Table) -> list[int]:
    widths = [3] * table.width
    for row in (table.header, *table.body):
        for i, cell in enumerate(row.cells):
            widths[i] = max(widths[i], display_width(cell.text))
    return widths


def _segments(text: str, row: Row) -> list[str]:
    p = row.pipes
    return [text[p[i] + 1 : p[i + 1]] for i in range(len(p) - 1)]


def _row_compact(text: str, table: Table, row: Row) -> bool:
    # A short row is table-column-count's finding; compact is about the padding.
    if not (row.leading_pipe and row.trailing_pipe):
        return False
    # Read from the segments between the pipes, which are the cells untrimmed (a cell's
    # text is its segment without the spaces and tabs around it): the cells need not be
    # split. One space around each cell: " text ", or an empty cell as " " or "  ".
    segments = _segments(text, row)
    if row is table.delimiter:
        return all(_padded(s) for s in segments) or all(s == s.strip(" \t") for s in segments)
    return all(s == " " or _padded(s) for s in segments)


def _padded(segment: str) -> bool:
    """Is ``segment`` its cell's text with one space before and after?"""
    inner = segment[1:-1]
    return (
        len(segment) >= 2
        and segment[0] == " "
        and segment[-1] == " "
        and inner == inner.strip(" \t")
    )


def _not_compact(text: str, table: Table) -> list[Row]:
    return [row for row in table.rows if not _row_compact(text, table, row)]


def _pipe_columns(text: str, row: Row, loose: bool) -> list[int]:
    start = row.start
    if text[start : row.end].isascii():  # one column a character: where the pipes are
        columns = [p - start for p in row.pipes]
        if loose and row.trailing_pipe:
            columns.pop()
        return columns
    # Each character one column, but for the wide (+1) and zero-width (-1) ones before it.
    extra = 0
    columns = []
    pipes = row.pipes
    k = 0
    for m in _NON_ASCII.finditer(text, start, row.end):
        while k < len(pipes) and pipes[k] < m.start():
            columns.append(pipes[k] - start + extra)
            k += 1
        extra += display_width(m.group()) - 1
    columns += [p - start + extra for p in pipes[k:]]
    if loose and row.trailing_pipe:
        columns.pop()
    return columns


_NON_ASCII = lazy(r"[^\x00-\x7f]")


def _not_aligned(text: str, table: Table, loose: bool) -> list[Row]:
    """The rows whose pipes are not where the header's are; if most rows agree with each
    other and not with the header, the header is the odd one out."""
    columns = [_pipe_columns(text, row, loose) for row in table.rows]
    counts: dict[tuple[int, ...], int] = {}
    for c in columns:
        counts[tuple(c)] = counts.get(tuple(c), 0) + 1
    header = tuple(columns[0])
    best = max(counts, key=lambda k: (counts[k], k == header))
    if counts[best] == counts[header]:
        best = header
    return [row for row, c in zip(table.rows, columns, strict=True) if tuple(c) != best]


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


def _render(
    text: str, table: Table, widths: list[int], target: str, loose: bool, compact_rows: set[int]
) -> list[str]:
    """The table's rows as ``target`` lays them out (a compact table keeps the rows that
    are compact already, ``compact_rows`` by id, as they are written)."""
    aligns = table.aligns
    out = []
    last = len(widths) - 1
    for row in table.rows:
        if target == "compact" and len(row.cells) == len(widths) and id(row) in compact_rows:
            out.append(text[row.pipes[0] : row.pipes[-1] + 1])
            continue
        cells = []
        for i in range(len(widths)):
            # A short row gets empty cells, which the renderer shows anyway.
            cell = row.cells[i].text if i < len(row.cells) else ""
            compact = target == "compact" or (loose and i == last)
            if row is table.delimiter:
                cells.append(
                    _delimiter(aligns[i], _COMPACT_DASHES[aligns[i]] if compact else widths[i])
                )
            elif compact:
                cells.append(cell)
            else:
                cells.append(_pad(cell, widths[i], aligns[i]))
        out.append("| " + " | ".join(cells) + " |")
    return out


def _edits(doc: Document, table: Table, lines: Sequence[str]) -> tuple[Edit, ...]:
    text = doc.text
    # Each row keeps its own block quote or list prefix (the list marker on the item's
    # first line) and takes the header's indentation after it, unless that is deep
    # enough to make an indented code block of a row (a header that continues a
    # paragraph may be indented any amount).
    header = table.header
    indent = text[header.start : header.start + _indent_len(text, header)]
    if "\t" in indent or len(indent) > 3 or header.lazy:
        indent = ""  # a lazy header's indentation would be a first cell
    edits = []
    for row, new in zip(table.rows, lines, strict=True):
        line = text[row.line_start : row.start] + indent + new
        if text[row.line_start : row.end] != line:
            edits.append(Edit(row.line_start, row.end, line))
    return tuple(edits)
