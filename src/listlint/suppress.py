"""Inline suppression comments.

``<!-- listlint-disable NAMES -->`` ... ``<!-- listlint-enable NAMES -->``,
``<!-- listlint-disable-next-line NAMES -->`` and ``<!-- listlint-disable-file NAMES -->``;
NAMES are rule names, codes or code prefixes separated by spaces or commas; none means all.
Comments inside code blocks are text, not directives.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, NamedTuple

from listlint.registry import matches

if TYPE_CHECKING:
    from listlint.document import Document
    from listlint.registry import Rule

DIRECTIVE = re.compile(
    r"<!--\s*listlint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->", re.DOTALL
)

# A state: (everything disabled?, names) where names are the exceptions when everything is
# disabled and the disabled names otherwise.
State = tuple[bool, frozenset[str]]


class NextLine(NamedTuple):
    """A ``disable-next-line`` comment: where it is written, the line it covers, its names
    (empty: every rule)."""

    start: int
    end: int
    target: int
    names: frozenset[str]


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
        if "listlint-" not in doc.text:
            return
        code_lines = doc.structure.code_lines
        state: State = (False, frozenset())
        for m in DIRECTIVE.finditer(doc.text):
            line = doc.line_of(m.start())
            if line in code_lines:
                continue
            names = frozenset(n for n in re.split(r"[\s,]+", m.group(2).strip()) if n)
            kind = m.group(1)
            if kind == "disable-file":
                if names:
                    self.file_names |= names
                else:
                    self.file_all = True
            elif kind == "disable-next-line":
                target = doc.line_of(m.end()) + 1
                old = self.next_line.get(target, frozenset())
                self.next_line[target] = None if not names or old is None else old | names
                self.next_line_comments.append(NextLine(m.start(), m.end(), target, names))
            else:
                state = _transition(state, kind, names)
                self.lines.append(line)
                self.states.append(state)

    def suppressed(self, rule: Rule, line: int) -> bool:
        """Is ``rule`` switched off at 0-based ``line``?"""
        if self.file_all or _any(self.file_names, rule):
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
