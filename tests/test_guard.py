"""The fix guard (listlint.guard) and the engine's line endings: every fixed text renders on
GitHub (cmark-gfm) as the original does, up to what the applied rules declare; a fix that
changes more is withheld and reported, the others still go in.

Plugin rules written here make the behaviours independent of what the built-in rules do
today. The regression inputs from ../shared/regressions/github-rendering are copied in
tests/fixtures/ (top level) and run end to end, through ``listlint fix``.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from listlint.cli import main
from listlint.diagnostic import Edit
from listlint.fix import fit_newlines, splice
from listlint.github import render_html
from listlint.guard import normalise, validate_kind, visible_words

FIXTURES = Path(__file__).parent / "fixtures"

# A safe fix that turns "TODO" into a heading's "DONE": it changes what a reader sees and
# declares nothing, so the guard must withhold it.
RESPELL = """
from typing import NamedTuple
from listlint.diagnostic import Edit, Finding, Fix
NAME = "respell"
CODE = "LL951"
SUMMARY = "TODO left"
SEVERITY = "warning"
DEFAULT = True
FIX = "{fix}"
{declare}
class Options(NamedTuple):
    pass
def check(doc, options):
    for i in [m.start() for m in __import__("re").finditer("TODO", doc.text)]:
        yield Finding(i, i + 4, "a TODO is left",
                      fix=Fix("Say DONE", (Edit(i, i + 4, "DONE"),), "{applicability}"))
"""

# An unsafe fix that deletes the list item on a line holding "DROP": an entry removal.
DROP_ITEM = """
import re
from typing import NamedTuple
from listlint.diagnostic import Edit, Finding, Fix
NAME = "drop-item"
CODE = "LL952"
SUMMARY = "Entry to drop"
SEVERITY = "warning"
DEFAULT = True
FIX = "unsafe"
FIX_MAY_CHANGE = ("entry-removal",)
class Options(NamedTuple):
    pass
def check(doc, options):
    for i in range(doc.line_count):
        if "DROP" in doc.line(i):
            start = doc.line_starts[i]
            end = doc.line_starts[i + 1] if i + 1 < doc.line_count else len(doc.text)
            yield Finding(start, end, "drop this entry",
                          fix=Fix("Drop it", (Edit(start, end, ""),), "unsafe"))
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")


def _plugin(tmp_path: Path, source: str) -> None:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / f"rule_{len(list(folder.iterdir()))}.py").write_text(textwrap.dedent(source))
    (tmp_path / "listlint.toml").write_text('plugins = ["rules"]\n')


def _respell(tmp_path: Path, declare: str = "", fix: str = "safe") -> None:
    applicability = "unsafe" if fix == "unsafe" else "safe"
    _plugin(tmp_path, RESPELL.format(fix=fix, declare=declare, applicability=applicability))


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# -- withheld fixes ---------------------------------------------------------------------
def test_a_fix_that_changes_the_rendering_is_withheld_and_the_rest_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _respell(tmp_path)
    path = tmp_path / "a.md"
    path.write_text("# List\n\n- [TRL](http://github.com/huggingface/trl)\n- TODO\n")
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    # link-http's fix (declared: the scheme of the href) went in, the respelling did not.
    assert path.read_text() == "# List\n\n- [TRL](https://github.com/huggingface/trl)\n- TODO\n"
    assert code == 1  # the withheld finding remains; something was fixed: not an error
    assert (
        f"{path}:4:3: LL951 a TODO is left "
        "(fix withheld: it would change how GitHub renders line 4) [respell]\n" in out
    )
    assert "[respell] [*]" not in out  # no longer offered as fixable
    assert "error:" not in out


def test_exit_2_only_when_nothing_could_be_fixed_safely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _respell(tmp_path)
    path = tmp_path / "a.md"
    path.write_text("- one\n- TODO\n")
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    assert code == 2
    assert path.read_text() == "- one\n- TODO\n"
    assert (
        f"error: {path}:2: fix withheld: it would change how GitHub renders line 2; "
        "nothing else to fix, file left unchanged" in out
    )
    # --diff and standard input go through the same guard.
    code, out = _run(["fix", "--no-cache", "--diff", str(path)], capsys)
    assert code == 2 and "+++" not in out


