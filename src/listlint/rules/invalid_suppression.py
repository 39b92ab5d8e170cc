"""Checks for listlint comments that suppress nothing: an unknown directive or rule name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.registry import NoOptions
from listlint.suppress import invalid_comments

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "invalid-suppression"
CODE = "LL502"
SUMMARY = "Suppression comment has an unknown directive or rule name"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
SCOPE = "document"

Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for start, end, message in invalid_comments(doc.suppressions):
        yield Finding(start, end, message)
