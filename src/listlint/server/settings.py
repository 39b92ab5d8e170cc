"""The client's settings for the server: what they are, and how the objects that clients
send them in (``initializationOptions``, ``workspace/didChangeConfiguration``, the answer to
``workspace/configuration``) are read.

Clients send them in different shapes: VS Code's pushes ``{"listlint": {...}}`` (the
section it was asked for) or ``null`` (meaning: ask), Helix pushes its ``config`` table as it
is (``{"fixAllOnFormat": true}``), Neovim its ``settings`` (often ``{}``). The settings are
the ``listlint`` section when there is one, else the object itself; keys that are not
listlint's are ignored, and a value of the wrong type is reported and ignored.
"""

from __future__ import annotations

from typing import Any, NamedTuple

SECTION = "listlint"


class Settings(NamedTuple):
    fix_all_on_format: bool = False  # formatting also applies every safe fix


# The client's name of each setting, and the type its value must have.
KEYS: dict[str, tuple[str, type]] = {"fixAllOnFormat": ("fix_all_on_format", bool)}


def read(value: Any, *, sectioned: bool = True) -> tuple[dict[str, Any], list[str]]:
    """The listlint settings in ``value`` (field name to value) and the problems found.
    With ``sectioned``, a ``listlint`` key holding an object is where they are; without it,
    ``value`` is that section already (an answer to ``workspace/configuration``)."""
    if not isinstance(value, dict):
        return {}, []
    if sectioned and isinstance(value.get(SECTION), dict):
        value = value[SECTION]
    found: dict[str, Any] = {}
    problems: list[str] = []
    for key, (field, kind) in KEYS.items():
        if key not in value or value[key] is None:
            continue
        if type(value[key]) is not kind:
            problems.append(
                f"setting {SECTION}.{key} must be a {kind.__name__} "
                f"(got {value[key]!r}); it is ignored"
            )
            continue
        found[field] = value[key]
    return found, problems


def merge(*layers: dict[str, Any]) -> Settings:
    """The settings, each layer overriding the ones before it where it says something."""
    out: dict[str, Any] = {}
    for layer in layers:
        out.update(layer)
    return Settings(**out)
