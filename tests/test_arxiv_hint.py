"""``arxiv.may_be_paper`` is False only where ``arxiv.parse_url`` finds no paper: the URL
views and duplicate-url skip ``parse_url`` for those URLs."""

from __future__ import annotations

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.arxiv import may_be_paper, parse_url

PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTPS://",
        "arxiv.org",
        "ArXiv.org",
        "www.",
        "export.",
        "ar5iv.labs.",
        "ar5iv.org",
        "doi.org/10.48550/arXiv.",
        "lanl.gov",
        "alphaxiv.org",
        "huggingface.co/papers/",
        "semanticscholar.org/arxiv/",
        "/abs/",
        "/pdf/",
        "/html/",
        "2301.01234",
        "hep-th/9901001",
        "v2",
        ".pdf",
        "?x=1",
        "#a",
        "x" * 30,
        "İ",
        "/",
    ]
)
URLS = st.lists(PIECES, max_size=10).map("".join)


@explored(500)
@given(URLS)
@example("https://arxiv.org/abs/2301.01234")
@example("https://export.arxiv.org/pdf/2301.01234v2.pdf")
@example("https://huggingface.co/papers/2301.01234")
@example("https://doi.org/10.48550/arXiv.2301.01234")
@example("https://" + "x" * 60 + "arxiv.org/abs/2301.01234")
def test_no_paper_without_a_hint(url: str) -> None:
    assert may_be_paper(url) or parse_url.__wrapped__(url) is None
