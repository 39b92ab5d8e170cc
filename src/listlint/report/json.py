"""A JSON array of findings with positions, codes and fixes, then one record for each
input error (a file that could not be checked or written, a configuration that could not
be used): rule ``input-error``, code ``LL000``, at the line and column the error names (a
configuration's TOML error: "at line 3, column 7"), else at 1:1 of the file, no fix."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from listlint.lazyre import lazy

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


INPUT_ERROR = ("LL000", "input-error")  # (code, rule) of the records of input errors
_AT = lazy(r"\(at line (\d+), column (\d+)\)")


def error_position(message: str) -> tuple[int, int]:
    """The (line, column) an input error's message names (tomllib's "(at line 3,
    column 7)"), else (1, 1).

    >>> error_position("listlint.toml: invalid TOML: Invalid value (at line 3, column 7)")
    (3, 7)
    >>> error_position("notes.md: not UTF-8")
    (1, 1)
    """
    m = _AT.search(message)
    return (int(m[1]), int(m[2])) if m else (1, 1)


def error_as_dict(path: str, message: str) -> dict[str, Any]:
    """An input error as a finding-shaped record (as ruff reports an unreadable file as
    E902 at 1:1), so a tool reading findings sees it; ``path`` is "" for the run."""
    code, rule = INPUT_ERROR
    line, column = error_position(message)
    return {
        "path": path,
        "line": line,
        "column": column,
        "end_line": line,
        "end_column": column,
        "code": code,
        "rule": rule,
        "severity": "error",
        "message": message,
        "fix": None,
    }


def records(diagnostics: Sequence[Diagnostic], context: Context) -> list[dict[str, Any]]:
    """The findings, then the input errors."""
    return [as_dict(d) for d in diagnostics] + [error_as_dict(p, m) for p, m in context.errors]


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return json.dumps(records(diagnostics, context), indent=2, ensure_ascii=False) + "\n"
