"""Tables as GitHub renders them, their cells counted from the raw lines as GitHub counts them.

GitHub (cmark-gfm) decides which lines form a table; the renderer drops extra cells and pads
short rows, so the cells are split here from the raw text. A ``|`` splits cells unless the
character before it is a backslash (even an escaped backslash, as cmark-gfm does); a pipe
inside a code span still splits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Edit
    from listlint.document import Container, Document

DELIMITER_CELL = lazy(r":?-+:?")
_DELIMITER_CHARS = frozenset("|:- \t")


class Cell(NamedTuple):
    start: int  # offset of the trimmed cell text
    end: int
    text: str


class Cells(Sequence[Cell]):
    """A row's cells, as a tuple of ``Cell`` would give them: counted when the row is
    split, but split into cells only when first read (most rows' cells are only counted:
    on 10,000 entries about 5 MiB of cells that no rule reads)."""

    __slots__ = ("_built", "_count", "_end", "_first", "_start", "_text")

    def __init__(self, text: str, start: int, first: int, end: int, count: int) -> None:
        self._text = text
        self._start = start  # the row's content start (see split_row)
        self._first = first  # the first cell's start (after the leading pipe)
        self._end = end  # the last cell's end (before the trailing pipe)
        self._count = count
        self._built: tuple[Cell, ...] | None = None

    def _cells(self) -> tuple[Cell, ...]:
        built = self._built
        if built is None:
            built = self._built = _split_cells(self._text, self._start, self._first, self._end)
        return built

    def texts(self) -> list[str]:
        """The cells' texts (``[c.text for c in cells]``), without making a ``Cell`` of each
        (table-format reads every cell's text, and no offset)."""
        built = self._built
        if built is not None:
            return [c.text for c in built]
        text, i, j = self._text, self._first, self._end
        if text.find("\\", i, j) == -1:  # every pipe splits
            return [part.strip(" \t") for part in text[i:j].split("|")]
        return [c.text for c in self._cells()]

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    @overload
    def __getitem__(self, index: int) -> Cell: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Cell, ...]: ...
    def __getitem__(self, index: int | slice) -> Cell | tuple[Cell, ...]:
        return self._cells()[index]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self._cells())

    def __contains__(self, value: object) -> bool:
        return value in self._cells()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Cells):
            return self._cells() == other._cells()
        return self._cells() == other

    def __hash__(self) -> int:
        return hash(self._cells())

    def __repr__(self) -> str:
        return repr(self._cells())


class Row(NamedTuple):
    line: int  # 0-based
    line_start: int  # offset where the raw line begins (container prefix included)
    start: int  # offset where the row's content begins (after the container prefix)
    end: int  # offset of the end of the line (newline excluded)
    cells: Cells
    leading_pipe: bool
    trailing_pipe: bool
    pipes: tuple[int, ...]  # offsets of the pipes that split, outer pipes included
    # A header that is a lazy continuation line (not indented into its list item, or
    # without the `>` of its block quote): GitHub keeps its indentation, so a pipe after
    # it is not a leading pipe and opens a cell.
    lazy: bool = False

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


def split_row(
    text: str, start: int, end: int, line: int, line_start: int, lazy: bool = False
) -> Row:
    """Split the row content ``text[start:end]`` into cells, as cmark-gfm does (the
    indentation of a lazy line is kept, and is a first cell)."""
    i, j = start, end
    while i < j and text[i] in " \t" and not lazy:
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
    segment = text[i:j]
    if "\\" not in segment:  # the common row: every pipe splits (found by one split)
        p = i - 1
        for part in segment.split("|")[:-1]:
            p += len(part) + 1
            pipes.append(p)
    else:
        find = text.find
        p = find("|", i, j)
        while p != -1:
            if p == start or text[p - 1] != "\\":
                pipes.append(p)
            p = find("|", p + 1, j)
    cells = Cells(text, start, i, j, len(pipes) - leading + 1)
    if trailing:
        pipes.append(j)
    return Row(line, line_start, start, end, cells, leading, trailing, tuple(pipes), lazy)


