"""The links view's fast path gives what its general reading gives: plainly written
``[text](destination)`` links in a region (one or several), table rows split at once."""

from __future__ import annotations

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.document import Document
from listlint.views.links import Links

PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "](",
        "!",
        "a",
        "Name",
        " ",
        "\t",
        "https://x.org/p",
        "www.y.org",
        "://",
        "&amp;",
        "#frag",
        '"t"',
        "|",
        "\\",
        "`",
        "<b>",
        "\n",
        "\n- ",
        "\n| a | b |\n| - | - |\n| ",
    ]
)
TEXTS = st.lists(PIECES, max_size=16).map(lambda parts: "- " + "".join(parts))


def _view(text: str) -> tuple[object, ...]:
    view = Links(Document(text))
    return view.links, view.definitions, view.unresolved, view.spaced, view.prose, view.code_spans


def _general(text: str) -> tuple[object, ...]:
    """The view with its fast paths (``_plain_links``, ``_code_only``) turned off."""
    original, code_only = Links._plain_links, Links._code_only
    Links._plain_links = lambda self, *args: False  # type: ignore[method-assign]
    Links._code_only = lambda self, *args: False  # type: ignore[method-assign]
    try:
        return _view(text)
    finally:
        Links._plain_links = original  # type: ignore[method-assign]
        Links._code_only = code_only  # type: ignore[method-assign]


@explored(300)
@given(TEXTS)
@example("- [a](https://x.org) www.y.org")
@example("- [a](x), [b](y) and ![c](z) [d](e)")
@example("- [a](x[y) [b](z)")
@example("- [a](x) ] [b](y)")
@example("- ![a](b)")
@example("- [a](x) and\n  ![b](y) [c](https://z.org)\n\nPara [d](w)\nnext ![e](v)\n")
@example("- [a]()")
@example("- [a]( b)")
@example('- [a](b "t")')
@example("| [a](x) | [b](y) |\n| - | - |\n| [c](https://z.org/&amp;) | d |\n")
@example("| [a](x) | `apiKey` | Yes |\n| - | - | - |\n| `OAuth` | `a` https://x.org | `` ` `` |\n")
@example("- `x` www.y.org and `https://z.org`")
@example("- `a\\`b` c ``d`` ] (e)")
def test_plain_links_as_the_general_reading(text: str) -> None:
    assert _view(text) == _general(text)
    crlf = text.replace("\n", "\r\n")
    assert _view(crlf) == _general(crlf)


def test_the_fast_path_is_taken() -> None:
    calls = []
    original = Links._plain_links

    def spy(self: Links, text: str, base: int, line: int = -1, count: int = -1) -> bool:
        calls.append(text)
        return original(self, text, base, line, count)

    Links._plain_links = spy  # type: ignore[method-assign]
    try:
        view = Links(Document("- [a](https://x.org) - text\n"))
    finally:
        Links._plain_links = original  # type: ignore[method-assign]
    assert calls and len(view.links) == 1


TAGGED = st.lists(
    st.sampled_from(
        [
            "[",
            "]",
            "(",
            ")",
            "](",
            "!",
            "a",
            " ",
            "https://x.org/p",
            "www.y.org",
            "|",
            "<br>",
            "<br/>",
            "<br />",
            "</u>",
            "<u>",
            "<x>",
            "<a href='z'>",
            "<http://a.org>",
            "<!-- c -->",
            "<",
            ">",
            "\n",
            "\n| a | b |\n| - | - |\n| ",
        ]
    ),
    max_size=16,
).map(lambda parts: "- " + "".join(parts))


@explored(300)
@given(TAGGED)
@example("- a <br> [b](https://x.org) <br> c")
@example("- <u>a</u>: [[paper](https://x.org/1)] <br/>")
@example("- [a](<x>) <br>")
@example("- [a](x<br>) <br>")
@example("- [<br>](x)")
@example("- <br> www.y.org <br>")
@example("- <br> text only </u>")
@example("| <br> [a](x) <br> | b |\n| - | - |\n| <u>c</u> | [d](y) <br /> |\n")
def test_tags_without_attributes_as_the_general_reading(text: str) -> None:
    """Regions whose every ``<`` opens a tag without attributes are read by the fast
    path with those tags blanked (``_tags_blanked``)."""
    assert _view(text) == _general(text)
    crlf = text.replace("\n", "\r\n")
    assert _view(crlf) == _general(crlf)


def test_tags_blanked() -> None:
    from listlint.views.links import _tags_blanked

    assert _tags_blanked("a<br>b") == "a    b"
    assert _tags_blanked("<u>a</u><br />") == "   a" + " " * 10
    assert _tags_blanked("<u>a</u> <b x>") is None
    assert _tags_blanked("a < b") is None
