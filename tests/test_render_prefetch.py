"""A check starts GitHub's rendering in a thread while it parses (``lint_text``): it
renders exactly when the table view would, finds what a check without it finds, and
leaves no rendering running or memoised."""

from __future__ import annotations

from helpers import all_rules, options_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_tables_github import documents

from listlint import github
from listlint.document import Document
from listlint.lint import lint_document, lint_text
from listlint.views import tables
from listlint.views.tables import may_have_tables

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
DEFAULT = [r for r in all_rules() if r.default]
OPTIONS = options_for()


@SETTINGS
@given(st.one_of(documents(), st.text(alphabet="|-: \t>\n\r\\a`", max_size=60)))
@example("a |- b\n")  # a pipe beside a dash, on no delimiter-like line
@example("| a |\n| --- | --- |\n")  # several candidates on one line
@example("no table\n")
def test_may_have_tables_is_the_views_test(text: str) -> None:
    doc = Document(text)
    assert may_have_tables(doc) == bool(tables._delimiter_candidates(doc))


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
    assert not github._pending


def test_a_rendering_no_rule_read_is_waited_for_and_forgotten() -> None:
    text = "| a | b |\n| - | - |\n| 1 | 2 |\n"
    github._memo.clear()
    lint_text(text, [r for r in DEFAULT if r.name == "arxiv-id"], OPTIONS)
    assert not github._memo
    assert not github._pending


def test_settle_waits_for_a_rendering_under_way(monkeypatch: object) -> None:
    joined: list[bool] = []

    class Running:
        def join(self) -> None:
            joined.append(True)

    github._pending[("x\n", True)] = Running()  # type: ignore[assignment]
    github._memo[("x\n", True)] = "<p>x</p>\n"
    try:
        github.settle("x\n", sourcepos=True)
    finally:
        github._pending.pop(("x\n", True), None)
    assert joined == [True]
    assert ("x\n", True) not in github._memo
