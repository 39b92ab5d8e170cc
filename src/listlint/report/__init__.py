"""Report formats. Each formatter turns diagnostics into text; the lint core never formats."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.registry import Rule


class Context(NamedTuple):
    """What a report format may need besides the diagnostics."""

    rules: Sequence[Rule] = ()
    color: bool = False
    files: Sequence[str] = ()  # every file checked (junit)


# format name -> module in listlint.report with render(diagnostics, context) -> str
FORMATTERS: dict[str, str] = {
    "text": "text",
    "concise": "text",
    "full": "full",
    "json": "json",
    "json-lines": "jsonlines",
    "github": "github",
    "gitlab": "gitlab",
    "sarif": "sarif",
    "junit": "junit",
}


def render(name: str, diagnostics: Sequence[Diagnostic], context: Context) -> str:
    module = importlib.import_module(f"listlint.report.{FORMATTERS[name]}")
    text: str = module.render(diagnostics, context)
    return text
