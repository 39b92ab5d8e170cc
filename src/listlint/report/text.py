"""``path:line:col: CODE message [rule] [*]``, one line a finding; [*] marks fixable ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context

_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m"


def render_concise(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    """``path:line:col: CODE message``: one line a finding, nothing more."""
    lines = []
    for d in diagnostics:
        where = f"{d.path}:{d.line}:{d.column}:"
        code = d.code
        if context.color:
            where = f"{_BOLD}{where}{_RESET}"
            code = f"{_RED if d.severity == 'error' else _YELLOW}{code}{_RESET}"
        lines.append(f"{where} {code} {d.message}")
    return "\n".join(lines) + ("\n" if lines else "")


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    color = context.color
    lines = []
    for d in diagnostics:
        mark = ""
        if d.fix is not None:
            mark = " [*]" if d.fix.applicability == "safe" else " [*unsafe]"
        where = f"{d.path}:{d.line}:{d.column}:"
        code = d.code
        if color:
            where = f"{_BOLD}{where}{_RESET}"
            code = f"{_RED if d.severity == 'error' else _YELLOW}{code}{_RESET}"
            mark = f"{_CYAN}{mark}{_RESET}" if mark else ""
        lines.append(f"{where} {code} {d.message} [{d.rule}]{mark}")
    return "\n".join(lines) + ("\n" if lines else "")


def summary(found: int, safe: int, unsafe: int, fixed: int = 0) -> str:
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.")
    if found == 0:
        parts.append("No problems found." if not fixed else "No problems remain.")
    else:
        s = "s" if found != 1 else ""
        line = f"Found {found} problem{s}"
        extra = []
        if safe:
            extra.append(f"{safe} fixable with `listlint fix`")
        if unsafe:
            more = "more " if safe else "fixable "
            extra.append(f"{unsafe} {more}with `listlint fix --unsafe-fixes`")
        parts.append(line + (f" ({', '.join(extra)})." if extra else "."))
    return " ".join(parts)
