"""The entries view: what counts as an entry, its own link and its mentions."""

from __future__ import annotations

from listlint.document import Document
from listlint.views.entries import entries_of

TEXT = """\
# List

Intro with [a prose link](https://example.org/prose).

## Tools

- [Keras](https://keras.io/) - Frontend for [TensorFlow](https://github.com/t/t).
  - [Nested](https://example.org/nested) - an entry of its own.
- ![badge](https://img.shields.io/x) [Named](https://example.org/named) after a badge.
- Plain text entry without links.
- [Two paragraphs](https://example.org/two)

  More under it.

| Date | Paper | Code |
| --- | --- | --- |
| 2023 | [ZeRO](https://arxiv.org/abs/1910.02054) | [DeepSpeed](https://github.com/m/d) |
| 2024 | | [Only code](https://github.com/m/e) |
"""


def _own(entry: object) -> str | None:
    own = entry.own  # type: ignore[attr-defined]
    return None if own is None else own.url


def test_entries_own_links_and_mentions() -> None:
    doc = Document(TEXT)
    view = entries_of(doc)
    assert view is entries_of(doc)  # cached on the document
    by_line = {e.line + 1: e for e in view}
    assert [e.kind for e in view] == ["item"] * 5 + ["row"] * 2
    keras = by_line[7]
    assert _own(keras) == "https://keras.io/"
    assert [m.url for m in keras.mentions] == ["https://github.com/t/t"]
    assert not keras.simple  # it holds a nested item
    assert _own(by_line[8]) == "https://example.org/nested" and by_line[8].simple
    assert _own(by_line[9]) == "https://example.org/named"  # images are not links here
    assert _own(by_line[10]) is None
    assert _own(by_line[11]) == "https://example.org/two" and not by_line[11].simple
    # The entry column is the first column holding a link: Paper; Code links are mentions.
    assert _own(by_line[17]) == "https://arxiv.org/abs/1910.02054"
    assert [m.url for m in by_line[17].mentions] == ["https://github.com/m/d"]
    assert _own(by_line[18]) is None
    assert [link.url for link in view.prose] == ["https://example.org/prose"]
    assert view.column_name(by_line[17], 1) == "Code"
    # Sections: the heading above each entry.
    assert {doc.structure.headings[e.section].text for e in view} == {"Tools"}


def test_entry_columns_name_the_own_link() -> None:
    view = entries_of(Document(TEXT))
    rows = [e for e in view.with_entry_columns(["code"]) if e.kind == "row"]
    assert [_own(e) for e in rows] == ["https://github.com/m/d", "https://github.com/m/e"]
