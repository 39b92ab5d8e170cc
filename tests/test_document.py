"""The line index and the newline style against their definitions, on mixed newlines."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from listlint.document import BOM, Document

TEXTS = st.lists(st.sampled_from(["a", "é", " ", "\n", "\r", "\r\n", "\t", "|"]), max_size=30).map(
    "".join
)


@settings(max_examples=300, derandomize=True)
@given(TEXTS, st.booleans())
def test_line_index_and_newline_follow_the_parsers_newline_rule(body: str, bom: bool) -> None:
    text = BOM + body if bom else body
    doc = Document(text)
    start = 1 if bom else 0
    starts, ends = [start], []
    for m in re.finditer(r"\r\n|\r|\n", text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    assert (doc.line_starts, doc.line_ends) == (starts, ends)
    counts: dict[str, int] = {}
    for m in re.finditer(r"\r\n|\r|\n", text):
        counts[m.group()] = counts.get(m.group(), 0) + 1
    # The most common newline; on a tie the one written first (dicts keep that order).
    assert doc.newline == (max(counts, key=lambda k: counts[k]) if counts else "\n")
