"""The arXiv recogniser: every valid id in every URL form gives the same canonical id."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
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


@settings(max_examples=200, derandomize=True)
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
