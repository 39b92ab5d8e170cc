"""A result cache for check runs: findings keyed by file content, listlint version and the
effective configuration, so repeated pre-commit and CI runs on unchanged files cost nothing.

It lives in ``.listlint_cache`` (with a ``.gitignore`` of its own, so git ignores it) and is
skipped when a rule compares files across the run, whose findings depend on other files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint import __version__
from listlint.diagnostic import Diagnostic, Edit, Fix

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from listlint.registry import Rule

FOLDER = ".listlint_cache"


def _origin(rule: Rule) -> str:
    """Where a rule comes from; a plugin file also by its modification time and size."""
    if rule.origin == "builtin":
        return rule.origin
    with contextlib.suppress(OSError):
        st = os.stat(rule.origin)
        return f"{rule.origin}:{st.st_mtime_ns}:{st.st_size}"
    return rule.origin


def _fingerprint(rules: Sequence[Rule], options: Mapping[str, Any]) -> str:
    parts = [__version__] + [f"{r.name}:{_origin(r)}:{options[r.name]!r}" for r in rules]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Cache:
    def __init__(
        self,
        root: Path,
        rules: Sequence[Rule],
        options: Mapping[str, Any],
        per_file_ignores: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> None:
        self.folder = root / FOLDER
        self.config = _fingerprint(rules, options) + repr(tuple(per_file_ignores))

    def key(self, name: str, data: bytes) -> str:
        h = hashlib.sha256(self.config.encode())
        h.update(name.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> list[Diagnostic] | None:
        """The findings stored for ``key``, unless a file they depend on (a relative
        link's target) has come or gone since."""
        try:
            raw = json.loads((self.folder / key[:2] / key).read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                return None  # written by an older listlint, without its files
            for path, existed in raw["files"]:
                if os.path.exists(path) != existed:
                    return None
            return [_load(d) for d in raw["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, diagnostics: Sequence[Diagnostic], files: Sequence[str] = ()) -> None:
        """Store the findings, and whether each of ``files`` (those the findings depend
        on) exists now. Best effort: a cache that cannot be written only costs speed."""
        with contextlib.suppress(OSError):
            if not self.folder.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / ".gitignore").write_text("# Created by listlint.\n*\n")
            sub = self.folder / key[:2]
            sub.mkdir(exist_ok=True)
            tmp = sub / f".{key}.{os.getpid()}.tmp"
            entry = {
                "files": [[path, os.path.exists(path)] for path in files],
                "findings": [_dump(d) for d in diagnostics],
            }
            tmp.write_text(json.dumps(entry), encoding="utf-8")
            os.replace(tmp, sub / key)


def _dump(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        k: getattr(d, k)
        for k in (
            "path",
            "rule",
            "code",
            "severity",
            "message",
            "start",
            "end",
            "line",
            "column",
            "end_line",
            "end_column",
            "source",
        )
    }
    if d.fix is not None:
        out["fix"] = [
            d.fix.title,
            d.fix.applicability,
            [[e.start, e.end, e.replacement] for e in d.fix.edits],
        ]
    return out


def _load(raw: dict[str, Any]) -> Diagnostic:
    fix = None
    if "fix" in raw:
        title, applicability, edits = raw.pop("fix")
        fix = Fix(title, tuple(Edit(*e) for e in edits), applicability)
    return Diagnostic(**raw, fix=fix)
