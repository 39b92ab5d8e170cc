"""Checks for impossible arXiv identifiers and link text naming a different paper."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from listlint.arxiv import (
    archive_window_problem,
    find_mentions,
    malformed_paper_path,
    parse_url,
    today_from,
)
from listlint.diagnostic import Finding
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from listlint.arxiv import ArxivId
    from listlint.document import Document

NAME = "arxiv-id"
CODE = "LL301"
SUMMARY = "arXiv identifier is impossible, or link text names another paper"
SEVERITY = "error"
DEFAULT = True
FIX = "none"


class Options(NamedTuple):
    """The options of arxiv-id, from [rules.arxiv-id] in the configuration."""

    today: str = ""
    archive_dates: bool = False

    def validate(self) -> None:
        if self.today:
            date.fromisoformat(self.today)  # ValueError names the bad date


def _message(ident: ArxivId, problems: list[str]) -> str:
    return f"arXiv id `{ident.text}` is impossible: {'; '.join(problems)}"


def check(doc: Document, options: Options) -> Iterator[Finding]:
    today = today_from(options.today)

    known: dict[ArxivId, list[str]] = {}  # an id is often in a URL, its label and prose

    def problems_of(ident: ArxivId) -> list[str]:
        found = known.get(ident)
        if found is not None:
            return found
        found = ident.problems(today)
        if options.archive_dates and not found:
            window = archive_window_problem(ident)
            if window is not None:
                found.append(window)
        known[ident] = found
        return found

    text = doc.text
    reported: set[int] = set()
    # Identifiers in link targets; a reference's URL is checked at its definition.
    for link in doc.links.all_targets():
        if link.kind == "reference":
            continue
        url = parse_url(link.url)
        if url is None:
            bad = malformed_paper_path(link.url)
            if bad is not None:
                yield Finding(
                    link.url_start,
                    link.url_end,
                    f"`{bad}` in this arXiv link is not an arXiv id "
                    "(YYMM.NNNNN or archive/YYMMNNN)",
                )
            continue
        problems = problems_of(url.id)
        if problems:
            start, end = link.url_start, link.url_end
            if text[start:end] == link.url:
                start, end = start + url.id_start, start + url.id_end
            reported.add(start)
            yield Finding(start, end, _message(url.id, problems))
    # Identifiers in text (prose, headings, table cells, link labels) with an arXiv prefix.
    for base, prose in doc.links.prose:
        for m in find_mentions(prose):
            problems = problems_of(m.id)
            if problems and base + m.start not in reported:
                reported.add(base + m.start)
                yield Finding(base + m.start, base + m.end, _message(m.id, problems))
    yield from _labels(doc, problems_of, reported)


def _labels(
    doc: Document, problems_of: Callable[[ArxivId], list[str]], reported: set[int]
) -> Iterator[Finding]:
    """A label that names an arXiv id (even without prefix) over a link to a paper."""
    text = doc.text
    for link in doc.links:
        if link.kind not in ("inline", "reference") or link.image:
            continue
        url = parse_url(link.url)
        if url is None:
            continue
        label = text[link.text_start : link.text_end]
        for m in find_mentions(label) or find_mentions(label, bare=True):
            start = link.text_start + m.start
            problems = problems_of(m.id)
            if problems:
                if start not in reported:
                    reported.add(start)
                    yield Finding(start, link.text_start + m.end, _message(m.id, problems))
            elif m.id.canonical != url.id.canonical and not problems_of(url.id):
                yield Finding(
                    start,
                    link.text_start + m.end,
                    f"link text names arXiv:{m.id.canonical} but the link points to "
                    f"arXiv:{url.id.canonical}",
                    severity="warning",
                )
