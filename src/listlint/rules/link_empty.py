"""Checks for links with empty text or an empty destination."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.registry import NoOptions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-empty"
CODE = "LL202"
SUMMARY = "Link has empty text or an empty URL"
SEVERITY = "error"
DEFAULT = True
FIX = "none"


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    text = doc.text
    for link in doc.links:
        if link.kind not in ("inline", "reference"):
            continue
        if not link.image and not text[link.text_start : link.text_end].strip():
            yield Finding(
                link.start, link.end, "link text is empty, so readers see nothing to click"
            )
        if link.kind == "inline" and not link.url.strip():
            yield Finding(link.start, link.end, "link URL is empty, so the link goes nowhere")
