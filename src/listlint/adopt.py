"""Adopting listlint on a list that has findings: suppression comments for each of them.

``listlint check --add-suppressions`` writes a ``listlint-disable-next-line`` comment above
each line with findings, naming the rules, so that the list passes as it stands and new
entries are checked from now on. Where a comment line would change how the list renders (a
table row, the second line of a paragraph, a list inside a block quote), the block holding
the finding is wrapped in ``listlint-disable`` / ``listlint-enable`` instead. Every change
is checked with GitHub's renderer (cmark-gfm): the block, and then the whole list, must
render as before, apart from the comments.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import TYPE_CHECKING

from listlint.fix import apply_edits
from listlint.github import render_html
from listlint.lazyre import lazy

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.diagnostic import Diagnostic, Edit
    from listlint.document import Document
    from listlint.lint import LintResult

_OUR_COMMENT = lazy(r"<!--\s*listlint-[^>]*-->")
_AROUND_TAGS = lazy(r"\s*(<[^>]*>)\s*")
_NEXT_LINE = lazy(r"([ \t]*)<!-- listlint-disable-next-line ([^>]*?) -->[ \t]*")


PASSES = 4


def suppress_all(text: str, lint: Callable[[str], LintResult]) -> tuple[str, LintResult]:
    """Add comments until nothing is found: a comment can change what a rule sees (a table
    right under a paragraph is read as a table once a comment separates them), so the text
    is linted again, as the fixer does, a few times at most. Returns the text and its lint."""
    result = lint(text)
    for _ in range(PASSES):
        if not result.diagnostics or result.errors or result.document is None:
            break
        new = add_suppressions(result.document, result.diagnostics)
        if new == text:
            break
        result.document.release()
        text = new
        result = lint(text)
    return text, result


def add_suppressions(doc: Document, diagnostics: Sequence[Diagnostic]) -> str:
    """``doc``'s text with comments that suppress every one of ``diagnostics``."""
    from listlint.diagnostic import Edit

    names: dict[int, set[str]] = {}  # 0-based line -> rule names found there
    for d in diagnostics:
        names.setdefault(d.line - 1, set()).add(d.rule)
    if not names:
        return doc.text
    nl = doc.newline
    edits: list[Edit] = []
    placed: set[int] = set()
    found = sorted(names)
    for first, end in _top_level_blocks(doc):
        lines = found[bisect_left(found, first) : bisect_left(found, end)]
        if not lines:
            continue
        placed.update(lines)
        block = _block_text(doc, first, end)
        own = [_comment_before(doc, line, first, names[line], nl) for line in lines]
        chosen = [e for e in own if e is not None]
        if len(chosen) < len(own) or not _renders_alike(
            block, _block_text(doc, first, end, chosen)
        ):
            listed = " ".join(sorted(set().union(*(names[line] for line in lines))))
            chosen = [
                Edit(
                    doc.line_starts[first], doc.line_starts[first], _line(f"disable {listed}", nl)
                ),
                _after(doc, end, _line(f"enable {listed}", nl), nl),
            ]
        edits += chosen
    # Lines outside blocks (link reference definitions): a comment line above each.
    for line in sorted(set(names) - placed):
        edit = _comment_before(doc, line, line, names[line], nl)
        assert edit is not None  # the line is taken as the first of its own block
        edits.append(edit)
    new = apply_edits(doc.text, _merge(edits))
    if _renders_alike(doc.text, new):
        return new
    # Where a comment between blocks changes how GitHub reads them (a line `-` after a
    # link reference definition is a paragraph, and an empty list item after a comment):
    # one comment for the whole file, first, or else last (after a blank line). Where
    # neither keeps the rendering (the file ends in an open code fence), nothing is added.
    comment = _line(f"disable-file {' '.join(sorted(set().union(*names.values())))}", nl)
    start, end = doc.body_start, len(doc.text)
    ends = doc.text.endswith(("\n", "\r"))  # else no final newline is added
    last = nl + comment if ends else nl + nl + comment.removesuffix(nl)
    for edit in (Edit(start, start, comment), Edit(end, end, last)):
        new = apply_edits(doc.text, [edit])
        if _renders_alike(doc.text, new):
            return new
    return doc.text


