"""The server lints again only the pieces an edit touched (listlint.server.incremental.Lints):
its result must be ``lint_text``'s on the whole new text, edit after edit."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from explore import explored
from hypothesis import given
from hypothesis import strategies as st
from strategies import BLOCKS, CELL, NAMES, tables

from listlint.api import Job, lint_text
from listlint.diagnostic import Finding
from listlint.document import Document
from listlint.registry import NoOptions, from_module
from listlint.server.composed import Joined
from listlint.server.incremental import Lints, Span, _Subdocs, pieces_of
from listlint.views.structure import Structure

EXAMPLES = int(os.environ.get("LISTLINT_SERVER_EXAMPLES", "60"))
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"


def jobs() -> list[Job]:
    from helpers import all_rules, options_for

    from listlint.registry import select

    rules = list(all_rules())
    checked = [r for r in rules if not r.online]
    configured = options_for(
        {
            "table-schema": {
                "tables": [
                    {"section": "tools", "required_columns": ["Name", "Year"]},
                    {"section": "apples", "non_empty_columns": ["Name"], "link_columns": ["Name"]},
                ],
            },
            "sort-entries": {"sections": ["*"]},
            "duplicate-url": {"scope": "file", "mentions": True},
            "entry-format": {"sections": ["*"]},
        }
    )
    return [
        Job(select(rules, (), ()), options_for()),  # the defaults
        Job(checked, configured),  # every rule, some configured
    ]


def assert_same(lints: Lints, text: str, job: Job, path: str = "list.md") -> None:
    expected = lint_text(text, job, path)
    doc = Document(text, path)
    doc.__dict__["tokens"] = lints.tokens(doc)
    got = lints.lint(doc, job.rules, job.options, lambda: False)
    assert got is not None
    assert got.errors == expected.errors
    assert got.diagnostics == expected.diagnostics
    doc.release()
    if expected.document is not None:
        expected.document.release()


ENTRY = st.builds(
    lambda name, url, words: f"- [{name}]({url}) - {words}",
    NAMES,
    st.sampled_from(
        [
            "https://example.org/a",
            "https://example.org/a/",  # a duplicate of the one before
            "http://example.org/b",
            "https://arxiv.org/abs/2407.21783",
            "https://arxiv.org/pdf/2407.21783v2.pdf",
            "https://arxiv.org/abs/2613.00001",
            "#tools",
            "#missing",
            "",
            "example.org/no-scheme",
        ]
    ),
    CELL,
)
PIECE = st.one_of(
    BLOCKS,
    st.builds(lambda level, name: "#" * level + " " + name, st.integers(1, 4), NAMES),
    st.just("## Tools"),
    st.just("### Papers\n\n| Paper | Code |\n|---|---|\n| [A](https://a.example) | |"),
    st.just("## Contents\n\n- [Tools](#tools)\n- [Apples](#apples)"),
    st.lists(ENTRY, min_size=1, max_size=4).map("\n".join),
    st.builds(lambda t: "| Name | Year |\n|---|---|\n" + t, tables()),
    st.sampled_from(
        [
            "<!-- listlint-disable-next-line -->",
            "<!-- listlint-disable duplicate-url -->",
            "<!-- listlint-disable-line link-http --> http://x.example",
            "<!-- listlint-disabel -->",
            "[ref]: https://example.org/other",
            "[other]: http://example.org/b",
            "[ref]: https://example.org/a",  # the same URL as an entry's
            "[Ref]: https://example.org/again",  # a label defined twice (case folded)
            "<!-- listlint-disable-next-line duplicate-url -->\n- [A](https://example.org/a) - a.",
            "<!-- listlint-enable -->",
            "## Contents\n\n- [Tools](#tools)\n  - [Papers](#papers)\n- [Gone](#gone)",
            "See [the paper][ref] and [other].",
            "```\nunclosed fence",
            "```\n\n# in a fence\n```",
            "<!-- comment\n\n## commented out\n-->",
            "Text\n===",
            "Sub\n---",
            # anchors: HTML ones, a heading written in HTML, repeated headings numbered
            # over the whole document, a footnote (numbered over it too)
            '<a name="tools"></a>\n\n## Tools',
            '<h2 id="raw">Raw heading</h2>',
            "- [Raw](#raw) and [Tools again](#tools-1) and [Top](#top)",
            "A note[^1].\n\n[^1]: The note.",
            "## Tools [^1]",
            # relative links (link-relative reads the file system)
            "- [Docs](docs/missing.md) - relative.\n- [Here](./list.md) - [up](../x.md)",
        ]
    ),
)


@st.composite
def edited(draw: st.DrawFn) -> list[str]:
    """Versions of one document, each an edit of the one before: blocks added, removed and
    replaced (pieces join and split), two blocks joined (the blank line between them
    removed), characters typed into a block."""
    blocks = draw(st.lists(PIECE, min_size=1, max_size=8))
    sep = draw(st.sampled_from(["\n\n", "\n\n", "\r\n\r\n", "\r\r", "\n"]))
    bom = "\ufeff" if draw(st.integers(0, 9)) == 0 else ""
    versions = [bom + sep.join(blocks)]
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(blocks)))
        kind = draw(st.sampled_from(["insert", "delete", "replace", "type", "join"]))
        if kind == "insert":
            blocks.insert(i, draw(PIECE))
        elif kind == "join":  # no blank line between two blocks: their pieces are one
            if i + 1 < len(blocks):
                blocks[i : i + 2] = [blocks[i] + "\n" + blocks[i + 1]]
        elif blocks and i < len(blocks):
            if kind == "delete":
                del blocks[i]
            elif kind == "replace":
                blocks[i] = draw(PIECE)
            else:
                at = draw(st.integers(0, len(blocks[i])))
                typed = draw(st.sampled_from(["x", " ", "|", "#", "\n", "`", "]", "😀"]))
                blocks[i] = blocks[i][:at] + typed + blocks[i][at:]
        versions.append(bom + sep.join(blocks) + draw(st.sampled_from(["", "\n"])))
    return versions


@explored(EXAMPLES)
@given(edited(), st.integers(0, 1))
def test_incremental_lint_is_the_whole_lint_edit_after_edit(
    versions: list[str], which: int
) -> None:
    job = jobs()[which]
    lints = Lints()
    lints.reuse = 0.0  # by pieces after any edit (else whole when most of the text changed)
    for text in versions:
        assert_same(lints, text, job)


@explored(EXAMPLES)
@given(edited())
def test_the_pieces_of_a_parse_parse_as_the_document_does(versions: list[str]) -> None:
    """Each piece found in a whole parse, parsed on its own (its lines shifted), gives the
    whole parse's tokens for it: nothing before it runs into it."""
    from listlint.document import parse
    from listlint.server.incremental import pieces_of

    for text in versions:
        body = text.removeprefix("\ufeff")
        tokens = parse(body)
        spans = pieces_of(body, tokens)
        assert spans[0].start == 0 and spans[-1].end == len(body)
        assert spans[-1].end_token == len(tokens)
        for a, b in itertools.pairwise(spans):
            assert (a.end, a.end_token) == (b.start, b.first_token)
        for k, span in enumerate(spans):
            piece = body[span.start : span.end]
            last = k == len(spans) - 1
            own = parse(piece if last else piece + "# end\n")
            own = own if last else own[:-3]
            assert [(t.type, [n + span.line for n in t.map] if t.map else None) for t in own] == [
                (t.type, t.map) for t in tokens[span.first_token : span.end_token]
            ]


