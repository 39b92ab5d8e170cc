"""The views of a fix pass's text made from those of the text before it.

A later pass's text differs from the one before only where fixes went in, and its pieces
(``listlint.pieces``) whose text did not change keep their tokens. What the token pass
(``Document.blocks``) and the links view (``Document.links``) read of such a piece depends
on that piece alone: a piece begins at a top-level heading, so no block quote, list or
region runs into it, and without a reference definition in the text no link depends on
another piece. So for those pieces the two views are taken from the text before, moved to
where the piece is now (lines, offsets, token indices), and only the changed pieces are
read again. One thing crosses pieces: what follows a heading (``HeadingBlock``'s HTML
blocks and next heading level) may be the next piece's first heading, so the headings are
read again from their tokens. Each view equals the one made afresh (tests/test_fix_passes.py
compares them on every pass of fixes of generated documents and of the corpus); when
anything is not as this module expects, the views are left to be made afresh.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from itertools import islice
from operator import gt
from typing import TYPE_CHECKING, Any

from listlint.document import (
    Blocks,
    Container,
    Containers,
    ListItem,
    Regions,
    _heading,
    _token_pass,
)
from listlint.lazyre import lazy
from listlint.pieces import _line_count
from listlint.records import NamedTuple
from listlint.views.links import Link, Links, SpacedLink, Unresolved

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.document import Document
    from listlint.pieces import Piece, Pieces
    from listlint.views.anchors import Rendered

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
    rendered: Rendered | None = None


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
    rendered = doc.__dict__.get("rendered")
    return Before(pieces.last_body, doc.body_start, pieces.last, blocks, links, rendered)


def carry(doc: Document, before: Before, pieces: Pieces) -> None:
    """Give ``doc`` (the text ``pieces`` parsed last, its tokens installed) the views of
    ``before`` for its reused pieces and views made afresh for the others, when enough of
    it is reused to make that worth while (then the views are made as usual)."""
    layout = pieces.last
    if pieces.last_body != doc.text[doc.body_start :] or not any(p.was for p in layout):
        return
    if before.blocks is None or _DEFINITION.search(doc.text):
        return  # (definition lines: where a reference may be defined, read on the whole text)
    blocks = _blocks(doc, before.blocks, layout)
    if blocks is None:
        return
    doc.__dict__["blocks"] = blocks
    if before.links is not None:
        links = _links(doc, before, layout)
        if links is not None:
            doc.__dict__["links"] = links
    if _renders_apart(doc, before, layout):
        old = before.rendered
        assert old is not None
        # (read when the views ask for it: GitHub's rendering is being made meanwhile)
        kept = (before.body, before.pieces)  # (not the views: they are freed meanwhile)
        doc.__dict__["carried_rendering"] = lambda: _rendered(doc, old, layout, kept)


def _line_ends(layout: list[Piece], body: str) -> list[int]:
    """Each piece's end line (exclusive): the next one's first line; the last piece's
    lines end with it (the empty line after a final newline is no piece's)."""
    last = layout[-1]
    text = body[last.start : last.end]
    lines = _line_count(text) + (bool(text) and text[-1] not in "\r\n")
    return [p.line for p in layout[1:]] + [last.line + lines]


def _blocks(doc: Document, old: Blocks, layout: list[Piece]) -> Blocks | None:
    if -1 in old.simple or -1 in old.list_of or old.definition_lines:
        return None  # an item without a position: not placed in a piece
    old_at, old_values = old.containers._at, old.containers._values
    old_firsts = [item.first_line for item in old.list_items]
    old_code = sorted(old.code_lines)
    old_headings = [h.token for h in old.headings]
    old_lists = [first for first, _ in old.top_lists]
    old_paragraphs = [first for first, _, _ in old.paragraphs]
    old_regions = old.regions._data
    old_region_firsts = old_regions[0::3]
    if _unsorted(old_region_firsts):
        return None
    tokens = doc.tokens
    at = array("q", [0])
    values: list[tuple[Container, ...]] = [()]
    items: list[ListItem] = []
    headings: list[int] = []
    code: set[int] = set()
    regions = array("q")
    simple: dict[int, bool] = {}
    list_of: dict[int, int] = {}
    top_lists: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int, int]] = []
    ends = _line_ends(layout, doc.text[doc.body_start :])
    for piece, end_line in zip(layout, ends, strict=True):
        t0, t1 = piece.first_token, piece.end_token
        if piece.was is None:
            part = _token_pass(doc, tokens[t0:t1])
            if -1 in part.simple or -1 in part.list_of:
                return None
            for k in range(1, len(part.containers._at)):
                at.append(part.containers._at[k] + t0)
                values.append(part.containers._values[k])
            items += part.list_items
            headings += [h.token + t0 for h in part.headings]
            code |= part.code_lines
            regions += part.regions._data
            simple.update(part.simple)
            list_of.update({k: v + t0 if v >= 0 else v for k, v in part.list_of.items()})
            top_lists += part.top_lists
            paragraphs += [(a, b, i + t0) for a, b, i in part.paragraphs]
            continue
        _, line0, tok0 = piece.was
        dl, dt = piece.line - line0, t0 - tok0
        lines = end_line - piece.line
        # Containers change only strictly inside a piece (its first token is a top-level
        # heading's: nothing is open around it).
        lo, hi = bisect_left(old_at, tok0 + 1), bisect_left(old_at, tok0 + (t1 - t0))
        at.extend([i + dt for i in old_at[lo:hi]] if dt else old_at[lo:hi])
        if dl:
            values += [
                tuple(Container(c.kind, c.first_line + dl, c.width) for c in v)
                for v in old_values[lo:hi]
            ]
        else:
            values += old_values[lo:hi]
        lo, hi = bisect_left(old_firsts, line0), bisect_left(old_firsts, line0 + lines)
        moved = old.list_items[lo:hi]
        if dl:
            moved = [ListItem(a + dl, b + dl, depth) for a, b, depth in moved]
        items += moved
        for item in old.list_items[lo:hi]:
            first = item.first_line
            simple[first + dl] = old.simple[first]
            kept = old.list_of[first]
            list_of[first + dl] = kept + dt if kept >= 0 else kept
        lo, hi = bisect_left(old_headings, tok0), bisect_left(old_headings, tok0 + (t1 - t0))
        headings += [i + dt for i in old_headings[lo:hi]]
        lo, hi = bisect_left(old_code, line0), bisect_left(old_code, line0 + lines)
        code.update(n + dl for n in old_code[lo:hi])
        lo, hi = bisect_left(old_lists, line0), bisect_left(old_lists, line0 + lines)
        top_lists += [(a + dl, b + dl) for a, b in old.top_lists[lo:hi]]
        lo, hi = bisect_left(old_paragraphs, line0), bisect_left(old_paragraphs, line0 + lines)
        paragraphs += [(a + dl, b + dl, i + dt) for a, b, i in old.paragraphs[lo:hi]]
        lo = bisect_left(old_region_firsts, line0)
        hi = bisect_left(old_region_firsts, line0 + lines)
        part_regions = old_regions[3 * lo : 3 * hi]
        if dl:
            for k in range(0, len(part_regions), 3):
                part_regions[k] += dl
                part_regions[k + 1] += dl
        regions += part_regions
    return Blocks(
        Containers(at, values, len(tokens)),
        items,
        # What follows a heading may be in the next piece: each is read again.
        [_heading(tokens, i) for i in headings],
        code,
        Regions(regions),
        simple,
        list_of,
        top_lists,
        paragraphs,
        {},
    )


