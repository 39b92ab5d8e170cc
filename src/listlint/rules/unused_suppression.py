"""Checks for disable-next-line comments that no longer suppress anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.registry import NoOptions
from listlint.suppress import unused_next_line

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "unused-suppression"
CODE = "LL501"
SUMMARY = "Suppression comment suppresses nothing"
SEVERITY = "warning"
DEFAULT = False
FIX = "none"
SCOPE = "document"
RUNS_LAST = True  # it reads what the other rules found on this text

Options = NoOptions


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for comment, idle in unused_next_line(doc.suppressions):
        names = ", ".join(f"`{n}`" for n in idle)
        where = "this line" if comment.kind == "disable-line" else "the next line"
        if not idle:
            message = f"unused suppression: nothing on {where} to suppress"
        elif len(idle) == len(comment.names):
            message = f"unused suppression: no {names} finding on {where}"
        else:
            message = f"no {names} finding on {where}: remove from this comment"
        yield Finding(comment.start, comment.end, message)