def _join(lints: Lints, doc: Document, spans: list[Span]) -> Joined | None:
    body = doc.text[doc.body_start :]
    subdocs = _Subdocs(doc, spans)
    try:
        return lints._join(doc, [body[s.start : s.end] for s in spans], spans, subdocs)
    finally:
        subdocs.release()


def _structure(structure: Structure) -> tuple[object, ...]:
    return (
        structure.headings,
        structure.list_items,
        structure.code_lines,
        structure.targets,
        [structure.anchor_of(h) for h in structure.headings],
        [structure.text_of(h) for h in structure.headings],
    )


@explored(EXAMPLES)
@given(edited())
def test_the_views_joined_from_pieces_are_the_whole_documents(versions: list[str]) -> None:
    """The structure joined from the pieces' facts (listlint.server.composed), anchors
    included, and the links the facade gives, are those of the whole document, edit after
    edit, whenever the pieces are joined."""
    from listlint.server.composed import Facade

    job = jobs()[0]
    lints = Lints()
    lints.reuse = 0.0
    for text in versions:
        doc = Document(text, "list.md")
        doc.__dict__["tokens"] = lints.tokens(doc)
        body = doc.text[doc.body_start :]
        spans = pieces_of(body, doc.tokens)
        joined = _join(lints, doc, spans) if len(spans) > 1 else None
        whole = Document(text, "list.md")
        if joined is not None:
            assert doc.structure is joined.structure
            assert _structure(joined.structure) == _structure(whole.structure)
            kinds = [
                link
                for link in whole.links.all_targets()
                if link.kind in ("inline", "definition")
                and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", link.url.strip())
            ]
            assert list(Facade(doc, joined).links.all_targets()) == kinds
        assert_same(lints, text, job)
        doc.release()
        whole.release()


