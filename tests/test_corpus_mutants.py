"""Mutants of real lists through ``listlint.api.fix_text``, judged by GitHub's renderer and
not by listlint's own guard: the qa fuzzing campaign, kept as a property test.

Slices of the lists in ../shared/corpus and ../shared/seeds are mutated the way edits and
accidents mutate lists (lines deleted, duplicated, swapped; table pipes broken; CRLF, CR,
BOM, tabs, emoji and CJK inserted; blocks nested in quotes and lists; unclosed fences and
comments; inline links turned into reference links; a link to another page in a table of
contents). For the default rules, and with unsafe fixes:

- check and fix never raise, every finding's line and column is where its offset is, and
  the line it quotes is that line;
- fixing the fixed text changes nothing (idempotent);
- safe fixes keep cmark-gfm's HTML exactly, up to what the applied rules declare (an
  href's scheme, an arXiv href, the table of contents' own list, the order of sections);
- unsafe fixes lose no link destination beyond the ones a rule rewrites on purpose.

CI runs a fixed, reproducible set; LISTLINT_EXPLORE=N runs N random mutants.
"""

from __future__ import annotations

import html as htmllib
import re
from collections import Counter
from pathlib import Path

import pytest
from explore import explored
from helpers import default_rules, options_for
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st

from listlint.api import fix_text, lint_text
from listlint.github import render_html
from listlint.runner import Job

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FILES = sorted((SHARED / "corpus").glob("*.md")) + sorted((SHARED / "seeds").glob("*.md"))
pytestmark = pytest.mark.skipif(not FILES, reason="../shared is not beside the checkout")

SETTINGS = explored(40, HealthCheck.data_too_large)
RULES = default_rules()
SAFE = Job(RULES, options_for())
UNSAFE = Job(RULES, options_for(), unsafe=True)
DECLARED = {r.name: set(r.fix_may_change) for r in RULES}

INSERTS = [
    "|", "||", "> ", "- ", "    ", "\t", "<!--", "-->", "```", "~~~", "| --- | --- |", "\r",
    "1. ", "## ", "* [x](#x)", "[a]: http://github.com/x", "<div>", "</div>", "😀", "中文目录",
    "\ufeff", "[", "]", "(", ")", "`", "\\", '<a name="x"></a>', "http://arxiv.org/abs/2301.00001",
    "[ref][a]", "**", "<details>", "- [Contributing](https://github.com/o/r/CONTRIBUTING.md)",
    "## Contents", "<!-- toc -->", "&#124;", "\\|", "é", "👨‍👩‍👧", "\u00a0",
]  # fmt: skip


@st.composite
def mutants(draw: st.DrawFn) -> str:
    path = draw(st.sampled_from(FILES))
    lines = _lines(path)
    start = draw(st.sampled_from([0, draw(st.integers(0, len(lines) - 1))]))
    lines = lines[start : start + draw(st.integers(5, 60))]
    for _ in range(draw(st.integers(1, 5))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.integers(0, 9))
        if op == 0:
            del lines[i]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op in (3, 4):
            at = draw(st.integers(0, len(lines[i]))) if op == 3 else 0
            lines[i] = lines[i][:at] + draw(st.sampled_from(INSERTS)) + lines[i][at:]
        elif op == 5:
            lines.insert(i, draw(st.sampled_from(INSERTS)))
        elif op == 6:  # a table pipe lost
            pipes = [m.start() for m in re.finditer(r"\|", lines[i])]
            if pipes:
                at = draw(st.sampled_from(pipes))
                lines[i] = lines[i][:at] + lines[i][at + 1 :]
        elif op == 7:  # lines nested in a quote or a list item
            prefix = draw(st.sampled_from(["> ", "- ", "  ", "1. "]))
            end = min(len(lines), i + draw(st.integers(1, 8)))
            for k in range(i, end):
                lazy = prefix if k == i or prefix == "> " else "  "
                lines[k] = lazy + lines[k]
        elif op == 8:  # an inline link written as a reference
            m = re.search(r"\[([^\]]+)\]\(([^)\s]+)\)", lines[i])
            if m:
                lines[i] = lines[i][: m.start()] + f"[{m.group(1)}][r{i}]" + lines[i][m.end() :]
                lines.insert(draw(st.integers(0, len(lines))), f"[r{i}]: {m.group(2)}")
        else:  # something left open
            lines.insert(i, draw(st.sampled_from(["```", "<!--", "~~~", "<details>", "<table>"])))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "\n", ""]))
    return text.replace("\n", draw(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])))


_CACHE: dict[Path, list[str]] = {}


def _lines(path: Path) -> list[str]:
    if path not in _CACHE:
        _CACHE[path] = path.read_bytes().decode("utf-8").split("\n")
    return list(_CACHE[path])


def _norm_href(url: str) -> str:
    url = re.sub(r"^http://", "https://", url)
    m = re.match(
        r"https://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/([\w./-]+?)(?:v\d+)?(?:\.pdf)?/?$", url
    )
    return "arxiv:" + m.group(1) if m else url


