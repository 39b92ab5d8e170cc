"""Where GitHub puts in-page anchors: heading anchors as github.com computes them, and the
``id`` and ``name`` attributes its sanitizer keeps, read from cmark-gfm's rendering.

Heading anchors follow github-slugger (https://github.com/Flet/github-slugger, v2), the
slugger that reproduces github.com: the heading's text content as cmark-gfm renders it
(markup, tags and image alt text gone, reference links resolved, entities decoded), in
lower case, without characters of Unicode categories No, P (but ``-`` and connector
punctuation such as ``_``), S, C and Z (but the space), except alphabetic symbols such as
``Ⓐ``; each space becomes ``-``. There is no Unicode normalisation and no trimming. A
repeated anchor gets ``-1``, ``-2`` from a counter kept per base anchor, bumped until the
anchor is unused (``Foo``, ``Foo``, ``Foo 1`` give ``foo``, ``foo-1``, ``foo-1-1``;
``Foo 1``, ``Foo``, ``Foo`` give ``foo-1``, ``foo``, ``foo-2``), as github.com numbers them
(github-slugger issue 19 and pull request 20, checked against a README on github.com).
"""

from __future__ import annotations

import html as _html
import re
import unicodedata
from typing import TYPE_CHECKING

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

# Categories github-slugger removes: other numbers, punctuation but connectors (``_``) and
# ``-``, symbols, controls, formats, private use, unassigned, separators but the space.
_REMOVED = frozenset(("No", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So"))
_REMOVED_PREFIX = ("C", "Z")
# Symbols that are alphabetic (circled and squared letters) are kept.
_ALPHABETIC_SYMBOLS = (
    (0x24B6, 0x24E9),
    (0x1F130, 0x1F149),
    (0x1F150, 0x1F169),
    (0x1F170, 0x1F189),
)
_CACHE: dict[str, bool] = {}


def _kept(ch: str) -> bool:
    keep = _CACHE.get(ch)
    if keep is None:
        if ch in " -":
            keep = True
        else:
            cat = unicodedata.category(ch)
            keep = not (cat in _REMOVED or cat.startswith(_REMOVED_PREFIX))
            if not keep and cat == "So":
                keep = any(lo <= ord(ch) <= hi for lo, hi in _ALPHABETIC_SYMBOLS)
        _CACHE[ch] = keep
    return keep


def github_slug(text: str) -> str:
    """GitHub's anchor for a heading whose rendered text is ``text``, before numbering."""
    return "".join(ch for ch in text.lower() if _kept(ch)).replace(" ", "-")


class Slugger:
    """Numbers repeated anchors as github.com does."""

    def __init__(self) -> None:
        self.occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = result = github_slug(text)
        while result in self.occurrences:
            self.occurrences[base] += 1
            result = f"{base}-{self.occurrences[base]}"
        self.occurrences[result] = 0
        return result


class RenderedHeading(NamedTuple):
    level: int
    line: int  # 0-based source line
    text: str  # text content
    raw: bool  # written as HTML (``<h2>``), not Markdown


class RenderedAnchor(NamedTuple):
    value: str  # the attribute's value
    line: int  # 0-based source line (best effort for anchors cmark generates)


# Elements GitHub's sanitizer removes (tag and attributes); their ids are no anchors.
DROPPED_ELEMENTS = frozenset(
    [
        "script",
        "style",
        "textarea",
        "title",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "plaintext",
        "form",
        "input",
        "button",
        "select",
        "option",
        "meta",
        "link",
        "base",
        "object",
        "embed",
        "frame",
        "frameset",
        "svg",
        "math",
    ]
)
_COMMENT = lazy(r"<!--.*?-->", re.DOTALL)
_SOURCEPOS = lazy(r'data-sourcepos="(\d+):')
_HEADING_OPEN = lazy(r"<h([1-6])(?=[\s/>])[^>]*>", re.IGNORECASE)
_TAG_TEXT = lazy(r"<[^>]*>")
_ATTR_NAME = lazy(r"\s(id|name)\s*=\s*", re.IGNORECASE)
_TAG = lazy(
    r"""<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>"""
)
_ATTR = lazy(r"""\s([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _comment_free(rendered: str) -> str:
    """The rendering with HTML comments blanked (same length, so offsets hold)."""
    if "<!--" not in rendered:
        return rendered
    return _COMMENT.sub(lambda m: " " * len(m.group()), rendered)


class _Lines:
    """Source lines of rendered elements: cmark's sourcepos where it gives one, else the
    next match in the source text at or after the last known line."""

    def __init__(self, rendered: str, source: str, line_starts: Sequence[int]) -> None:
        self.rendered = rendered
        self.source = source
        self.line_starts = line_starts
        self.cursor = 0  # source offset: elements come in document order

    def known_line(self, pos: int) -> int:
        """The 0-based line of the last element with a sourcepos before ``pos``."""
        start = self.rendered.rfind('data-sourcepos="', 0, pos)
        m = _SOURCEPOS.match(self.rendered, start) if start >= 0 else None
        return int(m.group(1)) - 1 if m else 0

    def find(self, pos: int, pattern: re.Pattern[str]) -> int:
        from bisect import bisect_right

        lower = self.line_starts[min(self.known_line(pos), len(self.line_starts) - 1)]
        m = pattern.search(self.source, max(self.cursor, lower))
        if m is None:
            return self.known_line(pos)
        self.cursor = m.end()
        return max(0, bisect_right(self.line_starts, m.start()) - 1)


def rendered_headings(
    rendered: str, source: str, line_starts: Sequence[int]
) -> list[RenderedHeading]:
    """Every heading of the rendering (sourcepos on), Markdown and raw HTML, in order."""
    clean = _comment_free(rendered)
    lines = _Lines(clean, source, line_starts)
    out: list[RenderedHeading] = []
    for m in _HEADING_OPEN.finditer(clean):
        level = m.group(1)
        text = _heading_text(clean, m)
        pos = _SOURCEPOS.search(m.group())
        if pos is not None:
            out.append(RenderedHeading(int(level), int(pos.group(1)) - 1, text, False))
        else:
            raw = re.compile(rf"<h{level}(?=[\s/>])", re.IGNORECASE)
            out.append(RenderedHeading(int(level), lines.find(m.start(), raw), text, True))
    return out


def _heading_text(html: str, m: re.Match[str]) -> str:
    """The text content of the heading whose opening tag ``m`` found in ``html``."""
    close = re.compile(rf"</h{m.group(1)}\s*>", re.IGNORECASE).search(html, m.end())
    inner = html[m.end() : close.start() if close else len(html)]
    return _html.unescape(_TAG_TEXT.sub("", inner))


def outline_headings(headings: Sequence[tuple[int, str]]) -> list[RenderedHeading]:
    """``rendered_headings`` of a rendering whose headings are these (each one's line and
    its own HTML, as ``listlint.github.outline`` gives them): Markdown headings only."""
    out: list[RenderedHeading] = []
    for line, html in headings:
        m = _HEADING_OPEN.match(html)
        assert m is not None  # (cmark-gfm's own tag)
        out.append(RenderedHeading(int(m.group(1)), line, _heading_text(html, m), False))
    return out


def rendered_anchors(
    rendered: str, source: str, line_starts: Sequence[int]
) -> list[RenderedAnchor]:
    """The ``id`` and ``name`` attributes of the elements GitHub keeps, in order."""
    clean = _comment_free(rendered)
    lines = _Lines(clean, source, line_starts)
    out: list[RenderedAnchor] = []
    last_tag = -1
    for m in _ATTR_NAME.finditer(clean):
        start = clean.rfind("<", 0, m.start())
        if start < 0 or start == last_tag:
            continue
        tag = _TAG.match(clean, start)
        if tag is None or tag.end() <= m.start():
            continue
        last_tag = start
        if tag.group(1).lower() in DROPPED_ELEMENTS:
            continue
        for attr in _ATTR.finditer(tag.group(2)):
            if attr.group(1).lower() not in ("id", "name"):
                continue
            value = _html.unescape(attr.group(2) or attr.group(3) or attr.group(4) or "")
            if not value:
                continue
            pattern = re.compile(
                rf"""\s{attr.group(1)}\s*=\s*["']?{re.escape(value)}""", re.IGNORECASE
            )
            out.append(RenderedAnchor(value, lines.find(start, pattern)))
    return out


class Rendered(NamedTuple):
    """What the views read from GitHub's rendering of a document (``Document.rendered``)."""

    # Each table: header line, body lines, its block quotes and list items (kind, first
    # line), in a footnote definition (see listlint.views.tables.github_tables).
    tables: list[tuple[int, list[int], list[tuple[str, int]], bool]]
    headings: list[RenderedHeading]
    anchors: list[RenderedAnchor]  # none read when the text holds no "="


def read_rendering(text: str, line_starts: Sequence[int], keep: bool) -> Rendered:
    """GitHub's rendering of ``text`` (cmark-gfm, with source positions), read for the
    table view and the in-page targets at once, so that the HTML itself (about twice the
    text) need not stay: unless ``keep``, it is not kept memoised either (a check renders
    the text once and reads nothing else from it; the fix guard renders it again)."""
    from listlint.github import forget, may_hold_anchors, outline, render_html
    from listlint.views.tables import github_tables

    if not keep:
        # Read from the syntax tree where that tells all of it (a fix renders the HTML,
        # which its guard compares).
        read = outline(text, line_starts)
        if read is not None:
            forget(text)
            headings = outline_headings(read.headings)
            anchors = [] if read.html is None else rendered_anchors(read.html, text, line_starts)
            return Rendered(read.tables, headings, anchors)
    html = render_html(text, sourcepos=True)
    tables = list(github_tables(html))
    headings = rendered_headings(html, text, line_starts)
    found = "=" in text and may_hold_anchors(text)
    anchors = rendered_anchors(html, text, line_starts) if found else []
    if not keep:
        forget(text)
    return Rendered(tables, headings, anchors)
