"""Parse again only the part of a document that changed.

A language server lints the same document after every pause in typing, and the fix loop
lints the text of each of its passes; the block parse is half of a lint. A top-level ATX
heading at the start of a line, after a blank line, closes everything before it unless a
fenced code block or an HTML block (which run past blank lines) is still open: so the
document is cut before each such heading, each piece is parsed on its own with a sentinel
heading after it, and a piece whose sentinel does not come out as a top-level heading
(something runs on) is joined to the next piece and parsed again. The tokens of a piece
whose text did not change are reused, their line numbers shifted. The result is the token
list the whole-document parse gives (tested on generated documents and on the corpus, edit
after edit, and on every pass of a fix).

A text that shares little with the last one is parsed whole (one parse costs less than its
pieces parsed one by one), and its pieces are taken from that parse (``Pieces.parse``): a
cut whose line starts a top-level heading there closes everything before it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint import document, tablerows
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Container
    from typing import Any

    from markdown_it.token import Token

# A blank line, then an ATX heading at the start of the next line: where a piece may begin
# (``_cuts`` finds its matches' ends without trying it at every character).
_CUT = lazy(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)(?=#{1,6}(?:[ \t\r\n]|\Z))")
_SENTINEL = "# listlint\n"


def _cuts(body: str) -> list[int]:
    """Where pieces may start (after the blank line's newline), with 0 and the end: the
    ends of ``_CUT``'s matches. A match is newlines, spaces and tabs up to a ``#``, so it
    ends at a ``#`` just after a newline; it ends there when the ``#`` run is a heading's
    (one to six, then a blank or the end) and the characters before that newline, past
    spaces and tabs, end with another (a ``\r\n`` counts as two there, as the pattern
    reads it)."""
    out = [0]
    n = len(body)
    for p in _after_newline(body, "#"):
        q = p
        while q < n and body[q] == "#":
            q += 1
        if q - p > 6 or (q < n and body[q] not in " \t\r\n"):
            continue
        k = p - 1
        while k > 0 and body[k - 1] in " \t":
            k -= 1
        if k > 0 and body[k - 1] in "\r\n":
            out.append(p)
    out.append(n)
    return out


def _after_newline(text: str, char: str) -> list[int]:
    """The offsets of ``char`` just after a ``\n`` or ``\r``, ascending (found by
    ``str.find``, which runs many times faster than a pattern starting with a class)."""
    out: list[int] = []
    for newline in ("\n", "\r") if "\r" in text else ("\n",):
        pair = newline + char
        i = text.find(pair)
        while i != -1:
            out.append(i + 1)
            i = text.find(pair, i + 2)
    if "\r" in text:
        out.sort()
    return out


def _line_count(text: str) -> int:
    """The newlines in ``text``, as ``listlint.document.NEWLINE`` finds them (a CRLF is one)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _parse_piece(text: str, last: bool) -> tuple[list[Token], bool]:
    """The piece's tokens, and whether it closes (nothing in it runs into what follows)."""
    if last:
        return document.parse(text), True
    tokens = document.parse(text + _SENTINEL)
    n = _line_count(text)
    if (
        len(tokens) >= 3
        and tokens[-3].type == "heading_open"
        and tokens[-3].level == 0
        and tokens[-3].map == [n, n + 1]
    ):
        return tokens[:-3], True
    return tokens, False


def _shift(tokens: list[Token], by: int) -> None:
    seen: set[int] = set()
    for tok in tokens:
        m = tok.map
        if m is not None and id(m) not in seen:
            seen.add(id(m))
            m[0] += by
            m[1] += by


def mostly_kept(body: str, cuts: list[int], kept: Container[str]) -> bool:
    """Is at least half of ``body`` (cut at ``cuts``) in pieces found in ``kept``? (Below
    that, working on the whole text costs less than working piece by piece.)"""
    found = sum(
        cuts[k + 1] - cuts[k] for k in range(len(cuts) - 1) if body[cuts[k] : cuts[k + 1]] in kept
    )
    return 2 * found >= len(body)


def _drop_unwanted(old: dict[str, Any], wanted: Container[str]) -> None:
    """Drop from ``old`` the pieces that the text (whose pieces are ``wanted``) cannot
    reuse, before any piece of it is parsed: the tokens of the pieces that changed are
    freed first, and the new pieces' take their place in memory (peak memory: a fix
    changes half the pieces of a long list). A piece joined with the next ones (it ran on)
    spans several cuts: it is kept, as it may still be found."""
    for text in [t for t in old if t not in wanted]:
        if len(_cuts(text)) == 2:  # no place to cut: it never spanned several
            del old[text]


class Piece(NamedTuple):
    """One piece of the last text parsed: offsets into its body, first line, where its
    tokens are in the text's, and where the same text was in the text parsed before
    (its offset, first line and first token) when its tokens were reused from there."""

    start: int
    end: int
    line: int
    first_token: int
    end_token: int
    was: tuple[int, int, int] | None
    # Lines (from the piece's first) that changed, when only rows of its tables did: its
    # tokens are those of the text at ``was``, the rows' cells read again
    # (``listlint.tablerows``).
    rows: tuple[int, ...] = ()


class Pieces:
    """The parsed pieces of one document, kept between its versions.

    Tokens are shared with the documents built from them and shifted in place when lines
    are added or removed above them: a document parsed from an older version must be
    released (``Document.release``) before the next version is parsed.
    """

    def __init__(self) -> None:
        # text -> tokens, first line, whether the piece is known to close (a piece that was
        # the last of its document was parsed without a sentinel: an unclosed HTML comment
        # or fence there runs on into whatever is written after it next time); and the
        # piece's offset and first token there.
        self._cache: dict[str, tuple[list[Token], int, bool, int, int]] = {}
        # The pieces of the last text parsed (``Piece``), and that text.
        self.last: list[Piece] = []
        self.last_body = ""

    def parse(self, body: str) -> list[Token]:
        """As ``tokens``, but parsing ``body`` whole (and taking its pieces from that
        parse) when less than half of it could be reused."""
        cuts = _cuts(body)
        if not mostly_kept(body, cuts, self._cache):
            tokens = document.parse(body)
            self.seed(body, tokens, cuts)
            return tokens
        return self.tokens(body, cuts)

    def seed(self, body: str, tokens: list[Token], cuts: list[int] | None = None) -> None:
        """Remember the pieces of ``body`` from its whole parse ``tokens``: a cut is a
        piece's start when its line starts a top-level heading there."""
        if cuts is None:
            cuts = _cuts(body)
        lines: dict[int, int] = {}  # the line a cut starts -> its offset
        line = 0
        prev = 0
        for c in cuts[1:-1]:
            line += _line_count(body[prev:c])
            lines[line] = c
            prev = c
        self._cache = {}
        self.last = []
        self.last_body = body
        start, first, begin = 0, 0, 0
        for i, tok in enumerate(tokens):
            m = tok.map
            if m is None or tok.level != 0 or tok.type != "heading_open" or m[0] not in lines:
                continue
            end = lines[m[0]]
            self._cache[body[start:end]] = (tokens[begin:i], first, True, start, begin)
            self.last.append(Piece(start, end, first, begin, i, None))
            start, first, begin = end, m[0], i
        self._cache[body[start:]] = (tokens[begin:], first, False, start, begin)
        self.last.append(Piece(start, len(body), first, begin, len(tokens), None))

    def _spare(
        self, old: dict[str, Any], body: str, cuts: list[int], wanted: Container[str]
    ) -> dict[int, tuple[str, Any]]:
        """The pieces of the last text that ``body`` has changed where it has as many
        pieces, by place (each with its text), taken out of ``old``: a piece whose only
        changes are in table rows keeps their tokens (``listlint.tablerows``)."""
        layout, last_body = self.last, self.last_body
        if len(layout) != len(cuts) - 1:
            return {}
        spare = {}
        for k, piece in enumerate(layout):
            was = last_body[piece.start : piece.end]
            now = body[cuts[k] : cuts[k + 1]]
            if (
                was != now
                and was not in wanted
                and "|" in was
                and was in old
                and was.count("\n") == now.count("\n")
            ):
                spare[k] = (was, old.pop(was))
        return spare

    def tokens(self, body: str, cuts: list[int] | None = None) -> list[Token]:
        """The block tokens of ``body`` (a document's text after its byte-order mark), as
        ``listlint.document.parse(body)`` gives them."""
        if cuts is None:
            cuts = _cuts(body)
        # A cut is after the blank line's newline: the piece before it ends with it.
        old, self._cache = self._cache, {}
        wanted = {body[cuts[k] : cuts[k + 1]] for k in range(len(cuts) - 1)}
        spare = self._spare(old, body, cuts, wanted)
        _drop_unwanted(old, wanted)
        self.last = []
        self.last_body = body
        out: list[Token] = []
        line = 0
        k = 0
        while k < len(cuts) - 1:
            start, end = cuts[k], cuts[k + 1]
            text = body[start:end]
            hit = old.pop(text, None)
            last = end == len(body)
            was = None
            rows: tuple[int, ...] | None = ()
            if hit is None and k in spare:
                before, hit = spare.pop(k)
                if hit[2] or last:
                    rows = tablerows.redone(before, text, hit[0], hit[1])
                if rows is None or not rows:
                    hit = None
            if hit is not None and (hit[2] or last):
                tokens, first, closed = hit[:3]
                was = (hit[3], first, hit[4])
            else:
                rows = ()
                tokens, closed = _parse_piece(text, end == len(body))
                step = 1
                while not closed:  # runs on: one piece with the next ones (twice as many
                    k = min(k + step, len(cuts) - 2)  # each time: linear at worst)
                    step *= 2
                    end = cuts[k + 1]
                    text = body[start:end]
                    tokens, closed = _parse_piece(text, end == len(body))
                first = 0
                closed = end != len(body)
            if line != first:
                _shift(tokens, line - first)
            self._cache[text] = (tokens, line, closed, start, len(out))
            self.last.append(
                Piece(start, end, line, len(out), len(out) + len(tokens), was, rows or ())
            )
            out += tokens
            line += _line_count(text)
            k += 1
        return out
