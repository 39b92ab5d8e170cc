"""Inline suppression comments suppress exactly what they name."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from explore import explored
from helpers import check
from hypothesis import given
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


@explored(150)
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


# Issue 15, item 3: markdownlint's spellings work; a comment listlint cannot read is itself
# a finding, and never a wider suppression.

HTTP_LINES = "- [a](http://github.com/a) - A.\n- [b](http://github.com/b) - B.\n"


def _main_lines(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    (tmp_path / "listlint.toml").write_text("")
    path = tmp_path / "s.md"
    path.write_text(text)
    main(["check", "--no-cache", "--output-format", "concise", str(path)])
    out = capsys.readouterr().out
    return [
        line.removeprefix(f"{path}:") for line in out.splitlines() if line.startswith(str(path))
    ]


def test_disable_line_covers_its_own_line_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "# T\n\n- [a](http://github.com/a) - A. <!-- listlint-disable-line link-http -->\n"
        "- [b](http://github.com/b) - B.\n"
        "<!-- listlint-disable-line link-http -->\n"  # its own line: covers only itself
        "- [c](http://github.com/c) - C.\n"
    )
    found = _main_lines(tmp_path, text, capsys)
    assert [f.split(":")[0] for f in found if "LL205" in f] == ["4", "6"]
    assert not any("LL502" in f for f in found)


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("listlint-disable-nextline link-http", "did you mean `listlint-disable-next-line`?"),
        ("listlint-disableline link-http", "did you mean `listlint-disable-line`?"),
        (
            "listlint-disable-next-line link-htp",
            "`link-htp` names no rule (did you mean `link-http`?)",
        ),
        ("listlint-disable link-htp", "`link-htp` names no rule"),
        ("listlint-disable-file LL9999", "`LL9999` names no rule"),
    ],
)
def test_a_comment_listlint_cannot_read_suppresses_nothing_and_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], comment: str, message: str
) -> None:
    text = f"# T\n\n<!-- {comment} -->\n" + HTTP_LINES
    found = _main_lines(tmp_path, text, capsys)
    assert [f.split(":")[0] for f in found if "LL205" in f] == ["4", "5"]  # nothing hidden
    [invalid] = [f for f in found if "LL502" in f]
    assert invalid.startswith("3:") and message in invalid


def test_valid_names_of_a_comment_still_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# T\n\n<!-- listlint-disable-next-line link-htp, link-http -->\n" + HTTP_LINES
    found = _main_lines(tmp_path, text, capsys)
    assert [f.split(":")[0] for f in found if "LL205" in f] == ["5"]
    assert [f.split(" ")[0] for f in found if "LL502" in f] == ["3:33:"]


def test_enable_file_undoes_disable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "<!-- listlint-disable-file -->\n<!-- listlint-enable-file LL205 -->\n# T\n\n" + HTTP_LINES
    )
    found = _main_lines(tmp_path, text, capsys)
    assert [f.split(":")[0] for f in found if "LL205" in f] == ["5", "6"]
    text = (
        "<!-- listlint-disable-file link-http -->\n<!-- listlint-enable-file -->\n# T\n\n"
        + HTTP_LINES
    )
    assert len([f for f in _main_lines(tmp_path, text, capsys) if "LL205" in f]) == 2


def test_names_of_plugin_rules_are_known(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plugin = tmp_path / "myrules" / "todo.py"
    plugin.parent.mkdir()
    plugin.write_text(
        '"""Checks for TODO."""\nfrom listlint.registry import NoOptions\nNAME = "no-todo"\n'
        'CODE = "LL901"\nSUMMARY = "TODO left"\nSEVERITY = "warning"\nDEFAULT = False\n'
        'FIX = "none"\nOptions = NoOptions\ndef check(doc, options):\n    return []\n'
    )
    text = "# T\n\n<!-- listlint-disable-next-line no-todo -->\nText.\n"
    path = tmp_path / "s.md"
    path.write_text(text)
    (tmp_path / "listlint.toml").write_text('plugins = ["myrules"]\n')
    assert main(["check", "--no-cache", str(path)]) == 0  # not selected, but a known name
    capsys.readouterr()
