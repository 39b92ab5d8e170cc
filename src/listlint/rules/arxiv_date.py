"""Checks that a table's year or date column agrees with the arXiv id in the same row."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from listlint.arxiv import find_mentions, parse_url
from listlint.diagnostic import Finding
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.arxiv import ArxivId
    from listlint.document import Document
    from listlint.views.tables import Row

NAME = "arxiv-date"
CODE = "LL303"
SUMMARY = "Year or date in a table row is before the row's arXiv id"
SEVERITY = "warning"
DEFAULT = False
FIX = "none"
SCOPE = "block"

_DATE = lazy(r"(?<!\d)((?:19|20)\d\d)(?:[-/.](0?[1-9]|1[0-2])(?!\d))?")


class Options(NamedTuple):
    """The options of arxiv-date, from [rules.arxiv-date] in the configuration."""

    columns: tuple[str, ...] = ("Year", "Date", "Published", "Time")
    max_years_after: int = -1


def check(doc: Document, options: Options) -> Iterator[Finding]:
    wanted = {c.casefold() for c in options.columns}
    links = doc.links.links
    starts = [link.start for link in links]
    for table in doc.tables:
        names = [c.text.strip("*_ ").casefold() for c in table.header.cells]
        columns = [i for i, name in enumerate(names) if name in wanted]
        if not columns:
            continue
        for row in table.body:
            ident = _row_id(doc, row, links, starts)
            if ident is None:
                continue
            for i in columns:
                if i < len(row.cells):
                    finding = _compare(row.cells[i].start, row.cells[i].text, ident, options)
                    if finding is not None:
                        yield finding


def _row_id(doc: Document, row: Row, links: list, starts: list[int]) -> ArxivId | None:  # type: ignore[type-arg]
    k = bisect_left(starts, row.start)
    while k < len(links) and links[k].start < row.end:
        url = parse_url(links[k].url)
        if url is not None:
            return url.id
        k += 1
    mentions = find_mentions(doc.text[row.start : row.end])
    return mentions[0].id if mentions else None


def _compare(start: int, text: str, ident: ArxivId, options: Options) -> Finding | None:
    m = _DATE.search(text)
    if m is None:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    id_year, id_month = ident.year_month()
    where = (start + m.start(), start + m.end())
    if year < id_year or (year == id_year and month is not None and month < id_month):
        return Finding(
            *where,
            f"`{m.group()}` is earlier than arXiv:{ident.canonical}, which appeared in "
            f"{id_year}-{id_month:02d}; the date or the id is wrong",
        )
    if options.max_years_after >= 0 and year > id_year + options.max_years_after:
        return Finding(
            *where,
            f"`{m.group()}` is more than {options.max_years_after} years after "
            f"arXiv:{ident.canonical} ({id_year}-{id_month:02d})",
        )
    return None
