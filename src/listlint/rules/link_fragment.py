"""Checks for links to a #fragment of this document that matches no heading."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from listlint.diagnostic import Finding
from listlint.registry import NoOptions
from listlint.views.structure import HTML_ANCHOR, github_slug

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-fragment"
CODE = "LL207"
SUMMARY = "Link to #fragment matches no heading of the document"
SEVERITY = "error"
DEFAULT = True
FIX = "none"


Options = NoOptions


def anchors(doc: Document) -> set[str]:
    """Every anchor GitHub gives the document: heading slugs and HTML ids and names."""
    out = {s.lower() for s in doc.structure.slugs}
    if "=" in doc.text and "<" in doc.text:
        out.update(m.group(1).lower() for m in HTML_ANCHOR.finditer(doc.text))
    return out


def check(doc: Document, options: Options) -> Iterator[Finding]:
    targets: set[str] | None = None
    for link in doc.links.all_targets():
        if link.kind not in ("inline", "definition") or not link.url.startswith("#"):
            continue
        fragment = unquote(link.url[1:])
        if not fragment or fragment.lower() in ("top", "readme"):
            continue
        if targets is None:
            targets = anchors(doc)
        key = fragment.lower().removeprefix("user-content-")
        if key in targets:
            continue
        hint = ""
        guess = github_slug(fragment)
        if guess in targets:
            hint = f"; the heading's anchor is #{guess}"
        yield Finding(link.url_start, link.url_end, f"no heading has the anchor #{fragment}{hint}")
