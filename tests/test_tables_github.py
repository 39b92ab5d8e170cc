"""The table view agrees with GitHub's renderer (cmark-gfm), row by row and cell by cell,
and no safe table fix changes what GitHub shows.

Generated lists put tables where real lists put them and where GitHub's rules are subtle:
first in a list item (the marker on the header line), in block quotes, after a paragraph
(no blank line), with lazy lines, body rows indented past the item's text, followed by a
lone `|`, an HTML block, a fence, a list item or text; CRLF and CR line endings, pipes in
code spans, escaped pipes and backslashes before pipes.

The view is compared with cmark-gfm by writing each table of the view back as a plain
table (its header cells, its alignments, each body row's cells cut or padded to the
header's width) and rendering that: its HTML must be the HTML cmark-gfm makes of the
document's tables, in the same order. CI runs a fixed, reproducible set of examples;
LISTLINT_EXPLORE=N runs N random ones (keep what they find as an @example).
"""

from __future__ import annotations

import re

from explore import explored
from helpers import all_rules, options_for, rules_named
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.fix import fix_to_fixed_point
from listlint.github import render_html
from listlint.lint import lint_text

SETTINGS = explored(40, HealthCheck.filter_too_much)
TABLE_RULES = [r.name for r in all_rules() if r.name.startswith("table-")]
OPTIONS = options_for()

# -- the oracle ------------------------------------------------------------------------

_TABLE = re.compile(r"<table>.*?</table>", re.DOTALL)


def _tables_html(html: str) -> list[str]:
    return [re.sub(r">\s+<", "><", t) for t in _TABLE.findall(html)]


def _as_plain_tables(text: str) -> str:
    """Every table of the view written back as a plain table, one after another."""
    doc = Document(text)
    out = []
    for table in doc.tables:
        width = table.width

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(cells) + " |"

        rows = [line([c.text for c in table.header.cells])]
        rows.append(line([c.text for c in table.delimiter.cells]))
        for row in table.body:
            cells = [c.text for c in row.cells[:width]]
            rows.append(line(cells + [""] * (width - len(cells))))
        out.append("\n".join(rows))
    return "\n\n".join(out) + "\n"


def assert_view_matches_github(text: str) -> None:
    github = _tables_html(render_html(text))
    ours = _tables_html(render_html(_as_plain_tables(text)))
    assert ours == github
    doc = Document(text)
    for table in doc.tables:
        assert len(table.header.cells) == len(table.delimiter.cells)
        lines = [row.line for row in table.rows]
        assert lines == list(range(lines[0], lines[0] + len(lines)))
        for row in table.rows:
            assert doc.line_starts[row.line] == row.line_start <= row.start <= row.end
            for cell in row.cells:
                assert row.start <= cell.start <= cell.end <= row.end
                assert text[cell.start : cell.end] == cell.text


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


def assert_safe_fixes_keep_github_rendering(text: str) -> None:
    for name in TABLE_RULES:
        rules = rules_named(name)

        def lint(t: str, rules: list = rules) -> list:  # type: ignore[type-arg]
            result = lint_text(t, rules, OPTIONS)
            assert result.errors == []
            return result.diagnostics

        fixed, _ = fix_to_fixed_point(text, lint, unsafe=False)
        assert _normal(render_html(fixed)) == _normal(render_html(text)), name
        assert fix_to_fixed_point(fixed, lint, unsafe=False)[0] == fixed


# -- generated lists -------------------------------------------------------------------

WORD = st.sampled_from(
    [
        "Llama",
        "模型",
        "🎉",
        "a\\|b",
        "`a|b`",
        "`c`",
        "\\\\",
        "x\\\\|y",
        "[x](https://e.org/p)",
        "**b**",
        "<br>",
        "&amp;",
        "-",
        ":",
        "",
        " ",
        "\\",
    ]
)
CELL = st.lists(WORD, max_size=3).map(" ".join)
ALIGN = st.sampled_from(["---", ":---", "---:", ":-:", "-", " --- "])


@st.composite
def table_lines(draw: st.DrawFn) -> list[str]:
    width = draw(st.integers(1, 4))
    pad = draw(st.sampled_from(["", " "]))

    def row(cells: list[str]) -> str:
        body = "|".join(f"{pad}{c}{pad}" for c in cells)
        lead = draw(st.sampled_from(["|", "|", "", " |", "  "]))
        trail = draw(st.sampled_from(["|", "|", "", "| ", "  "]))
        return lead + body + trail

    header = draw(st.lists(CELL, min_size=width, max_size=width))
    # A header of one cell may have no pipe at all; a delimiter of one cell needs one.
    lines = [row(header) if width > 1 or draw(st.booleans()) else header[0]]
    delim = draw(st.lists(ALIGN, min_size=width, max_size=width))
    d = row(delim)
    lines.append(d if "|" in d else f"|{d}|")
    for _ in range(draw(st.integers(0, 3))):
        n = draw(st.integers(max(1, width - 1), width + 1))
        body = row(draw(st.lists(CELL, min_size=n, max_size=n)))
        # An author's hidden note after the last pipe.
        note = draw(st.sampled_from(["", "", "", " | [//]: # (note)", " | <!-- note -->"]))
        lines.append(body + note)
    return lines


AFTER = st.sampled_from(
    ["", "|", "<div>", "<r>", "- item", "# Heading", "```", "text line", "> quote", "    code|x"]
)
BEFORE = st.sampled_from(
    ["", "Some text", "- item", "> quoted", "<!-- c -->", "# Heading", "```", "<div>", ":"]
)
# A "header" that opens another block: no table on GitHub.
OPENER = st.sampled_from(["- ", "> ", "# ", "<!--", "<div>", "```", "1. ", "    "])


