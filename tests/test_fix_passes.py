"""The fix loop's passes: what a later pass reuses of the one before must be what it would
have computed afresh (the tokens of unchanged pieces, listlint.pieces)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from explore import explored
from helpers import all_rules, options_for, watch_renderings
from hypothesis import given
from hypothesis import strategies as st
from strategies import documents, edit_versions, sectioned

from listlint import carried
from listlint.api import Job, fix_text
from listlint.document import NEWLINE, Blocks, Document, parse
from listlint.pieces import Pieces

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"

BLOCKS = st.sampled_from(
    [
        "# Title",
        "## Tools",
        "- [A](http://a.example) - A.\n- [B](https://b.example) - B.",
        "- item\n\n  continued after a blank line",
        "|a|b|\n|-|-|\n| 1 |2|",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |",
        "> quoted\n> # heading in a quote",
        "```\ncode\n\n# not a heading\n```",
        "```\nunclosed fence",
        "<!-- comment\n\n## commented out\n-->",
        "<script>\n\n# in a script\n</script>",
        "<div>\n\n# after an html block\n</div>",
        "    indented code\n\n# x",
        "[ref]: http://example.org",
        "Text\n===",
        "",
    ]
)


@explored(150)
@given(edit_versions(BLOCKS, 4))
def test_pieces_taken_from_a_whole_parse_parse_later_texts_as_the_whole_parse(
    texts: list[str],
) -> None:
    first = parse(texts[0])
    seeded = Pieces()
    seeded.seed(texts[0], first)
    chooser = Pieces()
    assert chooser.parse(texts[0]) == first
    for text in texts[1:]:
        expected = parse(text)
        assert seeded.tokens(text) == expected  # reuse whatever can be reused
        assert chooser.parse(text) == expected  # whole or in pieces, as it chooses


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every parse of the fix loop compare its tokens with a whole parse."""
    original = Pieces.parse
    calls: list[int] = []

    def checking(self: Pieces, body: str) -> Any:
        tokens = original(self, body)
        assert tokens == parse(body)
        calls.append(1)
        return tokens

    monkeypatch.setattr(Pieces, "parse", checking)
    return calls


@explored(60)
@given(st.one_of(documents(), sectioned()))
def test_every_pass_of_a_fix_parses_as_the_whole_parse(text: str) -> None:
    job = Job(list(all_rules()), options_for(), unsafe=True)
    with pytest.MonkeyPatch.context() as mp:
        calls = _checked(mp)
        fix_text(text, job)
    assert calls


