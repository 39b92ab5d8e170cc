"""No fix loses content a list still needs (issue 13, "Done when"): on generated lists,
fixing with every rule selected, unsafe fixes included,

- never removes the last entry listing a URL (an entry is a list item or a table row; its
  URL is its own link, compared by duplicate-url's key, so http -> https is no loss),
- never removes a table-of-contents line whose target exists,
- never empties a section that had entries.

CI runs a fixed, reproducible set; LISTLINT_EXPLORE=N runs N random examples.
"""

from __future__ import annotations

import re
from collections import Counter

from explore import explored
from helpers import all_rules, options_for
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.fix import fix_to_fixed_point
from listlint.lint import lint_text
from listlint.urlnorm import url_key
from listlint.views.entries import entries_of

SETTINGS = explored(60, HealthCheck.data_too_large)
EVERY_RULE = [r for r in all_rules() if r.name != "link-relative"]
OPTIONS = options_for()
# duplicate-url compares within a section by default; across the file, removing a later
# entry could empty its section, which the rule must refuse.
FILE_SCOPE = options_for({"duplicate-url": {"scope": "file"}})

URLS = st.sampled_from(
    [
        "https://example.org/a",
        "http://www.example.org/a/",
        "https://example.org/a?utm_source=list",
        "https://github.com/owner/repo",
        "https://github.com/Owner/Repo.git",
        "https://arxiv.org/abs/2407.21783",
        "http://arxiv.org/pdf/2407.21783v2.pdf",
        "https://example.org/b",
        "https://example.org/c",
        "http://github.com/o/d",
        "example.org/e",
        "https://spacyio/",
        "http//openkg.cn",
    ]
)
NAMES = st.sampled_from(["Alpha", "beta", "Gamma", "Δelta", "Zeta 2", "Zeta 10", "日本", "The Eta"])
DESCRIPTIONS = st.sampled_from(
    ["", " - A tool.", " - see [docs](https://example.org/a).", " — Fast", ": a thing"]
)
SECTIONS = st.sampled_from(["Tools", "Papers", "Apps", "Tools", "Data sets", "🎉 Fun", "其他"])


@st.composite
def item(draw: st.DrawFn) -> list[str]:
    marker = draw(st.sampled_from(["-", "*", "1."]))
    lines = [f"{marker} [{draw(NAMES)}]({draw(URLS)}){draw(DESCRIPTIONS)}"]
    extra = draw(st.integers(0, 5))
    if extra == 0:
        lines.append(f"  - [{draw(NAMES)}]({draw(URLS)}) - nested.")
    elif extra == 1:
        lines += ["", "  A second paragraph."]
    return lines


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    lines = ["| Name | Code |", "| --- | --- |"]
    for _ in range(draw(st.integers(1, 3))):
        lines.append(f"| [{draw(NAMES)}]({draw(URLS)}) | [code]({draw(URLS)}) |")
    return lines


@st.composite
def lists(draw: st.DrawFn) -> str:
    names = draw(st.lists(SECTIONS, min_size=1, max_size=4))
    out = ["# List", ""]
    if draw(st.booleans()):
        out += ["## Contents", ""]
        for name in draw(st.lists(st.sampled_from([*names, "Missing"]), max_size=5)):
            slug = re.sub(r"[^\w\- ]", "", name.lower()).strip().replace(" ", "-")
            out.append(f"- [{name}](#{slug})")
        if draw(st.booleans()):
            out.append("- [Custom](#custom)")
        out.append("")
    for name in names:
        out += [f"## {name}", ""]
        if draw(st.booleans()):
            out += ['<a id="custom"></a>', ""]
        for _ in range(draw(st.integers(1, 4))):
            out += draw(item())
        if draw(st.booleans()):
            out += ["", *draw(table())]
        out.append("")
    return draw(st.sampled_from(["\n", "\r\n"])).join(out)


def _lint(text: str) -> list:  # type: ignore[type-arg]
    result = lint_text(text, EVERY_RULE, OPTIONS)
    assert result.errors == []
    return result.diagnostics


def _lint_file_scope(text: str) -> list:  # type: ignore[type-arg]
    result = lint_text(text, EVERY_RULE, FILE_SCOPE)
    assert result.errors == []
    return result.diagnostics


def _entry_keys(doc: Document) -> Counter[str]:
    keys: Counter[str] = Counter()
    for entry in entries_of(doc):
        own = entry.own
        key = url_key(own.url) if own is not None else None
        if key is not None:
            keys[key] += 1
    return keys


def _toc_targets(doc: Document) -> Counter[str]:
    """Fragments linked from list items whose target exists."""
    found: Counter[str] = Counter()
    for entry in entries_of(doc):
        own = entry.own
        if own is not None and own.url.startswith("#") and doc.structure.exists(own.url[1:]):
            found[own.url[1:].lower()] += 1
    return found


def _sections_with_entries(doc: Document) -> Counter[str]:
    headings = doc.structure.headings
    with_entries = {e.section for e in entries_of(doc) if e.section >= 0}
    return Counter(headings[i].text for i in with_entries)


def _assert_nothing_needed_is_lost(text: str, fixed: str) -> None:
    before, after = Document(text), Document(fixed)
    # Every URL an entry listed is still listed by an entry.
    assert not set(_entry_keys(before)) - set(_entry_keys(after))
    # No ToC line whose target exists is gone (it may move).
    assert not _toc_targets(before) - _toc_targets(after)
    # Every section that had entries still has one.
    assert not set(_sections_with_entries(before)) - set(_sections_with_entries(after))


@SETTINGS
@given(lists())
@example(
    "# L\n\n## Tools\n\n- [A](https://example.org/a)\n\n## Apps\n\n- [A](https://example.org/a/)\n"
)
@example(
    "# L\n\n## Tools\n\n- [K](https://keras.io/) - for [T](https://github.com/t/t).\n\n"
    "## Backends\n\n- [T](https://github.com/t/t) - Dataflow.\n"
)
def test_no_fix_removes_a_needed_entry_toc_line_or_section(text: str) -> None:
    fixed, _ = fix_to_fixed_point(text, _lint, unsafe=True)
    _assert_nothing_needed_is_lost(text, fixed)


@SETTINGS
@given(lists())
@example(
    "# L\n\n## Tools\n\n- [A](https://example.org/a)\n\n## Apps\n\n- [A](https://example.org/a/)\n"
)
def test_no_fix_loses_content_when_duplicates_are_compared_across_the_file(text: str) -> None:
    fixed, _ = fix_to_fixed_point(text, _lint_file_scope, unsafe=True)
    _assert_nothing_needed_is_lost(text, fixed)
