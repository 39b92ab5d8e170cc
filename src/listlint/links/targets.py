"""Which URLs of a document are checked, and the request each one shares.

Every ``http``/``https`` destination of the links view: inline links, autolinks, bare URLs
and the reference definitions that a link uses (references are checked through their
definition, reported where the URL is written); images when configured. Code spans, code
blocks and comments hold no links in that view. URLs differing only in their fragment, in
the case of their scheme and host, or in a default port share one request, and so do URLs
the HTTP client sends as the same request line (percent-escapes in upper or lower case, an
escaped letter or digit, ``.`` and ``..`` segments, a space or non-ASCII character and its
escape): their key is the URL as the client (yarl) sends it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.links.settings import Settings
    from listlint.views.links import Link

KINDS = ("inline", "autolink", "bare", "definition")
_DEFAULT_PORT = {"http": 80, "https": 443}
# What the client may send otherwise than it is written: an escape, a dot segment, a
# character outside printable ASCII (a URL without any is sent as written).
_REWRITTEN = re.compile(r"%|/\.|[^\x21-\x7e]")


class Target(NamedTuple):
    """One place a URL is written, and what is requested for it."""

    link: Link
    key: str  # the request: the URL without its fragment, scheme and host in lower case
    fragment: str


def request_key(url: str) -> tuple[str, str] | None:
    """(the URL to request, its fragment), or None for what is not an http(s) URL."""
    if url[:4].lower() != "http":
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORT or not parts.hostname:
        return None
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORT[scheme]) else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    key = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    if _REWRITTEN.search(key, len(scheme) + 3):
        key = _as_sent(key)
    return key, parts.fragment


def _as_sent(url: str) -> str:
    """``url`` as the HTTP client puts it on the wire (yarl requotes it), or as it is
    when yarl is missing or refuses it (the request then says what is wrong)."""
    try:
        from yarl import URL

        return str(URL(url))
    except (ImportError, ValueError, TypeError):
        return url


def targets(doc: Document, settings: Settings) -> Iterator[Target]:
    links = doc.links
    used = {link.label for link in links.links if link.kind == "reference"}
    for link in links.all_targets():
        if link.kind not in KINDS or (link.image and not settings.images):
            continue
        if link.kind == "definition" and link.label not in used:
            continue
        key = request_key(link.url)
        if key is None or not settings.wanted(link.url):
            continue
        yield Target(link, key[0], key[1])
