"""One JSON object per line (same fields as the json format), for streaming tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from listlint.report.json import as_dict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    return "".join(json.dumps(as_dict(d), ensure_ascii=False) + "\n" for d in diagnostics)
