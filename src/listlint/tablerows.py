"""Table rows read again in place of a parse.

A piece of a fix pass's text (``listlint.pieces``) whose only changed lines are rows of
its top-level tables (table-format re-pads every row of a table; a fix pads a short row or
rewrites a link in a cell) has the tokens of the piece before it but for the contents of
those rows' cells: the tokens are kept, the cells' contents set from the new rows, and
nothing is parsed.

This is what markdown-it-py's table rule (``markdown_it.rules_block.table``, which
listlint's parser runs: ``document._plain_row_split``) makes of a table: a ``tr`` for each
body row with one cell per header column, whose content is the trimmed text between its
pipes (cells past the header's dropped, missing ones empty). A body line is a row whatever
the rows around it hold, but for the count of cells the rule fills in (bounded here, so
that the count cannot end a table), and it stays one where it starts with a pipe after at
most three spaces: none of the rules that end a table (those that end a block quote)
starts at a pipe. The header and delimiter rows decide whether there is a table at all:
a changed one is read again only after a blank line (where the table rule, the parser's
first, is tried first), and must keep the column count and the alignments. Compared with
the whole parse in tests/test_fix_passes.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint import document
from listlint.lazyre import lazy

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it.token import Token

# markdown-it-py's mdTrim: the CommonMark set of whitespace.
_TRIM = (
    "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_DELIMITER_CELL = lazy(r"^:?-+:?$")
# The table rule stops filling in missing cells past this many (markdown-it-py's
# MAX_AUTOCOMPLETED_CELLS): a table with fewer cells than that in all never reaches it.
_CELLS = 0x10000


def redone(old: str, new: str, tokens: list[Token], first: int) -> tuple[int, ...] | None:
    """The lines of ``new`` (from 0, the piece's first) that differ from ``old``'s, when
    every one is a row of a top-level table that stays a row of the same table; then the
    cells of ``tokens`` (``old``'s, its first line at ``first``) hold ``new``'s contents.
    None, the tokens untouched, otherwise."""
    split = document.row_split()
    if split is None or "\r" in new or "\x00" in new:
        return None
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if len(old_lines) != len(new_lines):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    if not changed:
        return None
    cells: list[tuple[int, list[str]]] = []  # (token index of a row's first cell, contents)
    k = 0
    index = 0
    while k < len(changed) and index < len(tokens):
        tok = tokens[index]
        if tok.type != "table_open" or tok.level != 0 or tok.map is None:
            index += 1
            continue
        start, end = tok.map[0] - first, tok.map[1] - first
        if changed[k] < start:
            return None  # a changed line outside every table
        rows = []
        while k < len(changed) and changed[k] < end:
            rows.append(changed[k])
            k += 1
        if rows:
            found = _table(tokens, index, first, rows, old_lines, new_lines, split)
            if found is None:
                return None
            cells += found
        index += 1
    if k < len(changed):
        return None
    for at, contents in cells:
        for content in contents:
            tokens[at].content = content
            at += 3
    return tuple(changed)


def _table(
    tokens: list[Token],
    index: int,
    first: int,
    rows: list[int],
    old_lines: list[str],
    new_lines: list[str],
    split: Callable[[str], list[str]],
) -> list[tuple[int, list[str]]] | None:
    """The rows of the table opening at ``tokens[index]`` whose changed ``rows`` (lines
    from the piece's first, which is line ``first`` of the tokens) stay rows: the token
    index of each one's first cell's content, and the contents."""
    table = tokens[index].map
    assert table is not None
    start, end = table[0] - first, table[1] - first
    width = 0
    while tokens[index + 3 + 3 * width].type == "th_open":
        width += 1
    if width == 0 or (end - start - 2) * width > _CELLS:
        return None
    out: list[tuple[int, list[str]]] = []
    if rows[0] <= start + 1:  # the header or the delimiter row changed
        if start == 0 or new_lines[start - 1].strip(" \t"):
            return None
        # What ends before the header (a list item after a blank line, say) ends for how
        # far the header is indented and how it starts: as before, with a pipe.
        lead = _lead(new_lines[start])
        if lead is None or lead != _lead(old_lines[start]) or lead == len(new_lines[start]):
            return None
        if new_lines[start][lead] != "|" or old_lines[start][lead] != "|":
            return None
        aligns = _aligns(new_lines[start + 1])
        header = _cells(new_lines[start], split)
        if aligns is None or aligns != _aligns(old_lines[start + 1]) or header is None:
            return None
        if len(header) != width:
            return None
        if rows[0] == start:
            out.append((index + 4, header))
    first_row = index + 6 + 3 * width - (start + 2) * (3 * width + 2)
    size = 3 * width + 2
    for line in rows:
        if line <= start + 1:
            continue
        cells = _cells(new_lines[line], split)
        if cells is None:
            return None
        row = first_row + line * size
        if tokens[row].type != "tr_open" or tokens[row].map != [line + first, line + first + 1]:
            return None
        if len(cells) != width:
            cells = cells[:width] + [""] * (width - len(cells))
        out.append((row + 2, cells))
    return out


def _lead(line: str) -> int | None:
    """Where the line's text starts, when it is indented by at most three spaces (no tab)."""
    lead = len(line) - len(line.lstrip(" \t"))
    return lead if lead <= 3 and "\t" not in line[:lead] else None


def _cells(line: str, split: Callable[[str], list[str]]) -> list[str] | None:
    """The cells of a row as the table rule reads them; None when it does not start with
    a pipe after at most three spaces."""
    if line[:1] == "|":
        text = line.strip(_TRIM)
    else:
        lead = _lead(line)
        if lead is None or lead == len(line) or line[lead] != "|":
            return None
        text = line[lead:].strip(_TRIM)
    columns = split(text)
    if columns and columns[0] == "":
        columns.pop(0)
    if columns and columns[-1] == "":
        columns.pop()
    return [c.strip(_TRIM) for c in columns]


def _aligns(line: str) -> list[str] | None:
    """The alignments of a delimiter row, as the table rule reads them; None when the
    line is none."""
    lead = _lead(line)
    if lead is None:
        return None
    text = line[lead:]
    if len(text) < 2 or text[0] not in "|-:" or text[1] not in "|-: \t":
        return None
    if (text[0] == "-" and text[1] in " \t") or text.strip("|-: \t"):
        return None
    columns = text.split("|")
    aligns = []
    for i, column in enumerate(columns):
        cell = column.strip(_TRIM)
        if not cell:
            if i == 0 or i == len(columns) - 1:
                continue
            return None
        if not _DELIMITER_CELL.search(cell):
            return None
        if cell[-1] == ":":
            aligns.append("center" if cell[0] == ":" else "right")
        else:
            aligns.append("left" if cell[0] == ":" else "")
    return aligns
