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
# A character that may not take one column: past Latin-1, and the soft hyphen (format,
# "Cf"). Every other Latin-1 character is neither combining, nor a format character,
# nor wide (tests/test_table_format_widths.py checks each): a text without one of these
# takes one column a character, as an ASCII one (names such as "Müller" in a table).
_NOT_ONE_COLUMN = lazy(r"[^\x00-\xac\xae-\xff]")

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
    if text.isascii() or not _NOT_ONE_COLUMN.search(text):
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
    rows = table.rows
    # Every row's cell texts, read once (when a test needs them: an aligned table that
    # stays aligned is told by its pipes alone).
    texts: list[list[str]] | None = None
    widths = None
    if options.max_width:
        texts = [row.cells.texts() for row in rows]
        widths = _column_widths(table, texts)
    too_wide = widths is not None and sum(widths) + 3 * len(widths) + 1 > options.max_width
    if options.style == "any" and not too_wide:
        # A table that keeps one layout throughout (most, and every table once formatted)
        # is told by one of the two tests: the one its header row suggests goes first.
        if _row_compact(text, table, table.header, table.header.cells.texts()):
            if texts is None:
                texts = [row.cells.texts() for row in rows]
            not_compact = _not_compact(text, table, texts)
            if not not_compact:
                return
            not_aligned = _not_aligned(text, table, loose)
        else:
            not_aligned = _not_aligned(text, table, loose)
            if not not_aligned:
                return
            if texts is None:
                texts = [row.cells.texts() for row in rows]
            not_compact = _not_compact(text, table, texts)
        if not not_compact or not not_aligned:
            return
    else:
        if texts is None:
            texts = [row.cells.texts() for row in rows]
        not_compact = _not_compact(text, table, texts)
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
    compact = {id(row) for row in rows} - {id(row) for row in not_compact}
    if widths is None and target == "aligned":
        widths = _column_widths(table, texts)
    lines = _render(text, table, texts, widths, target, loose, compact)
    edits = _edits(doc, table, lines)
    if not edits:
        return
    fix = Fix("Reformat the table" + (" (aligned)" if target == "aligned" else " (compact)"), edits)
    line_ends = doc.line_ends
    wide = too_wide and options.style != "compact"
    body_message = None  # the same for every body row
    for row in bad:
        if row is table.header or row is table.delimiter:
            message = _message(table, row, target, wide)
        else:
            if body_message is None:
                body_message = _message(table, row, target, wide)
            message = body_message
        start = row.start
        if start < row.end and text[start] in " \t":
            start += _indent_len(text, row)
        yield Finding(start, line_ends[row.line], message, fix)


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


def _column_widths(table: Table, texts: Sequence[Sequence[str]]) -> list[int]:
    """Each column's display width: its widest cell in the header and body rows (``texts``,
    every row's cell texts), at least 3."""
    widths = [3] * table.width
    for k, cells in enumerate(texts):
        if k == 1:
            continue  # the delimiter row
        for i, cell in enumerate(cells):
            width = len(cell) if cell.isascii() else display_width(cell)
            if width > widths[i]:
                widths[i] = width
    return widths


def _segments(text: str, row: Row) -> list[str]:
    p = row.pipes
    return [text[p[i] + 1 : p[i + 1]] for i in range(len(p) - 1)]


def _row_compact(text: str, table: Table, row: Row, cells: Sequence[str]) -> bool:
    """Is ``row`` (its cell texts ``cells``) written compact: outer pipes, and one space
    around each cell?"""
    # A short row is table-column-count's finding; compact is about the padding.
    if not (row.leading_pipe and row.trailing_pipe):
        return False
    if row is not table.delimiter:
        # The row as written is its compact form exactly when each cell has one space
        # before and after (the pipes inside a cell's text are escaped: they split
        # nothing, so the written pipes that split are the joins'). An empty cell may also
        # be written as one space, which the join does not make: read from the segments.
        pipes = row.pipes
        if text[pipes[0] : pipes[-1] + 1] == "| " + " | ".join(cells) + " |":
            return True
        if "" not in cells:
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


def _not_compact(text: str, table: Table, texts: Sequence[Sequence[str]]) -> list[Row]:
    return [
        row
        for row, cells in zip(table.rows, texts, strict=True)
        if not _row_compact(text, table, row, cells)
    ]


def _pipe_columns(text: str, row: Row, loose: bool, ascii: bool = False) -> list[int]:
    """The display columns of ``row``'s pipes (``ascii``: the row is known to be ASCII)."""
    start = row.start
    if (
        ascii or text[start : row.end].isascii() or not _NOT_ONE_COLUMN.search(text, start, row.end)
    ):  # one column a character: the pipes'
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
    rows = table.rows
    ascii = text[rows[0].start : rows[-1].end].isascii()  # (each row then is)
    columns = [tuple(_pipe_columns(text, row, loose, ascii)) for row in rows]
    counts: dict[tuple[int, ...], int] = {}
    for c in columns:
        counts[c] = counts.get(c, 0) + 1
    header = columns[0]
    best = max(counts, key=lambda k: (counts[k], k == header))
    if counts[best] == counts[header]:
        best = header
    return [row for row, c in zip(rows, columns, strict=True) if c != best]


def _pad(cell: str, width: int, align: str) -> str:
    space = width - (len(cell) if cell.isascii() else display_width(cell))
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
    text: str,
    table: Table,
    texts: Sequence[Sequence[str]],
    widths: list[int] | None,
    target: str,
    loose: bool,
    compact_rows: set[int],
) -> list[str]:
    """The table's rows (their cell texts ``texts``) as ``target`` lays them out, in
    columns ``widths`` wide when aligned (a compact table keeps the rows that are compact
    already, ``compact_rows`` by id, as they are written)."""
    aligns = table.aligns
    width = table.width
    delimiter = table.delimiter
    out = []
    last = width - 1
    for row, written in zip(table.rows, texts, strict=True):
        n = len(written)
        if target == "compact":
            if n == width and id(row) in compact_rows:
                out.append(text[row.pipes[0] : row.pipes[-1] + 1])
            elif row is delimiter:
                dashes = [_delimiter(aligns[i], _COMPACT_DASHES[aligns[i]]) for i in range(width)]
                out.append("| " + " | ".join(dashes) + " |")
            else:
                # A short row gets empty cells, which the renderer shows anyway.
                cells = written if n == width else [*written, *[""] * (width - n)]
                out.append("| " + " | ".join(cells) + " |")
            continue
        assert widths is not None
        cells = []
        for i in range(width):
            cell = written[i] if i < n else ""
            compact = loose and i == last
            if row is delimiter:
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
        start = row.line_start
        # (a row outside any container, the header not indented: the line is the row)
        line = new if start == row.start and not indent else text[start : row.start] + indent + new
        if text[start : row.end] != line:
            edits.append(Edit(start, row.end, line))
    return tuple(edits)
