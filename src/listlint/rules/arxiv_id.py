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
SCOPE = "block"


class Options(NamedTuple):
    """The options of arxiv-id, from [rules.arxiv-id] in the configuration."""

    today: str = ""
    archive_dates: bool = False

    def validate(self) -> None:
        if self.today:
            date.fromisoformat(self.today)  # ValueError names the bad date


_HINTS = ("xiv", "Xiv", "XIV", "48550")  # what find_mentions looks for before its pattern


def _message(ident: ArxivId, problems: list[str]) -> str:
    return f"arXiv id `{ident.text}` is impossible: {'; '.join(problems)}"


def check(doc: Document, options: Options) -> Iterator[Finding]:
    today = today_from(options.today)

    # An id is often in a URL, its label and prose. By its text: ids are read from their
    # text alone (arxiv.parse_id), and a string hashes faster than the record.
    known: dict[str, list[str]] = {}

    def problems_of(ident: ArxivId) -> list[str]:
        found = known.get(ident.text)
        if found is not None:
            return found
        found = ident.problems(today)
        if options.archive_dates and not found:
            window = archive_window_problem(ident)
            if window is not None:
                found.append(window)
        known[ident.text] = found
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
    # find_mentions' own test first, on the whole text and then on each piece of prose
    # (pieces are the text with parts blanked): most lists mention no arXiv id in prose.
    in_text = any(hint in text for hint in _HINTS)
    for base, prose in doc.links.prose if in_text else ():
        if (
            "xiv" not in prose
            and "Xiv" not in prose
            and "XIV" not in prose
            and "48550" not in prose
        ):
            continue
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
