"""A check starts GitHub's rendering in a thread while it parses (``lint_text``): it
renders exactly when the table view would, finds what a check without it finds, and
leaves no rendering running or memoised."""

from __future__ import annotations

import re
import threading

import pytest
from explore import explored
from helpers import all_rules, options_for
from hypothesis import HealthCheck, example, given
from hypothesis import strategies as st
from test_tables_github import documents

import listlint.lint
from listlint import github
from listlint.document import Document
from listlint.lint import lint_document, lint_text
from listlint.views import tables
from listlint.views.tables import may_have_tables

SETTINGS = explored(60, HealthCheck.filter_too_much)
DEFAULT = [r for r in all_rules() if r.default]
OPTIONS = options_for()


@pytest.fixture(autouse=True)
def _ahead_of_every_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are of the thread: it renders every text ahead, however short."""
    monkeypatch.setattr(github, "AHEAD_AT", 0)


@SETTINGS
@given(st.one_of(documents(), st.text(alphabet="|-: \t>\n\r\\a`", max_size=60)))
@example("a |- b\n")  # a pipe beside a dash, on no delimiter-like line
@example("| a |\n| --- | --- |\n")  # several candidates on one line
@example("no table\n")
def test_may_have_tables_is_the_views_test(text: str) -> None:
    doc = Document(text)
    assert may_have_tables(doc) == bool(tables._delimiter_candidates(doc))


@SETTINGS
@given(st.one_of(documents(), st.text(alphabet="|-: \t>\n\r\\a`", max_size=60)))
@example("---|\na|\n")  # a dash before a pipe only
@example("|-\n-|\n|: -\n- :|\r\n-\n|\n")
def test_delimiter_candidates_are_the_lines_with_a_pipe_beside_a_dash(text: str) -> None:
    """The view looks for a pipe beside a dash with two searches, each led by a literal;
    the lines are those one search for either finds."""
    doc = Document(text)
    expected: list[int] = []
    if "|" in text and "-" in text:
        for m in re.finditer(r"\|[ \t:]*-|-[ \t:]*\|", text[doc.body_start :]):
            line = doc.line_of(doc.body_start + m.start())
            if (not expected or expected[-1] != line) and re.fullmatch(
                r"[ \t>]*[-|: \t]*", doc.line(line)
            ):
                expected.append(line)
    assert tables._delimiter_candidates(doc) == expected


def _render_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "listlint-render"]


@SETTINGS
@given(documents())
def test_a_prefetched_check_finds_what_a_plain_one_finds(text: str) -> None:
    plain = Document(text)
    plain.keep_rendering = False
    expected = lint_document(plain, DEFAULT, OPTIONS).diagnostics
    github._memo.clear()
    assert lint_text(text, DEFAULT, OPTIONS).diagnostics == expected
    # (rules render snippets of their own, such as a broken table's two lines: kept)
    assert (text, True) not in github._memo
    assert text.removeprefix("\ufeff") not in github._outlines
    assert not github._pending
    assert not _render_threads()


@pytest.mark.parametrize("rules", [["arxiv-id"], []])
def test_a_rendering_no_rule_read_is_waited_for_and_forgotten(rules: list[str]) -> None:
    text = "| a | b |\n| - | - |\n| 1 | 2 |\n"
    github._memo.clear()
    lint_text(text, [r for r in DEFAULT if r.name in rules], OPTIONS)
    assert not github._memo
    assert not github._pending
    assert not _render_threads()


def test_a_check_that_raises_leaves_no_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(listlint.lint, "lint_document", failing)
    with pytest.raises(RuntimeError):
        lint_text("| a |\n| - |\n", DEFAULT, OPTIONS)
    assert not github._pending
    assert not _render_threads()


@pytest.mark.parametrize(
    "text",
    [
        "| a |\n| - |\n",
        "\ufeff| a |\n| - |\n",
        "\ufeff\ufeff| a |\n| - |\n",  # (one mark ignored: the second is text)
    ],
)
def test_a_prefetch_takes_its_entry_out_when_it_ends(text: str) -> None:
    github._memo.clear()
    github.prefetch(text, sourcepos=True)()
    assert not github._pending
    assert github.render_html(text, sourcepos=True) == github._render(
        text.removeprefix("\ufeff"), True
    )


def test_a_prefetch_of_a_pinned_text_starts_nothing() -> None:
    text = "| a |\n| - |\n"
    with github.pinned(text):
        github.render_html(text, sourcepos=True)
        github._memo.clear()
        wait = github.prefetch(text, sourcepos=True)
        assert not github._pending
        wait()
    assert not github._pending


def test_a_rendering_that_fails_in_the_thread_fails_where_it_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(body: str, sourcepos: bool) -> str:
        raise ValueError("Error parsing markdown!")

    monkeypatch.setattr(github, "_render", failing)
    github._memo.clear()
    text = "<!-- x -->\n"  # (the HTML is read: rendered in the thread)
    with pytest.raises(ValueError), github.reading_ahead(text, Document(text).line_starts):
        github.render_html(text, sourcepos=True)
    assert not github._pending
    assert not _render_threads()


def test_a_second_prefetch_of_a_text_under_way_waits_for_nothing() -> None:
    text = "| a |\n| - |\n"
    github._memo.clear()
    first = github.prefetch(text, sourcepos=True)
    second = github.prefetch(text, sourcepos=True)
    assert second is github._nothing  # (whether the first has ended or not)
    first()
    second()
    assert not github._pending
    github.forget(text)


def test_a_short_text_is_rendered_without_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(github, "AHEAD_AT", 64_000)
    started: list[threading.Thread] = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    text = "| a | b |\n| - | - |\n| 1 | 2 |\n"
    github._memo.clear()
    plain = Document(text)
    plain.keep_rendering = False
    expected = lint_document(plain, DEFAULT, OPTIONS).diagnostics
    assert lint_text(text, DEFAULT, OPTIONS).diagnostics == expected
    assert started == []
    assert not github._pending
    assert (text, True) not in github._memo
    assert text not in github._outlines
