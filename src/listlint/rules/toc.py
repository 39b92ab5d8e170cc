"""Checks that the table of contents matches the document's headings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote

from listlint.diagnostic import Edit, Finding, Fix
from listlint.views.structure import HTML_ANCHOR

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.structure import Heading

NAME = "toc"
CODE = "LL404"
SUMMARY = "Table of contents is missing headings, lists absent ones, or is out of order"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"
FIX_MAY_CHANGE = ("toc-list",)  # its own list: the table of contents

TOC_HEADING = re.compile(
    r"(?:table\s+of\s+)?contents?|toc|index|目录|目錄|inhalt|índice|sommaire", re.IGNORECASE
)
_START_MARKER = re.compile(r"<!--\s*toc\s*-->", re.IGNORECASE)
_STOP_MARKER = re.compile(r"<!--\s*(?:tocstop|/toc)\s*-->", re.IGNORECASE)
_ITEM = re.compile(r"([ \t]*)([-*+]|\d+[.)])([ \t]+)\[([^\]]*)\]\(#([^)\s]*)\)(.*)")
_COMMENT_LINE = re.compile(r"[ \t]*<!--.*-->[ \t]*")


class Options(NamedTuple):
    """The options of toc, from [rules.toc] in the configuration."""

    min_level: int = 0  # 0: from the headings the table of contents links to now
    max_level: int = 0


class Entry(NamedTuple):
    line: int
    indent: str
    marker: str
    text: str
    anchor: str
    rest: str  # text after the link (" - description"), kept


class Toc(NamedTuple):
    first: int  # first line of the list
    end: int  # exclusive
    after: int  # headings after this line are covered
    entries: tuple[Entry, ...]
    comments: bool = False  # comment lines among the entries


def find_toc(doc: Document) -> Toc | None:
    """The list under a Contents-like heading, or between <!-- toc --> markers."""
    text = doc.text
    marker = _START_MARKER.search(text)
    if marker is not None:
        start = doc.line_of(marker.end()) + 1
        stop = _STOP_MARKER.search(text, marker.end())
        end = doc.line_of(stop.start()) if stop else None
        return _list_at(doc, start, end, doc.line_of(marker.start()))
    for h in doc.structure.headings:
        if TOC_HEADING.fullmatch(h.text.strip(" :*_")):
            return _list_at(doc, h.end_line, None, h.line)
    return None


def _list_at(doc: Document, start: int, end: int | None, after: int) -> Toc | None:
    for tok in doc.tokens:
        if tok.type == "bullet_list_open" or tok.type == "ordered_list_open":
            if tok.map is None or tok.map[0] < start or tok.level != 0:
                continue
            between = range(start, tok.map[0])
            if any(
                doc.line(i).strip() and not doc.line(i).lstrip().startswith("<!--") for i in between
            ):
                return None  # something else comes first: no list of contents here
            last = tok.map[1] if end is None else min(tok.map[1], end)
            entries = []
            comments = False
            for line in range(tok.map[0], last):
                m = _ITEM.fullmatch(doc.line(line))
                if m is None:
                    if _COMMENT_LINE.fullmatch(doc.line(line)):
                        comments = True  # a suppression or a note: kept, so no rewrite
                    elif doc.line(line).strip():
                        return None  # not a plain list of in-page links
                    continue
                entries.append(
                    Entry(
                        line,
                        m.group(1),
                        m.group(2) + m.group(3),
                        m.group(4),
                        unquote(m.group(5)),
                        m.group(6),
                    )
                )
            while last > tok.map[0] and not doc.line(last - 1).strip():
                last -= 1
            return Toc(tok.map[0], last, after, tuple(entries), comments) if entries else None
    return None


def _anchors(doc: Document) -> dict[str, Heading]:
    """Every anchor that reaches a heading: its slug, and HTML ids on its line."""
    out: dict[str, Heading] = {}
    for h in doc.structure.headings:
        out.setdefault(h.slug, h)
        line = doc.line(h.line)
        if "<" in line:
            for m in HTML_ANCHOR.finditer(line):
                out.setdefault(m.group(1).lower(), h)
    return out


def check(doc: Document, options: Options) -> Iterator[Finding]:
    toc = find_toc(doc)
    if toc is None:
        return
    by_anchor = _anchors(doc)
    linked = [by_anchor[e.anchor.lower()] for e in toc.entries if e.anchor.lower() in by_anchor]
    lo = options.min_level or min((h.level for h in linked), default=2)
    hi = options.max_level or max((h.level for h in linked), default=lo)
    # Headings after the table of contents in its levels, and any earlier one it links to.
    # When it links to a heading above it (the title), it covers the whole document.
    chosen = {id(h) for h in linked}
    whole = any(h.line < toc.after for h in linked)
    expected = [
        h
        for h in doc.structure.headings
        if h.text.strip()
        and lo <= h.level <= hi
        and (id(h) in chosen or (h.line != toc.after and (whole or h.line > toc.after)))
    ]
    entry_for: dict[int, Entry] = {}
    for e in toc.entries:
        target = by_anchor.get(e.anchor.lower())
        if target is not None:
            entry_for.setdefault(id(target), e)
    problems: list[str] = []
    missing = [h for h in expected if id(h) not in entry_for]
    absent = [e for e in toc.entries if e.anchor.lower() not in by_anchor]
    if missing:
        names = ", ".join(f"`{h.text.strip()}`" for h in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        problems.append(f"misses {names}{more}")
    if absent:
        names = ", ".join(f"#{e.anchor}" for e in absent[:5])
        more = f" and {len(absent) - 5} more" if len(absent) > 5 else ""
        problems.append(f"links to headings that do not exist ({names}{more})")
    order = [id(by_anchor[e.anchor.lower()]) for e in toc.entries if e.anchor.lower() in by_anchor]
    if not problems and order != [id(h) for h in expected if id(h) in set(order)]:
        problems.append("is not in the order of the headings")
    new = _render(doc, toc, expected, entry_for, lo)
    start, end = doc.line_starts[toc.first], doc.line_ends[toc.end - 1]
    if not problems:
        if toc.comments or new == doc.text[start:end]:
            return  # comment lines are not rendered: levels are not compared with them
        problems.append("does not match the headings' levels")
    message = "table of contents " + "; ".join(problems)
    if toc.comments:  # a regenerated list would lose its comment lines
        yield Finding(
            start, doc.line_ends[toc.first], message + " (it holds comments: not regenerated)"
        )
        return
    yield Finding(
        start,
        doc.line_ends[toc.first],
        message,
        Fix("Regenerate the table of contents", (Edit(start, end, new),)),
    )


def _render(
    doc: Document, toc: Toc, expected: list[Heading], entry_for: dict[int, Entry], lo: int
) -> str:
    """One item per heading: the author's marker, indentation unit, link texts, anchors and
    trailing text kept where the heading still exists."""
    first = toc.entries[0]
    unit = _indent_unit(toc, entry_for, expected)
    lines = []
    for h in expected:
        entry = entry_for.get(id(h))
        text = entry.text if entry is not None else _escape(h.text.strip())
        anchor = entry.anchor if entry is not None else h.slug
        rest = entry.rest if entry is not None else ""
        indent = first.indent + unit * (h.level - lo)
        lines.append(f"{indent}{first.marker}[{text}](#{anchor}){rest}")
    return doc.newline.join(lines)


def _indent_unit(toc: Toc, entry_for: dict[int, Entry], expected: list[Heading]) -> str:
    """The author's indentation per level: columns between two entries over the levels of
    their headings (so an entry nested two levels deep does not double the unit)."""
    level_of = {id(e): h.level for h in expected if (e := entry_for.get(id(h))) is not None}
    base = toc.entries[0]
    if id(base) in level_of:
        for e in toc.entries[1:]:
            depth = level_of.get(id(e), 0) - level_of[id(base)]
            extra = len(e.indent) - len(base.indent)
            if depth > 0 and extra > 0 and extra % depth == 0:
                char = "\t" if "\t" in e.indent else " "
                return char * (extra // depth)
    return "  "


def _escape(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)
