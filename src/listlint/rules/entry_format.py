"""Checks that list entries share one format: a link, a separator, a description."""

from __future__ import annotations

import fnmatch
import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Literal

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.structure import ListItem

NAME = "entry-format"
CODE = "LL405"
SUMMARY = "List entry does not follow the format `[Name](url) - Description.`"
SEVERITY = "warning"
DEFAULT = False
READS_TOKENS = True  # walks doc.tokens itself (a check keeps them for it)
FIX = "sometimes"
SCOPE = "block"
FIX_MAY_CHANGE = (r"text:[\s.:\-\u2013\u2014]+",)  # separators and final periods


class Options(NamedTuple):
    """The options of entry-format, from [rules.entry-format] in the configuration."""

    separator: str = " - "
    punctuation: Literal["period", "none", "any"] = "period"
    capitalized: bool = True
    description: Literal["required", "optional"] = "optional"
    sections: tuple[str, ...] = ("*",)


# What authors put between the link and the description instead of the separator.
_OTHER_SEPARATOR = lazy(r"[ \t]*(?:[-–—:|]+|\\-)[ \t]*")
_TERMINAL = ".!?…"
_NUMBER_LINE = lazy(r"[ \t>]*\d{1,9}")
_CLOSERS = "*_`\"')]”’»"


def check(doc: Document, options: Options) -> Iterator[Finding]:
    headings = doc.structure.headings
    heading_lines = [h.line for h in headings]
    items = doc.structure.list_items

    def selected(line: int) -> bool:
        k = bisect_right(heading_lines, line) - 1
        name = headings[k].text.strip().casefold() if k >= 0 else ""
        return any(fnmatch.fnmatchcase(name, p.casefold()) for p in options.sections)

    # Where each paragraph ends: an entry's description is its first paragraph, as parsed
    # (a table inside the item is not part of it).
    paragraphs = {t.map[0]: t.map[1] for t in doc.tokens if t.type == "paragraph_open" and t.map}
    for item in items:
        if not selected(item.first_line):
            continue
        entry = _entry(doc, item, paragraphs)
        if entry is not None:
            yield from _check_entry(doc, *entry, options)


def _entry(
    doc: Document, item: ListItem, paragraphs: dict[int, int]
) -> tuple[int, int, bool] | None:
    """(end of the entry's leading link, end of its first paragraph, whether more blocks
    follow in the item) for a list item that starts with a link to a resource; None for
    other items (ToC lines, prose, images)."""
    line = item.first_line
    raw = doc.line(line)
    marker = re.match(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?", raw)
    if marker is None:
        return None
    content = doc.line_starts[line] + marker.end()
    link = doc.links.first_from(content)
    if (
        link is None
        or link.start != content
        or link.image
        or link.kind not in ("inline", "reference")
        or link.url.startswith("#")
    ):
        return None
    end = paragraphs.get(line)
    if end is None or end > item.end_line:
        return None  # the item does not start with a paragraph
    last = end - 1
    more = any(doc.line(i).strip(" \t>") for i in range(end, item.end_line))
    return link.end, doc.line_ends[last], more


def _check_entry(
    doc: Document, link_end: int, end: int, more: bool, options: Options
) -> Iterator[Finding]:
    text = doc.text
    rest = text[link_end:end]
    if not rest.strip():
        if options.description == "required":
            yield Finding(link_end - 1, link_end, "entry has no description")
        return
    sep = options.separator
    if rest.startswith(sep):
        start = link_end + len(sep)
    else:
        m = _OTHER_SEPARATOR.match(rest)
        if m is None or m.end() == len(rest):
            return  # badges, a second link or a note after the name: not a description
        fix = Fix(f"Separate with `{sep}`", (Edit(link_end, link_end + m.end(), sep),))
        yield Finding(
            link_end,
            link_end + max(m.end(), 1),
            f"separate the link and the description with `{sep}`, not "
            f"`{m.group().strip() or m.group()}`",
            fix,
        )
        start = link_end + m.end()
    description = text[start:end]
    first = description.lstrip()
    word = first.split(maxsplit=1)[0] if first else ""
    if (
        options.capitalized
        and first[:1].islower()
        and not any(ch.isupper() for ch in word)  # iOS, jQuery, macOS
    ):
        at = start + len(description) - len(first)
        yield Finding(at, at + len(word), "description starts with a lower-case letter")
    stripped = description.rstrip()
    core = stripped.rstrip(_CLOSERS)
    if not core:
        return
    last = start + len(core) - 1
    # A colon introducing what follows in the item (a table, a nested list) ends it too.
    if options.punctuation == "period" and core[-1] not in _TERMINAL + (":" if more else ""):
        tail = start + len(stripped)
        line_start = text.rfind("\n", 0, tail) + 1
        line_start = max(line_start, text.rfind("\r", 0, tail) + 1)
        if _NUMBER_LINE.fullmatch(text[line_start:tail]):
            # `3` on a line of its own: `3.` would start a numbered list.
            yield Finding(
                last,
                last + 1,
                "description does not end with a period (not fixed: a period after a "
                "number on a line of its own starts a numbered list)",
            )
            return
        fix = Fix("Add a period", (Edit(tail, tail, "."),))
        yield Finding(last, last + 1, "description does not end with a period", fix)
    elif options.punctuation == "none" and core[-1] == "." and not core.endswith(".."):
        fix = Fix("Remove the period", (Edit(last, last + 1, ""),))
        yield Finding(last, last + 1, "description ends with a period", fix)
