"""The parsed document every rule reads: raw text, line index, tokens, shared views.

A ``Document`` is built once per file. Positions everywhere inside listlint are absolute
``[start, end)`` offsets into ``Document.text`` (the raw text, BOM included); they become
1-based line and column only when reported.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, overload

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from listlint.suppress import Suppressions
    from listlint.views.anchors import Rendered
    from listlint.views.links import Links
    from listlint.views.structure import Structure
    from listlint.views.tables import Tables

NEWLINE = lazy(r"\r\n|\r|\n")
_LF = lazy(r"\n")
_INDENT = lazy(r"[ \t]*")
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


class ListItem(NamedTuple):
    """A list item's lines and how deep its list is (``Structure.list_items``)."""

    first_line: int
    end_line: int  # exclusive
    depth: int


class Containers(Sequence[tuple[Container, ...]]):
    """For each token, the block quotes and list items around it: stored where they change
    (at block quote and list item tokens), not once per token."""

    __slots__ = ("_at", "_length", "_values")

    def __init__(self, at: array[int], values: list[tuple[Container, ...]], length: int) -> None:
        self._at = at  # token indices where the containers change, ascending (0 first)
        self._values = values  # the containers from each of those indices on
        self._length = length

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> tuple[Container, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Container, ...]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[Container, ...] | list[tuple[Container, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("token index out of range")
        return self._values[bisect_right(self._at, index) - 1]

    def __iter__(self) -> Iterator[tuple[Container, ...]]:
        at, values = self._at, self._values
        for k, value in enumerate(values):
            end = at[k + 1] if k + 1 < len(at) else self._length
            for _ in range(at[k], end):
                yield value


class Regions(Sequence[tuple[int, int, bool]]):
    """Inline regions, each once: (first line, end line, a table cell's), in token order;
    three machine integers each instead of a tuple."""

    __slots__ = ("_data",)

    def __init__(self, data: array[int]) -> None:
        self._data = data

    def __len__(self) -> int:
        return len(self._data) // 3

    @overload
    def __getitem__(self, index: int) -> tuple[int, int, bool]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, int, bool]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[int, int, bool] | list[tuple[int, int, bool]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("region index out of range")
        d = self._data
        return d[3 * index], d[3 * index + 1], bool(d[3 * index + 2])

    def __iter__(self) -> Iterator[tuple[int, int, bool]]:
        d = self._data
        return zip(d[0::3], d[1::3], map(bool, d[2::3]), strict=True)


class HeadingBlock(NamedTuple):
    """A heading as the token pass saw it (``Blocks.headings``)."""

    token: int  # index of its heading_open token
    level: int
    first_line: int
    end_line: int  # exclusive
    setext: bool
    content: str  # the content of its inline token
    # The contents of the HTML blocks right after it, and the level of the heading that
    # comes after those (0: something else, or nothing).
    html_after: tuple[str, ...]
    next_level: int


class Blocks(NamedTuple):
    """Facts about the token stream that the views and rules need, from one pass over it:
    a check reads no token after it (``Document.keep_tokens``)."""

    containers: Containers  # per token (see Document.containers)
    list_items: list[ListItem]  # in order
    headings: list[HeadingBlock]  # heading_open tokens with a map, in order
    code_lines: set[int]  # lines of fences and indented code blocks
    # Inline regions, each once: (first line, end line, a table cell's), in token order.
    regions: Regions
    simple: dict[int, bool]  # list item (first line): one paragraph and nothing else
    list_of: dict[int, int]  # list item (first line): token index of its list's opening
    top_lists: list[tuple[int, int]]  # lines of the lists at the top level (not nested)
    # Paragraphs of more than one line: (first line, end line, token index of the
    # paragraph_open), in order.
    paragraphs: list[tuple[int, int, int]]
    # Lines holding "]:" that no leaf block covers (where a link reference definition may
    # be), each with the token index whose containers hold it (-1: none), in order.
    definition_lines: dict[int, int]


_EMPTY: Any = MappingProxyType({})
# What the token pass does with each token type (0, absent: only its container).
_INLINE, _CODE, _HEADING, _PARAGRAPH, _LIST_OPEN, _LIST_CLOSE = 1, 2, 3, 4, 5, 6
_QUOTE_OPEN, _QUOTE_CLOSE, _ITEM_OPEN, _ITEM_CLOSE = 7, 8, 9, 10
_KINDS = {
    "inline": _INLINE,
    "paragraph_open": _PARAGRAPH,
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


def _token_pass(doc: Document, tokens: list[Token] | None = None) -> Blocks:
    """One pass over the tokens for containers (Document.containers), list items, headings
    and code lines (the structure view), inline regions (the links view) and the shapes of
    list items (the entries view): each was a pass of its own. It also makes the tokens
    smaller (their values unchanged): see the comments below. ``tokens``: a run of the
    document's tokens that closes every block it opens (a piece's, ``listlint.carried``),
    read as if it were all of them."""
    if tokens is None:
        tokens = doc.tokens
    stack: list[Container] = []
    current: tuple[Container, ...] = ()
    # Containers where they change: from token at[k] on, values[k].
    at = array("q", [0])
    values: list[tuple[Container, ...]] = [current]
    depth = 0  # lists open
    items: list[ListItem] = []
    headings: list[int] = []
    code: set[int] = set()
    top_lists: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int, int]] = []
    regions = array("q")
    add_region = regions.append
    seen: set[tuple[int, int]] = set()
    simple: dict[int, bool] = {}
    list_of: dict[int, int] = {}
    lists: list[int] = []
    # For each open item: [first line, blocks seen directly inside it, anything else seen]
    open_items: list[list[int]] = []
    depth_of_block = 0
    previous = ""
    kinds = _KINDS
    cell_open = _CELL_OPEN
    last_map: list[int] | None = None  # the map of the last token with one, but inline
    region: list[int] | None = None  # the map of the last inline token read
    for index, tok in enumerate(tokens):
        kind = tok.type
        m = tok.map
        if kind == "inline":  # the most common token: a paragraph's, heading's or cell's
            # Its map is an equal list to that of the block opening it (paragraph, heading,
            # a cell's row): that one, shared (on 10,000 entries, 2.5 MiB of tokens; the
            # fix's pieces shift each map once, however many tokens hold it).
            if m is not None:
                if m is not last_map and m == last_map:
                    tok.map = m = last_map
                if m is not region:  # (the cells of a row share one: read once)
                    region = m
                    key = (m[0], m[1])
                    if key not in seen:
                        seen.add(key)
                        add_region(m[0])
                        add_region(m[1])
                        add_region(previous in cell_open)
            previous = kind
            continue  # an inline token is never directly inside a list item
        if m is not None:
            last_map = m
        previous = kind
        what = kinds.get(kind, 0)
        if not what:  # a table's tokens, closing tokens but of lists, rules, HTML blocks
            if not open_items:
                continue
            if tok.nesting == 1:
                depth_of_block += 1
                if depth_of_block == 1:
                    open_items[-1][1] += 1
                    open_items[-1][2] = 1  # (not a paragraph)
            elif tok.nesting == -1:
                depth_of_block = max(0, depth_of_block - 1)
            elif depth_of_block == 0:
                open_items[-1][1] += 1  # a code block, an HTML block, a rule
                open_items[-1][2] = 1
            continue
        # Containers: only block quote and list item tokens change them.
        if what >= _QUOTE_OPEN:
            if what in (_QUOTE_CLOSE, _ITEM_CLOSE):
                if stack:
                    stack.pop()
                current = tuple(stack)
                changed = index  # the closing token is outside
            elif m:
                if what == _QUOTE_OPEN:
                    stack.append(Container("blockquote", m[0]))
                else:
                    stack.append(Container("list_item", m[0], doc._item_width(m[0], current)))
                current = tuple(stack)
                changed = index + 1  # the opening token is outside
            else:
                changed = -1
            if changed >= 0:
                if at[-1] == changed:
                    values[-1] = current
                else:
                    at.append(changed)
                    values.append(current)
        # Lists, list items and their shapes.
        if what >= _LIST_OPEN and what != _QUOTE_OPEN and what != _QUOTE_CLOSE:
            if what == _LIST_OPEN:
                if m is not None and tok.level == 0:
                    top_lists.append((m[0], m[1]))
                depth += 1
                if open_items:
                    open_items[-1][2] = 1  # a nested list
                lists.append(index)
            elif what == _LIST_CLOSE:
                depth -= 1
                if lists:
                    lists.pop()
            elif what == _ITEM_OPEN:
                first = m[0] if m else -1
                if m is not None:
                    items.append(ListItem(m[0], m[1], depth))
                list_of[first] = lists[-1] if lists else -1
                open_items.append([first, 0, 0])
                depth_of_block = 0
            elif open_items:  # a list item closes
                first, blocks, other = open_items.pop()
                simple[first] = blocks <= 1 and not other
            continue
        if what and m is not None:
            if what == _PARAGRAPH:
                if m[1] - m[0] > 1:
                    paragraphs.append((m[0], m[1], index))
            elif what == _CODE:
                code.update(range(m[0], m[1]))
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
    containers = Containers(at, values, len(tokens))
    return Blocks(
        containers,
        items,
        [_heading(tokens, i) for i in headings],
        code,
        Regions(regions),
        simple,
        list_of,
        top_lists,
        paragraphs,
        _definition_lines(doc, tokens) if "]:" in doc.text else {},
    )


def _heading(tokens: list[Token], index: int) -> HeadingBlock:
    tok = tokens[index]
    m = tok.map
    assert m is not None  # headings with a map only
    j = index + 3  # after heading_open, inline, heading_close
    after = []
    while j < len(tokens) and tokens[j].type == "html_block":
        after.append(tokens[j].content)
        j += 1
    nxt = tokens[j] if j < len(tokens) else None
    return HeadingBlock(
        index,
        int(tok.tag[1]),
        m[0],
        m[1],
        tok.markup in ("=", "-"),
        tokens[index + 1].content,
        tuple(after),
        int(nxt.tag[1]) if nxt is not None and nxt.type == "heading_open" else 0,
    )


_LEAF_BLOCKS = frozenset(
    ("paragraph_open", "heading_open", "table_open", "fence", "code_block", "html_block", "hr")
)


def _definition_lines(doc: Document, tokens: list[Token]) -> dict[int, int]:
    """Lines holding "]:" outside every leaf block, each with the index of the token whose
    containers are the line's (the innermost block quote or list item holding it; -1:
    none), in order (``Blocks.definition_lines``)."""
    text = doc.text
    candidates: list[int] = []
    pos = text.find("]:")
    while pos != -1:
        line = doc.line_of(pos)
        candidates.append(line)
        pos = text.find("]:", doc.line_ends[line])
    covered = bytearray(doc.line_count)
    for tok in tokens:
        if tok.type in _LEAF_BLOCKS and tok.map is not None:
            for line in range(tok.map[0], min(tok.map[1], doc.line_count)):
                covered[line] = 1
    # Lines outside leaf blocks: the innermost container token of each.
    line_containers: dict[int, int] = {}
    for index, tok in enumerate(tokens):
        if tok.type in ("blockquote_open", "list_item_open") and tok.map is not None:
            for line in range(tok.map[0], tok.map[1]):
                if not covered[line]:
                    line_containers[line] = index + 1
    return {line: line_containers.get(line, -1) for line in candidates if not covered[line]}


_BLOCK_PARSER: MarkdownIt | None = None
_FULL_PARSER: MarkdownIt | None = None


def _full_parser() -> MarkdownIt:
    global _FULL_PARSER
    if _FULL_PARSER is None:
        from markdown_it import MarkdownIt

        _FULL_PARSER = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table")
        _quick_lines(_FULL_PARSER)
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
        _lean_tokens(_BLOCK_PARSER)
        _plain_row_split(_BLOCK_PARSER)
        _by_first_character(_BLOCK_PARSER)
    return _BLOCK_PARSER


def line_markers(src: str) -> tuple[list[int], list[int], list[int], list[int]]:
    """markdown-it-py's line markers of ``src`` (each line's start, end, offset of its
    first character that is not a space or a tab, and indent with tabs expanded), as its
    ``StateBlock`` makes them, with the fake last line; a line's leading spaces and tabs
    are measured by a regular expression. markdown-it-py reads them one character at a
    time: a 3,000-level nested list (9 MB, nearly all indentation) took 4 s to parse."""
    starts: list[int] = []
    ends: list[int] = []
    shifts: list[int] = []
    counts: list[int] = []
    length = len(src)
    find = src.find
    lead = _INDENT.match
    start = 0
    while start < length:
        end = find("\n", start)
        if end < 0:
            end = length
        first = src[start]
        if first == " " or first == "\t":
            pos = lead(src, start, end).end()  # type: ignore[union-attr]
            if pos == end == length:
                break  # a last line of only spaces and tabs, without "\n": no marker
            indent = offset = pos - start
            if "\t" in src[start:pos]:
                offset = 0
                for character in src[start:pos]:
                    offset += 4 - offset % 4 if character == "\t" else 1
        else:
            indent = offset = 0
        starts.append(start)
        ends.append(end)
        shifts.append(indent)
        counts.append(offset)
        start = end + 1
    starts.append(length)
    ends.append(length)
    shifts.append(0)
    counts.append(0)
    return starts, ends, shifts, counts


_QUICK_STATE: Any = None


def _quick_state() -> Any:
    """``StateBlock`` with its line markers made by ``line_markers``: the rest of it is
    made by markdown-it-py's own constructor, given an empty text."""
    global _QUICK_STATE
    if _QUICK_STATE is None:
        from markdown_it.rules_block.state_block import StateBlock

        class QuickState(StateBlock):
            def __init__(self, src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> None:
                super().__init__("", md, env, tokens)
                self.src = src
                self.bMarks, self.eMarks, self.tShift, self.sCount = line_markers(src)
                self.bsCount = [0] * len(self.bMarks)
                self.lineMax = len(self.bMarks) - 1

        _QUICK_STATE = QuickState
    return _QUICK_STATE


def _quick_lines(md: MarkdownIt) -> None:
    """The parser's block pass with ``QuickState`` (as ``ParserBlock.parse`` does it)."""
    block = md.block
    state_type = _quick_state()

    def parse(src: str, md: MarkdownIt, env: Any, out: list[Token]) -> list[Token] | None:
        if not src:
            return None
        state = state_type(src, md, env, out)
        block.tokenize(state, state.line, state.lineMax)
        tokens: list[Token] = state.tokens
        return tokens

    block.parse = parse  # type: ignore[method-assign,assignment]


def _plain_row_split(md: MarkdownIt) -> None:
    """The parser's table rule with its rows split by ``str.split`` where a row holds no
    backslash. markdown-it-py's ``escapedSplit`` walks a row a character at a time (a
    third of the table rule's time, and tables are most of a table-heavy list's parse);
    without a backslash no pipe is escaped, and its cells are exactly ``str.split``'s.
    The rule's code is markdown-it-py's own, run with this split in its globals (for this
    parser only); left as it is where the installed version's rule is not found."""
    import importlib
    import types

    module = importlib.import_module("markdown_it.rules_block.table")
    rule = getattr(module, "table", None)
    slow = getattr(module, "escapedSplit", None)
    if not isinstance(rule, types.FunctionType) or slow is None:
        return
    entries = [r for r in md.block.ruler.__rules__ if r.name == "table" and r.fn is rule]
    if len(entries) != 1:
        return

    def split(string: str) -> list[str]:
        return string.split("|") if "\\" not in string else slow(string)

    fast = types.FunctionType(
        rule.__code__,
        {**rule.__globals__, "escapedSplit": split},
        rule.__name__,
        rule.__defaults__,
        rule.__closure__,
    )
    entries[0].fn = fast
    md.block.ruler.__cache__ = None
    global _ROW_SPLIT
    _ROW_SPLIT = split


_ROW_SPLIT: Callable[[str], list[str]] | None = None


def row_split() -> Callable[[str], list[str]] | None:
    """How the block parser's table rule splits a row into cells, when it runs
    markdown-it-py's own rule with it (``_plain_row_split``; ``listlint.tablerows`` reads
    rows as that rule does); None otherwise."""
    _block_parser()
    return _ROW_SPLIT


# The first characters (after the indentation) that markdown-it-py's own block rules start
# with: any other first character, and the rule returns False before anything else.
_FIRST_CHARACTERS = {
    ("fence", "fence"): "`~",
    ("blockquote", "blockquote"): ">",
    ("hr", "hr"): "*-_",
    ("list", "list_block"): "*-+0123456789",
    ("reference", "reference"): "[",
    ("html_block", "html_block"): "<",
    ("heading", "heading"): "#",
}


def _by_first_character(md: MarkdownIt) -> None:
    """Each chain of block rules (the one trying every block at a line, and those asking
    whether a line ends a paragraph, list, block quote or reference) tries only the rules
    that can start with the line's first character, in their order: one function that
    reads the character stands in for the chain. Each rule left out would read that
    character and return False before anything else: a table row (``|``) asked whether
    it ends its table tried six rules, now none; a paragraph's line tries four rules
    instead of eleven. Rules of other modules stay in every list. The rules are also made
    quiet (``_quiet``)."""
    import importlib

    ruler = md.block.ruler
    starts: dict[Any, str] = {}
    for (name, attribute), characters in _FIRST_CHARACTERS.items():
        module = importlib.import_module(f"markdown_it.rules_block.{name}")
        fn = getattr(module, attribute, None)
        if fn is not None and any(r.name == name and r.fn is fn for r in ruler.__rules__):
            starts[fn] = characters
    ruler.getRules("")  # the chains, made if they are not
    cache = ruler.__cache__
    assert cache is not None
    quiet = _quiet(list(dict.fromkeys(fn for rules in cache.values() for fn in rules)))
    starts = {quiet.get(fn, fn): characters for fn, characters in starts.items()}
    chains = {name: [quiet.get(fn, fn) for fn in rules] for name, rules in cache.items()}
    for name, rules in chains.items():
        special = {c for fn in rules for c in starts.get(fn, "")}
        table = {
            c: tuple(fn for fn in rules if fn not in starts or c in starts[fn]) for c in special
        }
        other = tuple(fn for fn in rules if fn not in starts)
        every = tuple(rules)
        cache[name] = [_dispatch(table, other, every)]


class _Quiet:
    """A logger that logs nothing (``debug`` only: all markdown-it-py's block rules call)."""

    @staticmethod
    def debug(*args: object) -> None:
        return None


def _quiet(rules: list[Any]) -> dict[Any, Any]:
    """The block rules of markdown-it-py that log each call (``LOGGER.debug``, about a
    fifth of a rule's own time when nothing is logged), made again with a logger that logs
    nothing in their globals; none if markdown-it-py's debug messages are being logged."""
    import logging
    import types

    if logging.getLogger("markdown_it").isEnabledFor(logging.DEBUG):
        return {}
    out = {}
    for fn in rules:
        if (
            isinstance(fn, types.FunctionType)
            and fn.__module__.startswith("markdown_it.")
            and isinstance(fn.__globals__.get("LOGGER"), logging.Logger)
        ):
            out[fn] = types.FunctionType(
                fn.__code__,
                {**fn.__globals__, "LOGGER": _Quiet()},
                fn.__name__,
                fn.__defaults__,
                fn.__closure__,
            )
    return out


def _dispatch(
    table: dict[str, tuple[Any, ...]], other: tuple[Any, ...], every: tuple[Any, ...]
) -> Any:
    get = table.get

    def rules_for_the_line(state: Any, line: int, end: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        rules = get(state.src[pos], other) if pos < state.eMarks[line] else every
        for rule in rules:  # noqa: SIM110 (a loop: any() and a generator cost more)
            if rule(state, line, end, silent):
                return True
        return False

    return rules_for_the_line


# The fields of markdown-it-py's Token (4.x), in order, and what StateBlock.push gives
# them: the lean tokens below are made only when the installed version has exactly these.
_TOKEN_FIELDS = (
    "type",
    "tag",
    "nesting",
    "attrs",
    "map",
    "level",
    "children",
    "content",
    "markup",
    "info",
    "meta",
    "block",
    "hidden",
)


def _lean_tokens(md: MarkdownIt) -> None:
    """Make the block parser's tokens without the two empty dicts (attributes, metadata)
    markdown-it-py gives every token: one read-only empty mapping for all, as values equal
    to the dicts (97,000 tokens on 10,000 entries, 12 MiB of dicts that the parse made and
    the token pass dropped, which left the memory fragmented). A rule that writes into a
    token's empty attributes (none of listlint's parser settings does) makes the parse
    start again with markdown-it-py's own tokens."""
    import dataclasses

    from markdown_it.token import Token

    if tuple(f.name for f in dataclasses.fields(Token)) != _TOKEN_FIELDS:
        _quick_lines(md)
        return
    new = Token.__new__
    empty = _EMPTY

    class LeanState(_quick_state()):  # type: ignore[misc]
        def push(self, ttype: str, tag: str, nesting: Any) -> Token:
            # StateBlock.push, with the token's fields set directly.
            token = new(Token)
            token.type = ttype
            token.tag = tag
            token.nesting = nesting
            token.attrs = empty
            token.map = None
            token.children = None
            token.content = ""
            token.markup = ""
            token.info = ""
            token.meta = empty
            token.block = True
            token.hidden = False
            if nesting < 0:
                self.level -= 1  # closing tag
            token.level = self.level
            if nesting > 0:
                self.level += 1  # opening tag
            self.tokens.append(token)
            return token

    block = md.block
    plain = block.parse

    def parse(src: str, md: MarkdownIt, env: Any, out: list[Token]) -> list[Token] | None:
        if not src:
            return None
        start = len(out)
        state = LeanState(src, md, env, out)
        try:
            block.tokenize(state, state.line, state.lineMax)
        except TypeError:  # written into the shared empty attributes: parse it again
            del out[start:]
            return plain(src, md, env, out)
        tokens: list[Token] = state.tokens
        return tokens

    block.parse = parse  # type: ignore[method-assign,assignment]


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
        # Whether GitHub's rendering of the text stays memoised once the views have read it
        # (``rendered``): the fix guard renders the same text again; a check does not.
        self.keep_rendering = True
        # Whether the tokens stay once the token pass has read them (``blocks``): a check
        # reads nothing else from them, and drops them before its views are built (the
        # tokens are most of a parse's memory; dropped, the views reuse it).
        self.keep_tokens = True
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
        # Machine integers (8 bytes an offset, not a list slot and an int object: 36).
        self.line_starts = array("q", starts)
        self.line_ends = array("q", ends)

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
        """What the views read from the tokens, gathered in one pass over them (the tokens
        are dropped after it unless ``keep_tokens``; read again, they are parsed again)."""
        blocks = _token_pass(self)
        if not self.keep_tokens:
            self.__dict__.pop("tokens", None)
        return blocks

    @cached_property
    def containers(self) -> Containers:
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
            "rendered",
            "carried_rendering",
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
    def rendered(self) -> Rendered:
        """What the views read from GitHub's rendering of the text (cmark-gfm; rendered on
        first use, for the table view or the in-page targets): its tables, headings and
        HTML anchors."""
        # A fix pass's text may read it from the pass before's for the pieces no fix
        # changed (``listlint.carried``), once GitHub's rendering is made: asked for here.
        carried = self.__dict__.pop("carried_rendering", None)
        if carried is not None:
            found: Rendered | None = carried()
            if found is not None:
                return found
        from listlint.views.anchors import read_rendering

        return read_rendering(self.text, self.line_starts, self.keep_rendering)

    @cached_property
    def suppressions(self) -> Suppressions:
        """The suppression comments, and which of them suppressed something (shared by
        every lint of this text, so that unused ones can be told)."""
        from listlint.suppress import Suppressions

        return Suppressions(self)
