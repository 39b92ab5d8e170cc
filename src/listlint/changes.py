"""Only what changed: keep the findings on lines a change adds or edits since a git base,
plus findings the change introduces elsewhere (absent at the base)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from listlint.lazyre import lazy

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.diagnostic import Diagnostic

_HUNK = lazy(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
_NUMBERS = lazy(r"\d+")


class DiffBaseError(Exception):
    """The base cannot be used (not a git checkout, or the commit is not in this clone)."""


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
    )


def verify_base(base: str, folder: Path) -> None:
    probe = _git(folder, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    if probe.returncode == 0:
        return
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0:
        raise DiffBaseError(f"--diff-base {base}: {folder} is not inside a git checkout")
    shallow = _git(folder, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"
    hint = (
        f"this is a shallow clone: fetch the base first (git fetch --depth=1 origin {base}), "
        "or clone with full history (actions/checkout: fetch-depth: 0)"
        if shallow
        else f"fetch it first (git fetch origin {base})"
    )
    raise DiffBaseError(f"--diff-base {base}: no such commit in this clone; {hint}")


def changed_lines(path: str, base: str) -> set[int] | None:
    """1-based lines added or changed since ``base``; None: the whole file is new."""
    file = Path(path).resolve()
    folder = file.parent
    tracked = _git(folder, "cat-file", "-e", f"{base}:./{file.name}")
    if tracked.returncode != 0:
        return None
    diff = _git(folder, "diff", "--no-color", "--no-ext-diff", "--unified=0", base, "--", file.name)
    lines: set[int] = set()
    for m in _HUNK.finditer(diff.stdout):
        start, count = int(m.group(1)), int(m.group(2) or "1")
        lines.update(range(start, start + count))
    return lines


def base_text(path: str, base: str) -> str | None:
    file = Path(path).resolve()
    shown = _git(file.parent, "show", f"{base}:./{file.name}")
    return shown.stdout if shown.returncode == 0 else None


def fingerprint(d: Diagnostic) -> tuple[str, str, str]:
    """What a finding is, independent of where the lines moved to."""
    return d.rule, d.source.strip(), _NUMBERS.sub("#", d.message)


def only_changed(
    diagnostics: Sequence[Diagnostic],
    path: str,
    base: str,
    lint_base: Callable[[str], Sequence[Diagnostic]],
) -> list[Diagnostic]:
    changed = changed_lines(path, base)
    if changed is None:
        return list(diagnostics)
    kept = [d for d in diagnostics if any(n in changed for n in range(d.line, d.end_line + 1))]
    rest = [d for d in diagnostics if d not in kept]
    if rest:
        old = base_text(path, base)
        before = {fingerprint(d) for d in lint_base(old)} if old is not None else set()
        kept += [d for d in rest if fingerprint(d) not in before]
    return sorted(kept, key=lambda d: (d.start, d.code))
