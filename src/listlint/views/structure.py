"""Headings, sections, list items, code lines and entries of a document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.document import ListItem
from listlint.lazyre import lazy
from listlint.records import NamedTuple

__all__ = [
    "BUILTIN_FRAGMENTS",
    "USER_CONTENT",
    "Heading",
    "ListItem",
    "Structure",
    "Target",
    "plain_text",
]

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token

    from listlint.document import Document
    from listlint.views.anchors import RenderedAnchor, RenderedHeading


class Heading(NamedTuple):
    level: int
    line: int  # first line (0-based)
    end_line: int  # exclusive
    text: str  # plain text as rendered
    start: int  # offset of the heading's first character
    end: int  # offset of the end of its first line
    setext: bool


class Target(NamedTuple):
    """A place an in-page link (``#anchor``) can land on GitHub."""

    anchor: str  # as GitHub names it, without its ``user-content-`` prefix
    line: int  # 0-based source line of the heading or element
    heading: Heading | None  # the heading it shows: its own anchor, or an HTML anchor on it
    html: bool  # an ``id`` or ``name`` attribute, not a heading's generated anchor


def plain_text(inline: Token) -> str:
    """The text a reader sees in an inline token (markup removed)."""
    return _plain(inline.children or _inline_children(inline.content))


def content_text(content: str) -> str:
    """The text a reader sees in an inline block's content (markup removed)."""
    return _plain(_inline_children(content))


def _inline_children(content: str) -> list[Token]:
    from listlint.document import inline_children

    return inline_children(content)


def _plain(children: list[Token]) -> str:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    # Images add nothing: GitHub slugs the heading's text content, without alt text.
    return "".join(parts)


USER_CONTENT = "user-content-"
# Fragments that always go somewhere: the top of the page (HTML's ``#top``, GitHub's
# ``#readme`` container) and the bare ``#``.
BUILTIN_FRAGMENTS = frozenset(("", "top", "readme"))
_TAGS = lazy(r"<[^>]*>")


class Structure:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.headings: list[Heading] = []
        self.list_items: list[ListItem] = []
        blocks = doc.blocks
        containers = blocks.containers
        self.list_items = list(blocks.list_items)
        for h in blocks.headings:
            first = h.first_line
            self.headings.append(
                Heading(
                    level=h.level,
                    line=first,
                    end_line=h.end_line,
                    text=content_text(h.content),
                    start=doc.content_start(first, containers[h.token]),
                    end=doc.line_ends[first],
                    setext=h.setext,
                )
            )
        code = blocks.code_lines
        self.code_lines = frozenset(code)

    @property
    def items_by_line(self) -> dict[int, ListItem]:
        """The innermost list item starting on each line."""
        cached = self.__dict__.get("_items_by_line")
        if cached is None:
            cached = self.__dict__["_items_by_line"] = {i.first_line: i for i in self.list_items}
        return cached

    # -- in-page targets: one definition for every rule -----------------------------------
    def target(self, fragment: str) -> Target | None:
        """Where a link to ``#fragment`` (decoded) lands on GitHub, or None: a heading's
        anchor or an HTML ``id``/``name``, compared without regard to case, with or without
        the ``user-content-`` prefix GitHub gives them."""
        targets = self.targets
        key = fragment.lower()
        found = targets.get(key)
        if found is None and key.startswith(USER_CONTENT):
            found = targets.get(key[len(USER_CONTENT) :])
        return found

    def exists(self, fragment: str) -> bool:
        """A link to ``#fragment`` (decoded) goes somewhere: a target, or the top of the page."""
        return fragment.lower() in BUILTIN_FRAGMENTS or self.target(fragment) is not None

    def anchor_of(self, heading: Heading) -> str:
        """The anchor GitHub gives ``heading`` (numbered when repeated)."""
        found = self._github[0].get(heading.line)
        if found is None:  # a heading cmark-gfm does not see (markdown-it-py disagrees)
            from listlint.views.anchors import github_slug

            return github_slug(heading.text)
        return found[0]

    def text_of(self, heading: Heading) -> str:
        """The heading's text as GitHub renders it (reference links resolved)."""
        found = self._github[0].get(heading.line)
        return heading.text if found is None else found[1]

    @property
    def targets(self) -> dict[str, Target]:
        """Every in-page target by its lower-cased anchor (the first in the document wins)."""
        return self._github[1]

    @property
    def _github(self) -> tuple[dict[int, tuple[str, str]], dict[str, Target]]:
        # One rendering with cmark-gfm, on first use only (``Document.rendered``, shared
        # with the table view, which reads the headings and anchors with its tables).
        cached = self.__dict__.get("_github_cache")
        if cached is None:
            cached = self.__dict__["_github_cache"] = self._render_targets()
        return cached

    def _render_targets(self) -> tuple[dict[int, tuple[str, str]], dict[str, Target]]:
        rendered = self.doc.rendered  # GitHub's rendering, read once with the tables
        return self.targets_from(rendered.headings, rendered.anchors)

    def targets_from(
        self, headings: Sequence[RenderedHeading], html: Sequence[RenderedAnchor]
    ) -> tuple[dict[int, tuple[str, str]], dict[str, Target]]:
        """The anchors and targets of the rendered headings and HTML anchors, in document
        order (the language server gathers them from the parts of a document)."""
        from listlint.views.anchors import Slugger

        by_line = {h.line: h for h in self.headings}
        slugger = Slugger()
        anchors: dict[int, tuple[str, str]] = {}
        found: list[Target] = []
        for rh in headings:
            slug = slugger.slug(rh.text)
            heading = None if rh.raw else by_line.get(rh.line)
            if heading is not None:
                anchors.setdefault(heading.line, (slug, rh.text))
            found.append(Target(slug, rh.line, heading, False))
        for ra in html:
            value = ra.value
            if value.lower().startswith(USER_CONTENT):
                value = value[len(USER_CONTENT) :]
            found.append(Target(value, ra.line, self._heading_at(ra.line, by_line), True))
        found.sort(key=lambda t: t.line)
        targets: dict[str, Target] = {}
        for t in found:
            targets.setdefault(t.anchor.lower(), t)
        return anchors, targets

    def _heading_at(self, line: int, by_line: dict[int, Heading]) -> Heading | None:
        """The heading an HTML anchor on ``line`` marks: the heading on that line, or the
        one right below it (blank lines and other tag-only lines between)."""
        doc = self.doc
        while line < doc.line_count:
            heading = by_line.get(line)
            if heading is not None:
                return heading
            text = doc.line(line)
            if text.strip() and _TAGS.sub("", text).strip():
                return None
            line += 1
        return None

    def entry_of(self, line: int) -> int:
        """An id for the entry holding ``line``: its innermost list item, else the line."""
        index = self._entries
        return index.get(line, line)

    @property
    def entry_lines(self) -> dict[int, int]:
        """``entry_of`` as a mapping, for the lines inside list items (``entry_of(line)``
        is ``entry_lines.get(line, line)``)."""
        return self._entries

    @property
    def _entries(self) -> dict[int, int]:
        cached = self.__dict__.get("_entry_cache")
        if cached is None:
            cached = {}
            # Items come outer before inner, so inner items overwrite their parents' lines.
            for item in self.list_items:
                for line in range(item.first_line, item.end_line):
                    cached[line] = item.first_line
            self.__dict__["_entry_cache"] = cached
        return cached
