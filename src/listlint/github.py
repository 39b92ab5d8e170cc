"""GitHub's own renderer: cmark-gfm, through the ``cmarkgfm`` bindings, set up as github.com
renders a README (the table, autolink, strikethrough, tagfilter and tasklist extensions,
footnotes, raw HTML kept so that a change in it is seen).

This is the judge of what GitHub shows: the fix guard compares renderings with it and the
table view follows it where markdown-it-py disagrees. ``cmarkgfm`` is imported on first use,
so a run that never asks for GitHub's rendering does not pay for loading it.
"""

from __future__ import annotations

import re
import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

BOM = "\ufeff"
EXTENSIONS = ("table", "autolink", "strikethrough", "tagfilter", "tasklist")


@lru_cache(maxsize=2)
def _renderer(sourcepos: bool) -> Callable[[str], str]:
    from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

    options = (
        Options.CMARK_OPT_UNSAFE
        | Options.CMARK_OPT_FOOTNOTES
        | Options.CMARK_OPT_GITHUB_PRE_LANG
        | (Options.CMARK_OPT_SOURCEPOS if sourcepos else 0)
    )
    freeing = _freeing_renderer(options)
    if freeing is not None:
        return freeing

    def render(text: str) -> str:
        html: str = markdown_to_html_with_extensions(
            text, options=options, extensions=list(EXTENSIONS)
        )
        return html

    return render


# Texts at least this long give the C heap back to the system after rendering: the
# syntax tree of a 1.4 MB list is about 25 MiB, which would stay resident otherwise.
_TRIM_AT = 200_000