def _norm_hrefs(html: str) -> str:
    def one(m: re.Match[str]) -> str:
        return 'href="' + htmllib.escape(_norm_href(htmllib.unescape(m.group(1)))) + '"'

    return re.sub(r'href="([^"]*)"', one, html)


def _without_tocs(html: str) -> str:
    """The HTML without its top-level lists whose first item starts with an in-page link."""
    out: list[str] = []
    held: list[str] = []
    depth = 0
    for part in re.split(r"(</?(?:ul|ol)\b[^>]*>)", html):
        if re.match(r"<(?:ul|ol)\b", part):
            depth += 1
            held.append(part)
        elif re.match(r"</(?:ul|ol)\b", part):
            depth -= 1
            held.append(part)
            if depth == 0:
                block = "".join(held)
                held = []
                if not _is_toc(block):
                    out.append(block)
        else:
            (held if depth else out).append(part)
    return re.sub(r"\n+", "\n", "".join(out + held))


def _is_toc(block: str) -> bool:
    """A list whose items start with in-page links: the first one, or most of them (the
    toc rule takes a list with a few external items, an "Ajax" page link first, as one)."""
    items = re.findall(r"<li>\s*(?:<p>)?\s*([^<]{0,8}<a href=\"#)?", block)
    return bool(items) and (bool(items[0]) or 2 * sum(map(bool, items)) > len(items))


def _hrefs(html: str) -> set[str]:
    return {_norm_href(htmllib.unescape(u)) for u in re.findall(r'href="([^"]*)"', html)}


def _check_positions(text: str, job: Job) -> None:
    lines = re.split(r"\r\n|\r|\n", text)
    for d in lint_text(text, job).diagnostics:
        before = text[: d.start]
        line = len(re.findall(r"\r\n|\r|\n", before)) + 1
        start = max(before.rfind("\n"), before.rfind("\r")) + 1
        column = d.start - start + 1 - (line == 1 and text.startswith("\ufeff"))
        assert (d.line, d.column) == (line, column), d
        assert d.start <= d.end <= len(text) and d.end_line >= d.line, d
        # The byte-order mark is no part of the first line; elsewhere U+FEFF is text.
        shown = lines[d.line - 1].removeprefix("\ufeff" if d.line == 1 else "")
        assert not d.source or d.source == shown, d


def _judge(text: str, job: Job) -> None:
    _check_positions(text, job)
    outcome = fix_text(text, job)
    new = outcome.new_text
    if new is None:
        return
    again = fix_text(new, job).new_text
    assert again is None or again == new, "a second fix changed the text again"
    before, after = render_html(text), render_html(new)
    applied = {a.rule for a in outcome.applied}
    declared = set().union(*(DECLARED.get(r, set()) for r in applied))
    if job.unsafe:
        lost = {
            u
            for u in _hrefs(before) - _hrefs(after)
            if re.match(r"https://[^/\s]+\.[^/\s]+", u) and "%7C" not in u.upper()
        }
        if "link-url-form" not in applied:
            assert not lost, f"links lost: {sorted(lost)[:3]} ({sorted(applied)})"
        return
    if declared & {"href-scheme", "arxiv-href"}:
        before, after = _norm_hrefs(before), _norm_hrefs(after)
    if "toc-list" in declared:
        before, after = _without_tocs(before), _without_tocs(after)
    if "block-order" in declared:
        before_lines = Counter(x.strip() for x in before.split("\n") if x.strip())
        after_lines = Counter(x.strip() for x in after.split("\n") if x.strip())
        assert before_lines == after_lines, sorted(applied)
    else:
        assert before == after, f"rendering changed by {sorted(applied)}"


@SETTINGS
@given(mutants())
@example(  # a contents list whose first item is an external link (found by exploring)
    "### Index\r\n* [Ajax](http://etutoriale.ro/articles/1483/1/Tutorial-Ajax/)\r\n"
    "* [Ajax](#ajax)\r\n* [C](#c)\r\n* [HTML and CSS](#html-and-css)\r\n"
    "* [Javascript](#javascript)\r\n* [MySQL](#mysql)\r\n* [PHP](#php)\r\n"
    "* [Scratch](#scratch)\r\n\r\n\r\n### Ajax\r\n\r\n\r\n\r\n\r\n### C\r\n"
)
# U+FEFF starting the second line is text, shown in the finding's line (found by exploring).
@example("\r\n\ufeff* [Ajax](#ajax)\r\n* [C](#c)\r\n* [HTML and CSS](#html-and-css)\r\n")
def test_default_fixes_of_mutated_lists_keep_their_word(text: str) -> None:
    _judge(text, SAFE)


@SETTINGS
@given(mutants())
def test_unsafe_fixes_of_mutated_lists_lose_no_link(text: str) -> None:
    _judge(text, UNSAFE)
