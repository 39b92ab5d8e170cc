"""Applying fixes: choose non-overlapping edits, splice them, repeat to a fixed point.

Line endings are the engine's business, not each rule's: a newline a fix inserts takes the
style of the line it joins (a rule writes ``doc.newline`` or ``\\n``; a bare ``\\r`` never
becomes part of a ``\\r\\n``), a rewritten line keeps its own ending, and a text without a
final newline is left without one (``fit_newlines``, applied by ``splice``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from listlint.diagnostic import Diagnostic, Edit, Fix

MAX_PASSES = 12
_NEWLINE = lazy(r"\r\n|\r|\n")


class FixDidNotConverge(Exception):
    """The fixes kept changing the text: a listlint bug; the file must be left alone."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits, which must not overlap, to ``text`` (as written: see ``splice``)."""
    parts: list[str] = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    parts.append(text[pos:])
    return "".join(parts)


def _line_ending(text: str, pos: int) -> str:
    """The newline that ends the line holding ``pos`` ('' on a last line without one)."""
    m = _NEWLINE.search(text, pos)
    return m.group() if m else ""


def _ending_before(text: str, pos: int) -> str:
    """The newline just before ``pos`` (which starts a line), or ''."""
    if pos >= 2 and text[pos - 2 : pos] == "\r\n":
        return "\r\n"
    if pos >= 1 and text[pos - 1] in "\r\n":
        return text[pos - 1]
    return ""


def _local_style(text: str, pos: int, dominant: str) -> str:
    """The newline style an insertion at ``pos`` joins: at a line start, the line before
    (the new line is added after it); elsewhere the line's own ending."""
    if pos == 0 or text[pos - 1] in "\r\n":
        return _ending_before(text, pos) or _line_ending(text, pos) or dominant
    return _line_ending(text, pos) or _ending_before_line(text, pos) or dominant


def _ending_before_line(text: str, pos: int) -> str:
    start = max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos))
    return _ending_before(text, start + 1) if start >= 0 else ""


