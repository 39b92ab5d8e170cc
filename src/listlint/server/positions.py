"""Offsets into a text, and LSP positions in the encoding client and server agreed on.

LSP counts a position's ``character`` in UTF-16 code units unless the client offered
another ``positionEncoding`` (``utf-8``: bytes; ``utf-32``: code points, which is what a
Python ``str`` indexes). Lines end at ``\\r\\n``, ``\\r`` or ``\\n``, as in listlint's own
documents (never ``str.splitlines``, which also splits at form feeds and U+2028).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Literal, NamedTuple

from listlint.document import NEWLINE

if TYPE_CHECKING:
    from collections.abc import Iterable

Encoding = Literal["utf-8", "utf-16", "utf-32"]


def units(text: str, encoding: Encoding) -> int:
    """The length of ``text`` in the encoding's code units."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


def _char_units(ch: str, encoding: Encoding) -> int:
    code = ord(ch)
    if encoding == "utf-16":
        return 2 if code > 0xFFFF else 1
    if encoding == "utf-8":
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


class Position(NamedTuple):
    """0-based line and character (in code units of the agreed encoding)."""

    line: int
    character: int


class LineIndex:
    """Where each line of ``text`` starts, to convert offsets and positions both ways."""

    def __init__(self, text: str, encoding: Encoding = "utf-16") -> None:
        self.text = text
        self.encoding: Encoding = encoding
        self.starts = [0]
        self.ends: list[int] = []
        for m in NEWLINE.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def position(self, offset: int) -> Position:
        """The position of ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        line = self.line_of(offset)
        start = self.starts[line]
        # An offset inside a \r\n pair is the end of its line.
        prefix = self.text[start : min(offset, self.ends[line])]
        return Position(line, units(prefix, self.encoding))

    def offset(self, line: int, character: int) -> int:
        """The offset of a position; a line past the end is the end of the text and a
        character past the end of its line is the end of the line (as LSP says)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.ends[line]
        text = self.text[start:end]
        if self.encoding == "utf-32" or text.isascii():
            return start + min(max(character, 0), len(text))
        count = 0
        for i, ch in enumerate(text):
            if count >= character:
                return start + i
            count += _char_units(ch, self.encoding)
        return end

    def span(self, start: int, end: int) -> tuple[Position, Position]:
        return self.position(start), self.position(end)

    def replaced(self, start: int, end: int, text: str) -> LineIndex:
        """The index of this text with ``[start, end)`` replaced by ``text``, scanning
        only the lines around the change (a keystroke in a long list costs a few lines,
        not the whole text)."""
        new = self.text[:start] + text + self.text[end:]
        delta = len(text) - (end - start)
        first = max(self.line_of(start) - 1, 0)  # from the line above: \r + \n may join
        last = self.line_of(end) + 1  # to the line after the change (its newline included)
        lo = self.starts[first]
        hi = self.starts[last] + delta if last < len(self.starts) else len(new)
        out = LineIndex.__new__(LineIndex)
        out.text = new
        out.encoding = self.encoding
        out.starts = self.starts[: first + 1]
        out.ends = self.ends[:first]
        for m in NEWLINE.finditer(new, lo, hi):
            out.ends.append(m.start())
            out.starts.append(m.end())
        if last < len(self.starts):
            out.starts += [s + delta for s in self.starts[last + 1 :]]
            out.ends += [e + delta for e in self.ends[last:]]
        else:
            out.ends.append(len(new))
        return out


class Change(NamedTuple):
    """One content change: replace ``[start, end)`` (positions) with ``text``; no range
    means the whole document."""

    range: tuple[Position, Position] | None
    text: str


def apply_changes(text: str, changes: Iterable[Change], encoding: Encoding) -> str:
    """The text after the client's changes, applied in order (each one's positions refer
    to the text the previous one left)."""
    return apply_to_index(LineIndex(text, encoding), changes).text


def apply_to_index(index: LineIndex, changes: Iterable[Change]) -> LineIndex:
    """``apply_changes`` on an index of the text, giving the index of the result."""
    for change in changes:
        if change.range is None:
            index = LineIndex(change.text, index.encoding)
            continue
        (sl, sc), (el, ec) = change.range
        start = index.offset(sl, sc)
        end = max(start, index.offset(el, ec))
        index = index.replaced(start, end, change.text)
    return index
