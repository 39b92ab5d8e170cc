"""Checks for links whose #fragment matches no id or name of the page (with check-fragments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.registry import NoOptions as Options

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.diagnostic import Finding
    from listlint.document import Document

__all__ = ["Options", "check"]

NAME = "link-anchor"
CODE = "LL605"
SUMMARY = "Link's #fragment names no anchor of the page"
SEVERITY = "warning"
DEFAULT = True
FIX = "none"
ONLINE = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    from listlint.links.verdict import rule_findings  # only `listlint links` gets here

    return rule_findings(doc, NAME)