def _line(directive: str, nl: str) -> str:
    return f"<!-- listlint-{directive} -->{nl}"


def _top_level_blocks(doc: Document) -> list[tuple[int, int]]:
    """(first line, end line) of every block at the top level: a whole list, table, block
    quote, paragraph, heading, code block or HTML block."""
    out = []
    for tok in doc.tokens:
        if tok.level == 0 and tok.map is not None and tok.nesting in (0, 1):
            out.append((tok.map[0], min(tok.map[1], doc.line_count)))
    return out


def _comment_before(doc: Document, line: int, first: int, rules: set[str], nl: str) -> Edit | None:
    """A ``disable-next-line`` comment on its own line above ``line``, indented to stay in
    the list item before it; None where no such line keeps the rendering."""
    from listlint.diagnostic import Edit

    start = doc.line_starts[line]
    if line > 0:
        above = _NEXT_LINE.fullmatch(doc.line(line - 1))
        if above is not None:  # one comment per line: add the rules to the one above
            merged = " ".join(sorted(set(above.group(2).split()) | rules))
            comment = f"{above.group(1)}<!-- listlint-disable-next-line {merged} -->"
            return Edit(doc.line_starts[line - 1], doc.line_ends[line - 1], comment)
    text = _line(f"disable-next-line {' '.join(sorted(rules))}", nl)
    if line == first:
        return Edit(start, start, text)
    item = doc.structure.items_by_line.get(line)
    if item is None:
        return None  # inside a paragraph, table or quote: a comment line would split it
    raw = doc.text[start : doc.line_ends[line]]
    if ">" in raw[: len(raw) - len(raw.lstrip(" \t>"))]:
        return None  # in a block quote
    marker = re.match(r"[ ]*(?:[-*+]|\d{1,9}[.)])[ ]{1,4}", raw)
    if marker is None:
        return None
    # The comment sits at the item's content column: inside the item before it (or, for a
    # first nested item, inside its parent), so the list goes on unbroken.
    return Edit(start, start, " " * marker.end() + text)


def _after(doc: Document, end: int, text: str, nl: str) -> Edit:
    from listlint.diagnostic import Edit

    if end < doc.line_count:
        return Edit(doc.line_starts[end], doc.line_starts[end], text)
    last = doc.line_count - 1
    if doc.line_ends[last] < len(doc.text):  # the file ends with a newline
        return Edit(len(doc.text), len(doc.text), text)
    return Edit(len(doc.text), len(doc.text), nl + text.removesuffix(nl))


def _block_text(doc: Document, first: int, end: int, edits: Sequence[Edit] = ()) -> str:
    start = doc.line_starts[first]
    stop = doc.line_starts[end] if end < doc.line_count else len(doc.text)
    inside = [e for e in edits if start <= e.start <= stop]
    shifted = [e._replace(start=e.start - start, end=e.end - start) for e in inside]
    return apply_edits(doc.text[start:stop], shifted)


def _renders_alike(before: str, after: str) -> bool:
    """Whether GitHub renders ``after`` as ``before``, listlint's comments aside.

    markdown-it-py is no judge of this: after a link reference definition, a line ``-``
    is an empty list item for it but a paragraph for cmark-gfm, which a comment line
    between them turns into a list item."""

    def norm(markdown: str) -> str:
        return _AROUND_TAGS.sub(r"\1", _OUR_COMMENT.sub("", render_html(markdown))).strip()

    return norm(before) == norm(after)


def _merge(edits: list[Edit]) -> list[Edit]:
    """Insertions at one offset become one, in the order they were made (the comment that
    ends a block before the one that starts the next)."""
    by_offset: dict[int, list[Edit]] = {}
    rewrites = []
    for e in edits:
        if e.start == e.end:
            by_offset.setdefault(e.start, []).append(e)
        else:
            rewrites.append(e)
    return rewrites + [
        group[0]._replace(replacement="".join(e.replacement for e in group))
        for group in by_offset.values()
    ]
