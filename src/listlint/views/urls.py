"""What each link's URL is, read once for every rule that reads URLs.

Most URLs of a list are plain web addresses (``https://host.tld/path``): nothing for
link-url-form or link-relative to look at, no ``http://`` for link-http, no arXiv paper for
arxiv-id and arxiv-link. This view reads each distinct URL of ``doc.links.all_targets()``
once (its form, its scheme, the arXiv paper it points at: ``arxiv.parse_url``) and keeps
the few targets each of those rules walks, in source order, so that no rule reads every
link again. Built on first use and cached on the document (``urls_of``); it keeps no
reference to the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.arxiv import may_be_paper, parse_url
from listlint.lazyre import lazy

if TYPE_CHECKING:
    from listlint.arxiv import ArxivUrl
    from listlint.document import Document
    from listlint.views.links import Link, Links

# The authority of most URLs: letters, digits, dots and hyphens up to the path, query or
# fragment (no user, port or brackets): urlsplit's hostname is that text, lower-cased.
_DOTTED_AUTHORITY = lazy(r"https?://([A-Za-z0-9.-]*)(?:[/?#]|\Z)")
# The same authority with a dot that something other than dots follows (``has_dotted_host``
# in one match): the authority is the whole run of those characters either way.
_DOTTED_WEB = lazy(r"https?://[A-Za-z0-9.-]*\.\.*[A-Za-z0-9-][A-Za-z0-9.-]*(?:[/?#]|\Z)")

_ODD, _HTTP, _PAPER = 1, 2, 4


def has_dotted_host(url: str) -> bool:
    """Is the host of this ``http(s)://`` URL (no space in it) plainly written with a dot
    inside? Its host is then the authority itself (or None, for an IPv4 address), and
    keeps a dot once trailing dots are stripped (``tests/test_urlnorm.py`` checks this
    against link-url-form's reading of the host)."""
    m = _DOTTED_AUTHORITY.match(url)
    return m is not None and "." in m.group(1).rstrip(".")


def is_plain_web(url: str) -> bool:
    """``http(s)://`` in lower case, no space, a host written with a dot: a URL in which
    link-url-form finds nothing, and that link-relative leaves alone (it has a scheme)."""
    return url.startswith(("https://", "http://")) and " " not in url and has_dotted_host(url)


def _read(url: str) -> tuple[int, ArxivUrl | None]:
    # is_plain_web(url), in one match (tests/test_urls_view.py checks they agree)
    if " " not in url and _DOTTED_WEB.match(url) is not None:
        flags = _HTTP if url[4] == ":" else 0  # http:// or https://
    else:
        flags = _ODD | _HTTP if url[:7].lower() == "http://" else _ODD
    paper = parse_url(url) if may_be_paper(url) else None
    # (arxiv.malformed_paper_path looks only at URLs with "arxiv" in their first 40.)
    if paper is not None or "arxiv" in url[:40].lower():
        flags |= _PAPER
    return flags, paper


class Urls:
    """The link targets (``Links.all_targets``, references included: their URL is their
    definition's) that the URL rules look at, each list in source order."""

    def __init__(self, links: Links) -> None:
        self.source = links.links  # what this view was read from (see ``urls_of``)
        # Not a plain web URL (``is_plain_web``): link-url-form and link-relative.
        self.odd: list[Link] = []
        # Written ``http://`` (any case): link-http.
        self.http: list[Link] = []
        # An arXiv paper (the ArxivUrl), or None for a URL naming arxiv that is none:
        # arxiv-id and arxiv-link.
        self.papers: list[tuple[Link, ArxivUrl | None]] = []
        read: dict[str, tuple[int, ArxivUrl | None]] = {}
        odd, http, papers = self.odd.append, self.http.append, self.papers.append
        for link in links.all_targets():
            url = link.url
            facts = read.get(url)
            if facts is None:
                facts = read[url] = _read(url)
            flags = facts[0]
            if flags:
                if flags & _ODD:
                    odd(link)
                if flags & _HTTP:
                    http(link)
                if flags & _PAPER:
                    papers((link, facts[1]))


def urls_of(doc: Document) -> Urls:
    """The document's URL view, built on first use and cached on the document (again if
    its links view was replaced since)."""
    links = doc.links
    cached = doc.__dict__.get("_urls_view")
    if cached is None or cached.source is not links.links:
        cached = doc.__dict__["_urls_view"] = Urls(links)
    assert isinstance(cached, Urls)
    return cached
