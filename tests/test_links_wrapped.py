"""The links view's fast path reads links written inside a bracket pair of their own
(``[[Paper](url)]``, as RUCAIBox's survey writes its entries) as its general reading does:
the pair around a link is text."""

from __future__ import annotations

from explore import explored
from hypothesis import example, given
from hypothesis import strategies as st
from test_links_fast import _general, _view

from listlint.document import Document
from listlint.views.links import Links

PIECES = st.sampled_from(
    [
        "[[Paper](https://x.org/1)]",
        "[[a](b)]",
        "[a](b)",
        "![a](b)",
        "[",
        "]",
        "!",
        "(",
        ")",
        "(c)",
        "[r]",
        "[r][]",
        " ",
        "a",
        "https://x.org/p",
        "<u>",
        "<br>",
        "|",
        "\n",
        "\n- ",
        "\n| a | b |\n| - | - |\n| ",
    ]
)
TEXTS = st.tuples(st.lists(PIECES, max_size=12), st.booleans()).map(
    lambda t: "- " + "".join(t[0]) + ("\n\n[r]: https://def.org\n" if t[1] else "")
)


@explored(300)
@given(TEXTS)
@example("1. <u>T5</u>: **T**. *A et al.* 2020. [[Paper](https://x.org/1)] [[Code](https://y.org)]")
@example("- [[a](b)](c) [[d](e)][r]\n\n[r]: https://def.org\n")
@example("- ![[a](b)] [[c](d)]")
@example("- [![a](b)] [[c](d)]")
@example("- [[a](b)[c](d)] [e](f)")
@example("- [x] [[a](b)]\n\n[x]: https://def.org\n")
@example("| [[a](b)] | [[c](https://x.org)] |\n| - | - |\n| [[d](e)] [f](g) | h |\n")
def test_wrapped_links_as_the_general_reading(text: str) -> None:
    assert _view(text) == _general(text)
    crlf = text.replace("\n", "\r\n")
    assert _view(crlf) == _general(crlf)


def test_the_fast_path_reads_wrapped_links() -> None:
    calls = []
    original = Links._scan_inline

    def spy(self: Links, *args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    Links._scan_inline = spy  # type: ignore[assignment,method-assign]
    try:
        view = Links(Document("- A. [[Paper](https://x.org/1)] [[Code](https://y.org)]\n"))
    finally:
        Links._scan_inline = original  # type: ignore[method-assign]
    assert not calls
    assert [link.url for link in view.links] == ["https://x.org/1", "https://y.org"]
