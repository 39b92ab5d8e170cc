"""The Markdown files the project ships (README, rule docs, benchmark results) render on
GitHub as written: no code fence left open swallows the headings and text after it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from listlint.github import render_html

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted(
    [ROOT / "README.md", *ROOT.glob("rules/*.md"), *ROOT.glob("benchmarks/*.md")],
    key=str,
)
_PRE = re.compile(r'<pre data-sourcepos="(\d+):\d+-(\d+):\d+"')
_OPENER = re.compile(r" {0,3}(`{3,}|~{3,})\s*\S")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_fence_swallows_another(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for m in _PRE.finditer(render_html(text, sourcepos=True)):
        first, last = int(m.group(1)), int(m.group(2))
        opener = _OPENER.match(lines[first - 1])
        if opener is None:
            continue  # an indented code block, or a fence without an info string
        fence = opener.group(1)
        for number in range(first + 1, last):
            inner = _OPENER.match(lines[number - 1])
            # An opener with an info string inside a block of the same fence: the block
            # before it was never closed (a closing fence takes no info string).
            assert (
                inner is None or len(inner.group(1)) < len(fence) or inner.group(1)[0] != fence[0]
            ), (
                f"{path.name}:{first}: the code block opened here is not closed before line "
                f"{number} ({lines[number - 1]!r}), so GitHub shows what follows as code"
            )


def test_readme_sections_are_headings() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    written = [line[3:] for line in text.split("\n") if line.startswith("## ")]
    rendered = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2>(.*?)</h2>", render_html(text))]
    assert [re.sub(r"`", "", w) for w in written] == rendered