def _split_cells(text: str, start: int, i: int, j: int) -> tuple[Cell, ...]:
    """The cells between ``i`` and ``j`` (outer pipes excluded) of the row whose content
    starts at ``start``, trimmed."""
    cells: list[Cell] = []
    if text.find("\\", i, j) == -1:  # every pipe splits
        pos = i
        for part in text[i:j].split("|"):
            cell = part.strip(" \t")
            lead = len(part) - len(part.lstrip(" \t")) if len(cell) != len(part) else 0
            cells.append(Cell(pos + lead, pos + lead + len(cell), cell))
            pos += len(part) + 1
        return tuple(cells)
    cell_start = i
    p = text.find("|", i, j)
    while p != -1:
        if p == start or text[p - 1] != "\\":
            cells.append(_cell(text, cell_start, p))
            cell_start = p + 1
        p = text.find("|", p + 1, j)
    cells.append(_cell(text, cell_start, j))
    return tuple(cells)


def _cell(text: str, start: int, end: int) -> Cell:
    raw = text[start:end]
    cell = raw.strip(" \t")
    if len(cell) == len(raw):
        return Cell(start, end, cell)
    start += len(raw) - len(raw.lstrip(" \t"))
    return Cell(start, start + len(cell), cell)


def is_delimiter_like(content: str) -> bool:
    """A line of pipes, dashes and colons only: somebody meant a delimiter row."""
    stripped = content.strip()
    return "|" in stripped and "-" in stripped and set(stripped) <= _DELIMITER_CHARS


class Tables:
    """Every table GitHub renders, and every table-shaped paragraph, of a document.

    Which lines form a table is GitHub's decision: the document is rendered once with
    cmark-gfm (``listlint.github``) with source positions, and each ``<table>`` gives its
    last line and each ``<tr>`` its line. The positions cmark-gfm gives for cells and for
    the header row are not reliable (the header row of a table that interrupts a paragraph
    is placed at the paragraph's start, cells in indented rows are shifted), so the cells
    are split here from the raw lines exactly as cmark-gfm's table extension splits them.
    A document without a line that could be a delimiter row has no table and is not
    rendered at all.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.tables: list[Table] = []
        self.broken: list[BrokenTable] = []
        candidates = _delimiter_candidates(doc)
        if not candidates:
            return
        table_lines: set[int] = set()
        for header_line, body_lines, ancestors, footnote in doc.rendered.tables:
            table_lines.update(range(header_line, header_line + 2 + len(body_lines)))
            if footnote:
                # In a footnote definition: GitHub renders it, but its rows are indented
                # under `[^1]:`, which the view has no container for; left alone.
                continue
            table = self._table(header_line, body_lines, ancestors)
            self.tables.append(table)
        self._scan_paragraphs(candidates, table_lines)

    def __iter__(self) -> Iterator[Table]:
        return iter(self.tables)

    @property
    def body_lines(self) -> set[int]:
        """The lines of the tables' body rows (made when asked for: no rule reads it)."""
        return {row.line for table in self.tables for row in table.body}

    def __len__(self) -> int:
        return len(self.tables)

    def row(self, line: int, containers: tuple[Container, ...], header: bool = False) -> Row:
        doc = self.doc
        start, lazy = content_start(doc, line, containers)
        line_start = doc.line_starts[line]
        if start == line_start:
            start = line_start  # one int object for the two (most rows)
        return split_row(doc.text, start, doc.line_ends[line], line, line_start, header and lazy)

    def _table(
        self, header_line: int, body_lines: list[int], ancestors: list[tuple[str, int]]
    ) -> Table:
        containers = _containers(self.doc, ancestors)
        lines = [header_line, header_line + 1, *body_lines]
        if containers:
            rows = [self.row(line, containers, line == header_line) for line in lines]
        else:  # a top-level table (most): each row's content starts with its line
            doc = self.doc
            text, starts, ends = doc.text, doc.line_starts, doc.line_ends
            rows = [split_row(text, (s := starts[n]), ends[n], n, s) for n in lines]
        return Table(rows[0], rows[1], tuple(rows[2:]), containers)

    def _scan_paragraphs(self, candidates: list[int], table_lines: set[int]) -> None:
        """Table-shaped line pairs inside one paragraph that GitHub does not render as a
        table (paragraphs as markdown-it-py sees them; lines GitHub puts in a table are
        never reported)."""
        doc = self.doc
        wanted = {line for line in candidates if line not in table_lines}
        if not wanted:
            return
        for first, last, index in doc.blocks.paragraphs:  # those of more than one line
            for line in range(first + 1, last):
                if line not in wanted or line - 1 in table_lines:
                    continue
                containers = doc.containers[index]
                start, _ = content_start(doc, line, containers)
                if not is_delimiter_like(doc.text[start : doc.line_ends[line]]):
                    continue
                header = self.row(line - 1, containers, header=True)
                if not header.has_pipe or doc.text[header.start : header.end].strip() == "|":
                    continue  # a lone pipe is no header row, even to GitHub
                delimiter = self.row(line, containers)
                bad = next(
                    (c for c in delimiter.cells if not DELIMITER_CELL.fullmatch(c.text)), None
                )
                if bad is not None:
                    self.broken.append(BrokenTable(header, delimiter, "delimiter", bad))
                elif len(header.cells) != len(delimiter.cells):
                    self.broken.append(BrokenTable(header, delimiter, "count"))
                else:
                    self.broken.append(BrokenTable(header, delimiter, "context"))


