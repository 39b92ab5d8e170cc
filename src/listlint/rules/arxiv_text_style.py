"""Checks that arXiv ids in text are written the way arXiv asks: arXiv:2407.21783."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.arxiv import TEXT_MENTION, parse_id
from listlint.diagnostic import Edit, Finding, Fix
from listlint.registry import NoOptions

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "arxiv-text-style"
CODE = "LL304"
SUMMARY = "arXiv id in text is not written as arXiv:ID"
SEVERITY = "warning"
DEFAULT = False
FIX = "safe"
SCOPE = "block"
FIX_MAY_CHANGE = (r"text:(?i)arxiv[\s:]*",)  # the "arXiv:" prefix

CANONICAL = "arXiv:"

Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    headings = {h.line for h in doc.structure.headings}
    # Text a reader sees (code spans, URLs and HTML blanked): prose, cells, link labels.
    for base, prose in doc.links.prose:
        if "xiv" not in prose.lower():
            continue
        for m in TEXT_MENTION.finditer(prose):
            prefix = prose[m.start() : m.start("id")]
            # Spelling variants of the arXiv: prefix only; DOIs and scheme-less arxiv.org
            # URLs are other ways to cite, not misspellings.
            if prefix[:5].lower() != "arxiv" or prefix[5:6] == "." or prefix == CANONICAL:
                continue
            if parse_id(m.group("id")) is None:
                continue
            start, end = base + m.start(), base + m.end()
            wanted = CANONICAL + m.group("id")
            written = " ".join(m.group().split())
            fix = None
            # A heading's text is its anchor, and a prefix over a line break joins lines:
            # reported, not rewritten.
            if doc.line_of(start) not in headings and "\n" not in prefix and "\r" not in prefix:
                fix = Fix(f"Write {wanted}", (Edit(start, base + m.start("id"), CANONICAL),))
            yield Finding(
                start, end, f"write `{wanted}` (arXiv's citation form), not `{written}`", fix
            )
