"""Checks for http:// links to hosts that serve https."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from listlint.arxiv import parse_url
from listlint.diagnostic import Edit, Finding, Fix
from listlint.records import NamedTuple
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-http"
CODE = "LL205"
SUMMARY = "Link uses http:// for a host that serves https"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"
SCOPE = "block"
FIX_MAY_CHANGE = ("href-scheme",)  # http:// to https:// in a link's href

HTTPS_HOSTS = (
    "github.com",
    "gist.github.com",
    "gitlab.com",
    "codeberg.org",
    "bitbucket.org",
    "huggingface.co",
    "pypi.org",
    "npmjs.com",
    "www.npmjs.com",
    "crates.io",
    "docs.rs",
    "readthedocs.io",
    "readthedocs.org",
    "medium.com",
    "youtube.com",
    "www.youtube.com",
    "twitter.com",
    "x.com",
    "wikipedia.org",
    "en.wikipedia.org",
    "stackoverflow.com",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "paperswithcode.com",
    "kaggle.com",
    "www.kaggle.com",
    "colab.research.google.com",
    "docs.python.org",
    "python.org",
    "www.python.org",
)


class Options(NamedTuple):
    """The options of link-http, from [rules.link-http] in the configuration."""

    hosts: tuple[str, ...] = HTTPS_HOSTS
    extra_hosts: tuple[str, ...] = ()


def check(doc: Document, options: Options) -> Iterator[Finding]:
    hosts = {h.lower() for h in (*options.hosts, *options.extra_hosts)}
    text = doc.text
    for link in urls_of(doc).http:  # the targets written http://
        if link.kind not in ("inline", "definition", "autolink", "bare"):
            continue
        url = link.url
        if url[:7].lower() != "http://":
            continue
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            continue
        if not _serves_https(host, hosts) or parse_url(url) is not None:
            continue  # arXiv links are arxiv-link's job
        fix = None
        # Bare URLs and autolinks show the URL as their text: report, do not rewrite; nor
        # an image's source (the rule is about links: where a reader goes on a click).
        if (
            link.kind in ("inline", "definition")
            and not link.image
            and text[link.url_start : link.url_end] == url
        ):
            fix = Fix("Use https://", (Edit(link.url_start, link.url_start + 7, "https://"),))
        yield Finding(
            link.url_start, link.url_end, f"{host} serves https, but this link uses http://", fix
        )


def _serves_https(host: str, hosts: set[str]) -> bool:
    return host in hosts or any(host.endswith("." + h) for h in hosts)
