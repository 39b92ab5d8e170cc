"""Regular expressions compiled on first use.

Compiling a pattern runs Python code (``re._compiler``); a large one costs a good part of a
millisecond, and start-up is benchmarked. ``lazy`` gives an object used like the compiled
pattern that compiles it the first time one of its methods is asked for; from then on the
methods are the compiled pattern's own (looked up as plain attributes, no indirection).
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")
_ATTRIBUTES = (*_METHODS, "scanner", "flags", "groups", "groupindex")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self.pattern = pattern

    def __getattr__(self, name: str) -> Any:  # only until compiled
        compiled = re.compile(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
