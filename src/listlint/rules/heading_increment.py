"""Checks heading structure: skipped levels, several titles, empty sections, twin headings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.structure import Heading

_ONLY_COMMENTS = lazy(r"(?:<!--.*?-->\s*)+", re.DOTALL)

NAME = "heading-increment"
CODE = "LL401"
SUMMARY = "Heading skips a level, repeats a sibling, leaves a section empty, or adds a title"
SEVERITY = "warning"
DEFAULT = True
FIX = "none"
SCOPE = "document"


class Options(NamedTuple):
    """The options of heading-increment, from [rules.heading-increment] in the configuration."""

    single_title: bool = True
    allow_empty_sections: bool = False
    allow_duplicate_siblings: bool = False


def check(doc: Document, options: Options) -> Iterator[Finding]:
    headings = doc.structure.headings
    parents: list[Heading] = []  # the open heading at each level above the current one
    siblings: dict[tuple[int, int], dict[str, Heading]] = {}
    previous: Heading | None = None
    stray = _stray_titles(headings) if options.single_title else set()
    for h in headings:
        if previous is not None and h.level > previous.level + 1:
            yield Finding(
                h.start,
                h.end,
                f"heading level {h.level} follows level "
                f"{previous.level} (line {previous.line + 1}); a level is skipped",
            )
        if h.line in stray:
            yield Finding(
                h.start,
                h.end,
                f"top-level heading `{h.text.strip()}` among the `##` sections; a list "
                "has one title (use `##` for a section)",
            )
        while parents and parents[-1].level >= h.level:
            parents.pop()
        parent_line = parents[-1].line if parents else -1
        if not options.allow_duplicate_siblings and h.text.strip():
            group = siblings.setdefault((parent_line, h.level), {})
            key = h.text.strip().casefold()
            twin = group.get(key)
            if twin is not None:
                yield Finding(
                    h.start,
                    h.end,
                    f"heading `{h.text.strip()}` repeats the one at "
                    f"line {twin.line + 1} under the same parent; its anchor "
                    f"becomes #{doc.structure.anchor_of(h)}",
                )
            else:
                group[key] = h
        parents.append(h)
        previous = h
    if not options.allow_empty_sections:
        yield from _empty_sections(doc)


def _stray_titles(headings: list[Heading]) -> set[int]:
    """Lines of top-level headings after the first that sit among the sections as one of
    them: no sub-headings of their own, in a document whose sections are `##` under the
    title. Lists that use `#` for parts (`# Papers` over `## ...`) or for every category
    are a style, not a mistake."""
    titles = [i for i, h in enumerate(headings) if h.level == 1]
    if len(titles) < 2:
        return set()

    def has_children(i: int) -> bool:
        return i + 1 < len(headings) and headings[i + 1].level > 1

    if not has_children(titles[0]) or any(has_children(i) for i in titles[1:]):
        return set()
    return {headings[i].line for i in titles[1:]}


def _empty_sections(doc: Document) -> Iterator[Finding]:
    for block, h in zip(doc.blocks.headings, doc.structure.headings, strict=True):
        # HTML comments render nothing: a section holding only comments is still empty.
        after = block.html_after
        k = 0
        while k < len(after) and _ONLY_COMMENTS.fullmatch(after[k].strip()):
            k += 1
        if k == len(after) and block.next_level and block.next_level <= h.level:
            yield Finding(
                h.start,
                h.end,
                f"section `{h.text.strip()}` is empty: the next heading follows it directly",
            )