def test_every_pass_of_a_fix_parses_as_the_whole_parse_on_the_corpus(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = sorted(p for p in CORPUS.glob("*.md") if p.stat().st_size < 300_000)
    if not files:
        pytest.skip("no corpus next to the repository")
    calls = _checked(monkeypatch)
    job = Job(list(all_rules()), options_for(), unsafe=True)
    for path in files:
        before = len(calls)
        outcome = fix_text(path.read_text(encoding="utf-8"), job, path.name)
        assert len(calls) > before + (outcome.new_text is not None), path.name


def _big_list() -> str:
    out = ["# Papers", ""]
    for k in range(300):
        out += [f"## Part {k}", "", "| Name | Paper |", "|---|---|"]
        out += [f"| P{k}-{n}  |  [x](http://arxiv.org/abs/2101.{n:05d}) |" for n in range(3)]
        out += ["", f"- [Tool {k}](http://example.com/{k}) - a tool.", ""]
    return "\n".join(out)


def test_renderings_started_ahead_are_each_made_once_and_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large text's GitHub rendering is started in a thread before it is parsed: the
    table view and the guard wait for it instead of rendering again, and the fix is the
    one made without it."""

    import listlint.github
    import listlint.guard

    text = _big_list()
    assert len(text) > listlint.guard._PREFETCH_SIZE
    job = Job(list(all_rules()), options_for(), unsafe=True)
    made, started = watch_renderings(monkeypatch)
    ahead = fix_text(text, job)
    assert ahead.new_text is not None and ahead.new_text != text
    assert made and max(made.values()) == 1
    assert (text, True) in made and (ahead.new_text, True) in made
    # The fixed text's rendering without positions, the guard's, made off the lint's
    # thread (derived from the one with positions: no rendering more).
    assert (ahead.new_text, False) in started and (text, False) not in started
    assert not listlint.github._pending
    monkeypatch.setattr(listlint.guard, "_prefetch", listlint.guard._no_prefetch)
    listlint.github._memo.clear()
    plain = fix_text(text, job)
    assert (plain.new_text, plain.diagnostics, plain.fixed) == (
        ahead.new_text,
        ahead.diagnostics,
        ahead.fixed,
    )


@explored(400)
@given(
    st.lists(
        st.sampled_from(["\n", "\r", "\r\n", " ", "\t", "#", "##", "#" * 7, "a", "# h", "x\n"]),
        max_size=14,
    ).map("".join)
)
def test_cuts_are_where_the_cut_pattern_matches(body: str) -> None:
    from listlint.fix import dominant_newline
    from listlint.pieces import _CUT, _cuts

    assert _cuts(body) == [0, *(m.end() for m in _CUT.finditer(body)), len(body)]
    counts: dict[str, int] = {}
    for m in NEWLINE.finditer(body):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    assert dominant_newline(body) == (max(counts, key=lambda k: counts[k]) if counts else "\n")


def _same_views(doc: Document) -> int:
    """Are the views carried into ``doc`` those made afresh? (How many were carried.)"""
    blocks, links = doc.__dict__.get("blocks"), doc.__dict__.get("links")
    fresh = Document(doc.text, doc.path)
    fresh.__dict__["tokens"] = doc.tokens
    if blocks is not None:
        made = fresh.blocks
        assert len(blocks.containers) == len(made.containers)
        for field in Blocks._fields:  # every field the token pass gathers
            mine, theirs = getattr(blocks, field), getattr(made, field)
            if field in ("containers", "regions"):
                mine, theirs = list(mine), list(theirs)
            assert mine == theirs, field
    if links is not None:
        made_links = fresh.links
        for field in ("links", "definitions", "unresolved", "spaced", "code_spans", "prose"):
            assert getattr(links, field) == getattr(made_links, field), field
    read = doc.__dict__.get("carried_rendering")
    mine = read() if read is not None else None
    if mine is not None:  # what the views read of GitHub's rendering, carried
        from listlint.views.anchors import read_rendering

        assert mine == read_rendering(doc.text, doc.line_starts, True)
        RENDERINGS_CARRIED.append(doc.text)
    return (blocks is not None) + (links is not None)


RENDERINGS_CARRIED: list[str] = []


def _checking_carry(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    original = carried.carry
    found: list[int] = []

    def checking(doc: Document, before: carried.Before, pieces: Pieces) -> None:
        original(doc, before, pieces)
        found.append(_same_views(doc))

    monkeypatch.setattr(carried, "carry", checking)
    return found


CARRIED_BLOCKS = st.sampled_from(
    [
        "# Title",
        "## Tools",
        "## Tools\n\n- [A](http://a.example) - A.\n- [B](https://b.example) - B.",
        "## More\n\n- item\n\n  continued after a blank line\n  - nested [x](<y z>)",
        "## T\n\n|a|b|\n|-|-|\n| [1](u) |`2|3`|\n| \\| x | <http://q.example> |",
        "## L\n\n- | a | b |\n  |---|---|\n  | 1 | 2 |",
        "## Q\n\n> quoted [q](http://q.example)\n> # heading in a quote\n\n1. one\n2. two",
        "## C\n\n```\ncode [no](link)\n\n# not a heading\n```",
        "## H\n\n<!-- comment [c](d)\n\n## commented out\n-->",
        "## W\n\nSee www.example.com and [t] (http://spaced) and [u][missing] `code`",
        "## I\n\n![img](http://i.example/x.png) and <b>tag</b> http://bare.example/x.",
        "## R\n\n[r]: http://r.example\n\nSee [r] and [s][r].",
        "## E\n\n<!-- a comment -->\n<div>html after a heading</div>",
        "### Deeper\n\nText\nover two lines\n\n* [p](http://p.example)\n\n  para in item",
        "Text\n===",
        "",
    ]
)


def _carry_through(texts: list[str], *, reread: bool) -> None:
    """Each text after the first is parsed from the last one's pieces (``Pieces.tokens``,
    which reads changed table rows again, with ``reread``; ``Pieces.parse`` otherwise) and
    given the views carried from it: they must equal those made afresh."""
    pieces = Pieces()
    doc: Document | None = None
    for text in texts:
        before = None
        if doc is not None:
            doc.links  # noqa: B018 - made, to be carried
            doc.rendered  # noqa: B018 - made, to be carried
            before = carried.taken(doc, pieces)
            doc.release()
        doc = Document(text)
        read = pieces.tokens if reread else pieces.parse
        doc.__dict__["tokens"] = read(text[doc.body_start :])
        if before is not None:
            carried.carry(doc, before, pieces)
        _same_views(doc)


@explored(200)
@given(edit_versions(CARRIED_BLOCKS, 4))
def test_views_carried_into_the_next_text_are_those_made_afresh(texts: list[str]) -> None:
    _carry_through(texts, reread=False)


@explored(60)
@given(st.one_of(documents(), sectioned()))
def test_every_pass_of_a_fix_carries_the_views_made_afresh(text: str) -> None:
    job = Job(list(all_rules()), options_for(), unsafe=True)
    with pytest.MonkeyPatch.context() as mp:
        _checking_carry(mp)
        fix_text(text, job)


def test_views_carried_on_the_corpus_and_a_long_list_are_those_made_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = _checking_carry(monkeypatch)
    job = Job(list(all_rules()), options_for(), unsafe=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))]
    for text in [_big_list(), *texts]:
        fix_text(text, job)
    assert sum(found) >= 1  # the long list's second pass carries the links view


ROW_LINES = st.sampled_from(
    [
        "| a | b |",
        "|a|b|",
        "|   a   |  b |",
        "| a | b | c |",
        "| a |",
        "| [l](http://l.example) | `x|y` |",
        "| a \\| b | c |",
        "  | two spaces | in |",
        "   |three|in|",
        "    | four | in |",
        "\t| tab | in |",
        "| a | b |   ",
        "\xa0| nbsp | b |",
        "a | b",
        "- | a | b |",
        "> | a | b |",
        "# | a | b |",
        "<b> | a |",
        "text",
        "",
        "   ",
        "|",
        "||",
        "|---|---|",
        "| :-- | --: |",
        "| :-: | --- |",
        "---|---",
        "| - | - |",
        "|-|-|-|",
        "| --- | x |",
        "| A | B |",
        "A | B",
        "|A|B|C|",
    ]
)


@st.composite
def row_edits(draw: st.DrawFn) -> list[str]:
    """Versions of a document of sections with tables, each version some lines of its
    tables (header, delimiter or body rows) replaced by others (rows, or lines that end or
    spoil the table)."""
    lines: list[str] = ["# Tables", ""]
    tables: list[int] = []  # lines that are in a table
    for k in range(draw(st.integers(1, 4))):
        lines += [f"## S{k}"]
        before = draw(st.sampled_from(["blank", "none", "paragraph", "item"]))
        if before == "blank":
            lines += [""]
        elif before == "paragraph":
            lines += ["", "Some text"]
        elif before == "item":
            lines += ["", "- item", ""]
        indent = "  " if before == "item" and draw(st.booleans()) else ""
        head = draw(st.sampled_from(["| H | I |", "H | I", "| H |"]))
        delimiter = "|---|---|" if head != "| H |" else "|---|"
        rows = draw(st.lists(ROW_LINES, max_size=5))
        tables += range(len(lines), len(lines) + 2 + len(rows))
        lines += [indent + head, indent + delimiter, *(indent + r for r in rows)]
        lines += draw(st.sampled_from([[""], ["", "after"], [], ["- list", ""]]))
    versions = ["\n".join(lines) + "\n"]
    for _ in range(draw(st.integers(1, 4))):
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.sampled_from(tables))
            lines[at] = draw(ROW_LINES)
        if draw(st.booleans()):  # re-padded, as table-format does
            at = draw(st.sampled_from(tables))
            lines[at] = lines[at].replace("|", " | ").replace("  ", " ")
        versions.append("\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"])))
    return versions


@explored(300)
@given(row_edits())
def test_rows_read_again_in_place_give_the_whole_parse(texts: list[str]) -> None:
    seeded = Pieces()
    seeded.seed(texts[0], parse(texts[0]))
    for text in texts[1:]:
        assert seeded.tokens(text) == parse(text)


@explored(200)
@given(row_edits())
def test_views_carried_over_rows_read_again_are_those_made_afresh(texts: list[str]) -> None:
    _carry_through(texts, reread=True)


# Blanks as cmark-gfm reads them around cells (spaces, tabs, \v) and as it does not (NBSP).
_PADS = st.sampled_from(["", " ", "  ", "   ", "\t", " \t", "\xa0", "\v"])
BODY_LINES = st.sampled_from(
    [
        "| a | b |",
        "|a|b|",
        "| a |",
        "| a | b | c |",
        "| [l](http://l.example) | `x|y` |",
        "| a \\| b | c |",
        "| a \\\\| b |",
        "|",
        "| |",
        "||",
        "|  ",
        "| \t",
        "|\xa0",
        "a | b",
        "text",
        "",
    ]
)


@st.composite
def repadded_rows(draw: st.DrawFn) -> list[str]:
    """Versions of a document of sections with top-level tables (after a blank line, a
    paragraph or a list, indented up to three spaces, followed by what may continue or
    end them), each version some of their header and body rows re-padded (blanks around
    the pipes changed, the indentation too) or replaced by lines that stay rows or not."""
    lines: list[str] = ["# Tables", ""]
    headers: list[int] = []
    rows: list[int] = []
    for k in range(draw(st.integers(1, 3))):
        lines += [f"## S{k}", ""]
        before = draw(st.sampled_from(["blank", "paragraph", "item"]))
        if before == "paragraph":
            lines += ["Some text"]
        elif before == "item":
            lines += ["- item", ""]
        indent = draw(st.sampled_from(["", " ", "   "]))
        headers.append(len(lines))
        lines += [
            indent + draw(st.sampled_from(["| H | I |", "H | I", "|H|I|", "| H \\| I | J |"]))
        ]
        lines += [indent + draw(st.sampled_from(["|---|---|", "| --- | :-: |", "---|---"]))]
        body = draw(st.lists(BODY_LINES, min_size=1, max_size=4))
        rows += range(len(lines), len(lines) + len(body))
        lines += [indent + r for r in body]
        lines += draw(st.sampled_from([[""], ["", "after"], ["text"], ["- list", ""], ["> q", ""]]))
    versions = ["\n".join(lines) + "\n"]
    for _ in range(draw(st.integers(1, 3))):
        for at in draw(st.lists(st.sampled_from(headers + rows), min_size=1, max_size=4)):
            if draw(st.booleans()) and at in rows:
                lines[at] = draw(BODY_LINES)
                continue
            parts = lines[at].split("|")
            lines[at] = "|".join(draw(_PADS) + p.strip(" \t") + draw(_PADS) for p in parts)
            if draw(st.booleans()):
                lines[at] = (
                    draw(st.sampled_from(["", " ", "  ", "    ", "\t"])) + lines[at].lstrip()
                )
        versions.append("\n".join(lines) + "\n")
    return versions


@explored(400)
@given(repadded_rows())
def test_github_tables_carried_over_repadded_rows_are_those_read_afresh(
    texts: list[str],
) -> None:
    """What the views read of GitHub's rendering, carried over table rows that changed
    (``carried._rows_kept``: read from the text before where each stays a row), equals
    what is read from the rendering of the new text."""
    _carry_through(texts, reread=True)


def test_github_tables_over_repadded_rows_are_carried_without_the_new_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A text whose only changes are re-padded table rows (a table-format fix) has the
    tables and headings of the text before: its rendering is not waited for."""
    from listlint import github
    from listlint.views.anchors import read_rendering

    rows = [f"|  P{n} |  [x](https://arxiv.org/abs/2101.000{n})   |" for n in range(3)]
    table = ["| Name  |  Paper |", "|---|---|", *rows]
    old = "\n".join(
        ["# Papers", "", "## A", "", *table, "", "## B", "", "- [t](https://t.example)", ""]
    )
    new = old.replace("  ", " ")
    pieces = Pieces()
    doc = Document(old)
    doc.__dict__["tokens"] = pieces.parse(old)
    doc.links  # noqa: B018 - made, to be carried
    doc.rendered  # noqa: B018 - made, to be carried
    before = carried.taken(doc, pieces)
    doc.release()
    doc = Document(new)
    doc.__dict__["tokens"] = pieces.tokens(new)
    assert before is not None and [bool(p.rows) for p in pieces.last] == [False, True, False]
    carried.carry(doc, before, pieces)
    rendered: list[str] = []
    original = github.render_html

    def recording(text: str, *, sourcepos: bool = False) -> str:
        rendered.append(text)
        return original(text, sourcepos=sourcepos)

    monkeypatch.setattr(github, "render_html", recording)
    mine = doc.__dict__["carried_rendering"]()
    assert mine is not None and not rendered
    assert mine == read_rendering(new, doc.line_starts, True)