def _freeing_renderer(options: int) -> Callable[[str], str] | None:
    """cmarkgfm's ``markdown_to_html_with_extensions`` as it is, except that it frees the
    syntax tree and the HTML buffer it gets from cmark-gfm (cmarkgfm 2025.10 frees only
    the parser: every rendering leaked about 18 bytes of memory per byte of Markdown), and
    after a long text returns the freed heap to the system (``malloc_trim``), so a check's
    peak memory holds the tree only while it is rendered. None where the C functions
    cannot be found, and off Linux and macOS, where the C runtime that allocated the
    buffers is not certain to be the one found here (then cmarkgfm's own function
    renders).

    The functions cmarkgfm does not bind are looked up through cffi's backend, which
    cmarkgfm has loaded already (importing ctypes instead cost as much as a tenth of a
    100-entry check's start-up)."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return None
    try:
        import _cffi_backend
        from cmarkgfm import _cmark

        takes_pointer = _cmark.ffi.typeof("void(*)(void *)")
        library = _cffi_backend.load_library(_cmark.__file__, 0)
        node_free = library.load_function(takes_pointer, "cmark_node_free")
        # The free() the extension itself links against.
        free = library.load_function(takes_pointer, "free")
        try:
            libc = _cffi_backend.load_library(None, 0)
            trim = libc.load_function(_cmark.ffi.typeof("int(*)(size_t)"), "malloc_trim")
        except (OSError, AttributeError):  # not glibc
            trim = None
    except (ImportError, OSError, AttributeError, TypeError):
        return None
    lib, ffi = _cmark.lib, _cmark.ffi
    lib.cmark_gfm_core_extensions_ensure_registered()
    extensions = [lib.cmark_find_syntax_extension(name.encode()) for name in EXTENSIONS]
    if any(e == ffi.NULL for e in extensions):
        return None

    def render(text: str) -> str:
        encoded = text.encode("utf-8")
        parser = lib.cmark_parser_new(options)
        try:
            for extension in extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, encoded, len(encoded))
            root = lib.cmark_parser_finish(parser)
            try:
                if lib.cmark_node_get_type(root) == lib.CMARK_NODE_NONE:
                    raise ValueError("Error parsing markdown!")
                raw = lib.cmark_render_html(
                    root, options, lib.cmark_parser_get_syntax_extensions(parser)
                )
                try:
                    html: str = ffi.string(raw).decode("utf-8")
                finally:
                    free(raw)
            finally:
                node_free(root)
        finally:
            lib.cmark_parser_free(parser)
        if trim is not None and len(encoded) >= _TRIM_AT:
            trim(0)
        return html

    return render


# The texts rendered last (a check renders its text for the table view and for the
# anchors; a fix, each pass's text, then the guard the first and the last again): kept so
# that each text goes through cmark-gfm once. Keyed by (text, sourcepos).
_MEMO_SIZE = 4
_memo: dict[tuple[str, bool], str] = {}
_SOURCEPOS = lazy(r' data-sourcepos="\d+:\d+-\d+:\d+"')


def render_html(text: str, *, sourcepos: bool = False) -> str:
    """The HTML GitHub's renderer makes of ``text`` (a leading byte-order mark ignored).

    With ``sourcepos``, block elements carry ``data-sourcepos="L:C-L:C"``: 1-based lines,
    and columns counted in UTF-8 bytes of the line (cmark's unit), not code points.
    """
    return _render_body(text[1:] if text.startswith(BOM) else text, sourcepos)


def _render_body(body: str, sourcepos: bool) -> str:
    html = _memo.get((body, sourcepos)) or _pinned.get((body, sourcepos))
    if html is not None:
        return html
    # A rendering started by ``prefetch`` (of this text, or of this text with positions,
    # from which the one without is derived): wait for it rather than render twice.
    for key in ((body, sourcepos), (body, True)):
        pending = _pending.get(key)
        if pending is not None and pending is not threading.current_thread():
            pending.join()
    html = _memo.get((body, sourcepos))
    if html is not None:
        return html
    with_positions = None if sourcepos else _memo.get((body, True)) or _pinned.get((body, True))
    if with_positions is not None and "data-sourcepos" not in body:
        # cmark-gfm writes the attribute into its own tags only: text and attributes are
        # escaped (no bare quote), and raw HTML is the author's (which does not hold it).
        html = _SOURCEPOS.sub("", with_positions)
    elif len(body) >= PIECEWISE_AT and _by_pieces(body):
        with _PIECES_LOCK:
            found = _PIECES.render(body) if sourcepos else _PIECES.render_plain(body)
        html = found if found is not None else _render(body, sourcepos)
    else:
        html = _render(body, sourcepos)
    # The fix guard renders in a thread too: no step here may fail when another thread
    # changes the memo in between (each dict operation is atomic; iterating is not).
    try:
        while len(_memo) >= _MEMO_SIZE:
            _memo.pop(next(iter(_memo)), None)
    except (RuntimeError, StopIteration):
        pass
    _memo[(body, sourcepos)] = html
    if (body, sourcepos) in _pins:
        _pinned[(body, sourcepos)] = html
    return html


def forget(text: str) -> None:
    """Drop the memoised renderings of ``text`` (pinned ones stay): for a caller that has
    read what it needs from them and will not render the text again (a check)."""
    body = text[1:] if text.startswith(BOM) else text
    for key in ((body, True), (body, False)):
        _memo.pop(key, None)
    _outlines.pop(body, None)
    with _PIECES_LOCK:
        whole = _PIECES._whole  # a long text's rendering, kept to be cut into pieces
        if whole is not None and whole[0] == body:
            _PIECES._whole = None


# Texts kept rendered whatever else is rendered meanwhile (``pinned``): the fix guard's
# original, which its retries ask for again after many other texts.
_pins: set[tuple[str, bool]] = set()
_pinned: dict[tuple[str, bool], str] = {}


@contextmanager
def pinned(text: str) -> Iterator[None]:
    """Within the block, ``text``'s renderings (with and without positions) stay memoised
    once made, however many other texts are rendered."""
    body = text[1:] if text.startswith(BOM) else text
    keys = {(body, True), (body, False)} - _pins
    _pins.update(keys)
    for key in keys:
        if key in _memo:
            _pinned[key] = _memo[key]
    try:
        yield
    finally:
        for key in keys:
            _pins.discard(key)
            _pinned.pop(key, None)


# Renderings started in a thread of their own (``prefetch``), by (text, sourcepos): each
# thread takes its own entry out as it ends, whatever the rendering did.
_pending: dict[tuple[str, bool], threading.Thread] = {}


def _nothing() -> None:
    pass


def prefetch(text: str, *, sourcepos: bool = False) -> Callable[[], None]:
    """Start rendering ``text`` in a thread (cmark-gfm runs without the interpreter lock)
    while the caller does other work, such as parsing it; ``render_html`` of the same text
    waits for that rendering instead of starting its own. A rendering that fails here is
    done again (and fails) where it is asked for.

    Returns a function that waits for the thread this call started (for none, when the
    text is rendered or being rendered already): a caller calls it before it returns, so
    that no rendering it started outlives it (``reading_ahead`` does)."""
    body = text[1:] if text.startswith(BOM) else text
    return _ahead((body, sourcepos), lambda: _render_body(body, sourcepos))


def _ahead(key: tuple[str, bool], work: Callable[[], object]) -> Callable[[], None]:
    if key in _memo or key in _pinned or key in _pending or (key[1] and key[0] in _outlines):
        return _nothing

    def run() -> None:
        try:
            work()
        except Exception:  # the caller renders again and raises it there
            pass
        finally:
            # (only this thread takes it out, and no other is put under the key meanwhile)
            _pending.pop(key, None)

    thread = threading.Thread(target=run, name="listlint-render", daemon=True)
    _pending[key] = thread
    thread.start()
    return thread.join


# Texts shorter than this are rendered where they are first asked for, without a thread:
# their rendering takes a millisecond or two, less than what starting a thread and
# handing the interpreter lock to and fro costs the caller (a 100-entry check: about 1 ms
# of wall time and 3 ms of system time, medians of 31 runs).
AHEAD_AT = 64_000


@contextmanager
def reading_ahead(text: str, line_starts: Sequence[int]) -> Iterator[None]:
    """Within the block, what a check reads of GitHub's rendering of ``text`` (its
    ``outline``, or where that does not tell all, its rendering with positions) is made
    in a thread, for the block's ``outline`` or ``render_html`` to take; on leaving, that
    thread is waited for (whether anyone asked for it or not) and the text's renderings
    are forgotten (``forget``): for a caller that reads them once (a check). A text
    shorter than ``AHEAD_AT`` is rendered when asked for, in the caller's thread."""
    body = text[1:] if text.startswith(BOM) else text
    if len(body) < AHEAD_AT:
        try:
            yield
        finally:
            forget(text)
        return

    def read() -> None:
        if _outline_applies(body):
            _outline_body(body, text, line_starts)
        else:
            _render_body(body, True)

    wait = _ahead((body, True), read)
    try:
        yield
    finally:
        wait()
        forget(text)


