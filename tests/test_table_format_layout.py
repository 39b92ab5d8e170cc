"""table-format's layout tests read from the raw row against their definitions on the cells."""

from __future__ import annotations

from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.rules import table_format
from listlint.rules.table_format import display_width

CELL = st.lists(st.sampled_from(["", " ", "  ", "\t", "a", "-", ":", "é", "中", "\u0301", "\\|"]))
ROW = st.lists(CELL.map("".join), min_size=1, max_size=4).map("|".join)


def _compact_by_cells(text: str, table: object, row: object) -> bool:
    """The definition: one space around each cell's text (an empty cell: one or two
    spaces); a delimiter row all padded or all tight."""
    if not (row.leading_pipe and row.trailing_pipe):  # type: ignore[attr-defined]
        return False
    p = row.pipes  # type: ignore[attr-defined]
    segments = [text[p[i] + 1 : p[i + 1]] for i in range(len(p) - 1)]
    cells = [c.text for c in row.cells]  # type: ignore[attr-defined]
    if row is table.delimiter:  # type: ignore[attr-defined]
        return all(s == f" {c} " for s, c in zip(segments, cells, strict=True)) or all(
            s == c for s, c in zip(segments, cells, strict=True)
        )
    return all(
        s == f" {c} " or (not c and s in (" ", "  ")) for s, c in zip(segments, cells, strict=True)
    )


def _columns_by_width(text: str, row: object) -> list[int]:
    columns, col, pos = [], 0, row.start  # type: ignore[attr-defined]
    for p in row.pipes:  # type: ignore[attr-defined]
        col += display_width(text[pos:p])
        columns.append(col)
        col += 1
        pos = p + 1
    return columns


@explored(400)
@given(st.lists(ROW, min_size=1, max_size=4), st.sampled_from(["|---|---|", "| --- | --- |"]))
def test_compact_rows_and_pipe_columns_follow_their_definitions(
    rows: list[str], delimiter: str
) -> None:
    text = "\n".join(["| a | b |", delimiter, *(f"|{r}|" for r in rows)]) + "\n"
    doc = Document(text)
    for table in doc.tables:
        for row in table.rows:
            texts = row.cells.texts()
            assert texts == [c.text for c in row.cells]  # split anew, and from the cells
            assert row.cells.texts() == texts
            assert table_format._row_compact(text, table, row, texts) == _compact_by_cells(
                text, table, row
            )
            assert table_format._pipe_columns(text, row, False) == _columns_by_width(text, row)


@explored(300)
@given(st.lists(ROW, min_size=1, max_size=5), st.booleans())
def test_column_widths_are_the_widest_cells(rows: list[str], aligned: bool) -> None:
    delimiter = "| --- | --- |" if aligned else "|---|---|"
    text = "\n".join(["| a | b |", delimiter, *(f"|{r}|" for r in rows)]) + "\n"
    for table in Document(text).tables:
        texts = [row.cells.texts() for row in table.rows]
        expected = [3] * table.width
        for row in (table.header, *table.body):
            for i, cell in enumerate(row.cells[: table.width]):
                expected[i] = max(expected[i], display_width(cell.text))
        if all(len(row.cells) <= table.width for row in table.rows):
            assert table_format._column_widths(table, texts) == expected


@given(st.text(alphabet=["a", "é", "中", "\u0301", "\u200b", " ", "\t", "\u00ad", "😀"]))
def test_display_width_of_ascii_is_its_length(text: str) -> None:
    assert display_width(text) == sum(display_width(ch) for ch in text)
    if text.isascii():
        assert display_width(text) == len(text)