def _links(doc: Document, before: Before, layout: list[Piece]) -> Links | None:
    old = before.links
    assert old is not None
    lists, old_starts = _listed(old)
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
        else:  # the rows read again (``listlint.tablerows``; a delimiter row is no region)
            for row in piece.rows:
                k = bisect_left(firsts, piece.line + row)
                if k < len(firsts) and firsts[k] == piece.line + row:
                    fresh_regions.append((data[3 * k], data[3 * k + 1], bool(data[3 * k + 2])))
    fresh = Links(doc, fresh_regions)
    if fresh.definitions or set(vars(fresh)) != _LINKS_FIELDS:
        return None
    fresh_lists, fresh_starts = _listed(fresh)
    out: dict[str, list[Any]] = {name: [] for name in lists}
    # (Only the lists that hold something are walked: most of a list's spans hold links
    # and prose, and no unresolved, spaced link or code span.)
    lists = {name: items for name, items in lists.items() if items}
    fresh_lists = {name: items for name, items in fresh_lists.items() if items}
    base = doc.body_start
    for piece in layout:
        if piece.was is None:
            _take(out, fresh_lists, fresh_starts, base + piece.start, base + piece.end)
            continue
        dl = piece.line - piece.was[1]
        for start, end, old_start in _spans(doc, before, piece):
            if old_start < 0:
                _take(out, fresh_lists, fresh_starts, start, end)
                continue
            by = start - old_start
            for name, items in lists.items():
                starts = old_starts[name]
                part = items[
                    bisect_left(starts, old_start) : bisect_left(starts, old_start + end - start)
                ]
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


