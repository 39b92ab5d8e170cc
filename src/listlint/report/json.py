"""A JSON array of findings with positions, codes and fixes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def as_dict(d: Diagnostic) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {
            "title": d.fix.title,
            "applicability": d.fix.applicability,
            "edits": [
                {"start": e.start, "end": e.end, "replacement": e.replacement} for e in d.fix.edits
            ],
        }
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "code": d.code,
        "rule": d.rule,
        "severity": d.severity,
        "message": d.message,
        "fix": fix,
    }


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return json.dumps([as_dict(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"
