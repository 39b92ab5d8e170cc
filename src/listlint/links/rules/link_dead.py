"""Checks for links whose page is gone: 404, 410, no such host, connection refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Finding
    from listlint.document import Document

__all__ = ["Options", "check"]

NAME = "link-dead"
CODE = "LL601"
SUMMARY = "Link is dead: 404, 410, no such host, connection refused"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
ONLINE = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    from listlint.links.verdict import rule_findings  # only `listlint links` gets here

    return rule_findings(doc, NAME)
