"""Checks for link targets that GitHub does not read as the author meant."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.registry import NoOptions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-url-form"
CODE = "LL203"
SUMMARY = "Link URL has spaces, lacks a scheme, or is cut off from its text by a space"
SEVERITY = "error"
DEFAULT = True
FIX = "unsafe"

# A target that names a host but has no scheme: GitHub resolves it as a relative path.
SCHEMELESS = re.compile(
    r"(?:www\.[^\s/]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|ai|co|edu|gov|me|app"
    r"|so|xyz|info|tech|sh|gg|tv|us|uk|de|fr|cn|jp|ru))(?:[/?#:].*)?",
    re.IGNORECASE,
)
_URLISH = re.compile(r"\(\s*(?:https?://|www\.|#|/|\./)", re.IGNORECASE)


Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    text = doc.text
    for link in doc.links.all_targets():
        if link.kind not in ("inline", "definition"):
            continue
        url = link.url
        written = text[link.url_start : link.url_end]
        if " " in url.strip() and "://" in url:
            yield Finding(
                link.url_start, link.url_end, "link URL contains a space; write it as %20"
            )
        elif SCHEMELESS.fullmatch(url) and not link.image:
            fix = None
            if written == url:
                fix = Fix(
                    "Add https://", (Edit(link.url_start, link.url_start, "https://"),), "unsafe"
                )
            yield Finding(
                link.url_start,
                link.url_end,
                f"link URL `{url}` has no scheme, so GitHub reads it as a path in this "
                "repository; add https://",
                fix,
            )
    for spaced in doc.links.spaced:
        if not _URLISH.match(text, spaced.gap_end):
            continue  # "[WIP] (draft)" is a bracketed word and a remark, not a link
        yield Finding(
            spaced.start,
            spaced.gap_end + 1,
            "a space between `]` and `(` turns this link into plain text",
            Fix("Remove the space", (Edit(spaced.gap_start, spaced.gap_end, ""),), "unsafe"),
        )
