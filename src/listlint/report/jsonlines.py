"""One JSON object per line (the records of the json format, input errors included), for
streaming tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from listlint.report.json import records

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    rows = records(diagnostics, context)
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