@st.composite
def placed_table(draw: st.DrawFn) -> list[str]:
    lines = draw(table_lines())
    where = draw(
        st.sampled_from(["top", "after-text", "item-first", "item", "quote", "lazy", "opener"])
    )
    before = draw(BEFORE)
    if where == "after-text":
        lines = ["Some text", *lines]
        if draw(st.booleans()):
            lines[1] = "    " + lines[1]  # a header continuing a paragraph may be indented
    elif where == "item-first":
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "10. "]))
        indent = " " * len(marker)
        extra = draw(st.sampled_from(["", "", " ", "  ", "    "]))
        lines = [marker + lines[0]] + [
            indent + extra * (i > 0) + x for i, x in enumerate(lines[1:])
        ]
    elif where == "item":
        lines = ["- item", "", *("  " + x for x in lines)]
    elif where == "quote":
        prefix = draw(st.sampled_from(["> ", ">", "> > "]))
        lazy = draw(st.integers(-1, len(lines) - 1))
        lines = [x if i == lazy else prefix + x for i, x in enumerate(lines)]
    elif where == "opener":
        lines = [draw(OPENER) + lines[0], *lines[1:]]
    elif where == "lazy":
        lines = ["- item text", *lines] if draw(st.booleans()) else ["> a", *lines]
    lines = ([before] if before else []) + lines + [draw(AFTER)]
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(placed_table(), min_size=1, max_size=3))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = (newline + newline).join(newline.join(b) for b in blocks)
    return text + (newline if draw(st.booleans()) else "")


# -- the properties --------------------------------------------------------------------

REGRESSIONS = [
    # ../shared/regressions/github-rendering/ (issue 14)
    "- Name | URL\n  --- | ---\n  foo | bar\n",
    "| Name | Link |\n|------|------|\n| A    | x    |\n|\n",
    "- a | b\n-|-\n",
    "> a | b\n-|-\n",
    "<!--|||c-->\n-|-|-|-\n",
    ":\n|-|-|-\n-|-|-\n",
    "|||x\n-|-|-\n[x](x)\n<r>\n",
    "Name\n|---|\nx|y\n",
    "* a|b\n  -|-\n    c|d|e\n",
    "a|b\n-|-\nc|d\n<r>\n",
    "|a|\n--\n",
    "m\n-|-\na|\n-|\n",
    "Some text\n    Name | URL\n--- | ---\nfoo | bar\n",
    "a|\n-|-\n",
    "`<a>|`||\n-:|\n",
    ">t\r|`\n-|\n",
    "- []()\u2014\n  |d\n  -|\n  |",
    "a|b\n--|--\no\rr",
    # found by this test
    "- item\n |||\n  ---|---|---|\n|||\n",  # a lazy header keeps its indentation: 3 cells
    "> a\n|||\n|---|---|\n    code|x",  # a blank line would make the last line code
    "||`a|b`|\n|---|---|\n    code|x",
    "|||\n|---|---|\nLlama\n|| | [//]: # (note)\n",  # rows after an absorbed line
    "||||\n|---|---|---|\n||`a|b` | [//]: # (note)\n",  # escaping would show the note
]


def _examples(test):  # type: ignore[no-untyped-def]
    for case in REGRESSIONS:
        test = example(case)(test)
    return test


@_examples
@SETTINGS
@given(documents())
def test_table_view_matches_github(text: str) -> None:
    assert_view_matches_github(text)


@_examples
@SETTINGS
@given(documents())
def test_safe_table_fixes_keep_github_rendering(text: str) -> None:
    assert_safe_fixes_keep_github_rendering(text)


_BLOCKS = re.compile(r"<(?:pre|li|h[1-6])[ >]")


@_examples
@SETTINGS
@given(documents())
def test_unsafe_table_fixes_make_no_other_block_and_show_no_note(text: str) -> None:
    # An unsafe fix may change the rendering (a table appears, dropped text shows), but
    # never makes an indented code block, a list item or a heading, and never
    # shows a hidden note.
    before = render_html(text)
    for name in TABLE_RULES:
        rules = rules_named(name)

        def lint(t: str, rules: list = rules) -> list:  # type: ignore[type-arg]
            return lint_text(t, rules, OPTIONS).diagnostics

        fixed, _ = fix_to_fixed_point(text, lint, unsafe=True)
        after = render_html(fixed)
        assert len(_BLOCKS.findall(after)) <= len(_BLOCKS.findall(before)), name
        assert after.count("[//]: # (note)") <= before.count("[//]: # (note)"), name
        assert fix_to_fixed_point(fixed, lint, unsafe=True)[0] == fixed


def test_every_rule_at_once_converges_on_a_table_in_an_item() -> None:
    # entry-format appended a period to the table's last row, table-column-count escaped
    # it into a cell, table-format re-padded, forever (fix-no-converge-entry-format-...).
    text = "- []()\u2014\n  |d\n  -|\n  |"
    rules = list(all_rules())

    def lint(t: str) -> list:  # type: ignore[type-arg]
        return lint_text(t, rules, OPTIONS).diagnostics

    fixed, _ = fix_to_fixed_point(text, lint, unsafe=True)
    assert fix_to_fixed_point(fixed, lint, unsafe=True)[0] == fixed
    html = _normal(render_html(fixed))
    assert html.startswith("<ul><li>") and "<table><thead><tr><th>d</th></tr></thead>" in html
