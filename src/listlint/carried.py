"""The views of a fix pass's text made from those of the text before it.

A later pass's text differs from the one before only where fixes went in, and its pieces
(``listlint.pieces``) whose text did not change keep their tokens. What the links view
(``Document.links``) reads of such a piece depends on that piece alone: a piece begins at
a top-level heading, so no block quote, list or region runs into it, and without a
reference definition in the text no link depends on another piece. So for those pieces
the view is taken from the text before, moved to where the piece is now (lines, offsets,
token indices), and only the changed pieces are read again. (The token pass,
``Document.blocks``, is made afresh.) The view equals the one made afresh
(tests/test_fix_passes.py compares them on every pass of fixes of generated documents and
of the corpus); when anything is not as this module expects, it is made afresh.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from listlint.document import Blocks
from listlint.pieces import _line_count
from listlint.records import NamedTuple
from listlint.views.links import Link, Links, SpacedLink, Unresolved

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.document import Document
    from listlint.pieces import Piece, Pieces

# What ``Links.__init__`` sets: a links view is put together from these, and nothing else.
_LINKS_FIELDS = frozenset(
    ("doc", "links", "definitions", "unresolved", "spaced", "code_spans", "prose", "_by_label")
)


class Before(NamedTuple):
    """What a pass keeps of the text before: its body, its pieces, its views (None: not
    made)."""

    body: str
    body_start: int
    pieces: list[Piece]
    blocks: Blocks | None
    links: Links | None


def taken(doc: Document, pieces: Pieces) -> Before | None:
    """The views of ``doc`` (the text ``pieces`` parsed last) to carry into the next text,
    taken before ``doc`` is released; None when there is nothing to carry."""
    blocks = doc.__dict__.get("blocks")
    if blocks is None or pieces.last_body != doc.text[doc.body_start :]:
        return None
    links = doc.__dict__.get("links")
    # (``_starts``: the links' offsets, kept once asked for; made again when needed.)
    if links is not None and (links.definitions or set(vars(links)) - {"_starts"} != _LINKS_FIELDS):
        links = None
    return Before(pieces.last_body, doc.body_start, pieces.last, None, links)


def carry(doc: Document, before: Before, pieces: Pieces) -> None:
    """Give ``doc`` (the text ``pieces`` parsed last, its tokens installed) the views of
    ``before`` for its reused pieces and views made afresh for the others, when enough of
    it is reused to make that worth while (then the views are made as usual)."""
    layout = pieces.last
    if pieces.last_body != doc.text[doc.body_start :] or not any(p.was for p in layout):
        return
    # The token pass (Document.blocks) is made afresh: since a check drops the tokens
    # after it, it also gathers what follows each heading, the top-level lists, paragraphs
    # and definition lines, which this module does not move yet.
    if before.links is not None and "]:" not in doc.text:
        links = _links(doc, before, layout)
        if links is not None:
            doc.__dict__["links"] = links


def _line_ends(layout: list[Piece], body: str) -> list[int]:
    """Each piece's end line (exclusive): the next one's first line; the last piece's
    lines end with it (the empty line after a final newline is no piece's)."""
    last = layout[-1]
    text = body[last.start : last.end]
    lines = _line_count(text) + (bool(text) and text[-1] not in "\r\n")
    return [p.line for p in layout[1:]] + [last.line + lines]


def _links(doc: Document, before: Before, layout: list[Piece]) -> Links | None:
    old = before.links
    assert old is not None
    lists: dict[str, list[Any]] = {
        "links": old.links,
        "unresolved": old.unresolved,
        "spaced": old.spaced,
        "code_spans": old.code_spans,
        "prose": old.prose,
    }
    old_starts = {
        name: [item[0] if name != "links" else item[1] for item in items]
        for name, items in lists.items()
    }
    if any(_unsorted(starts) for starts in old_starts.values()):
        return None
    fresh_regions = []
    regions = doc.blocks.regions
    ends = _line_ends(layout, doc.text[doc.body_start :])
    data = regions._data
    firsts = data[0::3]
    for piece, end_line in zip(layout, ends, strict=True):
        if piece.was is None:
            lo, hi = bisect_left(firsts, piece.line), bisect_left(firsts, end_line)
            fresh_regions += [
                (data[3 * k], data[3 * k + 1], bool(data[3 * k + 2])) for k in range(lo, hi)
            ]
    fresh = Links(doc, fresh_regions)
    if fresh.definitions or set(vars(fresh)) != _LINKS_FIELDS:
        return None
    fresh_lists: dict[str, list[Any]] = {
        "links": fresh.links,
        "unresolved": fresh.unresolved,
        "spaced": fresh.spaced,
        "code_spans": fresh.code_spans,
        "prose": fresh.prose,
    }
    fresh_starts = {
        name: [item[0] if name != "links" else item[1] for item in items]
        for name, items in fresh_lists.items()
    }
    out: dict[str, list[Any]] = {name: [] for name in lists}
    base = doc.body_start
    for piece in layout:
        start, end = base + piece.start, base + piece.end
        if piece.was is None:
            for name, items in fresh_lists.items():
                starts = fresh_starts[name]
                out[name] += items[bisect_left(starts, start) : bisect_left(starts, end)]
            continue
        was_start, line0, _ = piece.was
        old_start = before.body_start + was_start
        by = start - old_start
        dl = piece.line - line0
        size = piece.end - piece.start
        for name, items in lists.items():
            starts = old_starts[name]
            part = items[bisect_left(starts, old_start) : bisect_left(starts, old_start + size)]
            if by or (dl and name == "links"):
                part = _MOVE[name](part, by, dl)
            out[name] += part
    links = Links.__new__(Links)
    links.__dict__.update(
        doc=doc,
        links=out["links"],
        definitions=[],
        unresolved=out["unresolved"],
        spaced=out["spaced"],
        code_spans=out["code_spans"],
        prose=out["prose"],
        _by_label={},
    )
    return links


def _unsorted(starts: Sequence[int]) -> bool:
    return any(a > b for a, b in pairwise(starts))


def _moved_links(links: list[Link], by: int, dl: int) -> list[Link]:
    return [
        Link(
            kind,
            start + by,
            end + by,
            text_start + by,
            text_end + by,
            url,
            url_start + by,
            url_end + by,
            line + dl,
            image,
            label,
        )
        for (
            kind,
            start,
            end,
            text_start,
            text_end,
            url,
            url_start,
            url_end,
            line,
            image,
            label,
        ) in links
    ]


_MOVE: dict[str, Any] = {
    "links": _moved_links,
    "unresolved": lambda items, by, dl: [
        Unresolved(s + by, e + by, label) for s, e, label in items
    ],
    "spaced": lambda items, by, dl: [
        SpacedLink(s + by, e + by, gs + by, ge + by) for s, e, gs, ge in items
    ],
    "code_spans": lambda items, by, dl: [(s + by, e + by) for s, e in items],
    "prose": lambda items, by, dl: [(s + by, text) for s, text in items],
}
