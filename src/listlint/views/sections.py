"""Sections as movable blocks: a heading with everything up to the next heading of the same
or a higher level, and the reordering of sibling blocks without losing a line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.document import Document
    from listlint.views.structure import Heading


class Section(NamedTuple):
    heading: Heading
    first: int  # first line (the heading's)
    end: int  # exclusive: the next heading of the same or a higher level, or the parent's end
    parent: Heading | None


def top_level_headings(doc: Document) -> list[Heading]:
    """Headings outside block quotes and list items: the ones that make sections."""
    return [
        h
        for h in doc.structure.headings
        if h.start == doc.line_starts[h.line]
        or not doc.text[doc.line_starts[h.line] : h.start].strip()
    ]


def sibling_groups(doc: Document, level: int) -> list[list[Section]]:
    """Runs of consecutive sections at ``level`` sharing one parent heading."""
    headings = top_level_headings(doc)
    groups: list[list[Section]] = []
    parents: list[Heading] = []
    current: list[Section] = []
    for i, h in enumerate(headings):
        while parents and parents[-1].level >= h.level:
            parents.pop()
        if h.level < level:
            if current:
                groups.append(current)
                current = []
        elif h.level == level:
            end = doc.line_count
            for nxt in headings[i + 1 :]:
                if nxt.level <= level:
                    end = nxt.line
                    break
            current.append(Section(h, h.line, end, parents[-1] if parents else None))
        parents.append(h)
    if current:
        groups.append(current)
    return groups


def reorder(
    doc: Document, sections: Sequence[Section], order: Sequence[int]
) -> tuple[int, int, str]:
    """Text replacing lines ``sections[0].first`` .. end of the last section's content, with
    the sections in ``order``; each keeps all its lines, blank lines between them are one."""
    nl = doc.newline
    blocks = []
    for s in sections:
        last = s.end
        while last > s.first + 1 and not doc.line(last - 1).strip():
            last -= 1
        blocks.append(doc.text[doc.line_starts[s.first] : doc.line_ends[last - 1]])
    start = doc.line_starts[sections[0].first]
    last_section = sections[-1]
    last = last_section.end
    while last > last_section.first + 1 and not doc.line(last - 1).strip():
        last -= 1
    end = doc.line_ends[last - 1]
    return start, end, (nl + nl).join(blocks[i] for i in order)