def dominant_newline(text: str) -> str:
    if "\r" not in text:
        return "\n"  # (every newline is one; none at all gives "\n" too)
    counts: dict[str, int] = {}
    for m in _NEWLINE.finditer(text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else "\n"


def fit_newlines(text: str, edit: Edit, dominant: str | None = None) -> Edit:
    """``edit`` with the newlines of its replacement in the text's own style: the k-th
    newline of a rewritten span keeps the k-th ending of the span it replaces, newlines
    beyond those take the style of the line they join; a newline that would fuse with a
    neighbouring ``\\r`` or ``\\n`` into one ``\\r\\n`` is written so that it cannot."""
    rep = edit.replacement
    if "\n" not in rep and "\r" not in rep:
        return edit
    old = _NEWLINE.findall(text, edit.start, edit.end)
    style = old[-1] if old else _local_style(text, edit.start, dominant or dominant_newline(text))
    parts: list[str] = []
    pos = 0
    for k, m in enumerate(_NEWLINE.finditer(rep)):
        parts.append(rep[pos : m.start()])
        parts.append(old[k] if k < len(old) else style)
        pos = m.end()
    parts.append(rep[pos:])
    new = "".join(parts)
    # No fusing at the edges: "\r" + inserted "\n", or an inserted "\r" + "\n" after it.
    if new.startswith("\n") and edit.start > 0 and text[edit.start - 1] == "\r":
        new = "\r" + new[1:]
    if new.endswith("\r") and edit.end < len(text) and text[edit.end] == "\n":
        new = new[:-1] + "\n"
    return edit._replace(replacement=new)


def splice(text: str, edits: Sequence[Edit]) -> str:
    """Apply edits as the fixer does: newlines fitted to the text (``fit_newlines``), and a
    text without a final newline kept without one."""
    dominant = dominant_newline(text) if edits else "\n"
    return _final_newline_kept(
        text, apply_edits(text, [fit_newlines(text, e, dominant) for e in edits])
    )


def _final_newline_kept(text: str, new: str) -> str:
    if text and text[-1] not in "\r\n" and new and new[-1] in "\r\n":
        new = new.rstrip("\r\n")  # (blank lines left at the end render as nothing)
    return new


def choose(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> list[Diagnostic]:
    """The diagnostics whose applicable fixes overlap no fix chosen before them."""
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    chosen: list[Diagnostic] = []
    candidates = [
        d
        for d in diagnostics
        if d.fix is not None and d.fix.edits and (unsafe or d.fix.applicability == "safe")
    ]
    # Fixes within a line first, block rewrites (a whole table, a section) after: the fix
    # in a table cell goes in, and the table is formatted with it on the next pass instead
    # of blocking it for one. (The order stays by position within each group, so taken
    # spans are mostly appended.)
    candidates.sort(key=lambda d: _is_block(d.fix))  # type: ignore[arg-type]
    # The findings of one rewrite share its edits (table-format's rows of a table): once
    # one of them was tried, every later one overlaps it (its own edits, taken, or what
    # kept them out, still taken): told by identity, without looking at the edits again.
    tried: set[int] = set()
    for d in candidates:
        fix = d.fix
        assert fix is not None
        if id(fix.edits) in tried:
            continue
        tried.add(id(fix.edits))
        if any(_overlaps(e, taken_starts, taken_ends) for e in fix.edits):
            continue
        for e in fix.edits:
            i = bisect_left(taken_starts, e.start)
            taken_starts.insert(i, e.start)
            taken_ends.insert(i, e.end)
        chosen.append(d)
    return chosen


def _is_block(fix: Fix) -> bool:
    return len(fix.edits) > 1 or "\n" in fix.edits[0].replacement


def choose_fixes(diagnostics: Iterable[Diagnostic], *, unsafe: bool) -> list[Fix]:
    """The applicable fixes whose edits overlap no fix chosen before them."""
    return [d.fix for d in choose(diagnostics, unsafe=unsafe) if d.fix is not None]


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


class Applied(NamedTuple):
    """One fix that went in: its rule, applicability and edits (offsets into the text of
    its pass), and the offset of its finding in the original text."""

    rule: str
    applicability: str
    edits: tuple[Edit, ...]
    pass_text: str
    origin: int


class Trail:
    """The passes of one fix run, to map an offset of a later text back to the original."""

    def __init__(self, original: str) -> None:
        self.original = original
        self._passes: list[tuple[list[int], list[int], list[int], list[str], list[str]]] = []
        self._line_starts: list[int] | None = None
        self._moves: dict[tuple[int, int], _Moves] = {}

    def record(self, text: str, edits: Sequence[Edit], fitted: Sequence[str]) -> None:
        """``edits`` (sorted, non-overlapping) turned ``text`` into the next text, with
        ``fitted`` the replacements as written."""
        new_starts, olds, ends, reps, replaced = [], [], [], [], []
        shift = 0
        for e, rep in zip(edits, fitted, strict=True):
            new_starts.append(e.start + shift)
            olds.append(e.start)
            ends.append(e.end)
            reps.append(rep)
            replaced.append(text[e.start : e.end])
            shift += len(rep) - (e.end - e.start)
        self._passes.append((new_starts, olds, ends, reps, replaced))

    def last_pass(self) -> tuple[Sequence[str], Sequence[str]]:
        """The texts the last pass recorded replaced, and their replacements as written
        (none before the first)."""
        if not self._passes:
            return [], []
        _, _, _, reps, replaced = self._passes[-1]
        return replaced, reps

    def origin(self, pos: int) -> int:
        """The offset in the original text that ``pos`` (in the latest text) comes from:
        text outside edits maps one to one; inside a replacement, a line that the edit
        moved unchanged (sorted entries, reordered sections) to where that line was, and
        any other line to the same line of the span it replaced."""
        for index in range(len(self._passes) - 1, -1, -1):
            new_starts, olds, ends, reps, replaced = self._passes[index]
            k = bisect_right(new_starts, pos) - 1
            if k < 0:
                continue
            inside = pos - new_starts[k]
            if inside <= len(reps[k]):
                moved = self._moved(index, k, inside)
                if moved is not None:
                    pos = olds[k] + moved
                    continue
                lines = len(_NEWLINE.findall(reps[k], 0, inside))
                pos = olds[k] + _line_offset(replaced[k], lines, inside)
            else:
                pos = ends[k] + inside - len(reps[k])
        return pos

    def _moved(self, index: int, k: int, inside: int) -> int | None:
        """Where in the replaced span of edit ``k`` of pass ``index`` the text at ``inside``
        of its replacement was, when its line is one of the replaced lines, moved."""
        rep = self._passes[index][3][k]
        if "\n" not in rep and "\r" not in rep:
            return None  # a one-line edit: its columns map as they are
        moves = self._moves.get((index, k))
        if moves is None:
            moves = self._moves[index, k] = _Moves(self._passes[index][4][k], rep)
        return moves.origin(inside)

    def origin_line(self, pos: int) -> int:
        """0-based line of the original text that ``pos`` of the latest text comes from."""
        return self.original_line(self.origin(pos))

    def original_line(self, offset: int) -> int:
        """0-based line of ``offset`` in the original text."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.original)]
        return bisect_right(self._line_starts, offset) - 1


class _Moves:
    """The lines of a multi-line replacement that are lines of the text it replaced,
    moved: the i-th copy of a line in the replacement is the i-th copy in the replaced
    text (newlines not compared: the replacement's are fitted to the text)."""

    def __init__(self, replaced: str, rep: str) -> None:
        old_lines = _lines(replaced)
        where: dict[str, list[int]] = {}
        for line, start in reversed(old_lines):
            where.setdefault(line, []).append(start)
        self.starts: list[int] = []
        self.sources: list[int | None] = []
        for line, start in _lines(rep):
            self.starts.append(start)
            copies = where.get(line)
            self.sources.append(copies.pop() if copies else None)

    def origin(self, inside: int) -> int | None:
        j = bisect_right(self.starts, inside) - 1
        source = self.sources[j] if j >= 0 else None
        return None if source is None else source + inside - self.starts[j]


def _lines(text: str) -> list[tuple[str, int]]:
    """Each line of ``text`` without its newline, with its offset."""
    out = []
    start = 0
    for m in _NEWLINE.finditer(text):
        out.append((text[start : m.start()], start))
        start = m.end()
    if start < len(text):
        out.append((text[start:], start))
    return out


def _line_offset(replaced: str, lines: int, inside: int) -> int:
    """Offset in ``replaced`` of the start of its line number ``lines`` (clamped), or the
    same offset when the replacement has a single line."""
    if lines == 0:
        return min(inside, len(replaced)) if "\n" not in replaced and "\r" not in replaced else 0
    ends = [m.end() for m in _NEWLINE.finditer(replaced)]
    return ends[min(lines, len(ends)) - 1] if ends else len(replaced)


class FixRun(NamedTuple):
    text: str
    applied: list[Applied]
    diagnostics: Sequence[Diagnostic]
    trail: Trail
    # Findings whose fix was exactly one that went in for another finding (the toc's
    # findings share the regenerated list): settled with it, and counted as fixed, as
    # ruff counts them, so that "N fixable" and "Fixed N" agree.
    settled: int = 0

    @property
    def fixed(self) -> int:
        """How many findings the run fixed."""
        return len(self.applied) + self.settled


def run_fixes(
    text: str,
    lint: Callable[[str], Sequence[Diagnostic]],
    *,
    unsafe: bool,
    passes: int = MAX_PASSES,
    allow: Callable[[Diagnostic, Trail], bool] | None = None,
    trail: Trail | None = None,
) -> FixRun:
    """Apply fixes and re-lint until none applies. ``allow`` filters the fixes (the guard
    uses it to withhold some); the run records what went in and where it came from, in
    ``trail`` when given (a new trail of ``text``: its caller may look at the passes
    recorded so far while the run lints)."""
    if trail is None:
        trail = Trail(text)
    applied: list[Applied] = []
    settled = 0
    for _ in range(passes):
        diagnostics = lint(text)
        chosen = _allowed(diagnostics, unsafe, allow, trail)
        if not chosen:
            return FixRun(text, applied, diagnostics, trail, settled)
        edits = sorted((e for d in chosen for e in d.fix.edits), key=lambda e: (e.start, e.end))  # type: ignore[union-attr]
        dominant = dominant_newline(text)
        fitted = [fit_newlines(text, e, dominant) for e in edits]
        new = _final_newline_kept(text, apply_edits(text, fitted))
        if new == text:
            return FixRun(text, applied, diagnostics, trail, settled)
        settled += _twins(diagnostics, chosen, unsafe)
        for d in chosen:
            assert d.fix is not None
            applied.append(
                Applied(d.rule, d.fix.applicability, d.fix.edits, text, trail.origin(d.start))
            )
        # (A final newline splice dropped lies past every offset the trail maps.)
        trail.record(text, edits, [f.replacement for f in fitted])
        text = new
    diagnostics = lint(text)
    if _allowed(diagnostics, unsafe, allow, trail):
        raise FixDidNotConverge(f"fixes did not converge after {passes} passes")
    return FixRun(text, applied, diagnostics, trail, settled)


def _twins(diagnostics: Sequence[Diagnostic], chosen: Sequence[Diagnostic], unsafe: bool) -> int:
    """The findings not chosen whose applicable fix has exactly the edits of a chosen one."""
    if len(diagnostics) == len(chosen):
        return 0
    edits = {d.fix.edits for d in chosen if d.fix is not None}
    # The findings of one rewrite share its fix (a table's rows, table-format's): known by
    # identity, without hashing its edits (a whole table's rows) once a finding.
    same = {id(d.fix.edits) for d in chosen if d.fix is not None}
    taken = {id(d) for d in chosen}
    return sum(
        1
        for d in diagnostics
        if d.fix is not None
        and id(d) not in taken
        and (unsafe or d.fix.applicability == "safe")
        and (id(d.fix.edits) in same or d.fix.edits in edits)
    )


def _allowed(
    diagnostics: Sequence[Diagnostic],
    unsafe: bool,
    allow: Callable[[Diagnostic, Trail], bool] | None,
    trail: Trail,
) -> list[Diagnostic]:
    if allow is not None:
        diagnostics = [d for d in diagnostics if d.fix is None or allow(d, trail)]
    return choose(diagnostics, unsafe=unsafe)


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
    run = run_fixes(text, lint, unsafe=unsafe, passes=passes)
    return run.text, run.fixed, run.diagnostics
