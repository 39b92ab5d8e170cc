"""Value types: edits, fixes, findings (what a rule yields) and diagnostics (what is reported)."""

from __future__ import annotations

from typing import Literal

from listlint.records import NamedTuple

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``replacement``; ``start == end`` inserts."""

    start: int
    end: int
    replacement: str


class Fix(NamedTuple):
    """Non-overlapping edits that together fix one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


class Finding(NamedTuple):
    """What a rule yields: a span of the raw text and a message stating the problem."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: Severity | None = None  # None: the rule's default


class Diagnostic(NamedTuple):
    """A finding bound to its rule and file, with 1-based positions for reports."""

    path: str
    rule: str
    code: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None
    source: str = ""  # the text of the line the finding starts on (for the full format)

    @property
    def fixable(self) -> bool:
        return self.fix is not None
