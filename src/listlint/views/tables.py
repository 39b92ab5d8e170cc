"""Tables as written in the source, counted from the raw lines the way GitHub counts them.

The parser drops extra cells and pads short rows, and a header that disagrees with its
delimiter row produces no table at all; so cells are split here from the raw text.
A ``|`` splits cells unless the character before it is a backslash (even an escaped
backslash, as cmark-gfm does); a pipe inside a code span still splits.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Container, Document

DELIMITER_CELL = re.compile(r":?-+:?")
_DELIMITER_CHARS = frozenset("|:- \t")


class Cell(NamedTuple):
    start: int  # offset of the trimmed cell text
    end: int
    text: str


class Row(NamedTuple):
    line: int  # 0-based
    line_start: int  # offset where the raw line begins (container prefix included)
    start: int  # offset where the row's content begins (after the container prefix)
    end: int  # offset of the end of the line (newline excluded)
    cells: tuple[Cell, ...]
    leading_pipe: bool
    trailing_pipe: bool
    pipes: tuple[int, ...]  # offsets of the pipes that split, outer pipes included

    @property
    def has_pipe(self) -> bool:
        return self.leading_pipe or self.trailing_pipe or len(self.cells) > 1


class Table(NamedTuple):
    header: Row
    delimiter: Row
    body: tuple[Row, ...]
    containers: tuple[Container, ...]

    @property
    def width(self) -> int:
        return len(self.header.cells)

    @property
    def rows(self) -> tuple[Row, ...]:
        return (self.header, self.delimiter, *self.body)

    @property
    def aligns(self) -> tuple[str, ...]:
        return tuple(alignment(c.text) for c in self.delimiter.cells)


class BrokenTable(NamedTuple):
    """Table-shaped lines that the parser reads as a paragraph."""

    header: Row
    delimiter: Row
    reason: str  # "count", "delimiter" or "context"
    bad_cell: Cell | None = None


def alignment(delimiter_cell: str) -> str:
    left, right = delimiter_cell.startswith(":"), delimiter_cell.endswith(":")
    if left and right:
        return "center"
    return "left" if left else "right" if right else ""


def split_row(text: str, start: int, end: int, line: int, line_start: int) -> Row:
    """Split the row content ``text[start:end]`` into cells, as GFM does."""
    i, j = start, end
    while i < j and text[i] in " \t":
        i += 1
    while j > i and text[j - 1] in " \t":
        j -= 1
    leading = i < j and text[i] == "|"
    pipes: list[int] = []
    if leading:
        pipes.append(i)
        i += 1
    trailing = j > i and text[j - 1] == "|" and (j - 2 < start or text[j - 2] != "\\")
    if trailing:
        j -= 1
    cells: list[Cell] = []
    cell_start = i
    p = text.find("|", i, j)
    while p != -1:
        if p == start or text[p - 1] != "\\":
            pipes.append(p)
            cells.append(_cell(text, cell_start, p))
            cell_start = p + 1
        p = text.find("|", p + 1, j)
    cells.append(_cell(text, cell_start, j))
    if trailing:
        pipes.append(j)
    return Row(line, line_start, start, end, tuple(cells), leading, trailing, tuple(pipes))


def _cell(text: str, start: int, end: int) -> Cell:
    while start < end and text[start] in " \t":
        start += 1
    while end > start and text[end - 1] in " \t":
        end -= 1
    return Cell(start, end, text[start:end])


def is_delimiter_like(content: str) -> bool:
    """A line of pipes, dashes and colons only: somebody meant a delimiter row."""
    stripped = content.strip()
    return "|" in stripped and "-" in stripped and set(stripped) <= _DELIMITER_CHARS


class Tables:
    """Every rendered table, and every table-shaped paragraph, of a document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tables: list[Table] = []
        self.broken: list[BrokenTable] = []
        self.body_lines: set[int] = set()
        for index, tok in enumerate(doc.tokens):
            if tok.map is None:
                continue
            if tok.type == "table_open":
                self.tables.append(self._table(tok.map[0], tok.map[1], doc.containers[index]))
                self.body_lines.update(range(tok.map[0] + 2, tok.map[1]))
            elif tok.type == "paragraph_open":
                self._scan_paragraph(tok.map[0], tok.map[1], doc.containers[index])

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)

    def row(self, line: int, containers: tuple[Container, ...]) -> Row:
        doc = self.doc
        start = doc.content_start(line, containers)
        return split_row(doc.text, start, doc.line_ends[line], line, doc.line_starts[line])

    def _table(self, first: int, last: int, containers: tuple[Container, ...]) -> Table:
        rows = [self.row(line, containers) for line in range(first, last)]
        return Table(rows[0], rows[1], tuple(rows[2:]), containers)

    def _scan_paragraph(self, first: int, last: int, containers: tuple[Container, ...]) -> None:
        doc = self.doc
        for line in range(first + 1, last):
            start = doc.content_start(line, containers)
            if not is_delimiter_like(doc.text[start : doc.line_ends[line]]):
                continue
            header = self.row(line - 1, containers)
            if not header.has_pipe or doc.text[header.start : header.end].strip() == "|":
                continue  # a lone pipe is no header row, even to GFM
            delimiter = self.row(line, containers)
            bad = next((c for c in delimiter.cells if not DELIMITER_CELL.fullmatch(c.text)), None)
            if bad is not None:
                self.broken.append(BrokenTable(header, delimiter, "delimiter", bad))
            elif len(header.cells) != len(delimiter.cells):
                self.broken.append(BrokenTable(header, delimiter, "count"))
            else:
                self.broken.append(BrokenTable(header, delimiter, "context"))


_LINK_IN_ROW = re.compile(
    r"!?\[[^\[\]\n]*\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)"
)


def inner_pipes(text: str, row: Row) -> list[int]:
    """Splitting pipes of ``row`` that sit inside a code span or a link: each one cuts a
    cell the author meant to keep whole."""
    from listlint.views.links import code_spans

    if len(row.pipes) < 2 or (
        "`" not in text[row.start : row.end] and "](" not in text[row.start : row.end]
    ):
        return []
    content = text[row.start : row.end]
    spans = [(row.start + s, row.start + e) for s, e in code_spans(content)]
    if "](" in content:
        spans += [
            (row.start + m.start(), row.start + m.end()) for m in _LINK_IN_ROW.finditer(content)
        ]
    inner = {p for p in row.pipes for s, e in spans if s < p < e - 1}
    return sorted(inner)