# cmark-gfm is not thread-safe: attaching a syntax extension adds its special characters
# to a table shared by every parser, and freeing the parser takes them away again, so a
# rendering that ends first strips strikethrough and autolinks from one still running
# (seen: nondeterministic fix verdicts on large files). One rendering at a time; a
# rendering still overlaps the parse and lint of the interpreter's other threads.
_RENDER_LOCK = threading.Lock()


def _render(body: str, sourcepos: bool) -> str:
    with _RENDER_LOCK:
        return _renderer(sourcepos)(body)


# -- reading the syntax tree instead of the HTML -------------------------------------------
#
# What a check reads of GitHub's rendering (``listlint.views.anchors.read_rendering``): the
# lines of each table and of its rows, the block quotes and list items around each table,
# and each heading with its HTML. cmark-gfm's syntax tree holds all of it with the same
# positions the HTML's ``data-sourcepos`` are written from, so where nothing else of the
# HTML is read (``_outline_applies``) the tree is read through cmark-gfm's C functions
# instead of rendering the whole text and searching the HTML: the blocks are walked, and a
# list, list item or block quote whose lines hold nothing that could make a table or a
# heading is not entered (``_may_hold``); each heading is rendered on its own.


class Outline(NamedTuple):
    """Tables and headings of GitHub's rendering, read from cmark-gfm's syntax tree."""

    # As ``listlint.views.tables.github_tables`` gives them (none in a footnote).
    tables: list[tuple[int, list[int], list[tuple[str, int]], bool]]
    headings: list[tuple[int, str]]  # each heading's 0-based line and its own HTML
    # The whole rendering with positions, where the text may hold HTML anchors (read from
    # it: ``listlint.views.anchors.rendered_anchors``); None where it holds none.
    html: str | None


