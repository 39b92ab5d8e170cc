"""listlint's cmark-gfm rendering frees what cmark-gfm allocates, and renders exactly what
cmarkgfm's own function renders (which leaks the syntax tree of every rendering)."""

from __future__ import annotations

from pathlib import Path

import pytest
from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

from listlint import github

SHARED = Path(__file__).resolve().parents[2] / "shared"
TEXTS = [
    "",
    "\ufeff# Title\n",
    "| a | b |\n| - | - |\n| 1 | 2 |\n",
    "- [x] done\n- [ ] todo\n\n> | q |\n> | - |\n",
    "Text[^1] ~~gone~~ www.example.com\n\n[^1]: A note\n\n<script>x</script>\n",
    "```py\ncode\n```\n\n<div>\n*raw*\n</div>\r\n- a\r- b\r\n",
]


def _theirs(text: str, sourcepos: bool) -> str:
    options = (
        Options.CMARK_OPT_UNSAFE
        | Options.CMARK_OPT_FOOTNOTES
        | Options.CMARK_OPT_GITHUB_PRE_LANG
        | (Options.CMARK_OPT_SOURCEPOS if sourcepos else 0)
    )
    html: str = markdown_to_html_with_extensions(
        text, options=options, extensions=list(github.EXTENSIONS)
    )
    return html


def test_the_freeing_renderer_is_in_use() -> None:
    assert github._freeing_renderer(0) is not None


@pytest.mark.parametrize("sourcepos", [False, True])
@pytest.mark.parametrize("text", TEXTS)
def test_same_html_as_cmarkgfm(text: str, sourcepos: bool) -> None:
    assert github._render(text, sourcepos) == _theirs(text, sourcepos)


@pytest.mark.parametrize("sourcepos", [False, True])
def test_same_html_on_the_corpus(sourcepos: bool) -> None:
    files = sorted((SHARED / "corpus").glob("*.md"))[:4]
    if not files:
        pytest.skip("no corpus")
    for path in files:
        text = path.read_text(encoding="utf-8")
        long = text * (1 + github._TRIM_AT // max(1, len(text)))  # trimmed after rendering
        for t in (text, text.replace("\n", "\r\n"), long):
            assert github._render(t, sourcepos) == _theirs(t, sourcepos), path.name
