"""JUnit XML: one test case per file, one failure per finding."""

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
    failures = sum(1 for found in by_file.values() if found)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="listlint" tests="{len(by_file)}" failures="{failures}">',
        f'  <testsuite name="listlint" tests="{len(by_file)}" failures="{failures}">',
    ]
    for path, found in by_file.items():
        out.append(f'    <testcase classname="listlint" name={quoteattr(path)}>')
        for d in found:
            message = quoteattr(f"{d.code} {d.message}")
            body = escape(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message} [{d.rule}]")
            out.append(
                f"      <failure type={quoteattr(d.rule)} message={message}>{body}</failure>"
            )
        out.append("    </testcase>")
    out += ["  </testsuite>", "</testsuites>"]
    return "\n".join(out) + "\n"
