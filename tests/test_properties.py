"""Laws that hold for every document: check never fails, fixes are idempotent, converge,
keep the rendering (safe fixes) and never change the multiset of table cells."""

from __future__ import annotations

import re
from collections import Counter

from explore import explored
from helpers import (
    all_rules,
    default_rules,
    html,
    html_without_suppressions,
    options_for,
    rules_named,
)
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import documents, entries, sectioned, tables

from listlint.document import Document
from listlint.fix import fix_to_fixed_point
from listlint.lint import LintResult, lint_text

# CI runs a fixed, reproducible set; LISTLINT_EXPLORE=N runs N random examples to hunt bugs
# (add what it finds as an @example).
SETTINGS = explored(300)
RULES = default_rules()
EVERY_RULE = list(all_rules())
KEEPING = [r for r in RULES if not r.fix_changes_html]  # safe fixes keep the HTML
OPTIONS = options_for()


def _lint(text: str, rules: list = RULES) -> list:  # type: ignore[type-arg]
    result = lint_text(text, rules, OPTIONS)
    assert result.errors == []
    return result.diagnostics


def _lint_keeping(text: str) -> list:  # type: ignore[type-arg]
    return _lint(text, KEEPING)


def _lint_keeping_words(text: str) -> list:  # type: ignore[type-arg]
    return _lint(text, [r for r in RULES if r.name not in ("duplicate-url", "link-reference")])


def _words(text: str) -> Counter[str]:
    return Counter(w for w in re.split(r"[\s|\\:\-\ufeff]+", text) if w)


def _cells(text: str) -> Counter[str]:
    doc = Document(text)
    # Delimiter cells are rewritten on purpose (dashes fill the column) and padding adds
    # empty cells; a cell with content is never changed, dropped or merged.
    return Counter(
        c.text for t in doc.tables for r in (t.header, *t.body) for c in r.cells if c.text
    )


@SETTINGS
@given(documents())
@example("| a |\n|---|\n|b|\n| c |")
@example("\ufeff| a | b |\r\n|-|-|\r\n| 1 |")
@example("\ufeff|Llama|\n|---|\n||")  # an empty row is one empty cell, as in GFM
def test_check_never_fails_and_positions_are_inside(text: str) -> None:
    doc = Document(text)
    for d in _lint(text, EVERY_RULE):  # the opt-in rules too
        assert 0 <= d.start <= d.end <= len(text)
        assert (d.line, d.column) == doc.position(d.start)
        assert d.message


@SETTINGS
@given(documents())
@example("\ufeff||\n|---|\n||\n|---|\n>|0\n--|-")  # a table right under another one
@example("\ufeff||\n|---|\n||\n|---|\n||\n|---|\n- 0\n>||0\n-|-|-")  # under a list item
@example("- 0\n\n[ref]: https://example.org/ref\n\n-")  # a definition between two lists
@example("\ufeff-\n\n[ref]: https://example.org/ref\n\n-")  # empty items: cmark-gfm decides
def test_safe_fix_laws(text: str) -> None:
    fixed, _ = fix_to_fixed_point(text, _lint, unsafe=False)
    assert fix_to_fixed_point(fixed, _lint, unsafe=False)[0] == fixed
    assert not [d for d in _lint(fixed) if d.fix and d.fix.applicability == "safe"]
    assert _cells(fixed) == _cells(text)
    keeping, _ = fix_to_fixed_point(text, _lint_keeping, unsafe=False)
    assert html(keeping) == html(text)
    assert fixed.startswith("\ufeff") == text.startswith("\ufeff")


@SETTINGS
@given(documents())
@example("\ufeff|\n---|---")  # a lone pipe is no header row
def test_unsafe_fixes_converge_and_keep_text(text: str) -> None:
    fixed, _ = fix_to_fixed_point(text, _lint, unsafe=True)
    assert fix_to_fixed_point(fixed, _lint, unsafe=True)[0] == fixed
    # duplicate-url deletes a duplicate entry and link-reference an unused definition, by
    # design; every other fix keeps every word.
    fixed, _ = fix_to_fixed_point(text, _lint_keeping_words, unsafe=True)
    # Unsafe fixes add escapes, pipes, blank lines and dashes; they never remove a word.
    before, after = _words(text), _words(fixed)
    assert not before - after


