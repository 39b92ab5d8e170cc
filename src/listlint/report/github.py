"""GitHub Actions workflow commands, which show as pull-request annotations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    out = []
    for d in diagnostics:
        level = "error" if d.severity == "error" else "warning"
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"endLine={d.end_line},endColumn={d.end_column},"
            f"title={_escape_property(f'{d.code} {d.rule}')}"
        )
        out.append(f"::{level} {props}::{_escape_data(d.message)}")
    for path, message in context.errors:  # a file that could not be checked or written
        where = f" file={_escape_property(path)}" if path else ""
        out.append(f"::error{where}::{_escape_data(message)}")
    return "\n".join(out) + ("\n" if out else "")
