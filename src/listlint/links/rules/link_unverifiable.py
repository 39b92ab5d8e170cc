"""Checks for links that could not be verified: refused to robots, rate limited, failing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Finding
    from listlint.document import Document

__all__ = ["Options", "check"]

NAME = "link-unverifiable"
CODE = "LL603"
SUMMARY = "Link could not be verified: 401, 403, 429, bot wall, timeout"
SEVERITY = "warning"
DEFAULT = True
FIX = "none"
ONLINE = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    from listlint.links.verdict import rule_findings  # only `listlint links` gets here

    return rule_findings(doc, NAME)