def _spans(doc: Document, before: Before, piece: Piece) -> list[tuple[int, int, int]]:
    """The parts of a reused piece (offsets in ``doc``), each with where it was in the text
    before (-1: a row read again, whose links are read again too): the whole piece, or the
    runs of lines between its changed rows and those rows."""
    assert piece.was is not None
    start = doc.body_start + piece.start
    old_start = before.body_start + piece.was[0]
    if not piece.rows:
        return [(start, doc.body_start + piece.end, old_start)]
    out = []
    old_body, new_starts = before.body, doc.line_starts
    line = 0  # from the piece's first
    for row in piece.rows:
        row_start = new_starts[piece.line + row]
        if row > line:
            out.append((start, row_start, old_start))
        for _ in range(row + 1 - line):  # the old text's lines, up to the row's end
            found = old_body.find("\n", old_start - before.body_start)
            old_start = before.body_start + (found + 1 if found >= 0 else len(old_body))
        after = piece.line + row + 1
        start = new_starts[after] if after < len(new_starts) else len(doc.text)
        if out and out[-1][2] < 0 and out[-1][1] == row_start:
            # The rows of a table follow each other: one span for them all (its items
            # are those of the rows, taken at once).
            out[-1] = (out[-1][0], start, -1)
        else:
            out.append((row_start, start, -1))
        line = row + 1
    if start < doc.body_start + piece.end:
        out.append((start, doc.body_start + piece.end, old_start))
    return out


def _take(
    out: dict[str, list[Any]],
    lists: dict[str, list[Any]],
    starts: dict[str, list[int]],
    start: int,
    end: int,
) -> None:
    """Add to ``out`` the items of ``lists`` that start in [start, end)."""
    for name, items in lists.items():
        found = starts[name]
        out[name] += items[bisect_left(found, start) : bisect_left(found, end)]


_LISTED = ("links", "unresolved", "spaced", "code_spans", "prose")


def _listed(links: Links) -> tuple[dict[str, list[Any]], dict[str, list[int]]]:
    """The links view's lists by name, and the start offset of each item (a link's is its
    second field, every other item's its first)."""
    lists: dict[str, list[Any]] = {name: getattr(links, name) for name in _LISTED}
    starts = {
        name: [item[1] for item in items] if name == "links" else [item[0] for item in items]
        for name, items in lists.items()
    }
    return lists, starts


def _unsorted(starts: Sequence[int]) -> bool:
    # (pairs compared by ``map`` in C: a generator over ``pairwise`` cost 3-4 ms a list
    # of the 14,000 links of a long list)
    return any(map(gt, starts, islice(starts, 1, None)))


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


