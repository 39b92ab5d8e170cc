"""JUnit XML: one test case per file, one failure per finding, an error case for a file
that could not be checked (or written)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in context.files}
    for d in diagnostics:
        by_file.setdefault(d.path, []).append(d)
    errors: dict[str, list[str]] = {}
    for path, message in context.errors:
        errors.setdefault(path or "listlint", []).append(message)
    names = list(by_file) + [p for p in errors if p not in by_file]
    failures = sum(1 for path in names if by_file.get(path) and path not in errors)
    counts = f'tests="{len(names)}" failures="{failures}" errors="{len(errors)}"'
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="listlint" {counts}>',
        f'  <testsuite name="listlint" {counts}>',
    ]
    for path in names:
        out.append(f'    <testcase classname="listlint" name={quoteattr(path)}>')
        for message in errors.get(path, ()):
            out.append(
                f'      <error type="input" message={quoteattr(message)}>{escape(message)}</error>'
            )
        for d in by_file.get(path, ()):
            message = quoteattr(f"{d.code} {d.message}")
            body = escape(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message} [{d.rule}]")
            out.append(
                f"      <failure type={quoteattr(d.rule)} message={message}>{body}</failure>"
            )
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"
