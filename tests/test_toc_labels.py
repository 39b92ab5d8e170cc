"""toc's label lines (``_labels``) read from the line index directly, blank lines skipped
before the label test: the same lines as reading each line with ``Document.line``."""

from __future__ import annotations

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.rules import toc

LINES = st.sampled_from(
    [
        "",
        " ",
        "\t",
        " \u00a0",
        "\x0c",
        "# Contents",
        "## Table of Contents",
        "Contents",
        "**Contents**",
        "<summary>Table of Contents</summary>",
        ":book: Index",
        "***",
        "<br>",
        "_",
        "- Contents",
        "1. Contents",
        "| Contents |",
        "```",
        "    Contents",
        "Contents" + " x" * 40,
        "Overview of contents",
        "text",
        "> Contents",
    ]
)
TEXTS = st.tuples(st.lists(LINES, max_size=14), st.sampled_from(["\n", "\r\n", "\r"])).map(
    lambda t: t[1].join(t[0])
)


def _read_by_lines(doc: Document) -> list[int]:
    """``_labels`` as it read each line before (``Document.line``, every test in turn)."""
    lines = {h.end_line - 1 for h in doc.structure.headings if toc.is_label(h.text)}
    code = doc.structure.code_lines
    for i in range(doc.line_count):
        raw = doc.line(i)
        if len(raw) > 80 or i in code or toc._ITEM.match(raw) or "|" in raw:
            continue
        plain = toc._TAG.sub("", raw).replace("*", "").replace("_", " ")
        if plain.strip() and toc.is_label(plain):
            lines.add(i)
    return sorted(lines)


@explored(300)
@given(TEXTS, st.booleans())
@example("Contents\n\n- [a](#a)", False)
@example("Contents\n   \n<b></b>\r\nIndex\n```\nContents\n```", True)
def test_labels_as_read_line_by_line(text: str, bom: bool) -> None:
    if bom:
        text = "\ufeff" + text
    doc = Document(text)
    assert toc._labels(doc) == _read_by_lines(doc)
