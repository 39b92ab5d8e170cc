"""Headings, sections, list items, code lines and entries of a document."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from markdown_it.token import Token

    from listlint.document import Document


class Heading(NamedTuple):
    level: int
    line: int  # first line (0-based)
    end_line: int  # exclusive
    text: str  # plain text as rendered
    start: int  # offset of the heading's first character
    end: int  # offset of the end of its first line
    slug: str  # GitHub anchor, with -1, -2 for repeats
    setext: bool


class ListItem(NamedTuple):
    first_line: int
    end_line: int  # exclusive
    depth: int


# An HTML element's id or name: GitHub keeps these as anchors.
HTML_ANCHOR = re.compile(r"""<[^>]*?\s(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def plain_text(inline: Token) -> str:
    """The text a reader sees in an inline token (markup removed)."""
    from listlint.document import inline_children

    parts: list[str] = []
    for child in inline.children or inline_children(inline.content):
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    # Images add nothing: GitHub slugs the heading's text content, without alt text.
    return "".join(parts)


def github_slug(text: str) -> str:
    """GitHub's heading anchor, before de-duplication: lower case, punctuation dropped,
    spaces to dashes; letters and digits of any script are kept."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(
        ch for ch in text if ch in "-_ " or unicodedata.category(ch)[0] in ("L", "N", "M")
    )
    return text.replace(" ", "-")


class Structure:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.headings: list[Heading] = []
        self.list_items: list[ListItem] = []
        code: set[int] = set()
        tokens = doc.tokens
        counts: dict[str, int] = {}
        depth = 0
        for i, tok in enumerate(tokens):
            if tok.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tok.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            if tok.map is None:
                continue
            if tok.type in ("fence", "code_block"):
                code.update(range(tok.map[0], tok.map[1]))
            elif tok.type == "list_item_open":
                self.list_items.append(ListItem(tok.map[0], tok.map[1], depth))
            elif tok.type == "heading_open":
                text = plain_text(tokens[i + 1])
                base = github_slug(text)
                n = counts.get(base, 0)
                counts[base] = n + 1
                first = tok.map[0]
                start = doc.content_start(first, doc.containers[i])
                self.headings.append(
                    Heading(
                        level=int(tok.tag[1]),
                        line=first,
                        end_line=tok.map[1],
                        text=text,
                        start=start,
                        end=doc.line_ends[first],
                        slug=base if n == 0 else f"{base}-{n}",
                        setext=tok.markup in ("=", "-"),
                    )
                )
        self.code_lines = frozenset(code)

    @property
    def items_by_line(self) -> dict[int, ListItem]:
        """The innermost list item starting on each line."""
        cached = self.__dict__.get("_items_by_line")
        if cached is None:
            cached = self.__dict__["_items_by_line"] = {i.first_line: i for i in self.list_items}
        return cached

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(h.slug for h in self.headings)

    def entry_of(self, line: int) -> int:
        """An id for the entry holding ``line``: its innermost list item, else the line."""
        index = self._entries
        return index.get(line, line)

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