# What the outline cannot stand in for: footnotes (their definitions move to the end),
# HTML comments (the heading reader blanks them across the HTML), raw HTML that could be a
# heading, a list item, a table, a row or a block quote to the readers of the HTML, and
# attributes they take for cmark-gfm's own. (Without a "<" the text holds no raw HTML.)
# (The tags searched for on their own, and the attributes as strings: a pattern that is
# both has no one first character to look for, and tries every position.)
_HTML_ONLY = lazy(r"<(?:[hH][1-6]|li|tr|table|blockquote|!--)")
# An anchor of the rendering (``listlint.views.anchors.rendered_anchors``) is an ``id`` or
# ``name`` attribute (ASCII letters, any case: the reader lower-cases it) with a value,
# after white space inside a tag: cmark-gfm's own tags carry none but a footnote's, so it
# is raw HTML, the text as written but for the container prefixes (spaces, tabs, ">")
# taken from the starts of its lines. In the text, then, the name follows white space or
# ">", and "=" follows it past white space and ">" (``_may_hold_anchors``; not so the
# "?id=" and "&name=" of URLs, in most lists the only ones). Where the text may hold one,
# the HTML is rendered too, for the anchors.


def _outline_applies(body: str) -> bool:
    if "[^" in body:
        return False
    if "<" in body and (
        _HTML_ONLY.search(body) is not None or "data-sourcepos" in body or "data-footnotes" in body
    ):
        return False
    return _tree() is not None  # (cmarkgfm loaded here on first use)


def _may_hold_anchors(body: str) -> bool:
    if "<" not in body:
        return False
    # Each "=" (a few hundred in a long list), back past white space and ">" to the name.
    eq = body.find("=")
    while eq != -1:
        end = eq
        while end > 0 and (body[end - 1] == ">" or body[end - 1].isspace()):
            end -= 1
        for name in ("id", "name"):
            at = end - len(name)
            if (
                at > 0
                and body[at:end].lower() == name
                and (body[at - 1] == ">" or body[at - 1].isspace())
            ):
                return True
        eq = body.find("=", eq + 1)
    return False


def may_hold_anchors(text: str) -> bool:
    """Could GitHub's rendering of ``text`` hold an HTML anchor: raw HTML with an ``id``
    or ``name`` attribute, or a footnote (whose tags cmark-gfm gives ids)?"""
    body = text[1:] if text.startswith(BOM) else text
    return "[^" in body or _may_hold_anchors(body)


_outlines: dict[str, Outline] = {}


def outline(text: str, line_starts: Sequence[int]) -> Outline | None:
    """The tables and headings of GitHub's rendering of ``text`` (``line_starts``: where
    its lines start, by markdown-it's and cmark's newline rule), read from cmark-gfm's
    syntax tree; None where only the HTML tells them (``_outline_applies``)."""
    body = text[1:] if text.startswith(BOM) else text
    # An outline made already, or by the thread reading ahead, tells that one applies
    # without asking again (a search of the whole text).
    found = _made(body)
    if found is not None:
        return found
    if not _outline_applies(body):
        return None
    return _outline_body(body, text, line_starts)


