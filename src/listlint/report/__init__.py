"""Report formats. Each formatter turns diagnostics into text; the lint core never formats."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.diagnostic import Diagnostic

    Formatter = Callable[[Sequence[Diagnostic], bool], str]


def _text(diagnostics: Sequence[Diagnostic], color: bool) -> str:
    from listlint.report.text import render

    return render(diagnostics, color)


def _json(diagnostics: Sequence[Diagnostic], color: bool) -> str:
    from listlint.report.json import render

    return render(diagnostics)


def _github(diagnostics: Sequence[Diagnostic], color: bool) -> str:
    from listlint.report.github import render

    return render(diagnostics)


FORMATTERS: dict[str, Formatter] = {"text": _text, "json": _json, "github": _github}
