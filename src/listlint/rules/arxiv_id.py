"""Checks for impossible arXiv identifiers and link text naming a different paper."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from listlint.arxiv import (
    Mention,
    archive_window_problem,
    check_today,
    find_mentions,
    malformed_paper_path,
    today_from,
)
from listlint.diagnostic import Finding
from listlint.records import NamedTuple
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from listlint.arxiv import ArxivId, ArxivUrl
    from listlint.document import Document
    from listlint.views.links import Link

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
        check_today(self.today)


_HINTS = ("xiv", "Xiv", "XIV", "48550")  # what find_mentions looks for before its pattern


def _message(ident: ArxivId, problems: list[str]) -> str:
    return f"arXiv id `{ident.text}` is impossible: {'; '.join(problems)}"


def check(doc: Document, options: Options) -> Iterator[Finding]:
    today = today_from(options.today)

    # An id is often in a URL, its label and prose. By its text: ids are read from their
    # text alone (arxiv.parse_id), and a string hashes faster than the record. And by its
    # shape: what ArxivId.problems and archive_window_problem read of it (many ids share
    # one: a month, a number of digits, no version).
    known: dict[str, list[str]] = {}
    shapes: dict[tuple[object, ...], list[str]] = {}

    def problems_of(ident: ArxivId) -> list[str]:
        found = known.get(ident.text)
        if found is not None:
            return found
        number = ident.number
        shape = (
            ident.scheme,
            ident.yymm,
            len(number),
            number.count("0") == len(number),
            ident.version,
            ident.archive,
        )
        found = shapes.get(shape)
        if found is None:
            found = ident.problems(today)
            if options.archive_dates and not found:
                window = archive_window_problem(ident)
                if window is not None:
                    found.append(window)
            shapes[shape] = found
        known[ident.text] = found
        return found

    text = doc.text
    reported: set[int] = set()
    # Identifiers in link targets; a reference's URL is checked at its definition.
    papers = urls_of(doc).papers  # the links and definitions naming arxiv, in order
    for link, url in papers:
        if link.kind == "reference":
            continue
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
    pieces = doc.links.prose
    found: dict[int, list[Mention]] = {}  # piece (index) -> its mentions
    for index, (base, prose) in enumerate(pieces) if in_text else ():
        if (
            "xiv" not in prose
            and "Xiv" not in prose
            and "XIV" not in prose
            and "48550" not in prose
        ):
            continue
        mentions = found[index] = find_mentions(prose)
        for m in mentions:
            problems = problems_of(m.id)
            if problems and base + m.start not in reported:
                reported.add(base + m.start)
                yield Finding(base + m.start, base + m.end, _message(m.id, problems))
    yield from _labels(doc, papers, problems_of, reported, found)


def _labels(
    doc: Document,
    papers: list[tuple[Link, ArxivUrl | None]],
    problems_of: Callable[[ArxivId], list[str]],
    reported: set[int],
    found: dict[int, list[Mention]],
) -> Iterator[Finding]:
    """A label that names an arXiv id (even without prefix) over a link to a paper.

    A label's mentions (``find_mentions(label)``) are those found in the piece of prose
    holding it when it stands there as written, between its ``[`` and ``]``: neither
    bracket can be part of a mention, so no mention of the piece runs over them. (A label
    without find_mentions' hints has none, even where the piece's other hints let its
    pattern look there.)"""
    text = doc.text
    pieces = doc.links.prose
    bases: list[int] | None = None
    for link, url in papers:
        if url is None or link.kind not in ("inline", "reference") or link.image:
            continue
        label_start = link.text_start
        label = text[label_start : link.text_end]
        if bases is None:
            bases = [base for base, _ in pieces]
            if bases != sorted(bases):
                bases = []  # not in order (never seen): every label read on its own
        mentions = None
        origin = label_start  # where the mentions' offsets count from
        k = bisect_right(bases, label_start) - 1 if bases else -1
        if k >= 0:
            base, prose = pieces[k]
            at = label_start - base
            end = at + len(label)
            if (
                at > 0
                and end < len(prose)
                and prose[at - 1] == "["
                and prose[end] == "]"
                and prose[at:end] == label
            ):
                if (
                    "xiv" not in label
                    and "Xiv" not in label
                    and "XIV" not in label
                    and "48550" not in label
                ):
                    mentions = []
                else:
                    mentions = [m for m in found.get(k, ()) if at <= m.start < end]
                    origin = base
                    if mentions:
                        # Found in the prose: one with problems is reported already,
                        # one with the link's own id is fine (see below): most are that.
                        own = url.id.text
                        mentions = [m for m in mentions if m.id.text != own]
                        if not mentions:
                            continue
        if mentions is None:
            mentions = find_mentions(label)
        if not mentions:
            mentions = find_mentions(label, bare=True)
            origin = label_start
        for m in mentions:
            start = origin + m.start
            problems = problems_of(m.id)
            if problems:
                if start not in reported:
                    reported.add(start)
                    yield Finding(start, origin + m.end, _message(m.id, problems))
            elif (
                m.id.text != url.id.text  # one text, one canonical id
                and m.id.canonical != url.id.canonical
                and not problems_of(url.id)
            ):
                yield Finding(
                    start,
                    origin + m.end,
                    f"link text names arXiv:{m.id.canonical} but the link points to "
                    f"arXiv:{url.id.canonical}",
                    severity="warning",
                )
