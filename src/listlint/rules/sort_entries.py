"""Checks that entries of a list or table are sorted, in the sections the config selects."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING, Literal, NamedTuple

from listlint.diagnostic import Edit, Finding, Fix

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from listlint.document import Document
    from listlint.views.tables import Table

NAME = "sort-entries"
CODE = "LL403"
SUMMARY = "Entries of a list or table are out of order"
SEVERITY = "warning"
DEFAULT = False
FIX = "safe"
FIX_MAY_CHANGE = ("block-order",)  # the order of entries

_DIGITS = re.compile(r"(\d+)")
_MARKUP = re.compile(r"[*_`~]|!?\[|\]\([^)]*\)|\]|<[^>]+>")
_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


def natural_key(text: str, collation: str = "casefold") -> tuple[object, ...]:
    """Case-insensitive, numbers by value (`Llama 2` before `Llama 10`); with the
    ``unicode`` collation accents are ignored (`Émile` beside `Emile`)."""
    text = text.strip().casefold()
    if collation == "unicode":
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return tuple(int(p) if p.isdigit() else p for p in _DIGITS.split(text))


class Options(NamedTuple):
    """The options of sort-entries, from [rules.sort-entries] in the configuration."""

    sections: tuple[str, ...] = ("*",)
    column: str = ""
    ignore_prefixes: tuple[str, ...] = ()
    descending: bool = False
    collation: Literal["casefold", "unicode"] = "casefold"


def check(doc: Document, options: Options) -> Iterator[Finding]:
    headings = doc.structure.headings
    lines = [h.line for h in headings]

    def selected(line: int) -> bool:
        k = bisect_right(lines, line) - 1
        name = headings[k].text.strip().casefold() if k >= 0 else ""
        return any(fnmatch.fnmatchcase(name, p.casefold()) for p in options.sections)

    yield from _lists(doc, options, selected)
    for table in doc.tables:
        if table.body and selected(table.header.line):
            finding = _table(doc, table, options)
            if finding is not None:
                yield finding


def _key(text: str, options: Options) -> tuple[object, ...]:
    plain = _MARKUP.sub("", text).strip()
    for prefix in options.ignore_prefixes:
        if plain.casefold().startswith(prefix.casefold()):
            plain = plain[len(prefix) :]
            break
    return natural_key(plain, options.collation)


def _out_of_order(keys: list[tuple[object, ...]], descending: bool) -> int | None:
    for i in range(1, len(keys)):
        a, b = keys[i - 1], keys[i]
        if (b > a) if descending else (b < a):
            return i
    return None


def _lists(doc: Document, options: Options, selected: Callable[[int], bool]) -> Iterator[Finding]:
    """Each list's own items, nested lists separately; an item keeps its whole block."""
    from listlint.rules.toc import find_toc

    tokens = doc.tokens
    toc = find_toc(doc)
    # The table of contents follows the headings' order: that is toc's job, not sorting.
    skip = range(toc.first, toc.end) if toc is not None else range(0)
    stack: list[list[tuple[int, int]]] = []
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            stack.append([])
        elif tok.type == "list_item_open" and tok.map is not None and stack:
            stack[-1].append((tok.map[0], tok.map[1]))
        elif tok.type in ("bullet_list_close", "ordered_list_close") and stack:
            items = stack.pop()
            if len(items) > 1 and selected(items[0][0]) and items[0][0] not in skip:
                finding = _list(doc, items, options)
                if finding is not None:
                    yield finding


def _item_text(doc: Document, first: int) -> str:
    line = doc.line(first)
    m = _MARKER.match(line)
    return line[m.end() :] if m else line


def _list(doc: Document, items: list[tuple[int, int]], options: Options) -> Finding | None:
    keys = [_key(_item_text(doc, first), options) for first, _ in items]
    bad = _out_of_order(keys, options.descending)
    if bad is None:
        return None
    order = sorted(range(len(items)), key=lambda i: keys[i], reverse=options.descending)
    blocks = []
    for first, end in items:
        while end > first + 1 and not doc.line(end - 1).strip():
            end -= 1
        blocks.append((first, end))
    # Keep the text between items (tight or loose separators) where it was.
    pieces = [doc.text[doc.line_starts[f] : doc.line_ends[e - 1]] for f, e in blocks]
    seps = [
        doc.text[doc.line_ends[blocks[i][1] - 1] : doc.line_starts[blocks[i + 1][0]]]
        for i in range(len(blocks) - 1)
    ]
    new = pieces[order[0]] + "".join(s + pieces[i] for s, i in zip(seps, order[1:], strict=True))
    start, end = doc.line_starts[blocks[0][0]], doc.line_ends[blocks[-1][1] - 1]
    line = items[bad][0]
    return Finding(
        doc.line_starts[line],
        doc.line_ends[line],
        f"entry `{_MARKUP.sub('', _item_text(doc, line)).strip()[:60]}` is out of order: it "
        f"belongs before `{_MARKUP.sub('', _item_text(doc, items[bad - 1][0])).strip()[:60]}`",
        Fix("Sort the entries", (Edit(start, end, new),)),
    )


def _table(doc: Document, table: Table, options: Options) -> Finding | None:
    names = [c.text.strip("*_ ").casefold() for c in table.header.cells]
    column = names.index(options.column.casefold()) if options.column.casefold() in names else 0
    rows = table.body
    keys = [_key(r.cells[column].text if column < len(r.cells) else "", options) for r in rows]
    bad = _out_of_order(keys, options.descending)
    if bad is None:
        return None
    order = sorted(range(len(rows)), key=lambda i: keys[i], reverse=options.descending)
    texts = [doc.text[r.line_start : r.end] for r in rows]
    edits = tuple(
        Edit(rows[pos].line_start, rows[pos].end, texts[i])
        for pos, i in enumerate(order)
        if i != pos
    )
    row = rows[bad]
    return Finding(
        row.line_start,
        row.end,
        f"row `{row.cells[column].text[:60] if column < len(row.cells) else ''}` is out of "
        f"order in column `{table.header.cells[column].text}`",
        Fix("Sort the table rows", edits),
    )