# A line of pipes, dashes, colons and blanks (after block quote markers and indentation)
# with a pipe next to a dash: every delimiter row GitHub accepts has one. Looked for as two
# patterns, each led by its literal: a search for one character (the pattern of both, led
# by either, is tried at every character: eight times slower on a catalog's tables).
_PIPE_DASH = lazy(r"\|[ \t:]*-")
_DASH_PIPE = lazy(r"-[ \t:]*\|")
_DELIMITER_LINE = lazy(r"[ \t>]*[-|: \t]*")
_SOURCEPOS = lazy(r'<(li|blockquote|table|tr)(?=[ >])[^>]*? data-sourcepos="(\d+):\d+-(\d+):\d+"')
_LIST_MARKER = lazy(r"[ ]{0,3}(?:[-+*]|[0-9]{1,9}[.)])")


def _delimiter_candidates(doc: Document) -> list[int]:
    """0-based lines that could be a delimiter row: only pipes, dashes, colons, blanks and
    block quote markers, with a pipe next to a dash (cheap: a search led by a literal)."""
    return list(_candidate_lines(doc))


def may_have_tables(doc: Document) -> bool:
    """Will the table view render ``doc`` (has it a line that could be a delimiter row)?
    The same test as the view's, stopped at the first candidate."""
    return next(_candidate_lines(doc), None) is not None


def _candidate_lines(doc: Document) -> Iterator[int]:
    """The lines of ``_delimiter_candidates``, one at a time."""
    text = doc.text
    if "|" not in text or "-" not in text:
        return
    last = -1
    for pos in _pipes_by_dashes(text, doc.body_start):
        line = doc.line_of(pos)
        if line != last:
            last = line
            if _DELIMITER_LINE.fullmatch(text, doc.line_starts[line], doc.line_ends[line]):
                yield line


def _pipes_by_dashes(text: str, start: int) -> Iterator[int]:
    """Where a pipe is next to a dash (with blanks and colons between), from ``start`` on,
    in order (each line that has one is found: a match never spans two lines)."""
    after, before = _PIPE_DASH.finditer(text, start), _DASH_PIPE.finditer(text, start)
    a, b = next(after, None), next(before, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a.start() <= b.start()):
            assert a is not None
            yield a.start()
            a = next(after, None)
        else:
            yield b.start()
            b = next(before, None)


