"""Inline suppression comments.

``<!-- listlint-disable NAMES -->`` ... ``<!-- listlint-enable NAMES -->``,
``<!-- listlint-disable-line NAMES -->`` (its own line), ``<!-- listlint-disable-next-line
NAMES -->``, ``<!-- listlint-disable-file NAMES -->`` and ``<!-- listlint-enable-file NAMES
-->`` (markdownlint's directives, spelled the same); NAMES are rule names, codes or code
prefixes separated by spaces or commas; none means all. Comments inside code blocks are
text, not directives. A comment whose directive is not one of these suppresses nothing, and
a name that is no rule suppresses nothing (invalid-suppression reports both).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from listlint.lazyre import lazy
from listlint.records import NamedTuple
from listlint.registry import matches

if TYPE_CHECKING:
    from listlint.document import Document
    from listlint.registry import Rule

DIRECTIVES = (
    "disable",
    "enable",
    "disable-line",
    "disable-next-line",
    "disable-file",
    "enable-file",
)
# Any listlint comment: the directive is the word after ``listlint-``, read whole, so that a
# misspelled one (``disable-nextline``) is never taken for a shorter one (``disable``).
DIRECTIVE = lazy(r"<!--\s*listlint-([A-Za-z0-9_-]*)(.*?)-->", re.DOTALL)

# A state: (everything disabled?, names) where names are the exceptions when everything is
# disabled and the disabled names otherwise.
State = tuple[bool, frozenset[str]]


class NextLine(NamedTuple):
    """A ``disable-next-line`` (or ``disable-line``) comment: where it is written, the line
    it covers, its names (empty: every rule)."""

    start: int
    end: int
    target: int
    names: frozenset[str]
    kind: str = "disable-next-line"


class Comment(NamedTuple):
    """A listlint comment as written: its span, directive, and names (offset, name)."""

    start: int
    end: int
    directive: str
    directive_start: int
    names: tuple[tuple[int, str], ...]


class Suppressions:
    def __init__(self, doc: Document) -> None:
        self.file_all = False
        self.file_names: set[str] = set()
        self.next_line: dict[int, frozenset[str] | None] = {}
        self.lines: list[int] = []
        self.states: list[State] = []
        self.next_line_comments: list[NextLine] = []
        # What the comments did: the names that suppressed a finding on each covered line,
        # and the rules whose findings went through here (their names can be judged).
        self.used: dict[int, set[str]] = {}
        self.judged: dict[str, Rule] = {}
        # Every listlint comment (for invalid-suppression), and the names of every rule
        # loaded for the run (selected or not), which a comment may name.
        self.comments: list[Comment] = []
        self.known: set[str] = set()
        self.file_enabled: set[str] | None = set()  # enable-file names (None: every rule)
        if "listlint-" not in doc.text:
            return
        code_lines = doc.structure.code_lines
        state: State = (False, frozenset())
        file_enabled: set[str] | None = set()  # None: every rule enabled again
        for m in DIRECTIVE.finditer(doc.text):
            line = doc.line_of(m.start())
            if line in code_lines:
                continue
            written = [
                (m.start(2) + n.start(), n.group()) for n in re.finditer(r"[^\s,]+", m.group(2))
            ]
            kind = m.group(1)
            self.comments.append(Comment(m.start(), m.end(), kind, m.start(1), tuple(written)))
            if kind not in DIRECTIVES:
                continue  # suppresses nothing
            names = frozenset(n for _, n in written)
            if kind == "disable-file":
                if names:
                    self.file_names |= names
                else:
                    self.file_all = True
            elif kind == "enable-file":
                if file_enabled is not None:
                    file_enabled = None if not names else file_enabled | names
            elif kind in ("disable-next-line", "disable-line"):
                target = doc.line_of(m.end()) + 1 if kind == "disable-next-line" else line
                old = self.next_line.get(target, frozenset())
                self.next_line[target] = None if not names or old is None else old | names
                self.next_line_comments.append(NextLine(m.start(), m.end(), target, names, kind))
            else:
                state = _transition(state, kind, names)
                self.lines.append(line)
                self.states.append(state)
        self.file_enabled = file_enabled

    def suppressed(self, rule: Rule, line: int) -> bool:
        """Is ``rule`` switched off at 0-based ``line``?"""
        if self.file_all or _any(self.file_names, rule):
            enabled = self.file_enabled
            if enabled is not None and not _any(enabled, rule):
                return True
        if line in self.next_line:
            names = self.next_line[line]
            if names is None or _any(names, rule):
                used = self.used.setdefault(line, set())
                used.add("")  # something was suppressed here
                used.update(n for n in names or () if matches(n, rule))
                return True
        i = bisect_right(self.lines, line) - 1
        if i < 0:
            return False
        everything, names = self.states[i]
        return not _any(names, rule) if everything else _any(names, rule)


def _any(names: frozenset[str] | set[str], rule: Rule) -> bool:
    return any(matches(n, rule) for n in names)


def _transition(state: State, kind: str, names: frozenset[str]) -> State:
    everything, current = state
    if kind == "disable":
        if not names:
            return (True, frozenset())
        return (True, current - names) if everything else (False, current | names)
    if not names:
        return (False, frozenset())
    return (True, current | names) if everything else (False, current - names)


def unused_next_line(suppressions: Suppressions) -> list[tuple[NextLine, list[str]]]:
    """``disable-next-line`` comments that suppressed nothing, with the names that did not
    (all of them: the whole comment is unused); names of rules that did not run, or that
    compare files, cannot be judged and are never reported."""
    rules = list(suppressions.judged.values())
    out: list[tuple[NextLine, list[str]]] = []
    for c in suppressions.next_line_comments:
        used = suppressions.used.get(c.target, set())
        if not c.names:
            if not used:
                out.append((c, []))
            continue
        idle = sorted(n for n in c.names if n not in used and any(matches(n, r) for r in rules))
        if idle:
            out.append((c, idle))
    return out


def invalid_comments(suppressions: Suppressions) -> list[tuple[int, int, str]]:
    """(start, end, message) for each listlint comment with a directive that is not one,
    and each name in a comment that selects no rule of the run (loaded, run or not)."""
    if not suppressions.comments:
        return []
    import difflib

    from listlint.registry import builtin_rules

    rules = {r.name: r for r in builtin_rules()} | suppressions.judged
    names = sorted(set(rules) | suppressions.known)
    out = []
    for c in suppressions.comments:
        if c.directive not in DIRECTIVES:
            close = difflib.get_close_matches(c.directive, DIRECTIVES, n=1, cutoff=0.6)
            hint = f" (did you mean `listlint-{close[0]}`?)" if close else ""
            shown = f"listlint-{c.directive}"
            out.append(
                (
                    c.start,
                    c.end,
                    f"`{shown}` is not a listlint directive{hint}: this comment suppresses "
                    f"nothing (directives: {', '.join(DIRECTIVES)})",
                )
            )
            continue
        for offset, name in c.names:
            if name in suppressions.known or any(matches(name, r) for r in rules.values()):
                continue
            close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            out.append(
                (
                    offset,
                    offset + len(name),
                    f"`{name}` names no rule{hint}: nothing is suppressed for it",
                )
            )
    return out
