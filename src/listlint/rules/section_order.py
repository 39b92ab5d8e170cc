"""Checks that sections follow the configured order."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.records import NamedTuple
from listlint.views.sections import reorder, sibling_groups

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.sections import Section

NAME = "section-order"
CODE = "LL402"
SUMMARY = "Section is out of the configured order"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"
SCOPE = "document"
FIX_MAY_CHANGE = ("block-order",)  # the order of sections


class OrderSpec(NamedTuple):
    """One group of sibling sections and the order they must follow."""

    order: tuple[str, ...] = ("*",)
    level: int = 2
    parent: str = ""
    alphabetical: bool = False


class Options(NamedTuple):
    """The options of section-order, from [rules.section-order] in the configuration."""

    order: tuple[str, ...] = ()
    level: int = 2
    parent: str = ""
    alphabetical: bool = False
    groups: tuple[OrderSpec, ...] = ()

    def specs(self) -> tuple[OrderSpec, ...]:
        own: tuple[OrderSpec, ...] = ()
        if self.order or self.alphabetical:
            own = (OrderSpec(self.order or ("*",), self.level, self.parent, self.alphabetical),)
        return own + self.groups


def _rank(name: str, order: tuple[str, ...]) -> int:
    folded = name.strip().casefold()
    for i, pattern in enumerate(order):
        if pattern != "*" and fnmatch.fnmatchcase(folded, pattern.casefold()):
            return i
    return order.index("*") if "*" in order else len(order)


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for spec in options.specs():
        for group in sibling_groups(doc, spec.level):
            parent = group[0].parent
            if spec.parent and not (
                parent
                and fnmatch.fnmatchcase(parent.text.strip().casefold(), spec.parent.casefold())
            ):
                continue
            finding = _check_group(doc, group, spec)
            if finding is not None:
                yield finding


def _check_group(doc: Document, group: list[Section], spec: OrderSpec) -> Finding | None:
    # (sort-entries is opt-in: its module is imported where an order is configured)
    from listlint.rules.sort_entries import natural_key

    star = spec.order.index("*") if "*" in spec.order else -1

    def key(i: int) -> tuple[int, tuple[object, ...], int]:
        rank = _rank(group[i].heading.text, spec.order)
        alpha = natural_key(group[i].heading.text) if spec.alphabetical and rank == star else ()
        return rank, alpha, i

    order = sorted(range(len(group)), key=key)
    if order == list(range(len(group))):
        return None
    # The first section that is not where it belongs, and the one it should precede.
    position = next(p for p, i in enumerate(order) if i != p)
    moved = group[order[position]]
    before = group[position]
    start, end, text = reorder(doc, group, order)
    return Finding(
        moved.heading.start,
        moved.heading.end,
        f"section `{moved.heading.text.strip()}` belongs before "
        f"`{before.heading.text.strip()}` (line {before.first + 1})",
        Fix("Move the sections into order", (Edit(start, end, text),)),
    )
