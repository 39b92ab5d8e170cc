"""Checks for links to GitHub repositories that their owners archived."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Finding
    from listlint.document import Document

__all__ = ["Options", "check"]

NAME = "github-archived"
CODE = "LL604"
SUMMARY = "GitHub repository is archived"
SEVERITY = "warning"
DEFAULT = True
FIX = "none"
ONLINE = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    from listlint.links.verdict import rule_findings  # only `listlint links` gets here

    return rule_findings(doc, NAME)