def test_a_table_format_fix_reads_rows_again_and_carries_the_views_made_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    found = _checking_carry(monkeypatch)
    calls = _checked(monkeypatch)
    derived: list[int] = []
    original = Pieces.tokens

    def counting(self: Pieces, body: str, cuts: list[int] | None = None) -> Any:
        tokens = original(self, body, cuts)
        derived.append(sum(1 for p in self.last if p.rows))
        return tokens

    monkeypatch.setattr(Pieces, "tokens", counting)
    job = Job(list(all_rules()), options_for(), unsafe=True)
    out = ["# Papers", ""]
    for k in range(100):  # tables in pieces of their own, a third of the text
        out += [f"## Part {k}", "", "| Name | Paper |", "|---|---|"]
        out += [f"|   P{k}-{n}  | [x](https://arxiv.org/abs/2101.{k:03}{n:02}) |" for n in range(3)]
        out += ["", f"## Tools {k}", ""]
        out += [f"- [Tool {k}](https://example.com/{k}/{n}) - A tool." for n in range(6)]
        out += [""]
    text = "\n".join(out)
    RENDERINGS_CARRIED.clear()
    outcome = fix_text(text, job)
    assert outcome.new_text is not None and calls
    assert sum(derived) >= 100  # the re-formatted tables: rows read again, not parsed
    assert found and all(n == 2 for n in found)  # both views carried
    assert outcome.new_text in RENDERINGS_CARRIED  # and what they read of GitHub's rendering


