"""Entries and mentions: what a curated list lists, and what it only refers to.

An **entry** is a list item or a table body row. Its **own link** is the link that names
it: a list item's first link (images excluded), or, in a table, the first link of the
row's cell in the table's *entry column* (the first column in which some body row holds
a link, unless the caller names columns). Every other link of the entry (descriptions,
Code, Demo or Video columns, "[pdf]" after "[abs]") is a **mention**, and so is every link
outside entries (paragraphs, headings, table headers).

A list item's links are those on its own lines, not those of its nested items (which are
entries of their own). Built once per document from ``doc.links``, ``doc.structure`` and
``doc.tables`` in one pass over each, and cached on the document (``entries_of``). The
view keeps no reference to its document, so caching it creates no reference cycle.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.links import Link


class Entry(NamedTuple):
    kind: Literal["item", "row"]
    line: int  # first line (0-based)
    end_line: int  # exclusive; an item's nested items included
    links: tuple[Link, ...]  # the entry's own non-image links, in source order
    columns: tuple[int, ...]  # rows: the column of each link (items: -1 each)
    own_index: int  # index into ``links`` of the own link, -1 when the entry has none
    section: int  # index into doc.structure.headings of the heading above it, -1: none
    group: tuple[str, int]  # the list (by token index) or table (by index) holding it
    table: int  # rows: index into doc.tables.tables; items: -1
    simple: bool  # an item holding one paragraph and nothing else (no nested items); rows

    @property
    def own(self) -> Link | None:
        return self.links[self.own_index] if self.own_index >= 0 else None

    @property
    def mentions(self) -> tuple[Link, ...]:
        return tuple(link for i, link in enumerate(self.links) if i != self.own_index)


class Entries:
    """Every entry of a document, and the links that belong to none (prose mentions)."""

    def __init__(self, doc: Document) -> None:
        self.entries: list[Entry] = []
        self.prose: list[Link] = []  # links outside entries: mentions
        self.headers: list[tuple[str, ...]] = []  # per table: its header cells' text
        self.entry_columns: list[int] = []  # per table: the default entry column, -1: none
        structure = doc.structure
        heading_lines = [h.line for h in structure.headings]
        self.heading_lines = heading_lines
        simple, list_of = _item_shapes(doc)
        # Table rows first: a row inside a list item is an entry of its own.
        row_at: dict[int, tuple[int, tuple[int, ...]]] = {}  # line -> (table, pipes)
        for index, table in enumerate(doc.tables):
            self.headers.append(tuple(c.text for c in table.header.cells))
            for row in table.body:
                row_at[row.line] = (index, row.pipes if row.leading_pipe else (-1, *row.pipes))
        items = structure.items_by_line
        entry_of = structure.entry_of
        row_links: dict[int, list[tuple[Link, int]]] = {}
        item_links: dict[int, list[Link]] = {}
        for link in doc.links:
            if link.image:
                continue
            at = row_at.get(link.line)
            if at is not None:
                pipes = at[1]
                column = max(0, bisect_right(pipes, link.start) - 1)
                row_links.setdefault(link.line, []).append((link, column))
                continue
            first = entry_of(link.line)
            if first in items:
                item_links.setdefault(first, []).append(link)
            else:
                self.prose.append(link)
        # Each table's entry column: the first column in which some row holds a link.
        first_column = [-1] * len(self.headers)
        for line, found in row_links.items():
            number = row_at[line][0]
            low = min(c for _, c in found)
            if first_column[number] == -1 or low < first_column[number]:
                first_column[number] = low
        self.entry_columns = first_column
        for item in structure.list_items:
            found_links = item_links.get(item.first_line, [])
            # Positional (kind, line, end_line, links, columns, own_index, section, group,
            # table, simple): a NamedTuple built from keywords costs twice as much.
            self.entries.append(
                Entry(
                    "item",
                    item.first_line,
                    item.end_line,
                    tuple(found_links),
                    (-1,) * len(found_links),
                    0 if found_links else -1,
                    bisect_right(heading_lines, item.first_line) - 1,
                    ("list", list_of.get(item.first_line, -1)),
                    -1,
                    simple.get(item.first_line, False),
                )
            )
        for index, table in enumerate(doc.tables):
            for row in table.body:
                pairs = row_links.get(row.line, [])
                links = tuple(link for link, _ in pairs)
                columns = tuple(c for _, c in pairs)
                self.entries.append(
                    Entry(
                        "row",
                        row.line,
                        row.line + 1,
                        links,
                        columns,
                        _first_in(columns, (first_column[index],)),
                        bisect_right(heading_lines, row.line) - 1,
                        ("table", index),
                        index,
                        True,
                    )
                )
        self.entries.sort(key=lambda e: e.line)
        self.by_line = {e.line: e for e in self.entries}

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def with_entry_columns(self, names: Sequence[str]) -> list[Entry]:
        """The entries with the own link of each table row taken from the first of the
        named columns (header text, case-insensitive) that the table has, else from the
        default entry column."""
        if not names:
            return self.entries
        wanted = [n.strip().casefold() for n in names]
        chosen: list[tuple[int, ...]] = []
        for index, header in enumerate(self.headers):
            folded = [h.casefold() for h in header]
            named = tuple(folded.index(n) for n in wanted if n in folded)
            chosen.append(named[:1] or (self.entry_columns[index],))
        out = []
        for e in self.entries:
            if e.kind == "row":
                e = e._replace(own_index=_first_in(e.columns, chosen[e.table]))
            out.append(e)
        return out

    def section_of(self, line: int) -> int:
        """The index of the heading above ``line`` (-1: none), as in ``Entry.section``."""
        return bisect_right(self.heading_lines, line) - 1

    def column_name(self, entry: Entry, link_index: int) -> str:
        """The header text of the column holding ``entry.links[link_index]`` ('' for items)."""
        if entry.kind != "row":
            return ""
        header = self.headers[entry.table]
        column = entry.columns[link_index]
        return header[column] if 0 <= column < len(header) else ""


def _first_in(columns: tuple[int, ...], wanted: tuple[int, ...]) -> int:
    for column in wanted:
        if column < 0:
            continue
        for i, c in enumerate(columns):
            if c == column:
                return i
    return -1


def _item_shapes(doc: Document) -> tuple[dict[int, bool], dict[int, int]]:
    """For each list item (by first line): does it hold one paragraph and nothing else,
    and which list (the token index of its list's opening token) holds it."""
    simple: dict[int, bool] = {}
    list_of: dict[int, int] = {}
    lists: list[int] = []
    # For each open item: [first line, blocks seen directly inside it, anything else seen]
    open_items: list[list[int]] = []
    depth_of_block = 0
    for index, tok in enumerate(doc.tokens):
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            if open_items:
                open_items[-1][2] = 1  # a nested list
            lists.append(index)
            continue
        if kind in ("bullet_list_close", "ordered_list_close"):
            if lists:
                lists.pop()
            continue
        if kind == "list_item_open":
            first = tok.map[0] if tok.map else -1
            list_of[first] = lists[-1] if lists else -1
            open_items.append([first, 0, 0])
            depth_of_block = 0
            continue
        if kind == "list_item_close":
            if open_items:
                first, blocks, other = open_items.pop()
                simple[first] = blocks <= 1 and not other
            continue
        if not open_items:
            continue
        if tok.nesting == 1:
            depth_of_block += 1
            if depth_of_block == 1:
                open_items[-1][1] += 1
                if kind != "paragraph_open":
                    open_items[-1][2] = 1
        elif tok.nesting == -1:
            depth_of_block = max(0, depth_of_block - 1)
        elif depth_of_block == 0:
            open_items[-1][1] += 1  # a fence, a code block, an HTML block, a rule
            open_items[-1][2] = 1
    return simple, list_of


def entries_of(doc: Document) -> Entries:
    """The document's entries, built on first use and cached on the document."""
    cached = doc.__dict__.get("_entries_view")
    if cached is None:
        cached = doc.__dict__["_entries_view"] = Entries(doc)
    assert isinstance(cached, Entries)
    return cached