def _made(body: str) -> Outline | None:
    """The outline of ``body`` made so far, once the thread reading it ahead
    (``reading_ahead``), if any and not this one, is done."""
    found = _outlines.get(body)
    if found is None:
        pending = _pending.get((body, True))
        if pending is not None and pending is not threading.current_thread():
            pending.join()
            found = _outlines.get(body)
    return found


def _outline_body(body: str, text: str, line_starts: Sequence[int]) -> Outline:
    found = _made(body)
    if found is not None:
        return found
    tree = _tree()
    assert tree is not None  # (``_outline_applies``)
    with _RENDER_LOCK:
        found = tree.outline(body, text, line_starts, _may_hold_anchors(body))
    while len(_outlines) >= _MEMO_SIZE:
        _outlines.pop(next(iter(_outlines)), None)
    _outlines[body] = found
    return found


# Lines that could be a setext underline of dashes (the other underline holds a "="), and
# pipes or colons beside a dash as every delimiter row GitHub accepts has them (a row of
# dashes alone is an underline or a thematic break).
_DASH_LINE = lazy(r"[\n\r][ \t\v\f>]*-+[ \t\v\f]*(?:[\n\r]|$)")
_DELIMITER = lazy(r"\|[ \t\v\f]*:?-|-:?[ \t\v\f]*\|")


def _may_hold(part: str) -> bool:
    """Could these lines hold a heading or a table (to cmark-gfm)?"""
    return (
        "#" in part
        or "=" in part
        or ":-" in part
        or "-:" in part
        or ("|" in part and _DELIMITER.search(part) is not None)
        or _DASH_LINE.search(part) is not None
    )