def github_tables(html: str) -> Iterator[tuple[int, list[int], list[tuple[str, int]], bool]]:
    """Each table cmark-gfm renders (``html``, with source positions): its header line, its
    body lines, the block quotes and list items around it (kind, first line; outermost
    first), all 0-based, and whether it is in a footnote definition (rendered last, in the
    footnotes section)."""
    # Open containers, each with its last line; one that ended before an element starts
    # is no ancestor of it (containers nest or follow each other, by lines).
    stack: list[tuple[str, int, int]] = []
    table: tuple[int, list[tuple[str, int]]] | None = None
    in_notes = False  # is the open table in the footnotes section?
    rows: list[int] = []
    notes = html.rfind('<section class="footnotes" data-footnotes>')
    notes = len(html) if notes == -1 else notes
    # The tags before the footnotes section, then those in it (no tag spans its start),
    # each as (tag, first line, last line): read by ``findall``, without a match object
    # each (a 10,000-entry list has as many list items).
    for footnotes, found in (
        (False, _SOURCEPOS.findall(html, 0, notes)),
        (True, _SOURCEPOS.findall(html, notes)),
    ):
        for tag, first_line, last_line in found:
            if tag == "tr":
                rows.append(int(first_line) - 1)
                continue
            if table is not None:
                yield (*_finish(table, rows), in_notes)
                table = None
            first, last = int(first_line) - 1, int(last_line) - 1
            while stack and stack[-1][2] < first:
                stack.pop()
            if tag == "table":
                table, rows, in_notes = (last, [(k, f) for k, f, _ in stack]), [], footnotes
            else:
                stack.append(("blockquote" if tag == "blockquote" else "list_item", first, last))
    if table is not None:
        yield (*_finish(table, rows), in_notes)


def _finish(
    table: tuple[int, list[tuple[str, int]]], rows: list[int]
) -> tuple[int, list[int], list[tuple[str, int]]]:
    # The first <tr> is the header; its line is not reliable (nor the table's first line),
    # the body rows' lines and the table's last line are. Rows are consecutive lines.
    last, ancestors = table
    body = rows[1:]
    delimiter = body[0] - 1 if body else last
    return delimiter - 1, body, ancestors


def _containers(doc: Document, ancestors: list[tuple[str, int]]) -> tuple[Container, ...]:
    from listlint.document import Container

    out: list[Container] = []
    for kind, first in ancestors:
        if kind == "blockquote":
            out.append(Container("blockquote", first))
        else:
            out.append(Container("list_item", first, _item_width(doc, first, tuple(out))))
    return tuple(out)


def content_start(doc: Document, line: int, containers: tuple[Container, ...]) -> tuple[int, bool]:
    """Where ``line``'s content begins once the prefixes of its block quotes and list items
    are removed, and whether it is a lazy continuation line (a prefix is missing: the
    content then begins where the prefixes stop, indentation included)."""
    pos = doc.line_starts[line]
    end = doc.line_ends[line]
    text = doc.text
    for c in containers:
        if c.kind == "blockquote":
            p = pos
            while p < end and p - pos < 3 and text[p] == " ":
                p += 1
            if p == end or text[p] != ">":
                return pos, p < end
            p += 1
            if p < end and text[p] in " \t":
                p += 1
            pos = p
        elif line == c.first_line:
            pos = min(end, pos + c.width)
        else:
            col = 0
            p = pos
            while p < end and col < c.width and text[p] in " \t":
                col = col + 4 - col % 4 if text[p] == "\t" else col + 1
                p += 1
            if col < c.width and p < end:
                return pos, True
            pos = p
    return pos, False


