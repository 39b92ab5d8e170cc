"""URL keys: the fast reading of plain URLs (duplicate keys, arXiv links) gives exactly
the parts urlsplit gives."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint import arxiv
from listlint.document import Document
from listlint.urlnorm import NormOptions, plain_host, split_plain, split_url, url_key

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"

_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://",
        "hTTp://",
        "www.",
        "Example.ORG",
        "example.org",
        "github.com",
        "GitHub.com",
        "youtu.be",
        "doi.org",
        "arxiv.org",
        "a-b.c0",
        "xn--bcher-kva.de",
        "b\u00fccher.de",
        ".",
        "..",
        "/",
        "/.",
        "/..",
        "/./",
        "/../",
        "/.github",
        "/x",
        "/Foo",
        "/a.html",
        "%41",
        "%7e",
        "%zz",
        "?",
        "#",
        "&",
        "=",
        ":",
        ":80",
        ":443",
        ":8080",
        "@",
        "[",
        "]",
        "\\",
        '"',
        "'",
        "(",
        ")",
        "~",
        "+",
        "_",
        "-",
        " ",
        "\t",
        "\u00e9",
        "\u200b",
        "",
    ]
)
URLS = st.lists(_PIECES, max_size=12).map("".join)


def _agree(url: str) -> None:
    plain = split_plain(url)
    if plain is not None:
        assert plain == split_url(url), url
    assert arxiv._split(url) == _urlsplit(url), url
    host = plain_host(url)
    if host is not None:
        assert host == urlsplit(url).hostname, url


def _urlsplit(url: str) -> object:
    """What arxiv._split gave before it read plain URLs itself."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return parts, host


@explored(500)
@given(URLS)
@example("https://Example.org/")
@example("https://example.org")
@example("http://a.b/./c")
@example("https://x.org/a/b/../c")
@example("https://x.org/%7Euser")
@example("https://github.com/a/b#readme")
@example("https://x.org/p?utm_source=a&b=c#f")
@example("https://x.org?q")
@example("https://x.org#")
@example("https://x.org/a?b?c#d")
@example("https://x.org/a#b#c")
@example("https://x.org/a?b%20c")
@example("https://x.org/a?b#c%41")
def test_plain_urls_read_without_urlsplit_give_urlsplits_parts(url: str) -> None:
    _agree(url)
    _agree("https://" + url)
    _agree("https://example.org/" + url)


def test_every_corpus_url_gets_the_same_parts_both_ways() -> None:
    files = sorted(CORPUS.glob("*.md"))
    if not files:
        pytest.skip("no corpus beside the repository")
    seen = 0
    for path in files:
        doc = Document(path.read_text(encoding="utf-8"), str(path))
        for link in doc.links:
            url = link.url.strip()
            _agree(url)
            seen += split_plain(url) is not None
    assert seen > 1000  # the fast reading is the common case on real lists


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://Example.org/a/", "example.org/a"),
        ("http://www.example.org", "example.org/"),
        ("https://GitHub.com/Owner/Repo.git", "github.com/owner/repo"),
        ("https://x.org/a/./b/../c", "x.org/a/c"),
        ("https://x.org:443/a", "x.org/a"),
        ("https://arxiv.org/abs/2401.00001v2", "arxiv:2401.00001"),
        ("https://youtu.be/abcdefgh", "youtube:abcdefgh"),
        ("mailto:a@b.c", None),
    ],
)
def test_keys(url: str, key: str | None) -> None:
    assert url_key(url) == key


_MENTION_PIECES = st.sampled_from(
    [
        "arXiv",
        "ARXIV",
        "arxiv",
        "arXiv:",
        "arXiv: ",
        "arx\u0131v:",
        "ARX\u0130V ",
        "\u0130",
        "doi:",
        "doi: ",
        "DOI:",
        "10.48550/",
        "10.48550/arXiv.",
        "arxiv.org/abs/",
        "arxiv.org/pdf/",
        "2401.00001",
        "2401.0001v2",
        "hep-th/9901001",
        "math.GT/0309136",
        "1",
        ".",
        "/",
        " ",
        "\n",
        "x",
        "_",
        "\u00df",
        "\u1e9e",
        "(",
    ]
)


@explored(500)
@given(st.lists(_MENTION_PIECES, max_size=14).map("".join))
@example("doi:10.48550/arXiv.2401.00001 and arXiv:2401.00002")
@example("xarXiv:2401.00001 arXiv:2401.00001x arXiv:2401.00003")
@example("doi: 10.48550/arXiv.2401.00001")
@example("see arx\u0131v:2401.00001, ARX\u0130V 2401.00002")
def test_text_mentions_are_finditers_matches(text: str) -> None:
    fast = [(m.start(), m.end()) for m in arxiv._text_mentions(text)]
    assert fast == [(m.start(), m.end()) for m in arxiv.TEXT_MENTION.finditer(text)]


_ARXIV_PIECES = st.sampled_from(
    [
        "https://",
        "http://",
        "HTTPS://",
        "arxiv.org",
        "www.arxiv.org",
        "export.arxiv.org",
        "ARXIV.org",
        "/abs/",
        "/pdf/",
        "/html/",
        "2401.",
        "0704.",
        "1501.",
        "9912.",
        "0001",
        "00001",
        "000001",
        "v2",
        "v",
        ".pdf",
        "/",
        "?x=1",
        "#a",
        "hep-th/9901001",
    ]
)