# -- what the views read of GitHub's rendering ---------------------------------------------
#
# ``Document.rendered`` reads cmark-gfm's rendering of the whole text: its tables (lines of
# the header, the rows and the containers around them), its headings, its HTML anchors.
# Where the text holds no raw HTML (no "<": no HTML block, comment or anchor of the
# author's), no footnote ("[^") and no reference definition ("]:"), nothing of a piece's
# rendering depends on what is before it once a top-level heading starts it in cmark-gfm
# too (nothing is open there), nor on what follows (what is open at its end is closed by
# the next piece's heading, which the piece alone decides). Then the readings of a piece
# no fix changed are those of the text before, moved to its lines, where the text before
# rendered that piece's first line as a heading; the others are read from their part of
# the new rendering, cut where each piece's heading starts (as
# ``listlint.github.Pieces`` cuts it), when every piece starts with one there.
#
# A piece whose only changes are rows of its tables (``Piece.rows``) keeps the tables of
# the text before too, where each changed line was a row of a top-level table there and
# stays one in cmark-gfm (``_rows_kept``): a body line that starts with a pipe after at
# most three spaces opens no other block, and is a row when a cell follows the pipe; a
# header stays one after a blank line when only blanks around its cells changed. Where no
# piece is left to read, the new rendering is not waited for at all (the guard still
# compares it, once the lint is done).

_HEADING_AT = lazy(r'<h[1-6] data-sourcepos="(\d+):1-')


# "]:" found by the pattern: ``in`` takes twice as long where the text holds many "]"
# (links: 1.5 ms on a 1.4 MB list, the pattern 0.6 ms); "[^" after "^", which few hold.
_DEFINITION = lazy(r"\]:")


def _apart(body: str) -> bool:
    return not (
        "<" in body
        or "\r" in body
        or ("^" in body and "[^" in body)
        or "data-sourcepos" in body
        or _DEFINITION.search(body)
    )


def _renders_apart(doc: Document, before: Before, layout: list[Piece]) -> bool:
    old = before.rendered
    if old is None or old.anchors or not doc.keep_rendering:
        return False
    if not (_apart(doc.text[doc.body_start :]) and _apart(before.body)):
        return False
    lines = {h.line for h in old.headings if not h.raw}
    return all(p.was is None or p.rows or p.was[1] == 0 or p.was[1] in lines for p in layout)


def _rendered(
    doc: Document, old: Rendered, layout: list[Piece], before: tuple[str, list[Piece]]
) -> Rendered | None:
    from listlint.github import render_html
    from listlint.views.anchors import (
        Rendered,
        RenderedHeading,
        rendered_anchors,
        rendered_headings,
    )
    from listlint.views.tables import github_tables

    table_lines = [t[0] for t in old.tables]
    heading_lines = [h.line for h in old.headings]
    if _unsorted(table_lines) or _unsorted(heading_lines):
        return None
    moved = _moved_pieces(doc, old, layout, before, table_lines)
    html = ""
    cuts: list[int] = []
    if not all(moved):
        html = render_html(doc.text, sourcepos=True)
        at: dict[int, int] = {}  # 0-based line -> where its top-level heading starts
        for m in _HEADING_AT.finditer(html):
            if m.start() == 0 or html[m.start() - 1] == "\n":
                at.setdefault(int(m.group(1)) - 1, m.start())
        cuts = [0]
        for piece in layout[1:]:
            pos = at.get(piece.line)
            if pos is None or pos < cuts[-1]:
                return None
            cuts.append(pos)
        cuts.append(len(html))
    tables: list[tuple[int, list[int], list[tuple[str, int]], bool]] = []
    headings: list[RenderedHeading] = []
    anchored = "=" in doc.text
    ends = _line_ends(layout, doc.text[doc.body_start :])
    for k, (piece, end_line) in enumerate(zip(layout, ends, strict=True)):
        if not moved[k]:
            part = html[cuts[k] : cuts[k + 1]]
            tables += github_tables(part)
            headings += rendered_headings(part, doc.text, doc.line_starts)
            if anchored and rendered_anchors(part, doc.text, doc.line_starts):
                return None
            continue
        assert piece.was is not None
        line0 = piece.was[1]
        dl, stop = piece.line - line0, line0 + end_line - piece.line
        lo, hi = bisect_left(table_lines, line0), bisect_left(table_lines, stop)
        tables += [
            (header + dl, [n + dl for n in rows], [(kind, n + dl) for kind, n in around], note)
            for header, rows, around, note in old.tables[lo:hi]
        ]
        lo, hi = bisect_left(heading_lines, line0), bisect_left(heading_lines, stop)
        headings += [h._replace(line=h.line + dl) for h in old.headings[lo:hi]]
    return Rendered(tables, headings, [])


