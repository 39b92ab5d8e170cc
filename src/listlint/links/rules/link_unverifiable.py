"""Checks for links that could not be verified: refused to robots, rate limited, failing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

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
    from listlint.links.verdict import findings_for  # only `listlint links` gets here

    for start, end, verdict, rewritable in findings_for(doc, NAME):
        fix = None
        if rewritable and verdict.fix_url is not None:
            fix = Fix(f"Use {verdict.fix_url}", (Edit(start, end, verdict.fix_url),))
        yield Finding(start, end, verdict.message, fix, verdict.severity)
