"""Text with the source line and a caret under the span, the way compilers show errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.report import text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    out = []
    for d in diagnostics:
        out.append(text.render([d], context).rstrip("\n"))
        source = d.source.expandtabs(4) if "\t" in d.source else d.source
        width = (d.end_column - d.column) if d.end_line == d.line else len(source) - d.column + 1
        out.append(f"  {d.line:>5} | {source}")
        out.append(f"  {'':>5} | {' ' * (d.column - 1)}{'^' * max(1, width)}")
        if d.fix is not None:
            out.append(f"  {'':>5} = fix ({d.fix.applicability}): {d.fix.title}")
        out.append("")
    return "\n".join(out) + ("\n" if out else "")
