"""The table view's shortcuts give what the searches they stand for give."""

from __future__ import annotations

import re
from collections.abc import Iterator

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st
from test_tables_github import documents

from listlint.github import render_html
from listlint.views import tables
from listlint.views.tables import _finish

SETTINGS = explored(150)
ROW = st.lists(
    st.sampled_from(["[a](b)", "[a|b](c)", "[x](y|z)", "[", "]", "(", ")", "](", "|", "\\|", "a"]),
    max_size=8,
).map("".join)


@SETTINGS
@given(ROW)
@example("[a](b) | [c](d)")
@example(") | [a](b|c)")
def test_a_link_holds_a_pipe_as_the_links_found_tell(content: str) -> None:
    found = "|" in "".join(tables._LINK_IN_ROW.findall(content))
    assert tables._link_holds_pipe(content) == found


def _by_matches(html: str) -> Iterator[tuple[int, list[int], list[tuple[str, int]], bool]]:
    """``github_tables`` as it read each match (its own start for the footnotes test)."""
    stack: list[tuple[str, int, int]] = []
    table: tuple[int, list[tuple[str, int]]] | None = None
    start = 0
    rows: list[int] = []
    notes = html.rfind('<section class="footnotes" data-footnotes>')
    notes = len(html) if notes == -1 else notes
    for m in re.finditer(tables._SOURCEPOS.pattern, html):
        tag, first, last = m.group(1), int(m.group(2)) - 1, int(m.group(3)) - 1
        if tag == "tr":
            rows.append(first)
            continue
        if table is not None:
            yield (*_finish(table, rows), start > notes)
            table = None
        start = m.start()
        while stack and stack[-1][2] < first:
            stack.pop()
        if tag == "table":
            table, rows = (last, [(k, f) for k, f, _ in stack]), []
        else:
            stack.append(("blockquote" if tag == "blockquote" else "list_item", first, last))
    if table is not None:
        yield (*_finish(table, rows), start > notes)


FOOTNOTES = (
    "a[^1]\n\n[^1]: note\n\n    | a | b |\n    |---|---|\n    | 1 | 2 |\n\n| c |\n|---|\n| 3 |\n"
)


@SETTINGS
@given(st.one_of(documents(), st.just(FOOTNOTES)))
@example(FOOTNOTES)
@example("- | a |\n  |---|\n  | b |\n\n> | c |\n> |---|\n")
def test_github_tables_reads_every_tag_in_order(text: str) -> None:
    html = render_html(text, sourcepos=True)
    assert list(tables.github_tables(html)) == list(_by_matches(html))
