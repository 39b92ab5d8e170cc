"""The links view's fast paths give what its general reading gives: one plain
``[text](destination)`` in a region, and table rows without a backslash split at once."""

from __future__ import annotations

import os

from hypothesis import example, given, settings
from hypothesis import strategies as st

from listlint.document import Document
from listlint.views.links import Links

EXPLORE = int(os.environ.get("LISTLINT_EXPLORE", "0"))
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
    return view.links, view.definitions, view.unresolved, view.spaced, view.prose


def _general(text: str) -> tuple[object, ...]:
    original = Links._one_plain_link
    Links._one_plain_link = lambda self, text, base: False  # type: ignore[method-assign]
    try:
        return _view(text)
    finally:
        Links._one_plain_link = original  # type: ignore[method-assign]


@settings(max_examples=EXPLORE or 300, derandomize=not EXPLORE, deadline=None)
@given(TEXTS)
@example("- [a](https://x.org) www.y.org")
@example("- ![a](b)")
@example("- [a]()")
@example("- [a]( b)")
@example('- [a](b "t")')
@example("| [a](x) | [b](y) |\n| - | - |\n| [c](https://z.org/&amp;) | d |\n")
def test_one_plain_link_as_the_general_reading(text: str) -> None:
    assert _view(text) == _general(text)
    crlf = text.replace("\n", "\r\n")
    assert _view(crlf) == _general(crlf)


def test_the_fast_path_is_taken() -> None:
    calls = []
    original = Links._one_plain_link

    def spy(self: Links, text: str, base: int) -> bool:
        calls.append(text)
        return original(self, text, base)

    Links._one_plain_link = spy  # type: ignore[method-assign]
    try:
        view = Links(Document("- [a](https://x.org) - text\n"))
    finally:
        Links._one_plain_link = original  # type: ignore[method-assign]
    assert calls and len(view.links) == 1
