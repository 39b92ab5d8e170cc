"""The arXiv recogniser: every valid id in every URL form gives the same canonical id."""

from __future__ import annotations

from datetime import date

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.arxiv import LEGACY_ARCHIVES, find_mentions, parse_id, parse_url

TODAY = date(2026, 11, 29)


@st.composite
def valid_ids(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        year, month = draw(
            st.tuples(st.integers(2007, 2026), st.integers(1, 12)).filter(
                lambda ym: (2007, 4) <= ym <= (2026, 11)
            )
        )
        digits = 4 if year <= 2014 else 5
        number = draw(st.integers(1, 10**digits - 1))
        return f"{year % 100:02d}{month:02d}.{number:0{digits}d}"
    archive = draw(st.sampled_from(sorted(LEGACY_ARCHIVES)))
    year, month = draw(
        st.tuples(st.integers(1991, 2007), st.integers(1, 12)).filter(
            lambda ym: (1991, 7) <= ym <= (2007, 3)
        )
    )
    return f"{archive}/{year % 100:02d}{month:02d}{draw(st.integers(1, 999)):03d}"


FORMS = [
    "https://arxiv.org/abs/{id}{v}",
    "http://arxiv.org/pdf/{id}{v}",
    "https://arxiv.org/pdf/{id}{v}.pdf",
    "https://www.arxiv.org/abs/{id}{v}/",
    "https://export.arxiv.org/abs/{id}{v}?x=1",
    "https://arxiv.org/html/{id}{v}#S3.T2",
    "https://arxiv.org/format/{id}{v}",
    "https://doi.org/10.48550/arXiv.{id}",
    "https://doi.org/10.48550/arxiv.{id}",
    "https://ar5iv.labs.arxiv.org/html/{id}{v}",
    "https://www.alphaxiv.org/abs/{id}{v}",
    "https://www.semanticscholar.org/arxiv/{id}",
]


@explored(200)
@given(valid_ids(), st.sampled_from(FORMS), st.sampled_from(["", "v1", "v12"]))
def test_every_form_round_trips(ident: str, form: str, version: str) -> None:
    url = form.format(id=ident, v=version)
    parsed = parse_url(url)
    assert parsed is not None, url
    assert parsed.id.canonical == ident
    assert parsed.id.problems(TODAY) == []
    assert url[parsed.id_start : parsed.id_end].startswith(ident)
    mentions = find_mentions(f"See arXiv:{ident}{version}.")
    assert [m.id.canonical for m in mentions] == [ident]


def test_hugging_face_takes_new_style_only() -> None:
    assert parse_url("https://huggingface.co/papers/2502.07316").id.canonical == "2502.07316"  # type: ignore[union-attr]
    assert parse_url("https://huggingface.co/meta-llama/Llama-3.1-8B") is None


def test_not_papers() -> None:
    for url in (
        "https://arxiv.org/list/cs.CL/recent",
        "https://arxiv.org/a/smith_j_1",
        "https://info.arxiv.org/help/arxiv_identifier.html",
        "https://arxiv.org/category_taxonomy",
        "https://example.org/abs/2407.21783",
    ):
        assert parse_url(url) is None, url


def test_subject_class_is_dropped_and_archive_lowered() -> None:
    ident = parse_id("math.GT/0309136v2")
    assert ident is not None and ident.canonical == "math/0309136"
    assert ident.versioned == "math/0309136v2"


# A label's mentions are taken from its piece of prose (rules/arxiv_id.py, _labels) when
# the label stands there as written; reading each label on its own must find the same.
LABEL_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(https://arxiv.org/abs/2301.00002)",
        "(https://example.org/p)",
        "arXiv:2301.00001",
        "ARxIV:2301.00003",
        "arxiv 1701.0001",
        "10.48550/arXiv.2301.00004",
        "doi:",
        "2302.00005",
        "hep-th/9901001",
        "v2",
        ".",
        " ",
        "`",
        "<b>",
        "|",
        "\n",
        "\n- ",
        "\n| a | b |\n| - | - |\n| ",
        "İ",
    ]
)


@explored(300)
@example("- arXiv [ARxIV2301.00003](https://arxiv.org/abs/2301.00002)")  # no hint: no mention
@example("- arXiv [2302.00005](https://arxiv.org/abs/2301.00002) [arXiv:1701.0001 a](x)")
@example("| a | b |\n| - | - |\n| arXiv | [arXiv:2301.00001v2](https://arxiv.org/abs/2301.00002) |")
@given(st.lists(LABEL_PIECES, max_size=14).map(lambda parts: "- " + "".join(parts)))
def test_label_mentions_from_prose_as_read_alone(text: str) -> None:
    from listlint.document import Document
    from listlint.rules import arxiv_id

    options = arxiv_id.Options(today="2026-11-29")
    shared = list(arxiv_id.check(Document(text), options))
    original = arxiv_id.bisect_right
    arxiv_id.bisect_right = lambda *args: 0  # type: ignore[assignment]  # no piece: alone
    try:
        alone = list(arxiv_id.check(Document(text), options))
    finally:
        arxiv_id.bisect_right = original
    assert shared == alone