@SETTINGS
@given(tables())
def test_table_format_output_is_stable(text: str) -> None:
    from helpers import check, fix

    fixed = fix(text, "table-format")
    assert [d for d in check(fixed, "table-format")] == []
    assert _cells(fixed) == _cells(text)


def _lines(text: str) -> Counter[str]:
    return Counter(line for line in re.split(r"\r\n|\r|\n", text) if line.strip())


def _blocks(text: str) -> Counter[str]:
    """Rendered HTML cut into sections and list items: moving them keeps each intact."""
    parts = re.split(r"(?=<h2>)|(?=<li>)|(?=<tr>)", html(text))
    return Counter(re.sub(r"</?(ul|tbody|table|thead)>", "", p) for p in parts)


@SETTINGS
@given(sectioned())
def test_moving_sections_and_sorting_keep_every_line_and_block(text: str) -> None:
    from helpers import fix

    config = {
        "section-order": {
            "order": ["Contents", "*", "Contributing", "License"],
            "alphabetical": True,
        },
        "sort-entries": {"ignore-prefixes": ["The "]},
    }
    fixed = fix(text, "section-order", "sort-entries", config=config)
    assert _lines(fixed) == _lines(text)
    assert _blocks(fixed) == _blocks(text)
    assert fix(fixed, "section-order", "sort-entries", config=config) == fixed


def _fixed_and_stable(text: str, rules: list, *, unsafe: bool = False) -> str:  # type: ignore[type-arg]
    """Fix ``text`` with ``rules`` to a fixed point; fixing again changes nothing."""

    def lint(t: str) -> list:  # type: ignore[type-arg]
        return _lint(t, rules)

    fixed, _ = fix_to_fixed_point(text, lint, unsafe=unsafe)
    assert fix_to_fixed_point(fixed, lint, unsafe=unsafe)[0] == fixed
    return fixed


TEXT_STYLE = rules_named("arxiv-text-style")
_ARXIV_PREFIX = re.compile(r"arxiv[\s:]*", re.IGNORECASE)


@SETTINGS
@given(documents())
@example("## arxiv 2407.21783\n\n- arxiv 2407.21783 and `arxiv 2407.21783`")
def test_arxiv_text_style_rewrites_prefixes_only(text: str) -> None:
    fixed = _fixed_and_stable(text, TEXT_STYLE)
    assert not [d for d in _lint(fixed, TEXT_STYLE) if d.fix]
    # Everything but the spelling of "arXiv:" prefixes is as it was.
    assert _ARXIV_PREFIX.sub("", fixed) == _ARXIV_PREFIX.sub("", text)


@SETTINGS
@given(documents())
# A table right under a paragraph is a table for the rules once a comment separates them.
@example("See [ref].\nhttps://arxiv.org/pdf/2407.21783v2.pdf||Llama\n---|---|---")
# A comment in an empty section must not make it look full (the first comment unused).
@example("\ufeff#\n\n#")
# After a definition, `-` is a paragraph for GitHub and a list item after a comment line.
@example("\ufeff[ref]: https://example.org/ref\n-\n- 0\n||\n|---|")
def test_added_suppressions_silence_every_finding_and_keep_the_rendering(text: str) -> None:
    from listlint.adopt import suppress_all

    def lint(t: str) -> LintResult:
        return lint_text(t, RULES, OPTIONS)

    new, result = suppress_all(text, lint)
    assert result.diagnostics == []
    # Every comment written is used.
    assert _lint(new, [*RULES, *rules_named("unused-suppression")]) == []
    assert html_without_suppressions(new) == html_without_suppressions(text)
    assert suppress_all(new, lint)[0] == new


ENTRY_FORMAT = rules_named("entry-format")
_SEPARATORS_AND_PERIODS = re.compile(r"[\s.:|\\\-–—]+")


@SETTINGS
@given(st.one_of(entries(), documents()))
@example("- [a](https://example.org/a) — b\n- [c](https://example.org/c): d.\n")
def test_entry_format_fixes_only_separators_and_periods(text: str) -> None:
    fixed = _fixed_and_stable(text, ENTRY_FORMAT)
    assert not [d for d in _lint(fixed, ENTRY_FORMAT) if d.fix]
    strip = _SEPARATORS_AND_PERIODS.sub
    assert strip("", fixed) == strip("", text)