@explored(500)
@given(st.lists(_ARXIV_PIECES, max_size=8).map("".join))
@example("https://arxiv.org/abs/2401.00001v2")
@example("http://export.arxiv.org/pdf/1501.00001.pdf")
@example("https://www.arxiv.org/pdf/0704.0001v1.pdf")
@example("https://arxiv.org/abs/1301.00001")
def test_canonical_arxiv_urls_read_in_one_match_as_in_general(url: str) -> None:
    assert arxiv.parse_url.__wrapped__(url) == arxiv._parse_url(url), url


@explored(300)
@given(
    st.one_of(
        st.lists(_ARXIV_PIECES, max_size=8).map("".join),
        st.tuples(
            st.sampled_from(["https://", "http://", " https://"]),
            st.sampled_from(["arxiv.org", "www.arxiv.org", "export.arxiv.org"]),
            st.sampled_from(["/abs/", "/pdf/"]),
            st.from_regex(r"\d{4}\.\d{4,5}(v\d{1,3})?(\.pdf)?", fullmatch=True),
            st.sampled_from(["", " ", "\n"]),
        ).map("".join),
    ),
    st.booleans(),
)
@example("https://arxiv.org/abs/2401.00001v2", True)
@example("https://arxiv.org/abs/2401.00001v2", False)
@example("http://export.arxiv.org/pdf/1501.00001v12.pdf", False)
@example("https://www.arxiv.org/pdf/0704.0001", True)
def test_url_keys_of_canonical_arxiv_urls_as_in_general(url: str, versions: bool) -> None:
    from listlint.urlnorm import NormOptions, _key

    options = NormOptions(arxiv_versions=versions)
    assert url_key.__wrapped__(url, options) == _key(url.strip(), options), url


@explored(600)
@given(URLS, st.sampled_from(["https://", "http://"]), st.sampled_from(["", "localhost"]))
@example("", "https://", "")
@example("a.", "https://", "")
@example("a.b.", "http://", "")
@example("1.2.3.4/x", "https://", "")
@example("a.b:80/x", "https://", "")
@example("u@a.b/x", "https://", "")
@example("a.b\n", "https://", "")
def test_a_plainly_dotted_host_is_what_the_host_check_passes(
    rest: str, scheme: str, allowed: str
) -> None:
    """link-url-form's fast path (a dotted host written plainly: no finding) agrees with
    its general host check for every http(s) URL without a space."""
    from listlint.rules.link_url_form import _has_dotted_host, _host_finding
    from listlint.views.links import Link

    assert _has_dotted_host("https://arxiv.org/abs/2101.00001")
    assert not _has_dotted_host("https://localhost/x")
    url = scheme + rest
    if " " in url:
        return
    link = Link("inline", 0, len(url), 0, 0, url, 0, len(url), 0)
    if _has_dotted_host(url):
        assert _host_finding(link, url, {allowed}) is None, url


# A host no URL has: the general reading of a key, without the fast path for most URLs
# (a host and a path: _key's first return), which an option for hosts turns off.
_GENERAL = NormOptions(case_insensitive_hosts=("\x00",))


@explored(600)
@given(URLS, st.sampled_from(["https://", "http://", "HTTP://www.", "www.", ""]))
@example("example.org/a/", "https://")
@example("www.example.org", "http://")
@example("GitHub.com/Owner/Repo.git", "https://")
@example("youtu.be/abcdefgh", "https://")
@example("doi.org/10.1/X", "https://")
@example("x.org:443/a?utm_source=b#c", "https://")
def test_the_plain_key_is_the_general_key(rest: str, scheme: str) -> None:
    url = scheme + rest
    assert url_key.__wrapped__(url, NormOptions()) == url_key.__wrapped__(url, _GENERAL), url


def test_every_corpus_url_gets_the_same_key_both_ways() -> None:
    files = sorted(CORPUS.glob("*.md"))
    if not files:
        pytest.skip("no corpus beside the repository")
    for path in files:
        doc = Document(path.read_text(encoding="utf-8"), str(path))
        for link in doc.links.all_targets():
            url = link.url
            assert url_key.__wrapped__(url, NormOptions()) == url_key.__wrapped__(url, _GENERAL)


@explored(500)
@given(URLS)
@example("https://GitHub.com/Owner/Repo#readme")
@example("https://x.org/a/?utm_source=x&b=1#:~:text=a")
@example("https://www.youtube.com/watch?v=abcdefgh&t=1")
@example("https://doi.org/10.1/X?a#b")
def test_keys_of_urls_with_a_query_or_a_fragment_as_urlsplit_gives_them(url: str) -> None:
    """``url_key`` reads a plain URL with a query or a fragment without urlsplit
    (``split_plain``): the same key as urlsplit's reading, with every option."""
    from listlint import urlnorm

    options = [
        NormOptions(),
        NormOptions(True, True, True, ("x.org",), True, True, True),
    ]
    for candidate in (url, "https://" + url, "https://example.org/" + url):
        fast = [url_key.__wrapped__(candidate, o) for o in options]
        original = urlnorm.split_plain
        urlnorm.split_plain = lambda url: None  # type: ignore[assignment]
        try:
            general = [url_key.__wrapped__(candidate, o) for o in options]
        finally:
            urlnorm.split_plain = original
        assert fast == general, candidate