def test_every_fix_of_a_rule_is_judged_by_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only the TODO in visible text changes the rendering; the one in an HTML comment does
    # not, so that fix goes in and the other is withheld.
    _respell(tmp_path)
    path = tmp_path / "a.md"
    path.write_text("<!-- TODO -->\n\nText TODO.\n")
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    assert path.read_text() == "<!-- DONE -->\n\nText TODO.\n"
    assert code == 1
    assert "renders line 3) [respell]" in out


def test_a_declared_change_is_applied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _respell(tmp_path, declare='FIX_MAY_CHANGE = ("text:TODO|DONE",)')
    path = tmp_path / "a.md"
    path.write_text("- one\n- TODO\n")
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    assert (code, path.read_text()) == (0, "- one\n- DONE\n")
    assert "withheld" not in out


def test_the_api_goes_through_the_guard(tmp_path: Path) -> None:
    from listlint.api import fix_text, load_job

    _respell(tmp_path)
    job, _ = load_job(tmp_path)
    outcome = fix_text("- one\n- TODO\n", job, "a.md")
    assert outcome.new_text is None
    assert outcome.errors == [
        "a.md:2: fix withheld: it would change how GitHub renders line 2; "
        "nothing else to fix, file left unchanged"
    ]


def test_unsafe_fix_losing_words_is_withheld(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _respell(tmp_path, fix="unsafe")  # declares nothing: no visible word may be lost
    path = tmp_path / "a.md"
    path.write_text("- one\n- TODO\n")
    code, out = _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    assert (code, path.read_text()) == (2, "- one\n- TODO\n")
    assert "renders line 2" in out


def test_legacy_fix_changes_html_means_visible_words_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # FIX_CHANGES_HTML = True (plugins written before FIX_MAY_CHANGE): the fix may change
    # anything visible, and is checked as an unsafe fix is: TODO -> DONE loses a word.
    _respell(tmp_path, declare="FIX_CHANGES_HTML = True")
    path = tmp_path / "a.md"
    path.write_text("- one\n- TODO\n")
    assert _run(["fix", "--no-cache", str(path)], capsys)[0] == 2
    from listlint.registry import load_rules

    [rule] = [r for r in load_rules([tmp_path / "rules"]) if r.name == "respell"]
    assert rule.fix_may_change == ("visible",)


def test_entry_removal_may_lose_the_entry_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _plugin(tmp_path, DROP_ITEM)
    path = tmp_path / "a.md"
    path.write_text("- [A](https://a.org) keep\n- [B](https://b.org) DROP me\n\nafter\n")
    _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    assert path.read_text() == "- [A](https://a.org) keep\n\nafter\n"
    # Removing this entry also ends an HTML comment's closing line: "visible words" would
    # vanish into the comment, which the rule does not declare.
    text = "<!--\n- [B](https://b.org) DROP -->\n\nvisible words\n"
    path.write_text(text)
    code, out = _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    assert (code, path.read_text()) == (2, text)
    assert "renders line 2" in out


def test_declarations_are_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_kind("href-scheme") is None
    assert validate_kind("text:a|b") is None
    assert validate_kind("text:(") is not None
    assert validate_kind("everything") is not None
    _respell(tmp_path, declare='FIX_MAY_CHANGE = ("everything",)')
    path = tmp_path / "a.md"
    path.write_text("x\n")
    code, out = _run(["check", str(path)], capsys)
    assert code == 2
    assert "FIX_MAY_CHANGE 'everything': unknown" in out


# -- what declarations undo -------------------------------------------------------------
def _same(before: str, after: str, *kinds: str) -> bool:
    return normalise(render_html(before), kinds) == normalise(render_html(after), kinds)


def test_normalisation_undoes_exactly_the_declared_change() -> None:
    assert _same("[a](http://x.org)", "[a](https://x.org)", "href-scheme")
    assert not _same("[a](http://x.org)", "[a](https://x.org)")
    assert not _same("[a](http://x.org)", "[a](https://y.org)", "href-scheme")
    # The visible text of an autolink is not an href.
    assert not _same("<http://x.org>", "<https://x.org>", "href-scheme")
    assert _same(
        "[p](http://arxiv.org/pdf/2401.00001.pdf)",
        "[p](https://arxiv.org/abs/2401.00001)",
        "arxiv-href",
    )
    assert not _same("[p](http://arxiv.org/pdf/2401.00001)", "[p](https://x.org)", "arxiv-href")
    # toc-list: the list of in-page links may change, the rest not.
    toc = "# T\n\n- [A](#a)\n- [B](#b)\n\n## A\n"
    assert _same(toc, "# T\n\n- [A](#a)\n\n## A\n", "toc-list")
    assert not _same(toc, "# T\n\n- [A](#a)\n\n## B\n", "toc-list")
    # block-order: sections and items may move; an item may not change or merge.
    items = "- [a](x)\n- [b](y)\n"
    assert _same(items, "- [b](y)\n- [a](x)\n", "block-order")
    assert not _same("Intro\n1. a\n2. b\n", "Intro\n2. b\n1. a\n", "block-order")
    assert not _same(items, "- [b](y)\n", "block-order")
    assert _same("- a — b\n", "- a - b.\n", r"text:[\s.\-\u2014]+")
    assert not _same("- a\n3\n", "- a\n3.\n", r"text:[\s.\-\u2014]+")  # a new list


def test_visible_words() -> None:
    assert visible_words(render_html("a <!-- b --> ![c](d) `e`")) == visible_words("a c e")


# -- line endings in the engine ---------------------------------------------------------
def test_an_inserted_newline_takes_the_style_of_the_line_it_joins() -> None:
    # After a bare CR, an inserted LF would fuse into one CRLF: it is written as CR.
    assert splice("a\rb", [Edit(2, 2, "\n")]) == "a\r\rb"
    assert splice("a\r\nb\r\n", [Edit(3, 3, "\n")]) == "a\r\n\r\nb\r\n"
    assert splice("a\nb\r\nc\n", [Edit(2, 2, "x\r\n")]) == "a\nx\nb\r\nc\n"
    # A rewritten span keeps its own endings, line for line.
    assert splice("a\rb\r\nc\n", [Edit(0, 5, "A\nB\n")]) == "A\rB\r\nc\n"
    # An inserted CR never fuses with a following LF.
    assert fit_newlines("a\n\nb", Edit(2, 2, "x\r")).replacement == "x\n"


def test_a_missing_final_newline_stays_missing() -> None:
    assert splice("# Content\n- [](#)", [Edit(10, 17, "")]) == "# Content"
    assert splice("a", [Edit(1, 1, "\nb\n")]) == "a\nb"
    assert splice("a\n", [Edit(2, 2, "b\n")]) == "a\nb\n"


# -- the regression inputs, end to end --------------------------------------------------
def _copy(tmp_path: Path, name: str) -> tuple[Path, bytes]:
    data = (FIXTURES / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def _kinds(data: bytes) -> set[bytes]:
    return set(re.findall(rb"\r\n|\r|\n", data))


def test_endings_cr_is_never_merged_into_crlf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = _copy(tmp_path, "endings-cr-merged-into-crlf.md")
    _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    after = path.read_bytes()
    assert _kinds(after) <= _kinds(before)  # no CRLF appears in a file without one
    assert not after.endswith((b"\n", b"\r"))
    # Every word survives (the fix is unsafe: checked for words).
    words = visible_words(render_html(before.decode()))
    assert visible_words(render_html(after.decode())) == words


def test_endings_final_newline_stays_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, before = _copy(tmp_path, "endings-final-newline-added.md")
    _run(["fix", "--no-cache", str(path)], capsys)
    after = path.read_bytes()
    assert not after.endswith((b"\n", b"\r"))
    if after != before:  # toc dropped the entry linking to no heading
        assert after == b"# Content"


@pytest.mark.parametrize(
    "name",
    [
        "words-safe-arxiv-nested-link.md",
        "words-safe-arxiv-pipe-split-link.md",
        "words-safe-autolink-swallows-link.md",
        "words-safe-link-http-invalid-destination.md",
        "image-src-rewritten.md",
    ],
)
def test_text_that_is_no_link_on_github_is_never_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path, before = _copy(tmp_path, name)
    for args in (["fix"], ["fix", "--unsafe-fixes"]):
        _run([*args, "--no-cache", str(path)], capsys)
        after = path.read_bytes()
        html = render_html(before.decode())
        # What GitHub shows is as it was: the URLs here are visible text (or image
        # sources), which link-http and arxiv-link do not rewrite.
        assert render_html(after.decode()) == html


def test_a_withheld_fix_stays_withheld_where_a_sort_moves_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # entry-format's period after `Bee \` would make the backslash an escape (the `\`
    # disappears on GitHub): withheld. sort-entries moves that entry; the withheld fix is
    # known by the line it came from, so it stays withheld after the move and the sort
    # and the other period go in, in one run: a second run has nothing left to do.
    path = tmp_path / "a.md"
    path.write_text(
        "# L\n\n## Things\n\n"
        "- [Bee](https://b.example) - Bee \\\n"
        "- [Cee](https://c.example) - Cee\n"
        "- [Ay](https://a.example) - Ay.\n"
    )
    args = ["fix", "--no-cache", "--select", "sort-entries,entry-format", str(path)]
    code, out = _run(args, capsys)
    fixed = (
        "# L\n\n## Things\n\n"
        "- [Ay](https://a.example) - Ay.\n"
        "- [Bee](https://b.example) - Bee \\\n"
        "- [Cee](https://c.example) - Cee.\n"
    )
    assert path.read_text() == fixed
    assert code == 1 and "Fixed 2 problems" in out
    assert f"{path}:6:34: LL405 " in out and "renders line 6) [entry-format]" in out
    assert "sort-entries" not in out
    code, out = _run(args, capsys)
    assert path.read_text() == fixed
    assert code == 2 and "Fixed" not in out and "renders line 6" in out


# -- the renderings ahead -----------------------------------------------------------------
def test_the_switch_interval_is_short_while_renderings_run_ahead_and_restored_after() -> None:
    """While a fix renders its texts in threads, the interpreter switches threads sooner
    (a rendering thread takes the lock back after each piece it renders); the interval is
    the caller's again once the fix returns, and untouched when nothing renders ahead."""
    import sys

    from listlint.guard import guarded_fix

    row = "| [a](https://example.org/x) | b |\n"
    text = "# T\n\n| A | B |\n| --- | --- |\n" + row * (50_000 // len(row) + 1)
    seen: list[float] = []

    def lint(t: str, names: object) -> list[object]:
        seen.append(sys.getswitchinterval())
        return []

    before = sys.getswitchinterval()
    guarded_fix(text, lint, unsafe=False, declared={})  # type: ignore[arg-type]
    assert len(seen) == 1 and seen[0] == pytest.approx(min(before, 0.0002))
    assert sys.getswitchinterval() == before
    guarded_fix("# T\n", lint, unsafe=False, declared={})  # type: ignore[arg-type]
    assert seen[-1] == before == sys.getswitchinterval()


def test_overlapping_fixes_restore_the_switch_interval_once_the_last_returns() -> None:
    """Two fixes at once (an editor's server may run them in threads), the second to
    start returning last, and failing: the short interval lasts while either runs, and
    the caller's comes back after the last, not the interval the first had found."""
    import sys
    import threading

    from listlint.guard import guarded_fix

    row = "| [a](https://example.org/x) | b |\n"
    text = "# T\n\n| A | B |\n| --- | --- |\n" + row * (50_000 // len(row) + 1)
    inside, release = threading.Event(), threading.Event()
    seen: list[float] = []

    def held(t: str, names: object) -> list[object]:
        inside.set()
        assert release.wait(30)
        return []

    def failing(t: str, names: object) -> list[object]:
        release.set()
        first.join(30)  # the first fix has returned
        seen.append(sys.getswitchinterval())
        raise ValueError("a rule failed")

    before = sys.getswitchinterval()
    first = threading.Thread(
        target=guarded_fix,
        args=(text, held),
        kwargs={"unsafe": False, "declared": {}},
    )
    first.start()
    try:
        assert inside.wait(30)
        with pytest.raises(ValueError):
            guarded_fix(text, failing, unsafe=False, declared={})  # type: ignore[arg-type]
    finally:
        release.set()
        first.join(30)
    assert not first.is_alive()
    assert seen == [pytest.approx(min(before, 0.0002))]  # still short: the second ran
    assert sys.getswitchinterval() == before
