"""Inline suppression comments suppress exactly what they name."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from helpers import check
from hypothesis import given, settings
from strategies import documents

from listlint.cli import main

ROWS = "| a | b |\n|---|---|\n| 1 |\n"  # LL101 on line 3


def lines(text: str, *rules: str) -> list[tuple[int, str]]:
    return [(d.line, d.rule) for d in check(text, *rules)]


def test_disable_and_enable_by_name_code_and_prefix() -> None:
    text = (
        ROWS
        + "\n<!-- listlint-disable table-column-count -->\n\n"
        + ROWS
        + "\n<!-- listlint-enable table-column-count -->\n\n"
        + ROWS
        + "\n<!-- listlint-disable LL1 -->\n\n"
        + ROWS
    )
    assert lines(text, "table-column-count") == [
        (3, "table-column-count"),
        (15, "table-column-count"),
    ]


def test_disable_all_then_enable_one() -> None:
    text = "<!-- listlint-disable -->\n\n" + ROWS + "\n<!-- listlint-enable LL101 -->\n\n" + ROWS
    found = lines(text, "table-column-count", "link-empty")
    assert found == [(11, "table-column-count")]
    text += "\n- [](https://e.org)\n"
    assert (13, "link-empty") not in lines(text, "table-column-count", "link-empty")


def test_disable_next_line_and_file() -> None:
    text = "| a | b |\n|---|---|\n<!-- listlint-disable-next-line LL101 -->\n| 1 |\n| 2 |\n"
    assert lines(text, "table-column-count") == []  # the comment line ends the table
    text = "<!-- listlint-disable-next-line LL101 -->\n" + ROWS.replace("| 1 |", "| 1 | 2 | 3 |")
    assert lines(text, "table-column-count") == [(4, "table-column-count")]
    text = "- [](https://e.org)\n<!-- listlint-disable-next-line link-empty -->\n- [](x)\n"
    assert lines(text, "link-empty") == [(1, "link-empty")]
    assert lines("<!-- listlint-disable-file LL101, link-empty -->\n\n" + ROWS) == [
        d
        for d in lines("<!-- listlint-disable-file LL101, link-empty -->\n\n" + ROWS)
        if d[1] not in ("table-column-count", "link-empty")
    ]
    assert lines("<!-- listlint-disable-file -->\n\n" + ROWS) == []


def test_comments_in_code_are_not_directives() -> None:
    text = "```\n<!-- listlint-disable -->\n```\n\n" + ROWS
    assert lines(text, "table-column-count") == [(7, "table-column-count")]


@settings(max_examples=150, deadline=None, derandomize=True)
@given(documents())
def test_disable_file_suppresses_exactly_the_named_rule(text: str) -> None:
    body = text.removeprefix("\ufeff")

    def found(t: str) -> Counter[tuple[str, str]]:
        # Line numbers in messages shift with the added comment lines.
        return Counter((d.rule, re.sub(r"\d+", "#", d.message)) for d in check(t))

    before = found(body)
    for rule in {r for r, _ in before}:
        after = found(f"<!-- listlint-disable-file {rule} -->\n\n" + body)
        assert after == Counter({k: n for k, n in before.items() if k[0] != rule})


UNUSED = (Path(__file__).parent / "fixtures" / "unused-suppression" / "comments.md").read_text()


@pytest.mark.parametrize("command", ["check", "fix"])
def test_unused_suppressions_are_judged_on_the_rules_that_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = tmp_path / "list.md"
    path.write_text(UNUSED, encoding="utf-8")
    # In fix mode the fixing rules run between passes and the others once at the end, on
    # the same parse: the comments are judged on all of them either way.
    assert main([command, "--extend-select", "unused-suppression", "--no-cache", str(path)]) == 1
    found = [
        line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines() if "LL" in line
    ]
    assert found == [
        "LL501 unused suppression: no `link-http` finding on the next line [unused-suppression]",
        "LL501 no `duplicate-url` finding on the next line: remove from this comment "
        "[unused-suppression]",
        "LL501 unused suppression: nothing on the next line to suppress [unused-suppression]",
    ]
    assert path.read_text(encoding="utf-8") == UNUSED  # suppressed findings are not fixed
