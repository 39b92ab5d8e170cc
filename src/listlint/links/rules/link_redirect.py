"""Checks for links that are permanently redirected to another URL."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Finding
    from listlint.document import Document

__all__ = ["Options", "check"]

NAME = "link-redirect"
CODE = "LL602"
SUMMARY = "Link moved permanently (301, 308, renamed repository)"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"
ONLINE = True
FIX_MAY_CHANGE = ("visible",)  # the href; no visible word (the fix guard checks)


def check(doc: Document, options: Options) -> Iterator[Finding]:
    from listlint.links.verdict import rule_findings  # only `listlint links` gets here

    return rule_findings(doc, NAME)
