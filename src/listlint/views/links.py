"""Every link of a document with exact source spans.

markdown-it-py gives inline tokens no positions, so links are found here by scanning the
raw source of each inline region (the lines of one paragraph, heading or table row), with
code spans and HTML comments masked. Brackets are paired with a stack and code spans with
one pass over backtick runs, so the scan is linear in the input.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from operator import itemgetter
from typing import TYPE_CHECKING

from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from listlint.document import Document

_ESCAPABLE = lazy(r"\\([!-/:-@\[-`{-~])")
_AUTOLINK = lazy(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_COMMENT = lazy(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = lazy(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_BARE = lazy(r"(?:https?://|www\.)[^\s<]+", re.IGNORECASE)
_DEFINITION = lazy(
    r"[ ]{0,3}\[((?:[^\[\]\\]|\\.){1,999})\]:[ \t]*(<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$"
)
_START = itemgetter(1)  # Link.start
_TRAILING = "?!.,:*_~'\""
_ENTITY_END = lazy(r"&[A-Za-z0-9]+;$")


class Link(NamedTuple):
    kind: str  # inline, reference, autolink, bare, definition
    start: int  # the whole construct
    end: int
    text_start: int  # link text (label of a definition; the URL itself for bare/autolinks)
    text_end: int
    url: str  # the destination, resolved (unescaped; references through their definition)
    url_start: int  # where the destination is written (the definition's, for references)
    url_end: int
    line: int  # 0-based line of ``start``
    image: bool = False
    label: str = ""  # normalised reference label, for references and definitions


class Unresolved(NamedTuple):
    """``[text][label]`` or ``[label][]`` whose label has no definition."""

    start: int
    end: int
    label: str


class SpacedLink(NamedTuple):
    """``[text] (url)``: a space between the brackets and parentheses; no link renders."""

    start: int
    end: int
    gap_start: int
    gap_end: int


def normalize_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def unescape_destination(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    if "\\" in raw:
        raw = _ESCAPABLE.sub(r"\1", raw)
    return html.unescape(raw) if "&" in raw else raw


def code_spans(text: str) -> list[tuple[int, int]]:
    """Code spans of ``text`` as (start, end) including their backticks, in one pass."""
    runs: list[tuple[int, int]] = []
    i, n = 0, len(text)
    while True:
        i = text.find("`", i)
        if i == -1:
            break
        j = i
        while j < n and text[j] == "`":
            j += 1
        escaped = i > 0 and text[i - 1] == "\\" and not _escaped_backslash(text, i - 1)
        runs.append((i + 1 if escaped else i, j))
        i = j
    by_length: dict[int, list[int]] = {}
    for index, (s, e) in enumerate(runs):
        if e > s:
            by_length.setdefault(e - s, []).append(index)
    pointer: dict[int, int] = {}
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        s, e = runs[index]
        length = e - s
        if length == 0:
            index += 1
            continue
        candidates = by_length[length]
        k = pointer.get(length, 0)
        while k < len(candidates) and candidates[k] <= index:
            k += 1
        pointer[length] = k
        if k < len(candidates):
            closer = candidates[k]
            spans.append((s, runs[closer][1]))
            pointer[length] = k + 1
            index = closer + 1
        else:
            index += 1
    return spans


def _escaped_backslash(text: str, pos: int) -> bool:
    count = 0
    while pos - count - 1 >= 0 and text[pos - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _blank(piece: str) -> str:
    if "\n" in piece or "\r" in piece:
        return _NOT_LINE_BREAK.sub(" ", piece)
    return " " * len(piece)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with ``spans`` (in any order, overlapping or not) blanked, line breaks kept.
    Slices, not a list of characters: most regions have one or two spans to blank."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for s, e in sorted(spans):
        s = max(s, pos)
        if e <= s:
            continue
        parts.append(text[pos:s])
        parts.append(_blank(text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


_NOT_LINE_BREAK = lazy(r"[^\r\n]")
# A plainly written link (see Links._plain_links): the text, the destination; an image's
# `!` is the character before (``_start``). (A pattern starting with the optional `!` has
# no first character to look for: it tried every position of the region.)
_PLAIN_LINK = lazy(r"\[([^\[\]]*)\]\(([^\\()\x00-\x20\[\]]*)\)")


def _start(text: str, m: re.Match[str]) -> int:
    """Where the plain link ``m`` starts: at its image's `!` if it has one (no earlier
    link holds that character: a link ends with its ")")."""
    start = m.start()
    return start - 1 if start and text[start - 1] == "!" else start


# A tag without attributes (``<br>``, ``</u>``, ``<br />``), as most tags in lists are: no
# comment, no autolink, nothing ``_HTML_TAG`` reads otherwise, no bracket or space but " /".
_SIMPLE_TAG = lazy(r"</?[A-Za-z][A-Za-z0-9-]*(?: ?/)?>")


def _blank_match(m: re.Match[str]) -> str:
    return " " * (m.end() - m.start())


def _tags_blanked(text: str) -> str | None:
    """``text`` (no backtick or backslash in it) as the general reading masks it when each
    ``<`` in it opens a tag without attributes: those tags blanked (``_HTML_TAG``'s spans;
    there is no comment or autolink); None when some ``<`` opens anything else."""
    if text.count("<") == text.count("<br>"):  # the most common tag
        return text.replace("<br>", "    ")
    blanked, found = _SIMPLE_TAG.subn(_blank_match, text)
    return blanked if found == text.count("<") else None


def _inert(text: str) -> bool:
    """Can ``text`` hold no link, tag or code span (it reads as it is written)?"""
    return (
        "[" not in text
        and "<" not in text
        and "`" not in text
        and "://" not in text
        and "www." not in text
    )


def _wrapped(text: str, found: list[re.Match[str]], count: int) -> bool:
    """Are the ``count`` brackets of ``text`` (as many ``]``) the plain links ``found``
    and, for some of them, a pair right around the link (``[[Paper](url)]``, as RUCAIBox's
    entries write them), not after a ``!``? A pair that holds a link is no link itself
    (links do not nest): the general reading leaves it as text, and reads nothing else
    from it (no reference, no spaced link)."""
    wrapped = 0
    for m in found:
        start, end = m.start(), m.end()
        if (
            start
            and text[start - 1] == "["
            and text[end : end + 1] == "]"
            and (start < 2 or text[start - 2] != "!")
        ):
            wrapped += 1
    return len(found) + wrapped == count


class Links:
    """All links, definitions, unresolved references and spaced links of a document."""

    def __init__(
        self, doc: Document, regions: Iterable[tuple[int, int, bool]] | None = None
    ) -> None:
        """``regions``: only these inline regions (``Blocks.regions``) are read (the changed
        pieces of a fix pass's text, ``listlint.carried``); all when None."""
        self.doc = doc
        self.links: list[Link] = []
        self.definitions: list[Link] = []
        self.unresolved: list[Unresolved] = []
        self.spaced: list[SpacedLink] = []
        self.code_spans: list[tuple[int, int]] = []
        self.prose: list[tuple[int, str]] = []  # (offset, region text with code masked)
        self._scan_definitions()
        if self.definitions:
            self._drop_definitions_before_tables()
        self._by_label: dict[str, Link] = {}
        for d in self.definitions:
            self._by_label.setdefault(d.label, d)
        for first, last, cell in doc.blocks.regions if regions is None else regions:
            if cell:
                self._scan_row(first)
            else:
                self._scan_region(first, last)
        self.links.sort(key=_START)

    def __iter__(self) -> Iterator[Link]:
        return iter(self.links)

    def first_from(self, offset: int, *, images: bool = True) -> Link | None:
        """The first link starting at or after ``offset``."""
        starts = self.__dict__.get("_starts")
        if starts is None:
            starts = self.__dict__["_starts"] = [link.start for link in self.links]
        k = bisect_right(starts, offset - 1)
        while k < len(self.links):
            if images or not self.links[k].image:
                return self.links[k]
            k += 1
        return None

    def all_targets(self) -> Iterator[Link]:
        """Links and definitions, in source order (merged once: most rules ask for it)."""
        if not self.definitions:
            return iter(self.links)  # sorted by start already
        merged = self.__dict__.get("_targets")
        if merged is None:
            merged = self.__dict__["_targets"] = sorted(
                [*self.links, *self.definitions], key=lambda link: link.start
            )
        return iter(merged)

    # -- definitions ---------------------------------------------------------------------
    def _scan_definitions(self) -> None:
        doc = self.doc
        lines = doc.blocks.definition_lines  # lines with "]:" outside leaf blocks
        if not lines:
            return
        containers = doc.containers
        for line, holder in lines.items():
            start = doc.content_start(line, containers[holder] if holder >= 0 else ())
            end = doc.line_ends[line]
            m = _DEFINITION.match(doc.text, start, end)
            if m is None:
                continue
            label = normalize_label(m.group(1))
            self.definitions.append(
                Link(
                    kind="definition",
                    start=m.start(1) - 1,
                    end=m.end(2),
                    text_start=m.start(1),
                    text_end=m.end(1),
                    url=unescape_destination(m.group(2)),
                    url_start=m.start(2),
                    url_end=m.end(2),
                    line=line,
                    label=label,
                )
            )

    def _drop_definitions_before_tables(self) -> None:
        """On GitHub a table that interrupts a paragraph leaves the lines above it as text,
        definitions included (``[r]: http://x`` right above ``| a |`` / ``| - |`` is no
        definition, and ``[t][r]`` no link)."""
        doc = self.doc
        text_lines: set[int] = set()
        for table in doc.tables:
            line = table.header.line - 1
            while line >= 0 and doc.line(line).strip(" \t>"):
                text_lines.add(line)
                line -= 1
        if text_lines:
            self.definitions = [d for d in self.definitions if d.line not in text_lines]

    # -- inline regions ----------------------------------------------------------------------
    def _scan_region(self, first: int, last: int) -> None:
        doc = self.doc
        base = doc.line_starts[first]
        text = doc.text[base : doc.line_ends[min(last, doc.line_count) - 1]]
        if _inert(text):
            self.prose.append((base, text))  # nothing to read: the text is what one sees
        else:
            self._scan_text(base, text, first if last - first == 1 else -1)

    def _scan_row(self, line: int) -> None:
        """A table row: each cell is its own inline region, as in GFM, where a pipe that
        is not escaped ends the cell even inside brackets or a code span."""
        doc = self.doc
        start, end = doc.line_starts[line], doc.line_ends[line]
        text = doc.text
        row = text[start:end]
        if "\\" not in row:  # every pipe splits (most rows): cells without a second look
            pos = start
            prose = self.prose
            rare = "<" in row or "`" in row or "www." in row  # in no cell when not in the row
            for part in row.split("|"):
                if not part:
                    pass
                elif (  # _inert(part), inline: most cells
                    "[" not in part
                    and "://" not in part
                    and (not rare or ("<" not in part and "`" not in part and "www." not in part))
                ):
                    prose.append((pos, part))  # what _scan_span does with such a cell
                else:
                    self._scan_text(pos, part, line)
                pos += len(part) + 1
            return
        cell = start
        pipe = text.find("|", start, end)
        while pipe != -1:
            if not _escaped_backslash(text, pipe):
                if pipe > cell:
                    self._scan_span(cell, pipe)
                cell = pipe + 1
            pipe = text.find("|", pipe + 1, end)
        if end > cell:
            self._scan_span(cell, end)

    def _scan_span(self, base: int, stop: int) -> None:
        text = self.doc.text[base:stop]
        if _inert(text):
            # Nothing to read (most table cells): the text is what a reader sees.
            self.prose.append((base, text))
            return
        self._scan_text(base, text)

    def _scan_text(self, base: int, text: str, line: int = -1) -> None:
        """``_scan_span`` of ``text`` (at ``base``) once it holds something to read;
        ``line``: the line of every link in it when it is one line (-1: look it up)."""
        if "`" in text:
            if "[" not in text and "<" not in text and self._code_only(base, text):
                return
        elif "\\" not in text:
            plain = text if "<" not in text else _tags_blanked(text)
            if plain is not None:
                count = plain.count("[")
                if count == plain.count("]") and self._plain_links(plain, base, line, count):
                    return
        masked = text
        if "`" in text:
            spans = code_spans(text)
            self.code_spans += [(base + s, base + e) for s, e in spans]
            masked = _masked(text, spans)
        if "<" in text:
            masked = _masked(masked, [m.span() for m in _COMMENT.finditer(text)])
            autolinks = []
            for m in _AUTOLINK.finditer(masked):
                self._add(
                    "autolink",
                    base,
                    m.start(),
                    m.end(),
                    m.start(1),
                    m.end(1),
                    m.group(1),
                    m.start(1),
                    m.end(1),
                )
                autolinks.append(m.span())
            masked = _masked(masked, autolinks)
            masked = _masked(masked, [m.span() for m in _HTML_TAG.finditer(masked)])
        first_new = len(self.links)
        marks = (len(self.unresolved), len(self.spaced))
        taken = self._scan_inline(masked, text, base, bare=False)
        if "www." in masked or "://" in masked:
            # Most URLs are the destinations just read: look for bare ones only when one
            # is written outside them. Then read the region again with them, as GFM does:
            # a bare URL is a link only where no bracket is open, and it runs over the
            # brackets after it (``http://x[a](b)`` is one link).
            if len(taken) == 1:  # the span blanked to one space: the same test, no copy
                rest = masked[: taken[0][0]] + " " + masked[taken[0][1] :]
            else:
                rest = _masked(masked, taken)
            if "www." in rest or "://" in rest:
                del self.links[first_new:]
                del self.unresolved[marks[0] :]
                del self.spaced[marks[1] :]
                self._scan_inline(masked, text, base, bare=True)
        # What a reader sees as text: destinations and URLs masked too.
        urls = [
            (link.url_start - base, link.url_end - base)
            for link in self.links[first_new:]
            if link.kind in ("inline", "autolink", "bare")
        ]
        self.prose.append((base, _masked(masked, urls)))

    def _plain_links(self, text: str, base: int, line: int = -1, count: int = -1) -> bool:
        """``_scan_span`` for a region whose every bracket pair is a plainly written
        ``[text](destination)`` (no code span, tag, backslash, nested bracket; each
        destination without spaces, parentheses, brackets or a title; no URL outside
        them), the shape of most entries and cells: the same links and prose without the
        general reading. False (nothing done) for anything else.

        Each such link is one match of ``_PLAIN_LINK``; when there are as many matches
        as ``[`` (the caller saw as many ``]``), every bracket is one of these pairs,
        read left to right as the general reading reads them. A region without ``[``
        and without a URL (read for its tags, ``_tags_blanked``) is its own prose.
        ``count``: how many ``[`` (-1: count them)."""
        if count < 0:
            count = text.count("[")
        if count == 1:
            m = _PLAIN_LINK.search(text)
            if m is None:
                return False
            return self._one_plain_link(text, base, line, m)
        if count:
            found = list(_PLAIN_LINK.finditer(text))
            if len(found) != count and not _wrapped(text, found, count):
                return False
        elif "://" in text or "www." in text:
            return False
        else:  # no link at all: a region read for its tags (``_tags_blanked``)
            self.prose.append((base, text))
            return True
        if "://" in text or "www." in text:  # a URL outside the links: the general one
            pieces = []
            pos = 0
            for m in found:
                pieces.append(text[pos : _start(text, m)])
                pos = m.end()
            pieces.append(text[pos:])
            rest = " ".join(pieces)
            if "www." in rest or "://" in rest:
                return False
        starts = None
        if line < 0 and ("\n" in text or "\r" in text):
            starts = self.doc.line_starts
        elif line < 0:
            line = bisect_right(self.doc.line_starts, base) - 1
        links = self.links
        prose = []
        pos = 0
        for m in found:
            start, end = _start(text, m), m.end()
            dest_start, dest_end = m.span(2)
            text_start, text_end = m.span(1)
            url = m.group(2)
            if "&" in url:
                url = html.unescape(url)
            prose.append(text[pos:dest_start])
            prose.append(" " * (dest_end - dest_start))
            pos = dest_end
            # Positional: a NamedTuple built from keywords costs twice as much, per link.
            links.append(
                Link(
                    "inline",
                    base + start,
                    base + end,
                    base + text_start,
                    base + text_end,
                    url,
                    base + dest_start,
                    base + dest_end,
                    line if starts is None else bisect_right(starts, base + start) - 1,
                    text[start] == "!",  # an image
                    "",
                )
            )
        prose.append(text[pos:])
        self.prose.append((base, "".join(prose)))
        return True

    def _code_only(self, base: int, text: str) -> bool:
        """``_scan_text`` for a region with a code span but no ``[`` or ``<`` (public-apis'
        `` `apiKey` `` cells): no link can be there but a bare URL outside the code spans;
        without one, the code spans and the prose (code blanked) as the general reading
        gives them. False (nothing done) when a URL is left."""
        spans = code_spans(text)
        masked = _masked(text, spans)
        if "://" in masked or "www." in masked:
            return False
        self.code_spans += [(base + s, base + e) for s, e in spans]
        self.prose.append((base, masked))
        return True

    def _one_plain_link(self, text: str, base: int, line: int, m: re.Match[str]) -> bool:
        """``_plain_links`` for a region with one ``[`` (most entries and cells): the same
        tests and results, without the lists."""
        start, end = _start(text, m), m.end()
        if (  # a URL outside the link: the general reading
            ("://" in text or "www." in text)
            and (
                text.find("://", 0, start) != -1
                or text.find("://", end) != -1
                or text.find("www.", 0, start) != -1
                or text.find("www.", end) != -1
            )
        ):
            return False
        if line < 0:
            line = bisect_right(self.doc.line_starts, base + start) - 1
        dest_start, dest_end = m.span(2)
        text_start, text_end = m.span(1)
        url = m.group(2)
        if "&" in url:
            url = html.unescape(url)
        # Positional: a NamedTuple built from keywords costs twice as much, per link.
        self.links.append(
            Link(
                "inline",
                base + start,
                base + end,
                base + text_start,
                base + text_end,
                url,
                base + dest_start,
                base + dest_end,
                line,
                text[start] == "!",  # an image
                "",
            )
        )
        blank = " " * (dest_end - dest_start)
        self.prose.append((base, text[:dest_start] + blank + text[dest_end:]))
        return True

    def _add(
        self,
        kind: str,
        base: int,
        start: int,
        end: int,
        text_start: int,
        text_end: int,
        url: str,
        url_start: int,
        url_end: int,
        *,
        image: bool = False,
        label: str = "",
        absolute_url: bool = False,
    ) -> None:
        offset = 0 if absolute_url else base
        # Positional: a NamedTuple built from keywords costs twice as much, per link.
        self.links.append(
            Link(
                kind,
                base + start,
                base + end,
                base + text_start,
                base + text_end,
                url,
                offset + url_start,
                offset + url_end,
                bisect_right(self.doc.line_starts, base + start) - 1,
                image,
                label,
            )
        )

    def _scan_inline(
        self, masked: str, text: str, base: int, *, bare: bool
    ) -> list[tuple[int, int]]:
        """Links, images and references (and bare URLs when ``bare``), read left to right
        as CommonMark does: a ``]`` closes the nearest open bracket; a link deactivates the
        brackets open around it (links do not nest, so ``[[a](b)](c)`` links only ``a``);
        a destination is read from the source as written; a bare URL (GFM's extended
        autolink) is a link only where no bracket is open. Returns the spans taken."""
        if not bare and masked.count("[") == 1 and masked.count("]") == 1:
            return self._one_pair(masked, text, base)
        candidates: list[tuple[int, int]] = []
        if bare:
            for m in _BARE.finditer(masked):
                s = m.start()
                if s > 0 and (masked[s - 1].isalnum() or masked[s - 1] in "/@.-"):
                    continue
                e = _trim_bare(masked, s, m.end())
                if e - s >= 8:
                    candidates.append((s, e))
        taken: list[tuple[int, int]] = []
        openers: list[tuple[int, bool]] = []  # (position of "[", image)
        dead = 0  # link brackets below this stack index are inactive (a link closed inside)
        k = 0
        pos = 0
        next_open = masked.find("[")
        next_close = masked.find("]")
        while True:
            if next_open != -1 and next_open < pos:
                next_open = masked.find("[", pos)
            if next_close != -1 and next_close < pos:
                next_close = masked.find("]", pos)
            while k < len(candidates) and candidates[k][0] < pos:
                k += 1
            next_bare = candidates[k][0] if k < len(candidates) else -1
            events = [p for p in (next_bare, next_open, next_close) if p != -1]
            if not events:
                break
            at = min(events)
            if at == next_bare:
                s, e = candidates[k]
                k += 1
                if not openers:
                    self._add("bare", base, s, e, s, e, text[s:e], s, e)
                    taken.append((s, e))
                    pos = e
                continue
            if at == next_open:
                if not _escaped_backslash(masked, at):
                    image = (
                        at > 0 and masked[at - 1] == "!" and not _escaped_backslash(masked, at - 1)
                    )
                    openers.append((at, image))
                pos = at + 1
                continue
            pos = at + 1
            if not openers or _escaped_backslash(masked, at):
                continue
            open_, image = openers.pop()
            active = image or len(openers) >= dead
            dead = min(dead, len(openers))
            if not active:
                continue
            end = self._bracket(masked, text, base, open_, at)
            if end is not None:
                taken.append((open_ - 1 if image else open_, end))
                if not image:
                    dead = len(openers)
                pos = end
        return taken

    def _one_pair(self, masked: str, text: str, base: int) -> list[tuple[int, int]]:
        """``_scan_inline`` for a region with one ``[`` and one ``]`` (most entries and
        cells): the same result without the event loop."""
        open_, close = masked.find("["), masked.find("]")
        if close < open_ or _escaped_backslash(masked, open_):
            return []
        if _escaped_backslash(masked, close):
            return []
        image = open_ > 0 and masked[open_ - 1] == "!" and not _escaped_backslash(masked, open_ - 1)
        end = self._bracket(masked, text, base, open_, close)
        return [] if end is None else [(open_ - 1 if image else open_, end)]

    def _bracket(self, masked: str, text: str, base: int, open_: int, close: int) -> int | None:
        image = open_ > 0 and masked[open_ - 1] == "!" and not _escaped_backslash(masked, open_ - 1)
        start = open_ - 1 if image else open_
        after = close + 1
        nxt = masked[after] if after < len(masked) else ""
        if nxt == "(":
            # Read as written: a tag or code span after "(" is part of the destination
            # (``[see](<a>http://x)`` has the destination ``<a>``, and is no link).
            parsed = _inline_destination(text, after + 1)
            if parsed is None:
                return None
            dest_start, dest_end, end = parsed
            url = unescape_destination(text[dest_start:dest_end])
            self._add(
                "inline",
                base,
                start,
                end,
                open_ + 1,
                close,
                url,
                dest_start,
                dest_end,
                image=image,
            )
            return end
        if nxt == "[":
            label_close = masked.find("]", after + 1)
            if label_close == -1 or "[" in masked[after + 1 : label_close]:
                return None
            raw_label = text[after + 1 : label_close] or text[open_ + 1 : close]
            return self._reference(
                base, start, label_close + 1, open_ + 1, close, raw_label, image, report=True
            )
        if nxt in " \t" and after + 1 < len(masked):
            j = after
            while j < len(masked) and masked[j] in " \t":
                j += 1
            if j < len(masked) and masked[j] == "(" and _inline_destination(masked, j + 1):
                self.spaced.append(
                    SpacedLink(base + start, base + close + 1, base + after, base + j)
                )
        # A label is at most 999 characters (CommonMark); checking longer bracket pairs
        # would make nested brackets quadratic.
        if not self._by_label or close - open_ > 1000:
            return None
        label = normalize_label(text[open_ + 1 : close])
        if label in self._by_label:
            return self._reference(
                base,
                start,
                close + 1,
                open_ + 1,
                close,
                text[open_ + 1 : close],
                image,
                report=False,
            )
        return None

    def _reference(
        self,
        base: int,
        start: int,
        end: int,
        text_start: int,
        text_end: int,
        raw_label: str,
        image: bool,
        *,
        report: bool,
    ) -> int | None:
        label = normalize_label(raw_label)
        definition = self._by_label.get(label)
        if definition is None:
            if report:
                self.unresolved.append(Unresolved(base + start, base + end, raw_label))
            return None
        self._add(
            "reference",
            base,
            start,
            end,
            text_start,
            text_end,
            definition.url,
            definition.url_start,
            definition.url_end,
            image=image,
            label=label,
            absolute_url=True,
        )
        return end


def _trim_bare(text: str, start: int, end: int) -> int:
    """GFM extended autolink end: trailing punctuation and unmatched ``)`` are not part of it."""
    balance = text.count("(", start, end) - text.count(")", start, end)
    while end > start:
        ch = text[end - 1]
        if ch in _TRAILING or (ch == ")" and balance < 0):
            balance += ch == ")"
            end -= 1
        elif ch == ";":
            m = _ENTITY_END.search(text, start, end)
            if not m:
                break
            end = m.start()
        else:
            break
    return end


# The characters a link destination runs over without a second look: not a backslash,
# a parenthesis, a space or a control character.
_DEST_PLAIN = lazy(r"[^\\()\x00-\x20]*")


def _inline_destination(text: str, pos: int) -> tuple[int, int, int] | None:
    """Parse ``dest "title")`` from ``pos``; return (dest start, dest end, end after ``)``)."""
    n = len(text)
    i = pos
    while i < n and text[i] in " \t\r\n":
        i += 1
    if i < n and text[i] == ")":
        return i, i, i + 1
    if i < n and text[i] == "<":
        j = i + 1
        while j < n and text[j] not in "<>\n":
            j += 2 if text[j] == "\\" else 1
        if j >= n or text[j] != ">":
            return None
        dest_start, dest_end = i, j + 1
        i = j + 1
    else:
        depth = 0
        j = i
        while True:
            j = _DEST_PLAIN.match(text, j).end()  # type: ignore[union-attr]  # matches empty
            if j >= n:
                break
            ch = text[j]
            if ch == "\\":
                j = min(j + 2, n)
                continue
            if ch == "(":
                depth += 1
                if depth > 32:
                    return None
            elif ch == ")":
                if depth == 0:
                    break
                depth -= 1
            else:  # a space or a control character ends the destination
                break
            j += 1
        if depth != 0:
            return None
        dest_start, dest_end = i, j
        i = j
    while i < n and text[i] in " \t\r\n":
        i += 1
    if i < n and text[i] in "\"'(" and i > dest_end:
        closer = ")" if text[i] == "(" else text[i]
        j = i + 1
        while j < n and text[j] != closer:
            j += 2 if text[j] == "\\" else 1
        if j >= n:
            return None
        i = j + 1
        while i < n and text[i] in " \t\r\n":
            i += 1
    if i < n and text[i] == ")":
        return dest_start, dest_end, i + 1
    return None