def _choose_by_edits(diagnostics: list[Any], *, unsafe: bool) -> list[Any]:
    """``listlint.fix.choose`` as it was, every candidate's edits looked at (the law the
    shortcut by shared edits must keep)."""
    from bisect import bisect_left

    from listlint.fix import _is_block, _overlaps

    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    candidates = [
        d
        for d in diagnostics
        if d.fix is not None and d.fix.edits and (unsafe or d.fix.applicability == "safe")
    ]
    candidates.sort(key=lambda d: _is_block(d.fix))
    for d in candidates:
        if any(_overlaps(e, starts, ends) for e in d.fix.edits):
            continue
        for e in d.fix.edits:
            i = bisect_left(starts, e.start)
            starts.insert(i, e.start)
            ends.insert(i, e.end)
        chosen.append(d)
    return chosen


_EDIT = st.builds(
    lambda start, length, rep: (start, start + length, rep),
    st.integers(0, 40),
    st.integers(0, 4),
    st.sampled_from(["", "x", "a\nb"]),
)


@explored(300)
@given(
    st.lists(
        st.tuples(st.lists(_EDIT, max_size=3), st.sampled_from(["safe", "unsafe"])),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.integers(0, 5), max_size=12),
    st.booleans(),
)
def test_choosing_by_shared_edits_chooses_what_looking_at_every_edit_chooses(
    fixes: list[tuple[list[tuple[int, int, str]], str]], order: list[int], unsafe: bool
) -> None:
    """Findings that share one fix's edits (the rows of one table-format rewrite) are told
    by identity: the same findings are chosen as when every one's edits are compared."""
    from listlint.diagnostic import Diagnostic, Edit, Fix
    from listlint.fix import choose

    made = []
    for edits, applicability in fixes:
        spans = sorted({(s, e): rep for s, e, rep in edits}.items())
        made.append(Fix("t", tuple(Edit(s, e, rep) for (s, e), rep in spans), applicability))  # type: ignore[arg-type]
    found = [
        Diagnostic("-", "r", "X", "warning", "m", 0, 0, 1, 1, 1, 1, made[k % len(made)])  # type: ignore[arg-type]
        for k in order
    ]
    assert choose(found, unsafe=unsafe) == _choose_by_edits(found, unsafe=unsafe)
