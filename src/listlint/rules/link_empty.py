"""Checks for links with empty text or an empty destination."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.links import Link

NAME = "link-empty"
CODE = "LL202"
SUMMARY = "Link has empty text or an empty URL"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
SCOPE = "block"


# Text that says the link is a placeholder on purpose: `[Coming soon]()`, `[TBD]()`.
PLACEHOLDER = lazy(
    r"\W*(?:com\w*\s+soon|soon|tb[ad]|todo|wip|n/?a|to be (?:added|released|announced)"
    r"|not (?:yet )?(?:available|released)|-+)\W*",
    re.IGNORECASE,
)


class Options(NamedTuple):
    """The options of link-empty, from [rules.link-empty] in the configuration."""

    placeholders: bool = False


def check(doc: Document, options: Options) -> Iterator[Finding]:
    text = doc.text
    for link in doc.links:
        if link.kind not in ("inline", "reference"):
            continue
        start = link.text_start
        # (Text that starts with no space is not empty once stripped: most links.)
        if (
            not link.image
            and (start == link.text_end or text[start].isspace())
            and not text[start : link.text_end].strip()
        ):
            yield Finding(
                link.start, link.end, "link text is empty, so readers see nothing to click"
            )
        if (
            link.kind == "inline"
            and not link.url.strip()
            and (options.placeholders or not PLACEHOLDER.fullmatch(_text(doc, link)))
        ):
            yield Finding(link.start, link.end, "link URL is empty, so the link goes nowhere")


def _text(doc: Document, link: Link) -> str:
    return doc.text[link.text_start : link.text_end]
