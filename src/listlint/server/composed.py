"""A document's document-wide views gathered from its pieces, for the rules that need them.

The server parses and checks again only the pieces an edit changed (``incremental``), but
the rules whose findings depend on the whole document still read views of the whole
document: its headings, list items and in-page anchors (``doc.structure``), and its links.
Built again on every lint, those views cost as much as the rest of the lint together on a
long list. They are made of per-piece parts, so the server reads each piece's part once,
keeps it by the piece's text (its lines moved with the piece), and joins the parts:

- ``doc.structure``: the headings, list items and code lines of each piece, in order, and
  the anchors GitHub gives the headings, numbered over the whole document
  (``Structure.targets_from`` on every piece's rendered headings). A piece with a heading
  written in HTML or an HTML ``id``/``name`` has its lines found by a search of the text
  that may run past the piece: then the anchors are read from the whole document's
  rendering, as a lint does. Footnotes are numbered over the whole document: with one,
  likewise.
- the links link-fragment and link-relative read (``all_targets`` of the links view, of
  the kinds they check: inline links and definitions without a scheme), for a document
  that gives them only those (``Facade``); a rule that reads anything else raises
  AttributeError there and is run on the whole document instead.

The parts hold what a whole-document view holds only when each piece reads on its own as
it does in the document: ``Lints.lint`` joins them only when every reference link resolves
inside its own piece (as it requires to check pieces at all). The result is tested against
``lint_text`` (tests/test_server_incremental.py), and the joined structure against the
whole document's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.anchors import RenderedHeading
    from listlint.views.links import Link
    from listlint.views.structure import Heading, ListItem, Structure

# What ``Structure.__init__`` sets: a structure is joined from these, and from nothing else.
STRUCTURE_FIELDS = frozenset(("doc", "headings", "list_items", "code_lines"))
# The rules that read links only through ``Facade`` (and the kinds of links they check).
LINK_RULES = frozenset(("link-fragment", "link-relative"))
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


class Facts(NamedTuple):
    """What one piece adds to the document-wide views: offsets into the piece, lines as
    they were at ``line`` (the piece's first line)."""

    line: int
    headings: tuple[Heading, ...]
    items: tuple[ListItem, ...]
    code: frozenset[int]
    rendered: tuple[RenderedHeading, ...] | None  # None: the whole document is rendered
    targets: tuple[Link, ...]

    def moved(self, line: int) -> Facts:
        """The same facts for the piece when it starts at ``line``."""
        by = line - self.line
        if not by:
            return self
        from listlint.views.structure import ListItem

        return Facts(
            line,
            tuple(h._replace(line=h.line + by, end_line=h.end_line + by) for h in self.headings),
            tuple(ListItem(a + by, b + by, depth) for a, b, depth in self.items),
            frozenset(n + by for n in self.code),
            None
            if self.rendered is None
            else tuple(r._replace(line=r.line + by) for r in self.rendered),
            tuple(link._replace(line=link.line + by) for link in self.targets),
        )


def _link_moved(link: Link, by: int) -> Link:
    return link._replace(
        start=link.start + by,
        end=link.end + by,
        text_start=link.text_start + by,
        text_end=link.text_end + by,
        url_start=link.url_start + by,
        url_end=link.url_end + by,
    )


def read_facts(sub: Document, size: int, line: int) -> Facts | None:
    """The facts of a piece from its own document (``incremental._subdoc`` without
    context: blank lines up to the piece's first line, then the piece, its last ``size``
    characters); None when its structure holds more than this module knows to join."""
    from listlint.github import render_html
    from listlint.views.anchors import rendered_anchors, rendered_headings

    skip = len(sub.text) - size
    structure = sub.structure
    if set(vars(structure)) != STRUCTURE_FIELDS:
        return None
    headings = tuple(h._replace(start=h.start - skip, end=h.end - skip) for h in structure.headings)
    rendered: tuple[RenderedHeading, ...] | None = None
    html = render_html(sub.text, sourcepos=True)
    found = rendered_headings(html, sub.text, sub.line_starts)
    if not any(h.raw for h in found) and not (
        "=" in sub.text and rendered_anchors(html, sub.text, sub.line_starts)
    ):
        rendered = tuple(found)
    targets = tuple(
        _link_moved(link, -skip)
        for link in sub.links.all_targets()
        if link.kind in ("inline", "definition") and not _SCHEME.match(link.url.strip())
    )
    return Facts(
        line, headings, tuple(structure.list_items), structure.code_lines, rendered, targets
    )


class Joined(NamedTuple):
    structure: Structure
    targets: list[Link]  # the links ``Facade`` gives, offsets into the document


def join(doc: Document, starts: Sequence[int], facts: Sequence[Facts]) -> Joined:
    """The document's structure and link targets from its pieces' facts (each piece's
    facts at its current line, ``starts``: its offset in the body)."""
    from listlint.views.structure import Structure

    headings: list[Heading] = []
    items: list[ListItem] = []
    code: set[int] = set()
    targets: list[Link] = []
    rendered: list[RenderedHeading] | None = [] if "[^" not in doc.text else None
    for start, f in zip(starts, facts, strict=True):
        by = doc.body_start + start
        headings += [h._replace(start=h.start + by, end=h.end + by) for h in f.headings]
        items += f.items
        code |= f.code
        targets += [_link_moved(link, by) for link in f.targets]
        if rendered is not None:
            if f.rendered is None:
                rendered = None
            else:
                rendered += f.rendered
    structure = Structure.__new__(Structure)
    structure.__dict__.update(
        doc=doc, headings=headings, list_items=items, code_lines=frozenset(code)
    )
    if rendered is not None:
        # No piece has an HTML heading or anchor (nor the whole document a footnote): the
        # anchors are those of the rendered headings, as the whole rendering gives them.
        structure.__dict__["_github_cache"] = structure.targets_from(rendered, [])
    return Joined(structure, targets)


class _Targets:
    """The links view as ``Facade`` gives it: its ``all_targets``, of the kinds kept."""

    __slots__ = ("_links",)

    def __init__(self, links: list[Link]) -> None:
        self._links = links

    def all_targets(self) -> Iterator[Link]:
        return iter(self._links)


class Facade:
    """What link-fragment and link-relative read of a document: its path, its structure,
    and the links they check (anything else raises AttributeError)."""

    __slots__ = ("links", "path", "structure")

    def __init__(self, doc: Document, joined: Joined) -> None:
        self.path = doc.path
        self.structure = joined.structure
        self.links = _Targets(joined.targets)
