"""arxiv-id's shortcuts give what the piece-by-piece reading gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from listlint.rules.arxiv_id import _HINTS, _hinted

_PIECE = st.lists(
    st.sampled_from(["arXiv", "xiv", "XIV", "Xiv", "48550", "x", "iv", "4855", "0", "\0", " "]),
    max_size=6,
).map("".join)


@settings(max_examples=300, derandomize=True)
@given(st.lists(_PIECE, max_size=8))
def test_the_hinted_pieces_are_those_holding_a_hint(texts: list[str]) -> None:
    pieces = [(i * 10, text) for i, text in enumerate(texts)]
    expected = [i for i, text in enumerate(texts) if any(h in text for h in _HINTS)]
    assert _hinted(pieces) == expected
