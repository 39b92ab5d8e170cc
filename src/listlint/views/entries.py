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
from operator import itemgetter
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


_new = tuple.__new__


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
        simple, list_of = doc.blocks.simple, doc.blocks.list_of
        # Table rows first: a row inside a list item is an entry of its own.
        row_at: dict[int, tuple[int, tuple[int, ...]]] = {}  # line -> (table, pipes)
        for index, table in enumerate(doc.tables):
            self.headers.append(tuple(c.text for c in table.header.cells))
            for row in table.body:
                row_at[row.line] = (index, row.pipes if row.leading_pipe else (-1, *row.pipes))
        items = structure.items_by_line
        entry_get = structure.entry_lines.get  # structure.entry_of, without the calls
        row_links: dict[int, tuple[list[Link], list[int]]] = {}  # line -> links, columns
        item_links: dict[int, list[Link]] = {}
        prose = self.prose
        row_get = row_at.get
        for link in doc.links:
            if link.image:
                continue
            line = link.line
            at = row_get(line)
            if at is not None:
                column = max(0, bisect_right(at[1], link.start) - 1)
                found = row_links.get(line)
                if found is None:
                    row_links[line] = ([link], [column])
                else:
                    found[0].append(link)
                    found[1].append(column)
                continue
            first = entry_get(line, line)
            if first in items:
                if first in item_links:
                    item_links[first].append(link)
                else:
                    item_links[first] = [link]
            else:
                prose.append(link)
        # Each table's entry column: the first column in which some row holds a link.
        first_column = [-1] * len(self.headers)
        for line, (_, found_columns) in row_links.items():
            number = row_at[line][0]
            low = min(found_columns)
            if first_column[number] == -1 or low < first_column[number]:
                first_column[number] = low
        self.entry_columns = first_column
        entries = self.entries
        add = entries.append
        no_links: tuple[Link, ...] = ()
        for item in structure.list_items:
            first = item.first_line
            found_links = item_links.get(first)
            # Fields in order (kind, line, end_line, links, columns, own_index, section,
            # group, table, simple): a NamedTuple built from keywords costs twice as much,
            # and from its class a call more than tuple.__new__.
            add(
                _new(
                    Entry,
                    (
                        "item",
                        first,
                        item.end_line,
                        tuple(found_links) if found_links else no_links,
                        (-1,) * len(found_links) if found_links else (),
                        0 if found_links else -1,
                        bisect_right(heading_lines, first) - 1,
                        ("list", list_of.get(first, -1)),
                        -1,
                        simple.get(first, False),
                    ),
                )
            )
        for index, table in enumerate(doc.tables):
            group = ("table", index)
            wanted = first_column[index]
            for row in table.body:
                line = row.line
                pair = row_links.get(line)
                links, columns = (tuple(pair[0]), tuple(pair[1])) if pair else ((), ())
                add(
                    _new(
                        Entry,
                        (
                            "row",
                            line,
                            line + 1,
                            links,
                            columns,
                            # _first_in(columns, (wanted,)), in place
                            columns.index(wanted) if wanted >= 0 and wanted in columns else -1,
                            bisect_right(heading_lines, line) - 1,
                            group,
                            index,
                            True,
                        ),
                    )
                )
        entries.sort(key=itemgetter(1))  # by line

    @property
    def by_line(self) -> dict[int, Entry]:
        """The entry starting on each line."""
        cached = self.__dict__.get("_by_line")
        if cached is None:
            cached = self.__dict__["_by_line"] = {e.line: e for e in self.entries}
        return cached

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


def entries_of(doc: Document) -> Entries:
    """The document's entries, built on first use and cached on the document."""
    cached = doc.__dict__.get("_entries_view")
    if cached is None:
        cached = doc.__dict__["_entries_view"] = Entries(doc)
    assert isinstance(cached, Entries)
    return cached