@lru_cache(maxsize=1)
def _tree() -> _Tree | None:
    """cmark-gfm's functions for walking its syntax tree, or None where they cannot be
    found (see ``_freeing_renderer``)."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return None
    try:
        # (registering cmark-gfm's extensions, which a rendering in another thread may
        # be doing too, is not thread-safe: two at once abort the process)
        with _RENDER_LOCK:
            return _Tree()
    except (ImportError, OSError, AttributeError, TypeError):
        return None


class _Tree:
    # cmark's node types (cmark-gfm.h: CMARK_NODE_TYPE_BLOCK | n)
    BLOCK_QUOTE, LIST, ITEM, HEADING = 0x8002, 0x8003, 0x8004, 0x8009

    def __init__(self) -> None:
        import _cffi_backend
        from cmarkgfm import _cmark
        from cmarkgfm.cmark import Options

        self.lib, self.ffi = lib, ffi = _cmark.lib, _cmark.ffi
        library = _cffi_backend.load_library(_cmark.__file__, 0)

        def load(signature: str, name: str) -> Any:
            return library.load_function(ffi.typeof(signature), name)

        self.first_child = load("void *(*)(void *)", "cmark_node_first_child")
        self.last_child = load("void *(*)(void *)", "cmark_node_last_child")
        self.next = load("void *(*)(void *)", "cmark_node_next")
        self.start_line = load("int(*)(void *)", "cmark_node_get_start_line")
        self.end_line = load("int(*)(void *)", "cmark_node_get_end_line")
        self.type = load("int(*)(void *)", "cmark_node_get_type")
        self.render = load("char *(*)(void *, int, void *)", "cmark_render_html")
        self.node_free = load("void(*)(void *)", "cmark_node_free")
        self.free = load("void(*)(void *)", "free")
        try:
            libc = _cffi_backend.load_library(None, 0)
            self.trim = libc.load_function(ffi.typeof("int(*)(size_t)"), "malloc_trim")
        except (OSError, AttributeError):  # not glibc
            self.trim = None
        lib.cmark_gfm_core_extensions_ensure_registered()
        self.TABLE = library.read_variable(ffi.typeof("int"), "CMARK_NODE_TABLE")
        self.extensions = [lib.cmark_find_syntax_extension(n.encode()) for n in EXTENSIONS]
        self.options = (
            Options.CMARK_OPT_UNSAFE
            | Options.CMARK_OPT_FOOTNOTES
            | Options.CMARK_OPT_GITHUB_PRE_LANG
            | Options.CMARK_OPT_SOURCEPOS
        )

    def outline(self, body: str, text: str, line_starts: Sequence[int], html: bool) -> Outline:
        lib = self.lib
        encoded = body.encode("utf-8")
        parser = lib.cmark_parser_new(self.options)
        try:
            for extension in self.extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, encoded, len(encoded))
            root = lib.cmark_parser_finish(parser)
            try:
                tables, headings = self._walk(root, parser, text, line_starts)
                return Outline(tables, headings, self._html(root, parser) if html else None)
            finally:
                self.node_free(root)
        finally:
            lib.cmark_parser_free(parser)
            if self.trim is not None and len(encoded) >= _TRIM_AT:
                self.trim(0)

    def _walk(
        self, root: Any, parser: Any, text: str, line_starts: Sequence[int]
    ) -> tuple[list[tuple[int, list[int], list[tuple[str, int]], bool]], list[tuple[int, str]]]:
        """The blocks in document order, as the readers of the HTML meet their tags: the
        same containers open around each table (``github_tables``)."""
        null = self.ffi.NULL
        first_child, next_, kind_of = self.first_child, self.next, self.type
        start_line, end_line = self.start_line, self.end_line
        TABLE, HEADING, LIST, BLOCK_QUOTE = self.TABLE, self.HEADING, self.LIST, self.BLOCK_QUOTE
        containers = (BLOCK_QUOTE, LIST, self.ITEM)
        tables: list[tuple[int, list[int], list[tuple[str, int]], bool]] = []
        headings: list[tuple[int, str]] = []
        stack: list[tuple[str, int, int]] = []  # as github_tables keeps it
        lines = len(line_starts)
        # (a node, the last line of the block it is in: where its parts are looked for)
        todo: list[tuple[Any, int]] = [(first_child(root), lines - 1)]
        while todo:
            node, bound = todo.pop()
            while node != null:
                kind = kind_of(node)
                after = next_(node)
                if kind == HEADING:
                    headings.append((start_line(node) - 1, self._html(node, parser)))
                elif kind == TABLE:
                    first = start_line(node) - 1
                    while stack and stack[-1][2] < first:
                        stack.pop()
                    tables.append((*self._table(node), [(k, f) for k, f, _ in stack], False))
                elif kind in containers:
                    first = start_line(node) - 1
                    # Its lines, and those up to the next block (a paragraph a table took
                    # its only line from has no position: line 0).
                    last = bound
                    if after != null:
                        later = start_line(after) - 2
                        if later >= first:
                            last = min(bound, later)
                    end = line_starts[last + 1] if last + 1 < lines else len(text)
                    if _may_hold(text[line_starts[max(first, 0)] : end]):
                        if kind != LIST:
                            while stack and stack[-1][2] < first:
                                stack.pop()
                            name = "blockquote" if kind == BLOCK_QUOTE else "list_item"
                            stack.append((name, first, end_line(node) - 1))
                        todo.append((after, bound))
                        node, bound = first_child(node), last
                        continue
                node = after
        return tables, headings

    def _table(self, node: Any) -> tuple[int, list[int]]:
        """The header line and the body rows' lines (0-based), as ``github_tables`` reads
        them: the rows of a table are consecutive lines, the second its delimiter row."""
        header = self.first_child(node)
        body = self.next(header)
        if body == self.ffi.NULL:
            return self.end_line(node) - 2, []
        first = self.start_line(body) - 1
        last = self.start_line(self.last_child(node)) - 1
        return first - 2, list(range(first, last + 1))

    def _html(self, node: Any, parser: Any) -> str:
        raw = self.render(node, self.options, self.lib.cmark_parser_get_syntax_extensions(parser))
        try:
            html: str = self.ffi.string(raw).decode("utf-8")
        finally:
            self.free(raw)
        return html


# -- rendering again only the pieces that changed -----------------------------------------
#
# The fix loop renders the text of each pass (the table view reads it), and a pass changes
# a few parts of a long list. A top-level ATX heading after a blank line closes every block
# before it (nothing but a fenced code block or an HTML block runs on past a blank line, and
# those are seen: a piece is rendered with a sentinel heading after it, which must come out
# as a top-level heading), and where the text defines no link reference or footnote (no
# ``]:``) nothing else of cmark-gfm's rendering reaches from one such piece into another:
# the rendering of the text is then the renderings of its pieces, each rendered on its own,
# their ``data-sourcepos`` lines shifted to where the piece starts. A piece whose text did
# not change keeps its rendering (``Pieces``, as ``listlint.pieces`` keeps tokens; tested
# against whole renderings in tests/test_github_pieces.py).

PIECEWISE_AT = 100_000  # texts at least this long (shorter ones render whole, at once)
_PIECES_LOCK = threading.Lock()
_POSITION = lazy(r'data-sourcepos="(\d+):(\d+)-(\d+):(\d+)"')
_HEADING_AT = lazy(r'<h[1-6] data-sourcepos="(\d+):1-')
_SENTINEL = "# listlint\n"
_PLAIN_TAIL = "<h1>listlint</h1>\n"


def _by_pieces(body: str) -> bool:
    """Does ``body`` render as its pieces do (see above)? (And do only cmark-gfm's own
    tags carry positions, so that shifting them touches nothing of the author's?)"""
    return "]:" not in body and "data-sourcepos" not in body


def _line_count(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _shifted(html: str, by: int) -> str:
    if not by:
        return html

    def shift(m: re.Match[str]) -> str:
        a, b, c, d = m.groups()
        return f'data-sourcepos="{int(a) + by}:{b}-{int(c) + by}:{d}"'

    return _POSITION.sub(shift, html)


class Pieces:
    """The renderings (with positions) of the pieces of the last text rendered so, and
    those without positions of the last text rendered without them (``render_plain``)."""

    def __init__(self) -> None:
        # piece text -> its rendering, the line it started on there (0-based), and whether
        # it is known to close (the last piece of a text was rendered without a sentinel).
        self._cache: dict[str, tuple[str, int, bool]] = {}
        # piece text -> its rendering without positions, and whether it is known to close.
        self._plain: dict[str, tuple[str, bool]] = {}
        # A text rendered whole, its rendering and where it may be cut: cut into pieces
        # only when another text is rendered (a check renders each text once: it never
        # pays for the cut).
        self._whole: tuple[str, str, list[int]] | None = None

    def render(self, body: str) -> str:
        from listlint.pieces import _cuts, mostly_kept

        cuts = _cuts(body)  # (the ends of _CUT's matches)
        if self._whole is not None:
            self._seed(*self._whole)
            self._whole = None

        old = self._cache
        if not mostly_kept(body, cuts, old):
            html = _render(body, True)
            self._cache = {}
            self._whole = (body, html, cuts)
            return html
        self._cache = {}
        out: list[str] = []
        line = 0
        k = 0
        while k < len(cuts) - 1:
            start, end = cuts[k], cuts[k + 1]
            text = body[start:end]
            hit = old.pop(text, None)
            if hit is not None and (hit[2] or end == len(body)):
                html, first, closed = hit
            else:
                step = 1
                while True:
                    last = end == len(body)
                    rendered = self._piece(text, last, line)
                    if rendered is not None:
                        break
                    k = min(k + step, len(cuts) - 2)  # runs on: with the next pieces
                    step *= 2  # (twice as many each time: linear at worst)
                    end = cuts[k + 1]
                    text = body[start:end]
                html, first, closed = rendered, line, not last
            html = _shifted(html, line - first)
            self._cache[text] = (html, line, closed)
            out.append(html)
            line += _line_count(text)
            k += 1
        return "".join(out)

    def render_plain(self, body: str) -> str | None:
        """The rendering without positions of ``body`` made of its pieces': those of the
        last text rendered so, or of the last rendered with positions (which, taken out,
        leave it: see ``_render_body``), kept, the others rendered on their own (without
        the blank lines before them that only positions need); None where less than half
        of ``body`` is in kept pieces (then it is rendered whole, which costs less)."""
        from listlint.pieces import _cuts

        cuts = _cuts(body)
        if self._whole is not None:
            self._seed(*self._whole)
            self._whole = None
        plain, placed = self._plain, self._cache
        kept = 0
        for k in range(len(cuts) - 1):
            text = body[cuts[k] : cuts[k + 1]]
            if text in plain or text in placed:
                kept += cuts[k + 1] - cuts[k]
        if 2 * kept < len(body):
            return None
        self._plain = {}
        out: list[str] = []
        k = 0
        while k < len(cuts) - 1:
            start, end = cuts[k], cuts[k + 1]
            text = body[start:end]
            last = end == len(body)
            hit = plain.pop(text, None)
            at = placed.get(text)
            if hit is not None and (hit[1] or last):
                html, closed = hit
            elif at is not None and (at[2] or last):
                html, closed = _SOURCEPOS.sub("", at[0]), at[2]
            else:
                step = 1
                while True:
                    last = end == len(body)
                    rendered = self._plain_piece(text, last)
                    if rendered is not None:
                        break
                    k = min(k + step, len(cuts) - 2)  # runs on: with the next pieces
                    step *= 2
                    end = cuts[k + 1]
                    text = body[start:end]
                html, closed = rendered, not last
            self._plain[text] = (html, closed)
            out.append(html)
            k += 1
        return "".join(out)

    @staticmethod
    def _plain_piece(text: str, last: bool) -> str | None:
        """The piece's rendering without positions on its own; None when it does not
        close (the sentinel heading after it does not end the rendering as a top-level
        heading: in a container its closing tags would follow, in code, an HTML block or
        a table row it would not be a heading)."""
        if last:
            return _render(text, False)
        html = _render(text + _SENTINEL, False)
        return html[: -len(_PLAIN_TAIL)] if html.endswith(_PLAIN_TAIL) else None

    @staticmethod
    def _piece(text: str, last: bool, line: int) -> str | None:
        """The piece's rendering on its own, after ``line`` blank lines (which render as
        nothing) so that its positions are those of the text; None when it does not close
        (a sentinel heading after it is no top-level heading)."""
        if last:
            return _render("\n" * line + text, True)
        html = _render("\n" * line + text + _SENTINEL, True)
        n = line + _line_count(text) + 1
        tail = f'<h1 data-sourcepos="{n}:1-{n}:10">listlint</h1>\n'
        return html[: -len(tail)] if html.endswith(tail) else None

    def _seed(self, body: str, html: str, cuts: list[int]) -> None:
        """Remember the pieces of ``body`` from its whole rendering ``html``: a cut is a
        piece's start where its line renders as a top-level heading (col 1, after a blank
        line: nothing before it is open; such a heading starts a line of the HTML)."""
        at: dict[int, int] = {}  # 1-based line -> where its heading starts in html
        for m in _HEADING_AT.finditer(html):
            if m.start() == 0 or html[m.start() - 1] == "\n":
                at.setdefault(int(m.group(1)), m.start())
        self._cache = {}
        start, first, begin = 0, 0, 0
        line = 0
        prev = 0
        for c in cuts[1:-1]:
            line += _line_count(body[prev:c])
            prev = c
            pos = at.get(line + 1)
            if pos is None:
                continue
            self._cache[body[start:c]] = (html[begin:pos], first, True)
            start, first, begin = c, line, pos
        self._cache[body[start:]] = (html[begin:], first, False)


_PIECES = Pieces()
