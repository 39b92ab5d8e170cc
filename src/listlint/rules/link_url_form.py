"""Checks for link targets that GitHub does not read as the author meant."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple
from listlint.urlnorm import plain_host
from listlint.views.urls import has_dotted_host as _has_dotted_host
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.links import Link

NAME = "link-url-form"
CODE = "LL203"
SUMMARY = "Link URL is written wrong: no scheme, a broken scheme, a host without a dot, a space"
SEVERITY = "error"
DEFAULT = True
FIX = "unsafe"
SCOPE = "block"

# A target that names a host but has no scheme: GitHub resolves it as a relative path.
SCHEMELESS = lazy(
    r"(?:www\.[^\s/]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|me|app"
    r"|so|xyz|info|tech|sh|gg|tv|us|uk|de|fr|cn|jp|ru))(?:[/?#:].*)?",
    re.IGNORECASE,
)
# `http//host`, `https:/host`, `https;//host`, `https//host`: a scheme with its `:` or a
# slash lost. GitHub reads these as relative paths too.
BROKEN_SCHEME = lazy(
    r"(?P<scheme>https?)(?:(?P<colon>//)|:(?P<slash>/)(?!/)|(?P<semi>;//))(?=[A-Za-z0-9\[])",
    re.IGNORECASE,
)
# `[https://…`, `"https://…`: characters pasted before the scheme.
STRAY_PREFIX = lazy(r"(?P<stray>[\[\](){}\"'<>`*]+)(?=https?://)", re.IGNORECASE)
_URLISH = lazy(r"\(\s*(?:https?://|www\.|#|/|\./)", re.IGNORECASE)
# What follows the URL in `[text](https://example.com/a b)`: a space, more, and `)`.
_AFTER_SPACE = lazy(r"[^\s()<>]*[ \t]+[^()\n\"']*\)")
_IPV4 = lazy(r"\d{1,3}(?:\.\d{1,3}){3}")


class Options(NamedTuple):
    """The options of link-url-form, from [rules.link-url-form] in the configuration."""

    single_label_hosts: tuple[str, ...] = ()


def scheme_typo(url: str) -> re.Match[str] | None:
    """``http//host`` and its kin, or ``[https://host``: a scheme written wrong at the start
    of ``url`` (what link-relative must not take for a file name)."""
    url = url.strip()
    return BROKEN_SCHEME.match(url) or STRAY_PREFIX.match(url)


def check(doc: Document, options: Options) -> Iterator[Finding]:
    allowed = {"localhost", *(h.lower().rstrip(".") for h in options.single_label_hosts)}
    text = doc.text
    # Only the targets whose URL is not a plain web address (urls_of(doc).odd): in the
    # others _check_target finds nothing.
    for link in urls_of(doc).odd:
        if link.kind == "reference":
            continue  # checked at its definition, where the URL is written
        finding = _check_target(text, link, allowed)
        if finding is not None:
            yield finding
    yield from _spaced(doc)
    yield from _space_in_destination(doc)


def _check_target(text: str, link: Link, allowed: set[str]) -> Finding | None:
    url = link.url
    if url.startswith(("https://", "http://")) and " " not in url:
        # Most URLs: no space, nothing before the scheme, the scheme whole and followed
        # by `//` (none of the patterns below can match): only the host is left to check.
        if _has_dotted_host(url):
            return None  # a dot inside the host (most URLs): nothing to report
        return _host_finding(link, url, allowed)
    written = text[link.url_start : link.url_end]
    inline = link.kind in ("inline", "definition")
    if inline and " " in url.strip() and "://" in url:
        return Finding(link.url_start, link.url_end, "link URL contains a space; write it as %20")
    stray = STRAY_PREFIX.match(url) if inline else None
    if stray is not None:
        fix = None
        if written == url:
            fix = Fix(
                "Remove the characters before the scheme",
                (Edit(link.url_start, link.url_start + stray.end(), ""),),
                "unsafe",
            )
        return Finding(
            link.url_start,
            link.url_end,
            f"link URL `{url}` starts with `{stray.group('stray')}` before its scheme, so "
            "GitHub reads it as a path in this repository",
            fix,
        )
    typo = BROKEN_SCHEME.match(url.strip()) if inline else None
    if typo is not None:
        scheme = typo.group("scheme")
        if typo.group("colon"):
            said, insert = f"missing `:` after {scheme}", (len(scheme), ":")
        elif typo.group("slash"):
            said, insert = "missing a `/` after `:`", (typo.end("slash"), "/")
        else:
            said, insert = f"missing `:` after {scheme} (a `;` instead)", None
        fix = None
        if written == url:
            if insert is not None:
                at = link.url_start + insert[0]
                edits = (Edit(at, at, insert[1]),)
            else:
                semi = link.url_start + len(scheme)
                edits = (Edit(semi, semi + 1, ":"),)
            fix = Fix("Repair the scheme", edits, "unsafe")
        return Finding(
            link.url_start,
            link.url_end,
            f"link URL `{url}` is {said}, so GitHub reads it as a path in this repository",
            fix,
        )
    if inline and SCHEMELESS.fullmatch(url) and not link.image:
        fix = None
        if written == url:
            fix = Fix("Add https://", (Edit(link.url_start, link.url_start, "https://"),), "unsafe")
        return Finding(
            link.url_start,
            link.url_end,
            f"link URL `{url}` has no scheme, so GitHub reads it as a path in this "
            "repository; add https://",
            fix,
        )
    return _host_finding(link, url, allowed)


def _host_finding(link: Link, url: str, allowed: set[str]) -> Finding | None:
    host = _host(url)
    if host is not None and "." not in host and host not in allowed:
        return Finding(
            link.url_start,
            link.url_end,
            f"link host `{host}` has no dot, so it names no site on the internet "
            "(a `.` lost?); allow intranet names with `single-label-hosts`",
        )
    return None


def _host(url: str) -> str | None:
    """The host of an absolute http(s) URL, lower-cased; None for anything else and for
    IP addresses (an IPv6 literal has no dot either)."""
    if not url[:8].lower().startswith(("http://", "https://")):
        return None
    host = plain_host(url.strip())  # most URLs, without urlsplit
    if host is None:
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            return None
    if not host or ":" in host or _IPV4.fullmatch(host):
        return None
    return host.rstrip(".")


def _spaced(doc: Document) -> Iterator[Finding]:
    text = doc.text
    for spaced in doc.links.spaced:
        if not _URLISH.match(text, spaced.gap_end):
            continue  # "[WIP] (draft)" is a bracketed word and a remark, not a link
        if text[spaced.gap_start : spaced.gap_end].strip(" \t"):
            continue  # `]<br>(` or `] <!-- c --> (`: markup between, written on purpose
        yield Finding(
            spaced.start,
            spaced.gap_end + 1,
            "a space between `]` and `(` turns this link into plain text",
            Fix("Remove the space", (Edit(spaced.gap_start, spaced.gap_end, ""),), "unsafe"),
        )


def _space_in_destination(doc: Document) -> Iterator[Finding]:
    """``[C](https://example.com/a b)``: GitHub reads no link and shows the text as written
    (the part before the space is read as a bare URL)."""
    text = doc.text
    for link in doc.links:
        if link.kind != "bare" or text[link.start - 2 : link.start] != "](":
            continue
        m = _AFTER_SPACE.match(text, link.end)
        if m is None:
            continue
        yield Finding(
            link.start,
            m.end() - 1,
            "this link's URL has a space, so GitHub shows it as text, not as a link; "
            "write the space as %20 (or put the URL in <>)",
        )
