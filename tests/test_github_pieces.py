"""GitHub's rendering of a long text, made again only for the pieces that changed
(``listlint.github.Pieces``), must be the rendering of the whole text, positions included."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from explore import explored
from hypothesis import given
from hypothesis import strategies as st
from strategies import edit_versions

from listlint import github

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"

BLOCKS = st.sampled_from(
    [
        "# Title",
        "## Tools",
        "### Deeper",
        "- [A](http://a.example) - A.\n- [B](https://b.example) - B.",
        "- item\n\n  continued after a blank line",
        "1. one\n2. two",
        "|a|b|\n|-|-|\n| 1 |2|",
        "- | a | b |\n  |---|---|\n  | 1 | 2 |",
        "> quoted\n> # heading in a quote",
        "```\ncode\n\n# not a heading\n```",
        "```\nunclosed fence",
        "~~~md\n# in a tilde fence",
        "<!-- comment\n\n## commented out\n-->",
        "<!-- unclosed comment",
        "<script>\n\n# in a script\n</script>",
        "<div>\n\n# after an html block\n</div>",
        "<pre>\n\n## in pre",
        "    indented code\n\n# x",
        "Text with a footnote[^1] and [a ref][r]",
        "Text\n===",
        "Text\n---",
        "- [ ] task\n- [x] done",
        "www.example.com and https://x.example/~a",
        "~~struck~~ and <b>raw</b>",
        "#not a heading",
        "#",
        "",
    ]
)


def _whole(text: str) -> str:
    body = text[1:] if text.startswith(github.BOM) else text
    return github._render(body, True)


@pytest.fixture
def piecewise(monkeypatch: pytest.MonkeyPatch) -> github.Pieces:
    pieces = github.Pieces()
    monkeypatch.setattr(github, "PIECEWISE_AT", 0)
    monkeypatch.setattr(github, "_PIECES", pieces)
    github._memo.clear()
    return pieces


@explored(200)
@given(edit_versions(BLOCKS, 5))
def test_pieces_render_as_the_whole_text(texts: list[str]) -> None:
    with pytest.MonkeyPatch.context() as mp:
        pieces = github.Pieces()
        mp.setattr(github, "PIECEWISE_AT", 0)
        mp.setattr(github, "_PIECES", pieces)
        for text in texts:
            github._memo.clear()
            expected = _whole(text)
            assert github.render_html(text, sourcepos=True) == expected
            assert pieces.render(text) == expected  # reusing the pieces of this very text
        github._memo.clear()


def test_corpus_lists_edited_render_as_the_whole_text(piecewise: github.Pieces) -> None:
    rng = random.Random(7)
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        versions = [text]
        for _ in range(3):  # a line changed, one removed, one added
            i = rng.randrange(len(lines))
            lines[i] = lines[i].replace(" ", "  ", 1)
            del lines[rng.randrange(len(lines))]
            lines.insert(rng.randrange(len(lines)), "- [New](https://new.example) - New.")
            versions.append("\n".join(lines))
        for version in versions:
            github._memo.clear()
            assert github.render_html(version, sourcepos=True) == _whole(version), path.name
            # and without positions (derived from the rendering with them)
            assert github.render_html(version) == github._render(version, False), path.name


def test_a_piece_that_did_not_change_is_not_rendered_again(
    piecewise: github.Pieces, monkeypatch: pytest.MonkeyPatch
) -> None:
    sections = [
        f"## S{k}\n\n" + "".join(f"- [E{k}.{i}](https://e.example) - E.\n" for i in range(5))
        for k in range(20)
    ]
    text = "# List\n\n" + "\n".join(sections)
    rendered: list[str] = []
    real = github._render

    def counting(body: str, sourcepos: bool) -> str:
        rendered.append(body)
        return real(body, sourcepos)

    monkeypatch.setattr(github, "_render", counting)
    github.render_html(text, sourcepos=True)
    assert rendered == [text]  # the first text whole
    rendered.clear()
    changed = text.replace("E3.2", "E3.2 changed").replace("E17.0", "E17.0 changed")
    assert github.render_html(changed, sourcepos=True) == real(changed, True)
    assert len(rendered) == 2 and all("changed" in r for r in rendered)


@explored(200)
@given(edit_versions(BLOCKS, 5), st.lists(st.booleans(), min_size=6, max_size=6))
def test_pieces_render_without_positions_as_the_whole_text(
    texts: list[str], positions: list[bool]
) -> None:
    """Each version rendered with or without positions (the pieces kept of the last
    rendered either way): without them, as the whole text renders without them."""
    with pytest.MonkeyPatch.context() as mp:
        pieces = github.Pieces()
        mp.setattr(github, "PIECEWISE_AT", 0)
        mp.setattr(github, "_PIECES", pieces)
        for text, placed in zip(texts, positions, strict=False):
            github._memo.clear()
            body = text[1:] if text.startswith(github.BOM) else text
            if placed:
                assert github.render_html(text, sourcepos=True) == _whole(text)
            github._memo.clear()
            assert github.render_html(text) == github._render(body, False)
            assert pieces.render_plain(body) in (None, github._render(body, False))
        github._memo.clear()


def test_corpus_lists_edited_render_without_positions_as_the_whole_text(
    piecewise: github.Pieces,
) -> None:
    rng = random.Random(11)
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        body = text[1:] if text.startswith(github.BOM) else text
        github.render_html(text, sourcepos=True)  # the pieces with positions
        lines = body.split("\n")
        for _ in range(3):  # rows re-padded, a line changed, one added
            for i in rng.sample(range(len(lines)), min(5, len(lines))):
                if lines[i].startswith("|"):
                    lines[i] = lines[i].replace("|", " | ", 2)
                else:
                    lines[i] = lines[i].replace(" ", "  ", 1)
            lines.insert(rng.randrange(len(lines)), "- [New](https://new.example) - New.")
            version = "\n".join(lines)
            github._memo.clear()
            expected = github._render(version, False)
            assert github.render_html(version) == expected, path.name
            found = piecewise.render_plain(version)  # reusing this very text's pieces
            assert found is None or found == expected, path.name


def test_a_piece_that_did_not_change_is_not_rendered_again_without_positions(
    piecewise: github.Pieces, monkeypatch: pytest.MonkeyPatch
) -> None:
    sections = [
        f"## S{k}\n\n" + "".join(f"- [E{k}.{i}](https://e.example) - E.\n" for i in range(5))
        for k in range(20)
    ]
    text = "# List\n\n" + "\n".join(sections)
    rendered: list[tuple[str, bool]] = []
    real = github._render

    def counting(body: str, sourcepos: bool) -> str:
        rendered.append((body, sourcepos))
        return real(body, sourcepos)

    monkeypatch.setattr(github, "_render", counting)
    github.render_html(text, sourcepos=True)
    changed = text.replace("E3.2", "E3.2 changed").replace("E17.0", "E17.0 changed")
    rendered.clear()
    assert github.render_html(changed) == real(changed, False)  # from the placed pieces
    assert len(rendered) == 2 and all("changed" in r and not p for r, p in rendered)
    again = changed.replace("E5.1", "E5.1 changed")
    rendered.clear()
    assert github.render_html(again) == real(again, False)  # from the plain pieces
    assert len(rendered) == 1 and "E5.1 changed" in rendered[0][0]
    # A piece that runs on (an unclosed fence) is rendered with the next ones.
    fenced = again.replace("## S9\n", "## S9\n```\n")
    rendered.clear()
    assert github.render_html(fenced) == real(fenced, False)
    assert not pieces_hold_open_fence(piecewise)


def pieces_hold_open_fence(pieces: github.Pieces) -> bool:
    return any(t.count("```") % 2 and closed for t, (_, closed) in pieces._plain.items())
