"""Checks that entries of a list or table are sorted, in the sections the config selects."""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from listlint.document import Document
    from listlint.views.tables import Table

NAME = "sort-entries"
CODE = "LL403"
SUMMARY = "Entries of a list or table are out of order"
SEVERITY = "warning"
DEFAULT = False
READS_TOKENS = True  # walks doc.tokens itself (a check keeps them for it)
FIX = "safe"
SCOPE = "document"
FIX_MAY_CHANGE = ("block-order",)  # the order of entries

_DIGITS = lazy(r"(\d+)")
_MARKUP = lazy(r"[*_`~]|!?\[|\]\([^)]*\)|\]|<[^>]+>")
_MARKER = lazy(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")


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


class _List(NamedTuple):
    items: list[tuple[int, int, int]]  # first line, end line, offset after the marker
    ordered: bool
    parent_line: int  # the enclosing item's first line (-1: none)


_FENCE = lazy(r"[ \t>]*(`{3,}|~{3,})")
# The start of an HTML block (CommonMark kinds 1 to 7, the usual tags): GitHub ends a
# table at such a line.
_HTML_BLOCK_START = lazy(
    r"[ ]{0,3}(?:<(?:script|pre|style|textarea)(?:\s|>|$)|<!--|<\?|<![A-Za-z]|"
    r"</?(?:address|article|aside|blockquote|body|center|details|dialog|div|dl|fieldset|"
    r"figure|footer|form|h[1-6]|header|hr|html|iframe|li|main|nav|ol|p|section|summary|"
    r"table|tbody|td|th|thead|tr|ul)(?:\s|/?>|$)|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>\s*$)",
    re.IGNORECASE,
)
_ITEM_MARKER = lazy(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")


def _lists(doc: Document, options: Options, selected: Callable[[int], bool]) -> Iterator[Finding]:
    """Each list's own items, nested lists separately; an item keeps its whole block."""
    from listlint.rules.toc import find_toc

    tokens = doc.tokens
    toc = find_toc(doc)
    # The table of contents follows the headings' order: that is toc's job, not sorting.
    skip = range(toc.first, toc.end) if toc is not None else range(0)
    stack: list[_List] = []
    unsafe: list[str] = []  # per open list: why its items cannot be moved ("" if they can)
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            parent = stack[-1].items[-1][0] if stack and stack[-1].items else -1
            stack.append(_List([], tok.type == "ordered_list_open", parent))
            unsafe.append("")
        elif tok.type == "list_item_open" and tok.map is not None and stack:
            start = doc.content_start(tok.map[0], doc.containers[i])
            m = _ITEM_MARKER.match(doc.text, start, doc.line_ends[tok.map[0]])
            after = m.end() if m else start
            if not doc.text[after : doc.line_ends[tok.map[1] - 1]].strip():
                unsafe[-1] = unsafe[-1] or "an item is empty"
            stack[-1].items.append((tok.map[0], tok.map[1], after))
        elif tok.type == "fence" and tok.map is not None and not _closed(doc, tok.map):
            # An unclosed fence runs to the end of its item: moved, it swallows the rest.
            unsafe[:] = [u or "an item holds an unclosed code fence" for u in unsafe]
        elif tok.type in ("bullet_list_close", "ordered_list_close") and stack:
            lst = stack.pop()
            why = unsafe.pop()
            items = lst.items
            if len(items) > 1 and selected(items[0][0]) and items[0][0] not in skip:
                finding = _list(doc, lst, options, why or _unsafe_list(doc, lst))
                if finding is not None:
                    yield finding


def _closed(doc: Document, span: list[int]) -> bool:
    first, end = span
    opening = _FENCE.match(doc.line(first))
    if opening is None or end - first < 2:
        return False
    closing = _FENCE.match(doc.line(end - 1))
    fence = opening.group(1)
    return (
        closing is not None
        and closing.group(1)[0] == fence[0]
        and len(closing.group(1)) >= len(fence)
        and not doc.line(end - 1)[closing.end() :].strip()
    )


def _unsafe_list(doc: Document, lst: _List) -> str:
    """Why moving this list's items would change more than their order ("" if nothing)."""
    items = lst.items
    if items[0][0] == lst.parent_line:
        return "the list starts on its parent item's line"
    # A line indented after the list (an indented code block) joins whichever item ends it.
    after = items[-1][1]
    while after < doc.line_count and not doc.line(after).strip():
        after += 1
    if after < doc.line_count:
        text = doc.line(after)
        indent = len(text) - len(text.lstrip(" \t"))
        column = min(a - doc.line_starts[f] for f, _, a in items)
        if indent >= column and not _ITEM_MARKER.match(text):
            return "an indented block follows the list"
    if lst.ordered:
        widths = {after - doc.line_starts[first] for first, _, after in items}
        if len(widths) > 1 and any(end - first > 1 for first, end, _ in items):
            return "its numbers have different widths"
    return ""


def _item_text(doc: Document, first: int) -> str:
    line = doc.line(first)
    m = _MARKER.match(line)
    return line[m.end() :] if m else line


def _list(doc: Document, lst: _List, options: Options, unsafe: str) -> Finding | None:
    items = lst.items
    keys = [_key(doc.text[after : doc.line_ends[first]], options) for first, _, after in items]
    bad = _out_of_order(keys, options.descending)
    if bad is None:
        return None
    line = items[bad][0]
    message = (
        f"entry `{_label(doc, items[bad])}` is out of order: it belongs before "
        f"`{_label(doc, items[bad - 1])}`"
    )
    if unsafe:
        return Finding(
            doc.line_starts[line],
            doc.line_ends[line],
            f"{message} (not sorted automatically: {unsafe})",
        )
    blocks = []
    for n, (first, end, after) in enumerate(items):
        while end > first + 1 and not doc.line(end - 1).strip():
            end -= 1
        lazy = _lazy_html(doc, first, end, after - doc.line_starts[first])
        if lazy is not None and n == len(items) - 1:
            # `<br>` under the last item: GitHub ends the list there, so it stays put.
            end = lazy
            while end > first + 1 and not doc.line(end - 1).strip():
                end -= 1
        elif lazy is not None:
            return Finding(
                doc.line_starts[line],
                doc.line_ends[line],
                f"{message} (not sorted automatically: line {lazy + 1} starts an HTML "
                "block, which ends the list on GitHub)",
            )
        blocks.append((first, end))
    order = sorted(range(len(items)), key=lambda i: keys[i], reverse=options.descending)

    # Keep the text between items (tight or loose separators) where it was; an ordered
    # list keeps its numbers where they were (1. stays first), so that it still starts
    # where it started and can still interrupt the paragraph above.
    def piece(position: int, item: int) -> str:
        first, end = blocks[item]
        body_end = doc.line_ends[end - 1]
        if not lst.ordered:
            return doc.text[doc.line_starts[first] : body_end]
        marker = doc.text[doc.line_starts[blocks[position][0]] : items[position][2]]
        return marker + doc.text[items[item][2] : body_end]

    seps = [
        doc.text[doc.line_ends[blocks[i][1] - 1] : doc.line_starts[blocks[i + 1][0]]]
        for i in range(len(blocks) - 1)
    ]
    new = piece(0, order[0]) + "".join(
        s + piece(p + 1, i) for p, (s, i) in enumerate(zip(seps, order[1:], strict=True))
    )
    start, end = doc.line_starts[blocks[0][0]], doc.line_ends[blocks[-1][1] - 1]
    return Finding(
        doc.line_starts[line],
        doc.line_ends[line],
        message,
        Fix("Sort the entries", (Edit(start, end, new),)),
    )


def _lazy_html(doc: Document, first: int, end: int, column: int) -> int | None:
    """The first line of the item, after its first, that is not indented to its content
    and starts an HTML block (`<br>`, `<div>`): markdown-it reads it as the item's lazy
    line, GitHub (cmark-gfm) ends the list before it."""
    for line in range(first + 1, end):
        text = doc.line(line)
        indent = len(text) - len(text.lstrip(" \t"))
        if indent < column and _HTML_BLOCK_START.match(text):
            return line
    return None


def _label(doc: Document, item: tuple[int, int, int]) -> str:
    first, _, after = item
    return _MARKUP.sub("", doc.text[after : doc.line_ends[first]]).strip()[:60]


def _table(doc: Document, table: Table, options: Options) -> Finding | None:
    names = [c.text.strip("*_ ").casefold() for c in table.header.cells]
    column = names.index(options.column.casefold()) if options.column.casefold() in names else 0
    rows = table.body
    # A line opening an HTML block ends the table on GitHub; a row moved below it would
    # show as raw text.
    unsafe = any(_HTML_BLOCK_START.match(doc.text, r.line_start, r.end) for r in rows)
    keys = [_key(r.cells[column].text if column < len(r.cells) else "", options) for r in rows]
    bad = _out_of_order(keys, options.descending)
    if bad is None:
        return None
    row = rows[bad]
    message = (
        f"row `{row.cells[column].text[:60] if column < len(row.cells) else ''}` is out of "
        f"order in column `{table.header.cells[column].text}`"
    )
    if unsafe:
        return Finding(
            row.line_start,
            row.end,
            f"{message} (not sorted automatically: a row starts with HTML, which ends the "
            "table on GitHub)",
        )
    order = sorted(range(len(rows)), key=lambda i: keys[i], reverse=options.descending)
    texts = [doc.text[r.line_start : r.end] for r in rows]
    edits = tuple(
        Edit(rows[pos].line_start, rows[pos].end, texts[i])
        for pos, i in enumerate(order)
        if i != pos
    )
    return Finding(row.line_start, row.end, message, Fix("Sort the table rows", edits))