def _item_width(doc: Document, line: int, outer: tuple[Container, ...]) -> int:
    """Columns from the outer content start to the list item's content (marker, spaces)."""
    start, _ = content_start(doc, line, outer)
    rest = doc.text[start : doc.line_ends[line]]
    m = _LIST_MARKER.match(rest)
    if not m:
        return 0
    after = rest[m.end() :]
    spaces = len(after) - len(after.lstrip(" "))
    if spaces == 0 or spaces > 4 or not after.strip():
        spaces = 1
    return m.end() + spaces


class TableJudge:
    """Whether a fix does what it says on GitHub: one table more, and no indented code
    block, list item or heading more (lines after the table that continued the paragraph
    start their own blocks once it ends). Two renderings of the document per fix, only for
    table-shaped lines that are no table, which real lists rarely have."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._before: tuple[int, int] | None = None

    @staticmethod
    def _counts(text: str) -> tuple[int, int]:
        from listlint.github import render_html

        html = render_html(text)
        return html.count("<table>"), len(_BLOCKS.findall(html))

    def sound(self, edits: tuple[Edit, ...]) -> bool:
        if self._before is None:
            self._before = self._counts(self.text)
        tables, blocks = self._before
        text = self.text
        from listlint.fix import apply_edits

        after = self._counts(apply_edits(text, edits))
        return after[0] > tables and after[1] <= blocks


# What authors write after the last pipe to leave themselves a note GitHub never shows:
# a Markdown "comment" (a link reference definition to `#`) or an HTML comment.
_COMMENT_CELL = lazy(r"\[[^\]]*\]:\s*(?:#|<>).*|<!--.*-->", re.DOTALL)


def is_comment_cell(text: str) -> bool:
    return bool(_COMMENT_CELL.fullmatch(text))


_BLOCKS = lazy(r"<(?:pre|li|h[1-6])[ >]")
# A link's text and destination (an image's too: its `!` holds no pipe, and leaving it out
# of the pattern lets the search jump from `[` to `[` instead of trying at every
# character; five times faster on rows of prose).
_LINK_IN_ROW = lazy(r"\[[^\[\]\n]*\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")


def inner_pipes(text: str, row: Row) -> list[int]:
    """Splitting pipes of ``row`` that sit inside a code span or a link: each one cuts a
    cell the author meant to keep whole."""
    from listlint.views.links import code_spans

    content = text[row.start : row.end]
    if len(row.pipes) < 2 or ("`" not in content and "](" not in content):
        return []
    if "`" not in content and not _link_holds_pipe(content):
        return []  # no code span, and no link holds a pipe: what follows would find none
    if "`" in content:
        # Code spans lie between the first backtick and the last: with no splitting pipe
        # there, only a link can hold one (most rows with code: `apiKey` in a cell).
        first, last = row.start + content.find("`"), row.start + content.rfind("`")
        if not any(first < p < last for p in row.pipes) and (
            "](" not in content or not _link_holds_pipe(content)
        ):
            return []
    if "`" not in content and all(
        c.text.count("[") == c.text.count("]") and c.text.count("(") == c.text.count(")")
        for c in row.cells
    ):
        return []  # a pipe inside a link leaves an opening bracket without its closer
    spans = [(row.start + s, row.start + e) for s, e in code_spans(content)]
    if "](" in content:
        spans += [
            (row.start + m.start(), row.start + m.end()) for m in _LINK_IN_ROW.finditer(content)
        ]
    inner = {p for p in row.pipes for s, e in spans if s < p < e - 1}
    return sorted(inner)


def _link_holds_pipe(content: str) -> bool:
    """Does a link (``_LINK_IN_ROW``) in ``content`` hold a ``|``? Each lies between the
    first ``[`` and the last ``)``: with no pipe there (a row whose one link is in one
    cell), none does, and the links need not be looked for."""
    first = content.find("[")
    last = content.rfind(")")
    if first == -1 or last < first or content.find("|", first, last) == -1:
        return False
    return "|" in "".join(_LINK_IN_ROW.findall(content))
