"""Report formats. Each formatter turns diagnostics into text; the lint core never formats."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.registry import Rule


class Context(NamedTuple):
    """What a report format may need besides the diagnostics."""

    rules: Sequence[Rule] = ()
    color: bool = False
    files: Sequence[str] = ()  # every file checked (junit)
    # Input errors (a file missing, binary, not UTF-8, not written): (path or "", line).
    errors: Sequence[tuple[str, str]] = ()


# format name -> module in listlint.report with render(diagnostics, context) -> str (or
# "module:function" for another function of that signature)
FORMATTERS: dict[str, str] = {
    "text": "text",
    "concise": "text:render_concise",
    "full": "full",
    "json": "json",
    "json-lines": "jsonlines",
    "github": "github",
    "gitlab": "gitlab",
    "sarif": "sarif",
    "junit": "junit",
}


def render(name: str, diagnostics: Sequence[Diagnostic], context: Context) -> str:
    module_name, _, function = FORMATTERS[name].partition(":")
    module = importlib.import_module(f"listlint.report.{module_name}")
    text: str = getattr(module, function or "render")(diagnostics, context)
    return text
