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


def test_renderings_in_threads_at_once_equal_serial_ones() -> None:
    # cmark-gfm shares its extensions' special characters between parsers: a rendering
    # that finished first used to strip strikethrough and autolinks from one still running.
    import threading

    from listlint import github

    a = "".join(f"- item {i} ~~gone~~ www.example{i}.com\n" for i in range(6000))
    b = "".join(f"- other {i} ~~x~~\n" for i in range(6000))
    expected = {t: github._render(t, False) for t in (a, b)}
    for _ in range(3):
        out: dict[str, str] = {}

        def work(t: str, into: dict[str, str]) -> None:
            into[t] = github._render(t, False)

        threads = [threading.Thread(target=work, args=(t, out)) for t in (a, b, a, b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert out == expected


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The (text, sourcepos) of each rendering cmark-gfm makes, from an empty memo."""
    from listlint import github

    calls: list[tuple[str, bool]] = []
    real = github._render

    def counting(body: str, sourcepos: bool) -> str:
        calls.append((body, sourcepos))
        return real(body, sourcepos)

    monkeypatch.setattr(github, "_render", counting)
    github._memo.clear()
    return calls


def test_prefetch_with_positions_serves_the_rendering_without(
    renders: list[tuple[str, bool]],
) -> None:
    from listlint import github

    text = "".join(f"- item {i} ~~gone~~ www.example{i}.com\n" for i in range(3000)) + "x\n"
    github.prefetch(text, sourcepos=True)
    html = github.render_html(text)
    assert renders == [(text, True)]  # derived from the prefetched one, not rendered again
    github._memo.clear()
    assert html == github.render_html(text)


def test_a_pinned_text_stays_rendered(renders: list[tuple[str, bool]]) -> None:
    from listlint import github

    original = "# Original\n\n- ~~a~~\n"
    with github.pinned(original):
        github.render_html(original, sourcepos=True)
        for i in range(2 * github._MEMO_SIZE):
            github.render_html(f"- other {i}\n", sourcepos=True)
        github.render_html(original, sourcepos=True)
        github.render_html(original)
    assert [body for body, _ in renders].count(original) == 1
    assert not github._pinned