@SETTINGS
@given(st.one_of(sectioned(), entries(), documents()))
# sort-entries sorted the table of contents, toc put it back in the headings' order.
@example("# T\n\n## Contents\n\n- [Zebra](#zebra)\n- [Apple](#apple)\n\n## Zebra\n\n## Apple\n")
def test_every_rule_at_once_converges(text: str) -> None:
    _fixed_and_stable(text, EVERY_RULE, unsafe=True)


# -- GitHub's rendering (cmark-gfm) is the judge: the fix guard's guarantee ----------------
# Documents with what GitHub reads differently from a naive reader: tables as the first
# block of list items and in quotes, lazy lines, HTML blocks, fences (unclosed too), links
# that are no links (nested, split by a cell pipe, swallowed by a bare URL, a tag as the
# destination), images, CR and CRLF line endings, no final newline.
LINKY = st.sampled_from(
    [
        "[x](http://github.com/a)",
        "[p](http://arxiv.org/pdf/2401.00001.pdf)",
        "[[]()](http://arxiv.org/pdf/2305.04160.pdf)",
        "[see](<a>http://github.com/x)",
        "http://x[](http://arxiv.org/pdf/2401.00001)",
        "![](http://arxiv.org/pdf/2411.14062)",
        "![](http://github.com/a.png)",
        "<http://github.com/b>",
        "http://github.com/bare",
        "[y][r]",
        '[t](http://github.com/t "title")',
        "`[c](http://github.com/c)`",
        "[x|y](http://arxiv.org/pdf/2411.14062)",
        "[A](#a)",
        "[ http://github.com/open",
        "Llama",
        "a|b",
        "",
    ]
)
GH_CELL = st.lists(LINKY, max_size=2).map(" ".join)


@st.composite
def _gh_table(draw: st.DrawFn) -> list[str]:
    width = draw(st.integers(1, 3))
    rows = [" | ".join(draw(st.lists(GH_CELL, min_size=width, max_size=width)))]
    rows.append("|".join(["---"] * width))
    for _ in range(draw(st.integers(0, 3))):
        rows.append(" | ".join(draw(st.lists(GH_CELL, min_size=1, max_size=width + 1))))
    if draw(st.booleans()):
        rows = [f"| {r} |" for r in rows]
    return rows


@st.composite
def _gh_block(draw: st.DrawFn) -> list[str]:
    kind = draw(st.integers(0, 11))
    if kind == 0:
        return draw(_gh_table())
    if kind == 1:  # a table as the first block of a list item
        first, *rest = draw(_gh_table())
        return [f"- {first}", *(f"  {r}" for r in rest)]
    if kind == 2:  # a table in a quote, sometimes with lazy lines
        lazy = draw(st.booleans())
        return [r if lazy and k else f"> {r}" for k, r in enumerate(draw(_gh_table()))]
    if kind == 3:  # list items with lazy continuation lines
        out = []
        for _ in range(draw(st.integers(1, 3))):
            out.append(f"{draw(st.sampled_from(['-', '*', '1.']))} {draw(GH_CELL)}")
            if draw(st.booleans()):
                out.append(draw(GH_CELL) or "lazy")
        return out
    if kind == 4:  # HTML blocks
        return draw(
            st.sampled_from(
                [
                    ["<div>", "", "[x](http://github.com/d)", "", "</div>"],
                    ["<!--", "- [a](http://github.com/c)", "-->"],
                    ["<r>"],
                    ["<details><summary>S</summary>", "", "- [x](http://github.com/s)", ""],
                ]
            )
        )
    if kind == 5:  # fences, closed or not
        inner = draw(_gh_table())
        return ["```", *inner, *(["```"] if draw(st.booleans()) else [])]
    if kind == 6:
        return [f"{'#' * draw(st.integers(1, 3))} {draw(st.sampled_from(['A', 'Contents', 'B']))}"]
    if kind == 7:  # a table of contents
        return ["- [A](#a)", "- [Gone](#gone)", "  - [B](#b)"]
    if kind == 8:
        return ["[r]: http://github.com/r"]
    if kind == 9:  # a paragraph of link soup
        return [" ".join(draw(st.lists(LINKY, min_size=1, max_size=4)))]
    if kind == 10:  # a delimiter row under a line that is no table header on GitHub
        return [draw(st.sampled_from(["- a | b", "> a | b", "<!--|||c-->", ":", "# a|b"])), "-|-"]
    return [draw(GH_CELL), "|"]  # a lone pipe after a line


