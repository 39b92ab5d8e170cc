"""Value types: edits, fixes, findings (what a rule yields) and diagnostics (what is reported)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``; ``start == end`` inserts."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    """Non-overlapping edits that together fix one finding."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


@dataclass(frozen=True)
class Finding:
    """What a rule yields: a span of the raw text and a message stating the problem."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    severity: Severity | None = None  # None: the rule's default


@dataclass(frozen=True)
class Diagnostic:
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
