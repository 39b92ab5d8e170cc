"""Checks for links to a #fragment of this document that matches no heading."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

from listlint.diagnostic import Finding
from listlint.registry import NoOptions
from listlint.views.anchors import github_slug
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-fragment"
CODE = "LL207"
SUMMARY = "Link to #fragment matches no heading of the document"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
SCOPE = "document"
# A link in a table of contents that toc checks is toc's to report (with its fix that
# drops or repoints the entry); where toc does not run or is suppressed, it is reported here.
DEFERS_TO = ("toc",)


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    structure = doc.structure
    for link in urls_of(doc).odd:  # a #fragment is no plain web address
        if link.kind not in ("inline", "definition") or not link.url.startswith("#"):
            continue
        fragment = unquote(link.url[1:])
        if structure.exists(fragment):
            continue
        hint = ""
        guess = github_slug(fragment)
        if guess != fragment.lower() and structure.target(guess) is not None:
            hint = f"; the heading's anchor is #{guess}"
        yield Finding(link.url_start, link.url_end, f"no heading has the anchor #{fragment}{hint}")
