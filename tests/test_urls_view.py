"""The URL view: each link target's URL read once, the lists the URL rules walk."""

from __future__ import annotations

from pathlib import Path

import pytest
from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.arxiv import parse_url
from listlint.document import Document
from listlint.views.urls import _ODD, _read, is_plain_web, urls_of

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

TEXT = """\
# Papers

- [A](https://arxiv.org/abs/2101.00001) and [B](http://example.org/b)
- [C](HTTP://Example.org/c) [D](docs/guide.md) [E](www.example.org)
- [F][f] and <https://intranet/x> and https://arxiv.org/pdf/2101.0000x
- [G](https://export.arxiv.org/abs/hep-th/9901001v2) [H](<https://a.b/c d>)

[f]: http://arxiv.org/abs/2102.00002
"""


def _expected(doc: Document) -> tuple[list[object], list[object], list[object]]:
    """What the view's lists hold, read link by link as each rule read them before."""
    odd, http, papers = [], [], []
    for link in doc.links.all_targets():
        url = link.url
        if not is_plain_web(url):
            odd.append(link)
        if url[:7].lower() == "http://":
            http.append(link)
        paper = parse_url(url)
        if paper is not None or "arxiv" in url[:40].lower():
            papers.append((link, paper))
    return odd, http, papers


def _check(doc: Document) -> None:
    view = urls_of(doc)
    assert (view.odd, view.http, view.papers) == _expected(doc)


def test_the_lists_hold_what_each_rule_read_for_itself() -> None:
    doc = Document(TEXT, "x.md")
    _check(doc)
    view = urls_of(doc)
    assert [link.url for link in view.http] == [
        "http://example.org/b",
        "HTTP://Example.org/c",
        "http://arxiv.org/abs/2102.00002",
        "http://arxiv.org/abs/2102.00002",
    ]
    assert [p is not None for _, p in view.papers] == [True, True, False, True, True]
    assert "https://a.b/c d" in [link.url for link in view.odd]
    assert urls_of(doc) is view  # cached on the document


def test_a_replaced_links_view_is_read_again() -> None:
    doc = Document(TEXT, "x.md")
    first = urls_of(doc)
    doc.__dict__.pop("links")
    again = urls_of(doc)
    assert again is not first
    assert again.papers == first.papers


def test_every_corpus_file() -> None:
    files = sorted(CORPUS.glob("*.md"))
    if not files:
        pytest.skip("no corpus beside the repository")
    for path in files:
        _check(Document(path.read_text(encoding="utf-8"), str(path)))


_PARTS = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTP://",
        "a",
        "B",
        "0",
        "-",
        ".",
        "..",
        "/",
        "?",
        "#",
        ":",
        "@",
        " ",
        "x",
    ]
)


@explored(800)
@given(st.lists(_PARTS, max_size=10).map("".join))
@example("https://a.b")
@example("https://a.")
@example("https://a..b/")
@example("https://.a")
@example("https://a.-")
@example("http://a.b:80")
def test_the_one_match_reading_is_is_plain_web(url: str) -> None:
    for candidate in (url, "https://" + url, "http://x." + url):
        plain = not _read(candidate)[0] & _ODD
        assert plain == is_plain_web(candidate), candidate
