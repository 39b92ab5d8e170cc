"""Applying fixes: choose non-overlapping edits, splice them, repeat to a fixed point."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from listlint.diagnostic import Diagnostic, Edit, Fix

MAX_PASSES = 12


class FixDidNotConverge(Exception):
    """The fixes kept changing the text: a listlint bug; the file must be left alone."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits, which must not overlap, to ``text``."""
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def choose_fixes(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> list[Fix]:
    """The applicable fixes whose edits overlap no fix chosen before them."""
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    chosen: list[Fix] = []
    candidates = [
        d.fix
        for d in diagnostics
        if d.fix is not None and d.fix.edits and (unsafe or d.fix.applicability == "safe")
    ]
    # Fixes within a line first, block rewrites (a whole table, a section) after: the fix
    # in a table cell goes in, and the table is formatted with it on the next pass instead
    # of blocking it for one. (The order stays by position within each group, so taken
    # spans are mostly appended.)
    candidates.sort(key=lambda f: len(f.edits) > 1 or "\n" in f.edits[0].replacement)
    for fix in candidates:
        if any(_overlaps(e, taken_starts, taken_ends) for e in fix.edits):
            continue
        for e in fix.edits:
            i = bisect_left(taken_starts, e.start)
            taken_starts.insert(i, e.start)
            taken_ends.insert(i, e.end)
        chosen.append(fix)
    return chosen


def _overlaps(edit: Edit, starts: list[int], ends: list[int]) -> bool:
    i = bisect_left(starts, edit.start)
    for j in (i - 1, i):
        if 0 <= j < len(starts):
            s, e = starts[j], ends[j]
            if (edit.start < e and s < edit.end) or edit.start == s:
                return True
            # An insertion at the edge of a replacement is ambiguous (before or after the
            # replaced text?): treat it as a conflict and leave it to the next pass.
            if edit.start == edit.end and s <= edit.start <= e:
                return True
            if s == e and edit.start <= s <= edit.end:
                return True
    return False


def fix_to_fixed_point(
    text: str,
    lint: Callable[[str], Sequence[Diagnostic]],
    *,
    unsafe: bool,
    passes: int = MAX_PASSES,
) -> tuple[str, int]:
    """Apply fixes and re-lint until none applies; return the text and how many were applied."""
    new, applied, _ = fix_until_stable(text, lint, unsafe=unsafe, passes=passes)
    return new, applied


def fix_until_stable(
    text: str,
    lint: Callable[[str], Sequence[Diagnostic]],
    *,
    unsafe: bool,
    passes: int = MAX_PASSES,
) -> tuple[str, int, Sequence[Diagnostic]]:
    """As fix_to_fixed_point, also returning the diagnostics of the final text (its last
    lint), so the caller need not lint it again."""
    applied = 0
    for _ in range(passes):
        diagnostics = lint(text)
        fixes = choose_fixes(diagnostics, unsafe=unsafe)
        if not fixes:
            return text, applied, diagnostics
        new = apply_edits(text, [e for f in fixes for e in f.edits])
        if new == text:
            return text, applied, diagnostics
        applied += len(fixes)
        text = new
    diagnostics = lint(text)
    if choose_fixes(diagnostics, unsafe=unsafe):
        raise FixDidNotConverge(f"fixes did not converge after {passes} passes")
    return text, applied, diagnostics
