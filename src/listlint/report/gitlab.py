"""GitLab Code Quality report (the subset of the Code Climate format GitLab reads)."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def fingerprint(d: Diagnostic) -> str:
    """Stable across runs and line shifts: rule, file, message and the line's text."""
    key = "\0".join((d.code, d.path, d.message, d.source.strip()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    seen: dict[str, int] = {}
    issues = []
    for d in diagnostics:
        fp = fingerprint(d)
        n = seen.get(fp, 0)
        seen[fp] = n + 1
        issues.append(
            {
                "description": d.message,
                "check_name": f"{d.code} {d.rule}",
                "fingerprint": fp if n == 0 else f"{fp}-{n}",
                "severity": "major" if d.severity == "error" else "minor",
                "location": {"path": d.path, "lines": {"begin": d.line, "end": d.end_line}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
