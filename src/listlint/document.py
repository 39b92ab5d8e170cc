"""The parsed document every rule reads: raw text, line index, tokens, shared views.

A ``Document`` is built once per file. Positions everywhere inside listlint are absolute
``[start, end)`` offsets into ``Document.text`` (the raw text, BOM included); they become
1-based line and column only when reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from listlint.suppress import Suppressions
    from listlint.views.links import Links
    from listlint.views.structure import Structure
    from listlint.views.tables import Tables

NEWLINE = lazy(r"\r\n|\r|\n")
_LF = lazy(r"\n")
_ALONE = {
    "\r\n": re.compile(r"\r\n"),
    "\r": re.compile(r"\r(?!\n)"),
    "\n": re.compile(r"(?<!\r)\n"),
}
BOM = "\ufeff"
_CONTAINER_TOKENS = frozenset(
    ("blockquote_open", "blockquote_close", "list_item_open", "list_item_close")
)
# Deeper nesting than this is rendered flat by the parser; it bounds recursion and work.
MAX_NESTING = 40
_LIST_MARKER = lazy(r"[ ]{0,3}(?:[-+*]|\d{1,9}[.)])")
_NON_SPACE = lazy(r"\S")


class Container(NamedTuple):
    """A block quote or list item that a block sits in, with what it strips from lines."""

    kind: str  # "blockquote" or "list_item"
    first_line: int
    width: int = 0  # list items: content indentation in columns


class Blocks(NamedTuple):
    """Facts about the token stream that several views need, from one pass over it."""

    containers: list[tuple[Container, ...]]  # per token (see Document.containers)
    list_items: list[tuple[int, int, int]]  # (first line, end line, list depth), in order
    headings: list[int]  # token indices of heading_open tokens with a map
    code_lines: set[int]  # lines of fences and indented code blocks
    # Inline regions, each once: (first line, end line, a table cell's), in token order.
    regions: list[tuple[int, int, bool]]
    simple: dict[int, bool]  # list item (first line): one paragraph and nothing else
    list_of: dict[int, int]  # list item (first line): token index of its list's opening


_EMPTY: Any = MappingProxyType({})
# What the token pass does with each token type (0, absent: only its container).
_INLINE, _CODE, _HEADING, _LIST_OPEN, _LIST_CLOSE = 1, 2, 3, 4, 5
_QUOTE_OPEN, _QUOTE_CLOSE, _ITEM_OPEN, _ITEM_CLOSE = 6, 7, 8, 9
_KINDS = {
    "inline": _INLINE,
    "fence": _CODE,
    "code_block": _CODE,
    "heading_open": _HEADING,
    "bullet_list_open": _LIST_OPEN,
    "ordered_list_open": _LIST_OPEN,
    "bullet_list_close": _LIST_CLOSE,
    "ordered_list_close": _LIST_CLOSE,
    "blockquote_open": _QUOTE_OPEN,
    "blockquote_close": _QUOTE_CLOSE,
    "list_item_open": _ITEM_OPEN,
    "list_item_close": _ITEM_CLOSE,
}
_CELL_OPEN = frozenset(("th_open", "td_open"))


def _token_pass(doc: Document) -> Blocks:
    """One pass over the tokens for containers (Document.containers), list items, headings
    and code lines (the structure view), inline regions (the links view) and the shapes of
    list items (the entries view): each was a pass of its own."""
    tokens = doc.tokens
    stack: list[Container] = []
    current: tuple[Container, ...] = ()
    out: list[tuple[Container, ...]] = []
    append = out.append
    depth = 0  # lists open
    items: list[tuple[int, int, int]] = []
    headings: list[int] = []
    code: set[int] = set()
    regions: list[tuple[int, int, bool]] = []
    seen: set[tuple[int, int]] = set()
    simple: dict[int, bool] = {}
    list_of: dict[int, int] = {}
    lists: list[int] = []
    # For each open item: [first line, blocks seen directly inside it, anything else seen]
    open_items: list[list[int]] = []
    depth_of_block = 0
    previous = ""
    empty = _EMPTY
    kinds = _KINDS
    for index, tok in enumerate(tokens):
        # markdown-it-py gives every token a dict of attributes and one of metadata, most
        # of them empty and never read by listlint: one read-only empty mapping for all
        # (on 10,000 entries, 12 of about 40 MiB of tokens).
        if not tok.attrs:
            tok.attrs = empty
        if not tok.meta:
            tok.meta = empty
        kind = tok.type
        what = kinds.get(kind, 0)
        if what == _INLINE:  # the most common token: a paragraph's, heading's or cell's
            append(current)
            m = tok.map
            if m is not None:
                key = (m[0], m[1])
                if key not in seen:
                    seen.add(key)
                    regions.append((m[0], m[1], previous in _CELL_OPEN))
            previous = kind
            continue  # an inline token is never directly inside a list item
        previous = kind
        # Containers: only block quote and list item tokens change them.
        if what < _QUOTE_OPEN:
            append(current)
        else:
            if what in (_QUOTE_CLOSE, _ITEM_CLOSE):
                if stack:
                    stack.pop()
                current = tuple(stack)
            append(current)
            if what == _QUOTE_OPEN and tok.map:
                stack.append(Container("blockquote", tok.map[0]))
                current = tuple(stack)
            elif what == _ITEM_OPEN and tok.map:
                stack.append(
                    Container("list_item", tok.map[0], doc._item_width(tok.map[0], current))
                )
                current = tuple(stack)
        # Lists, list items and their shapes.
        if what >= _LIST_OPEN and what not in (_QUOTE_OPEN, _QUOTE_CLOSE):
            if what == _LIST_OPEN:
                depth += 1
                if open_items:
                    open_items[-1][2] = 1  # a nested list
                lists.append(index)
            elif what == _LIST_CLOSE:
                depth -= 1
                if lists:
                    lists.pop()
            elif what == _ITEM_OPEN:
                first = tok.map[0] if tok.map else -1
                if tok.map is not None:
                    items.append((tok.map[0], tok.map[1], depth))
                list_of[first] = lists[-1] if lists else -1
                open_items.append([first, 0, 0])
                depth_of_block = 0
            elif open_items:  # a list item closes
                first, blocks, other = open_items.pop()
                simple[first] = blocks <= 1 and not other
            continue
        if what and tok.map is not None:
            if what == _CODE:
                code.update(range(tok.map[0], tok.map[1]))
            elif what == _HEADING:
                headings.append(index)
        if not open_items:
            continue
        if tok.nesting == 1:
            depth_of_block += 1
            if depth_of_block == 1:
                open_items[-1][1] += 1
                if kind != "paragraph_open":
                    open_items[-1][2] = 1
        elif tok.nesting == -1:
            depth_of_block = max(0, depth_of_block - 1)
        elif depth_of_block == 0:
            open_items[-1][1] += 1  # a fence, a code block, an HTML block, a rule
            open_items[-1][2] = 1
    return Blocks(out, items, headings, code, regions, simple, list_of)


_BLOCK_PARSER: MarkdownIt | None = None
_FULL_PARSER: MarkdownIt | None = None


def _full_parser() -> MarkdownIt:
    global _FULL_PARSER
    if _FULL_PARSER is None:
        from markdown_it import MarkdownIt

        _FULL_PARSER = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
    return _FULL_PARSER


def _block_parser() -> MarkdownIt:
    # Rules read inline syntax from the raw text (positions the parser does not give), so
    # the document is parsed for blocks only; inline parsing, most of the parser's time, is
    # done for the few headings that need it (inline_children).
    global _BLOCK_PARSER
    if _BLOCK_PARSER is None:
        from markdown_it import MarkdownIt

        _BLOCK_PARSER = (
            MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
            .enable("table")
            .disable(["inline", "text_join"])
        )
    return _BLOCK_PARSER


def parse(text: str) -> list[Token]:
    """Parse Markdown (without BOM) into markdown-it-py block tokens (inline not parsed)."""
    return _block_parser().parse(text)


def inline_children(content: str) -> list[Token]:
    """The inline tokens of one inline block's content."""
    tokens = _full_parser().parseInline(content)
    return tokens[0].children or [] if tokens else []