def test_anchors_are_numbered_over_the_whole_document() -> None:
    """A heading repeated in another piece gets the next number, as on GitHub; an HTML
    anchor has the whole document rendered."""
    job = jobs()[0]
    text = "# List\n\n- [Tools](#tools)\n- [Again](#tools-1)\n- [No](#tools-2)\n\n"
    text += "## Tools\n\nOne.\n\n## Tools\n\nTwo.\n"
    lints = Lints()
    assert_same(lints, text, job)
    assert lints.joined and "_github_cache" in vars(lints_structure(lints, text))
    found = [d.message for d in lint_text(text, job).diagnostics if d.rule == "link-fragment"]
    assert found == ["no heading has the anchor #tools-2"]
    html = text.replace("One.", '<a id="one"></a>One.')
    assert_same(lints, html, job)
    assert "_github_cache" not in vars(lints_structure(lints, html))  # rendered on use


def lints_structure(lints: Lints, text: str) -> Structure:
    doc = Document(text, "list.md")
    doc.__dict__["tokens"] = lints.tokens(doc)
    body = doc.text[doc.body_start :]
    spans = pieces_of(body, doc.tokens)
    joined = _join(lints, doc, spans)
    assert joined is not None
    return joined.structure


def test_a_version_that_changed_most_of_the_text_is_checked_whole() -> None:
    """Checking the pieces costs more than the whole document when most of the text is new:
    then every rule runs on the whole document, and the pieces kept stay for the next
    version (an edit in a small piece is checked by pieces again)."""
    job = jobs()[0]
    small = "## Small\n\n- [A](https://a.example) - a.\n"
    big = "## Big\n\n" + "".join(f"- [E{n}](https://e.example/{n}) - e.\n" for n in range(40))
    text = f"# List\n\n{small}\n{big}"
    lints = Lints()
    assert_same(lints, text, job)  # the first version: by pieces
    assert lints.by_piece
    text = text.replace("- e.\n", "- f.\n", 1)  # in the big piece
    assert_same(lints, text, job)
    assert not lints.by_piece and not lints.joined
    text = text.replace("- a.", "- b.")  # in the small one
    assert_same(lints, text, job)
    assert lints.by_piece and lints.joined


def test_an_edit_in_one_section_checks_only_that_section_again() -> None:
    sections = [
        f"## Section {n}\n\n- [Entry {n}](https://example.org/{n}) - about it.\n"
        f"- [Old](http://example.org/old{n}) - about it.\n\n| a | b |\n|---|\n| 1 | 2 |\n"
        for n in range(30)
    ]
    text = "# List\n\n" + "\n".join(sections)
    job = jobs()[0]
    lints = Lints()
    assert_same(lints, text, job)
    first = lints.checked
    assert first > 0 and lints.kept == 0
    at = text.index("about it", text.index("## Section 17"))
    edited = text[:at] + "all " + text[at:]
    assert_same(lints, edited, job)
    local = {r.name for r in job.rules if r.scope_for(job.options[r.name]) != "document"}
    # Nothing is defined and nothing listed twice: link-reference and duplicate-url too.
    assert lints.by_piece == local | {"link-reference", "duplicate-url"}
    assert lints.joined  # the document-wide views joined from the pieces'
    assert lints.checked == len(lints.by_piece)  # each checked one piece again
    assert lints.kept == first - len(lints.by_piece)


def test_a_section_rule_reads_the_headings_around_its_piece() -> None:
    """table-schema applies a section's schema to the tables of its subsections, which are
    pieces of their own; renaming the section changes them without touching them."""
    job = jobs()[1]
    table = "| Paper | Code |\n|---|---|\n| [A](https://a.example) | |\n"
    text = f"# T\n\n## Tools\n\n### Papers\n\n{table}\n### More\n\n{table}"
    lints = Lints()
    assert_same(lints, text, job)
    assert sum(d.rule == "table-schema" for d in lint_text(text, job).diagnostics) == 4
    for renamed in (text.replace("## Tools", "## Things"), text):
        assert_same(lints, renamed, job)


