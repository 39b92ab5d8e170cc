"""GitLab Code Quality report (the subset of the Code Climate format GitLab reads); an
input error (a file not checked or not written, a configuration not used) is an issue
``LL000 input-error`` of severity ``critical`` at the line the error names (a TOML error's),
else line 1 of the file it names."""

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
    from listlint.report.json import INPUT_ERROR, error_position

    for path, message in context.errors:
        key = "\0".join((*INPUT_ERROR, path, message))
        line = error_position(message)[0]
        issues.append(
            {
                "description": message,
                "check_name": " ".join(INPUT_ERROR),
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
                "severity": "critical",
                "location": {"path": path or ".", "lines": {"begin": line, "end": line}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