@st.composite
def github_documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for block in draw(st.lists(_gh_block(), min_size=1, max_size=5)):
        lines += block
        if draw(st.integers(0, 2)):
            lines.append("")
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r", 1)  # a bare CR among LFs
    return text + draw(st.sampled_from(["", newline]))


GH_SETTINGS = explored(120)
LINK_REWRITERS = rules_named("link-http", "arxiv-link")


def _guarded(text: str, rules: list, unsafe: bool = False):  # type: ignore[no-untyped-def,type-arg]
    from listlint.guard import guarded_fix

    def lint(t: str, names: object = None) -> list:  # type: ignore[type-arg]
        chosen = rules if names is None else [r for r in rules if r.name in names]  # type: ignore[operator]
        return _lint(t, chosen)

    declared = {r.name: r.fix_may_change for r in rules}
    return guarded_fix(text, lint, unsafe=unsafe, declared=declared)


def _github_same(before: str, after: str, kinds: set[str]) -> bool:
    from listlint.github import render_html
    from listlint.guard import normalise

    return normalise(render_html(after), kinds) == normalise(render_html(before), kinds)


@GH_SETTINGS
@given(st.one_of(github_documents(), documents()))
@example("- Name | URL\n  --- | ---\n  foo | bar\n")  # a table first in a list item
@example("| Name | Link |\n|------|------|\n| A    | x    |\n|\n")  # a lone pipe ends a table
@example("Intro text\n1. [Zeta](https://z.com) - z.\n2. [Alpha](https://a.com) - a.\n")
@example("a|b\n--|--\no\rr")  # a bare CR next to an inserted newline
@example("# Content\n- [](#)")  # no final newline
@example(
    "\ufeff<!-- listlint-disable table-format -->\n\n[ref]: https://example.org/ref\n\n"
    "[ref]: https://example.org/ref"
)  # both definitions removed: no final newline still
def test_every_safe_fix_keeps_the_github_rendering_up_to_its_declared_change(text: str) -> None:
    for rules in (RULES, EVERY_RULE):
        guarded = _guarded(text, rules)
        fixed = guarded.run.text
        kinds = {
            k
            for a in guarded.run.applied
            for k in next(r.fix_may_change for r in rules if r.name == a.rule)
        }
        assert _github_same(text, fixed, kinds)
        # Rules that declare nothing keep GitHub's HTML exactly.
        if not kinds:
            from listlint.github import render_html

            assert render_html(fixed) == render_html(text)
        assert fixed.endswith(("\n", "\r")) == text.endswith(("\n", "\r")) or fixed == ""
        assert _guarded(fixed, rules).run.text == fixed  # idempotent, withheld or not


@GH_SETTINGS
@given(st.one_of(github_documents(), documents()))
@example("[[]()](http://arxiv.org/pdf/2305.04160.pdf)\n")
@example("[see](<a>http://github.com/x)\n")
@example("| a | b |\n|---|---|\n| [x|y](http://arxiv.org/pdf/2411.14062) | z |\n")
@example("http://x[](http://arxiv.org/pdf/2401.00001)\n")
@example("![](http://arxiv.org/pdf/2411.14062)\n![](http://github.com/a.png)\n")
@example("[r]: http://github.com/r\n|  |\n| --- |")  # a table makes the definition text
def test_link_rewrites_change_only_real_link_destinations(text: str) -> None:
    # Without the guard: link-http and arxiv-link themselves rewrite only what GitHub
    # renders as a link's href, never visible text or an image's source.
    for rule in LINK_REWRITERS:
        fixed = _fixed_and_stable(text, [rule])
        assert _github_same(text, fixed, set(rule.fix_may_change)), rule.name


def test_line_endings_are_kept_by_the_engine() -> None:
    # Every newline an edit inserts takes the style of the line it joins.
    from listlint.diagnostic import Edit
    from listlint.fix import splice

    for nl in ("\n", "\r\n", "\r"):
        text = f"a{nl}b{nl}c"
        new = splice(text, [Edit(len(f"a{nl}"), len(f"a{nl}"), "x\n")])
        assert new == f"a{nl}x{nl}b{nl}c"
