"""table-format counts a text of ASCII and Latin-1 characters but the soft hyphen one
column a character without looking at each (``_NOT_ONE_COLUMN``): it must be what looking
at each gives."""

from __future__ import annotations

import unicodedata

from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint.rules import table_format
from listlint.rules.table_format import _NOT_ONE_COLUMN, display_width


def _width_of_each(text: str) -> int:
    return sum(
        1
        if ch.isascii()
        else 0
        if unicodedata.combining(ch)
        or ch in table_format._ZERO_WIDTH
        or unicodedata.category(ch) == "Cf"
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in text
    )


def test_each_latin1_character_but_the_soft_hyphen_takes_one_column() -> None:
    for code in range(0x100):
        ch = chr(code)
        assert (_NOT_ONE_COLUMN.search(ch) is None) == (code != 0xAD)
        if code != 0xAD:
            assert _width_of_each(ch) == 1, hex(code)
    assert _width_of_each("\u00ad") == 0


@explored(200)
@given(st.text(st.characters(max_codepoint=0x3100), max_size=30))
def test_display_width_is_the_width_of_each_character(text: str) -> None:
    assert display_width(text) == _width_of_each(text)