def render(text: str) -> str:
    """Render Markdown to HTML with the same parser settings (used by safety checks)."""
    html: str = _full_parser().render(text[1:] if text.startswith(BOM) else text)
    return html


class Document:
    """Raw text, its line index and its tokens, parsed once; views built lazily."""

    def __init__(self, text: str, path: str = "-") -> None:
        self.text = text
        self.path = path
        self.body_start = 1 if text.startswith(BOM) else 0
        if "\r" in text:
            starts = [self.body_start]
            ends: list[int] = []
            for m in NEWLINE.finditer(text, self.body_start):
                ends.append(m.start())
                starts.append(m.end())
            ends.append(len(text))
        else:  # one-character newlines: a line ends where the next starts, less one
            starts = [self.body_start, *(m.end() for m in _LF.finditer(text, self.body_start))]
            ends = [s - 1 for s in starts]
            ends[:-1] = ends[1:]
            ends[-1] = len(text)
        self.line_starts = starts
        self.line_ends = ends

    # -- lines and positions -------------------------------------------------------------
    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def line(self, index: int) -> str:
        """Text of 0-based line ``index`` without its newline."""
        return self.text[self.line_starts[index] : self.line_ends[index]]

    def line_of(self, offset: int) -> int:
        """0-based line holding ``offset``."""
        return max(0, bisect_right(self.line_starts, offset) - 1)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of ``offset``; columns count code points."""
        index = self.line_of(offset)
        return index + 1, max(0, offset - self.line_starts[index]) + 1

    def newline_after(self, index: int) -> str:
        """The newline sequence ending line ``index`` ('' for the last line)."""
        if index + 1 >= self.line_count:
            return ""
        return self.text[self.line_ends[index] : self.line_starts[index + 1]]

    @cached_property
    def newline(self) -> str:
        """The document's most common newline, for inserted lines."""
        text = self.text
        if "\r" not in text:
            return "\n"
        crlf = text.count("\r\n")
        found = {"\r\n": crlf, "\r": text.count("\r") - crlf, "\n": text.count("\n") - crlf}
        firsts = {nl: m.start() for nl in found if (m := _ALONE[nl].search(text)) is not None}
        # The most common; on a tie, the one written first.
        return min(firsts, key=lambda nl: (-found[nl], firsts[nl]))

    # -- parse ---------------------------------------------------------------------------
    @cached_property
    def tokens(self) -> list[Token]:
        return parse(self.text[self.body_start :])

    @cached_property
    def blocks(self) -> Blocks:
        """What the views read from the tokens, gathered in one pass over them."""
        return _token_pass(self)

    @cached_property
    def containers(self) -> list[tuple[Container, ...]]:
        """For each token, the block quotes and list items around it (outermost first)."""
        return self.blocks.containers

    def _item_width(self, line: int, outer: tuple[Container, ...]) -> int:
        # Read in place (the line is not copied): the marker, then the spaces after it.
        start = self.content_start(line, outer)
        end = self.line_ends[line]
        text = self.text
        m = _LIST_MARKER.match(text, start, end)
        if not m:
            return 2
        p = q = m.end()
        while q < end and text[q] == " ":
            q += 1
        spaces = q - p
        if spaces == 0 or spaces > 4 or _NON_SPACE.search(text, q, end) is None:
            spaces = 1  # (only spaces after the marker: str.strip's whitespace, as \S's)
        return p - start + spaces

    def content_start(self, line: int, containers: tuple[Container, ...]) -> int:
        """Offset where block content begins on ``line`` once container prefixes are removed."""
        pos = self.line_starts[line]
        end = self.line_ends[line]
        text = self.text
        for c in containers:
            if c.kind == "blockquote":
                p = pos
                while p < end and p - pos < 3 and text[p] == " ":
                    p += 1
                if p < end and text[p] == ">":
                    p += 1
                    if p < end and text[p] in " \t":
                        p += 1
                    pos = p
                else:
                    break  # lazy continuation line
            elif line == c.first_line:
                pos = min(end, pos + c.width)
            else:
                col = 0
                while pos < end and col < c.width and text[pos] in " \t":
                    col = col + 4 - col % 4 if text[pos] == "\t" else col + 1
                    pos += 1
        return pos

    def release(self) -> None:
        """Drop the parse and the views. Views point back at their document; dropping them
        breaks that cycle so memory is freed at once (listlint runs with the cyclic
        garbage collector paused)."""
        for key in (
            "tokens",
            "blocks",
            "containers",
            "tables",
            "links",
            "structure",
            "suppressions",
        ):
            self.__dict__.pop(key, None)

    # -- shared views ----------------------------------------------------------------------
    @cached_property
    def tables(self) -> Tables:
        from listlint.views.tables import Tables

        return Tables(self)

    @cached_property
    def links(self) -> Links:
        from listlint.views.links import Links

        return Links(self)

    @cached_property
    def structure(self) -> Structure:
        from listlint.views.structure import Structure

        return Structure(self)

    @cached_property
    def suppressions(self) -> Suppressions:
        """The suppression comments, and which of them suppressed something (shared by
        every lint of this text, so that unused ones can be told)."""
        from listlint.suppress import Suppressions

        return Suppressions(self)