def _moved_pieces(
    doc: Document,
    old: Rendered,
    layout: list[Piece],
    before: tuple[str, list[Piece]],
    table_lines: list[int],
) -> list[bool]:
    """For each piece, whether its readings are those of the text before, moved: it is
    reused (``_renders_apart`` saw its first line rendered as a heading there), and where
    its table rows changed, each stays a row of the same table (``_rows_kept``)."""
    old_body, old_layout = before
    old_starts = [p.start for p in old_layout]
    body = doc.text[doc.body_start :]
    headed = {h.line for h in old.headings if not h.raw}
    out = []
    for piece in layout:
        if piece.was is None or not piece.rows:
            out.append(piece.was is not None)
            continue
        if piece.was[1] != 0 and piece.was[1] not in headed:
            out.append(False)
            continue
        k = bisect_left(old_starts, piece.was[0])
        if k == len(old_starts) or old_starts[k] != piece.was[0]:
            out.append(False)
            continue
        was = old_body[old_layout[k].start : old_layout[k].end].split("\n")
        now = body[piece.start : piece.end].split("\n")
        out.append(_rows_kept(old, table_lines, piece, was, now))
    return out


# cmark-gfm's blanks around a table cell (``spacechar``), and the most cells a table here
# may have for its autocompleted ones (cmark-gfm stops a table past 0x80000) not to count.
_SPACECHARS = " \t\v\f"
_CELLS = 0x10000


def _rows_kept(
    old: Rendered, table_lines: list[int], piece: Piece, was: list[str], now: list[str]
) -> bool:
    """Does each changed line of ``piece`` (``was``: its lines before, ``now``: after)
    stay in cmark-gfm what it was, a row of a top-level table? A body row stays one where
    it starts with a pipe after at most three spaces (no block starts so, and the table's
    next line is read on its own) with a cell after the pipe (``|`` alone is no row); a
    header where only blanks around its cells changed (no backslash: each pipe splits,
    and as many cells stay), after a blank line, as far indented. A changed delimiter row
    is read again."""
    assert piece.was is not None
    line0 = piece.was[1]
    table = -1  # the table of the last row looked at (rows come in order)
    last = -1  # the last line of that table
    for row in piece.rows:
        line = line0 + row
        if line > last:
            table = bisect_left(table_lines, line + 1) - 1
            if table < 0 or row >= len(now):
                return False
            header, body, around, note = old.tables[table]
            if around or note or header < line0:
                return False
            if (len(body) + 2) * (was[header - line0].count("|") + 1) > _CELLS:
                return False
            # (a table's body rows are consecutive lines)
            last = body[-1] if body else header + 1
            if line > last:
                return False
        new = now[row]
        lead = len(new) - len(new.lstrip(" "))
        if lead > 3 or new[lead : lead + 1] != "|" or line == header + 1:
            return False
        if line == header:
            before = was[row]
            if row == 0 or now[row - 1].strip(" \t") or "\\" in new or "\\" in before:
                return False
            if len(before) - len(before.lstrip(" ")) != lead or before[lead : lead + 1] != "|":
                return False
            if _unblank(before) != _unblank(new):
                return False
        elif not new[lead + 1 :].lstrip(_SPACECHARS):
            return False
    return True


def _unblank(line: str) -> str:
    return line.replace(" ", "").replace("\t", "")
