"""link-url-form's "GitHub shows this as text" findings, judged by GitHub's own renderer
(cmark-gfm): what it reports renders without a link, and what it leaves alone renders
with one. Also: the space fix never deletes markup between `]` and `(`."""

from __future__ import annotations

import pytest
from helpers import check, fix

from listlint.github import render_html

NOT_LINKS = [
    "[C](https://example.com/a b)",
    "![logo](https://example.com/l o.png)",
    "[Paper] (https://example.com/paper)",
]
LINKS = [
    "[C](https://example.com/a%20b)",
    "[C](<https://example.com/a b>)",
    '[Titled](https://example.com/t "a title")',
    "[Paper](https://example.com/paper)",
]


@pytest.mark.parametrize("text", NOT_LINKS)
def test_reported_forms_render_as_text_on_github(text: str) -> None:
    rendered = render_html(text)
    # The brackets are shown as written; at most the bare URL inside is autolinked.
    assert text[: text.index("]") + 1] in rendered and "<img " not in rendered
    assert rendered.count("<a ") <= 1
    assert [d.rule for d in check(text, "link-url-form")] == ["link-url-form"]


@pytest.mark.parametrize("text", LINKS)
def test_links_github_reads_are_not_reported_as_text(text: str) -> None:
    assert "<a " in render_html(text)
    messages = [d.message for d in check(text, "link-url-form")]
    assert not [m for m in messages if "as text" in m or "plain text" in m]


def test_broken_scheme_is_a_relative_path_on_github_and_the_fix_makes_it_a_link() -> None:
    text = "- [OpenKG](http//openkg.cn) and [Slash](https:/example.org/a)\n"
    assert 'href="http//openkg.cn"' in render_html(text)
    fixed = fix(text, "link-url-form", unsafe=True)
    assert fixed == "- [OpenKG](http://openkg.cn) and [Slash](https://example.org/a)\n"
    assert 'href="http://openkg.cn"' in render_html(fixed)
    assert check(text, "link-relative", path="-") == []


@pytest.mark.parametrize(
    "text", ["[Paper]<br>(https://x.com)\n", "[Paper] <!-- c --> (https://x.com)\n"]
)
def test_the_space_fix_keeps_markup_between_bracket_and_parenthesis(text: str) -> None:
    assert fix(text, "link-url-form", unsafe=True) == text
