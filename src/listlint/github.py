"""GitHub's own renderer: cmark-gfm, through the ``cmarkgfm`` bindings, set up as github.com
renders a README (the table, autolink, strikethrough, tagfilter and tasklist extensions,
footnotes, raw HTML kept so that a change in it is seen).

This is the judge of what GitHub shows: the fix guard compares renderings with it and the
table view follows it where markdown-it-py disagrees. ``cmarkgfm`` is imported on first use,
so a run that never asks for GitHub's rendering does not pay for loading it.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from listlint.lazyre import lazy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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
    renders)."""
    if not (sys.platform.startswith("linux") or sys.platform == "darwin"):
        return None
    try:
        import ctypes

        from cmarkgfm import _cmark

        library = ctypes.CDLL(_cmark.__file__)
        node_free = library.cmark_node_free
        node_free.argtypes = [ctypes.c_void_p]
        node_free.restype = None
        libc = ctypes.CDLL(None)
        free = library.free  # the free() the extension itself links against
        free.argtypes = [ctypes.c_void_p]
        free.restype = None
        trim = getattr(libc, "malloc_trim", None)
        if trim is not None:
            trim.argtypes = [ctypes.c_size_t]
            trim.restype = ctypes.c_int
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
                    free(int(ffi.cast("uintptr_t", raw)))
            finally:
                node_free(int(ffi.cast("uintptr_t", root)))
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
    body = text[1:] if text.startswith(BOM) else text
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
    _pending.pop((body, sourcepos), None)
    if (body, sourcepos) in _pins:
        _pinned[(body, sourcepos)] = html
    return html


def forget(text: str) -> None:
    """Drop the memoised renderings of ``text`` (pinned ones stay): for a caller that has
    read what it needs from them and will not render the text again (a check)."""
    body = text[1:] if text.startswith(BOM) else text
    for key in ((body, True), (body, False)):
        _memo.pop(key, None)


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


# Renderings started in a thread of their own (``prefetch``), by (text, sourcepos).
_pending: dict[tuple[str, bool], threading.Thread] = {}


def prefetch(text: str, *, sourcepos: bool = False) -> None:
    """Start rendering ``text`` in a thread (cmark-gfm runs without the interpreter lock)
    while the caller does other work, such as parsing it; ``render_html`` of the same text
    waits for that rendering instead of starting its own. A rendering that fails here is
    done again (and fails) where it is asked for."""
    body = text[1:] if text.startswith(BOM) else text
    key = (body, sourcepos)
    if key in _memo or key in _pending:
        return

    def work() -> None:
        try:
            render_html(body, sourcepos=sourcepos)
        except Exception:  # the caller's render_html renders again and raises it there
            _pending.pop(key, None)

    thread = threading.Thread(target=work, name="listlint-render", daemon=True)
    _pending[key] = thread
    thread.start()


# cmark-gfm is not thread-safe: attaching a syntax extension adds its special characters
# to a table shared by every parser, and freeing the parser takes them away again, so a
# rendering that ends first strips strikethrough and autolinks from one still running
# (seen: nondeterministic fix verdicts on large files). One rendering at a time; a
# rendering still overlaps the parse and lint of the interpreter's other threads.
_RENDER_LOCK = threading.Lock()


def _render(body: str, sourcepos: bool) -> str:
    with _RENDER_LOCK:
        return _renderer(sourcepos)(body)