def test_findings_that_name_a_line_follow_their_piece_when_lines_are_added_above() -> None:
    """duplicate-url names the line of the first entry: a piece that moved is checked
    again when it had findings (and kept when it had none)."""
    job = jobs()[0]
    dup = "- [A](https://a.example) - a.\n- [B](https://a.example/) - b.\n"
    text = f"# T\n\n## One\n\n- [C](https://c.example) - c.\n\n## Two\n\n{dup}"
    lints = Lints()
    assert_same(lints, text, job)
    (found,) = [d for d in lint_text(text, job).diagnostics if d.rule == "duplicate-url"]
    assert "line 9" in found.message
    assert_same(lints, text.replace("- [C]", "Intro.\n\n- [C]"), job)


class _Flaky:
    """A plugin rule, declared local, that raises on a short document (a piece)."""

    NAME = "flaky"
    CODE = "LL990"
    SUMMARY = "Raises on short documents"
    SEVERITY = "warning"
    DEFAULT = True
    FIX = "none"
    SCOPE = "block"
    Options = NoOptions

    @staticmethod
    def check(doc: Document, options: NoOptions) -> list[Finding]:
        if len(doc.text) < 40:
            raise ValueError("too short")
        return [Finding(0, 1, "long enough")]


def test_a_rule_that_raises_on_a_piece_is_run_on_the_whole_document() -> None:
    rule = from_module(_Flaky, "test")
    job = Job([rule], {"flaky": NoOptions()})
    text = "# A\n\nshort\n\n## B\n\nshort too\n\n## C\n\nthe last piece, which is long enough\n"
    lints = Lints()
    assert_same(lints, text, job)
    assert lint_text(text, job).diagnostics  # the whole document is long enough


CHANGES = [
    "\n## New section\n\n",
    "```\n",
    "- [Dup](https://github.com/vinta/awesome-python) - again.\n",
    "[python]: https://www.python.org\n",
    "See [python] here.\n\n",
    "<!-- listlint-disable -->\n",
    "| a | b |\n|---|\n| 1 | 2 | 3 |\n\n",
    "- [Paper](http://arxiv.org/abs/2407.21783) x\n",
    "### Deeper\n\n",
]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus next to the repository")
def test_incremental_lint_on_the_corpus() -> None:
    """Each list under 300 kB, then three of CHANGES (a different three for each list, all
    of them with LISTLINT_SERVER_EXAMPLES above 60) typed in one after the other, then the
    list as it was."""
    files = sorted(p for p in CORPUS.glob("*.md") if p.stat().st_size < 300_000)
    job = jobs()[1]
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        lints = Lints()
        assert_same(lints, text, job, str(path))
        changes = CHANGES if EXAMPLES > 60 else [CHANGES[(n + k) % len(CHANGES)] for k in (0, 3, 6)]
        edited = text
        for k, change in enumerate(changes):
            at = edited.find("\n", int(len(edited) * (0.2 + 0.6 * k / len(changes)))) + 1
            edited = edited[:at] + change + edited[at:]
            assert_same(lints, edited, job, str(path))
        assert_same(lints, text, job, str(path))  # and back


def test_a_fix_that_depends_on_another_part_follows_it() -> None:
    """duplicate-url removes a duplicate only when every other link it holds is linked
    elsewhere in the document: here in a table after the next heading (found by the test
    above with more examples; duplicate-url is a document rule for that reason)."""
    job = jobs()[0]
    pdf = "https://arxiv.org/pdf/2407.21783v2.pdf"
    table = f"#\n\n||\n|---|\n|{pdf}|"
    entries = f"- [Apples](https://example.org/a) - \n- [Apples](https://example.org/a) - {pdf}"
    lints = Lints()
    lints.reuse = 0.0
    for text in (table, f"{entries}\n\n{table}"):
        assert_same(lints, text, job)
    # Checked by piece, told how often the table links the PDF.
    assert "duplicate-url" in lints.by_piece
    # Then the table no longer links it (the piece with the duplicate is unchanged): the
    # duplicate can no longer be removed.
    for text in (f"{entries}\n\n{table.replace(pdf, 'x')}", f"{entries}\n\n{table}"):
        assert_same(lints, text, job)
        assert "duplicate-url" in lints.by_piece
    (found,) = [
        d for d in lint_text(f"{entries}\n\n{table}", job).diagnostics if d.rule == "duplicate-url"
    ]
    assert found.fix is not None
    (alone,) = [d for d in lint_text(entries, job).diagnostics if d.rule == "duplicate-url"]
    assert alone.fix is None
