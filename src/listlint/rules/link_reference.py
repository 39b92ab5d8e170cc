"""Checks for reference links without a definition, and for duplicate or unused definitions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.diagnostic import Edit, Finding, Fix
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document

NAME = "link-reference"
CODE = "LL206"
SUMMARY = "Reference link has no definition, or a definition is repeated or unused"
SEVERITY = "warning"
DEFAULT = True
FIX = "sometimes"
SCOPE = "document"


class Options(NamedTuple):
    """The options of link-reference, from [rules.link-reference] in the configuration."""

    unused_definitions: bool = True


def check(doc: Document, options: Options) -> Iterator[Finding]:
    links = doc.links
    for ref in links.unresolved:
        yield Finding(
            ref.start,
            ref.end,
            f"reference [{ref.label}] has no definition, so it renders as literal brackets",
            severity="error",
        )
    first: dict[str, int] = {}
    used = {link.label for link in links if link.kind == "reference"}
    unused = []
    for d in links.definitions:
        if d.label in first:
            yield Finding(
                d.start,
                d.end,
                f"[{d.label}] is already defined at line {first[d.label] + 1}; "
                "the first definition wins and this one is ignored",
            )
            continue
        first[d.label] = d.line
        if options.unused_definitions and d.label not in used:
            unused.append(d)
    fixes = [_remove_line(doc, d.line) for d in unused]
    if unused and not _renders_the_same(doc, fixes):
        fixes = [None] * len(unused)
    for d, fix in zip(unused, fixes, strict=True):
        yield Finding(d.start, d.end, f"definition [{d.label}] is not used by any link", fix)


def _renders_the_same(doc: Document, fixes: list[Fix | None]) -> bool:
    """Removing a definition line can join the blocks around it (two lists become one):
    the removals are safe only if the document renders the same without them, as GitHub
    renders it (markdown-it and cmark-gfm differ on empty list items: `-`, a definition
    and `-` are two lists to markdown-it, and one once the definition goes to both, but
    two lists to cmark-gfm only while the definition is there)."""
    from listlint.fix import apply_edits
    from listlint.github import render_html

    edits = [e for f in fixes if f is not None for e in f.edits]
    return render_html(apply_edits(doc.text, edits)) == render_html(doc.text)


def _remove_line(doc: Document, line: int) -> Fix | None:
    if line + 1 < doc.line_count:
        edit = Edit(doc.line_starts[line], doc.line_starts[line + 1], "")
    elif line > 0:
        edit = Edit(doc.line_ends[line - 1], doc.line_ends[line], "")
    else:
        return None
    return Fix("Remove the unused definition", (edit,))
