"""Regressions found by trying listlint as a new user would, on the shipped corpus and on
mutants of it: each test is one problem that was seen, run through the real entry point."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from listlint.cli import main


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


TOC_AND_DUPLICATE = """\
# List

## Contents

- [Alpha](#alpha)
- [Gone](#gone)

## Alpha

- [A](https://a.example/) - One.
- [A](https://a.example/) - Two.
"""


def test_toc_fix_and_unsafe_removal_go_in_together(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The toc fix drops the entry for an absent heading (its word "Gone" goes, as the
    # toc-list declaration allows) and duplicate-url removes the repeated entry. Judged
    # together as an unsafe run, the toc entry's word counted as lost and one of the two
    # fixes was withheld: the next `fix` changed the file again (not idempotent).
    path = tmp_path / "list.md"
    path.write_text(TOC_AND_DUPLICATE)
    code, out = _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    assert "withheld" not in out
    assert path.read_text() == TOC_AND_DUPLICATE.replace("- [Gone](#gone)\n", "").replace(
        "- [A](https://a.example/) - Two.\n", ""
    )
    assert code == 0
    before = path.read_bytes()
    code, out = _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    assert path.read_bytes() == before
    assert code == 0


# An unsafe fix that declares nothing and turns "TODO" into "DONE": it loses a visible
# word, so it must be withheld even when a toc fix goes in beside it.
RESPELL_UNSAFE = """
import re
from typing import NamedTuple
from listlint.diagnostic import Edit, Finding, Fix
NAME = "respell"
CODE = "LL951"
SUMMARY = "TODO left"
SEVERITY = "warning"
DEFAULT = True
FIX = "unsafe"
class Options(NamedTuple):
    pass
def check(doc, options):
    for m in re.finditer("TODO", doc.text):
        i = m.start()
        yield Finding(i, i + 4, "a TODO is left",
                      fix=Fix("Say DONE", (Edit(i, i + 4, "DONE"),), "unsafe"))
"""


def test_beside_a_toc_fix_undeclared_lost_words_are_still_withheld(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "respell.py").write_text(RESPELL_UNSAFE)
    (tmp_path / "listlint.toml").write_text('plugins = ["rules"]\n')
    path = tmp_path / "list.md"
    path.write_text(TOC_AND_DUPLICATE + "\nTODO: more entries.\n")
    _, out = _run(["fix", "--no-cache", "--unsafe-fixes", str(path)], capsys)
    fixed = path.read_text()
    assert "TODO: more entries." in fixed  # the undeclared change stays out
    assert "LL951" in out and "withheld" in out
    assert "- [Gone](#gone)" not in fixed  # the toc fix went in
    assert "- [B](https://a.example/)" not in fixed  # and the declared removal


def test_summary_does_not_say_no_problems_when_a_file_could_not_be_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `check latin1.md` printed "No problems found." beside the error: the one file was
    # never checked. The summary now says how many errors follow; the exit code stays 2.
    (tmp_path / "latin1.md").write_bytes(b"# T\n\n- caf\xe9\n")
    (tmp_path / "ok.md").write_text("# T\n\n- [x](https://example.com/) - X.\n")
    code, out = _run(["check", "--no-cache", "latin1.md"], capsys)
    assert code == 2
    assert "No problems found. 1 error (below)." in out
    assert "latin1.md: not valid UTF-8" in out
    code, out = _run(["check", "--no-cache", "latin1.md", "missing.md", "ok.md"], capsys)
    assert code == 2
    assert "No problems found. 2 errors (below)." in out


TOC_WITH_EXTERNAL_LINK = """\
# List

## Contents

- [Beta](#beta)
- [Gone](#gone)
- [Contributing](https://github.com/example/list/blob/main/CONTRIBUTING.md)
- [Alpha](#alpha)

## Alpha

- [A](https://a.example/) - A.

## Beta

- [B](https://b.example/) - B.

## Gamma

- [C](https://c.example/) - C.
"""


def test_a_toc_with_a_link_to_another_page_is_still_checked_and_regenerated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A "Contributing" entry linking a URL made toc stop treating the list as a table of
    # contents: its dead and missing entries went unreported, or (link-fragment) were
    # reported without a fix. The fix goes through the guard (not withheld) and keeps the
    # external entry, after the entry it followed.
    path = tmp_path / "list.md"
    path.write_text(TOC_WITH_EXTERNAL_LINK)
    code, out = _run(["check", "--no-cache", str(path)], capsys)
    assert "misses `Gamma`" in out and "#gone" in out and "[link-fragment]" not in out
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    assert "withheld" not in out
    assert code == 0
    contributing = "- [Contributing](https://github.com/example/list/blob/main/CONTRIBUTING.md)\n"
    assert path.read_text() == TOC_WITH_EXTERNAL_LINK.replace(
        "- [Beta](#beta)\n- [Gone](#gone)\n" + contributing + "- [Alpha](#alpha)\n",
        "- [Alpha](#alpha)\n- [Beta](#beta)\n" + contributing + "- [Gamma](#gamma)\n",
    )


TOC_NESTED_WITH_EXTERNAL_ITEM = """\
# List

## Contents

- [Languages](#languages)
  - [Go](#go)
  - [Rust](#rust)
  - [Gone](#gone)
- [Mirror](https://mirror.example.org/list) - The same list elsewhere.

## Languages

### Rust

- [R](https://r.example/) - R.

### Go

- [G](https://g.example/) - G.
"""


def test_toc_fix_with_an_external_top_level_item_is_not_withheld(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two top-level items, one of them linking another page: the guard counted only the
    # top level (1 in-page of 2), did not read the list as the table of contents, and
    # withheld the toc fix, and with it the fixes of the other rules (found by fuzzing).
    path = tmp_path / "list.md"
    path.write_text(TOC_NESTED_WITH_EXTERNAL_ITEM)
    code, out = _run(["fix", "--no-cache", str(path)], capsys)
    assert "withheld" not in out
    assert code == 0
    assert path.read_text() == TOC_NESTED_WITH_EXTERNAL_ITEM.replace(
        "  - [Go](#go)\n  - [Rust](#rust)\n  - [Gone](#gone)\n",
        "  - [Rust](#rust)\n  - [Go](#go)\n",
    )


TOC_TWO_FINDINGS = """\
# List

## Contents

- [Alpha](#alpha)
- [Gone](#gone)

## Alpha

- [A](http://github.com/a/a) - One.

## Beta

- [B](https://b.example/) - Two.
"""


def test_fix_counts_every_finding_one_fix_settles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two toc findings (a missing heading, a dead link) share one fix, the regenerated
    # list: `check` said "3 fixable", and `fix --diff` "Would fix 2 problems" with nothing
    # left, so the counts did not add up (ruff counts each finding a fix settles).
    path = tmp_path / "list.md"
    path.write_text(TOC_TWO_FINDINGS)
    code, out = _run(["check", "--no-cache", str(path)], capsys)
    assert "Found 3 problems (3 fixable with `listlint fix`)." in out
    code, out = _run(["fix", "--no-cache", "--diff", str(path)], capsys)
    assert "Would fix 3 problems. No problems would remain." in out
    code, out = _run(["fix", "--no-cache", "--show-fixes", str(path)], capsys)
    assert "Fixed 3 problems." in out
    assert code == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_in_a_folder_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `listlint check .` opened `notes.md`, a named pipe with no writer, and waited for
    # ever. Folder search takes regular files only (as git and ruff's walker do).
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "list.md").write_text("# List\n\n- [a](http://github.com/a/b) - A.\n")
    os.mkfifo(tmp_path / "docs" / "notes.md")
    code, out = _run(["check", "--no-cache", "docs"], capsys)
    assert code == 1 and "list.md:3:7: LL205" in out and "notes.md" not in out
    code, out = _run(["links", "--no-cache", "--select", "link-dead", "docs"], capsys)
    assert "notes.md" not in out


def test_utf16_is_named_not_called_binary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A README saved as UTF-16 (Windows editors do) was "binary file (NUL byte at
    # offset 3)": true, but not what a maintainer needs to hear.
    for encoding in ("utf-16", "utf-32"):
        (tmp_path / "list.md").write_bytes("# List\n".encode(encoding))
        for command in (["check"], ["fix"], ["links"]):
            code, out = _run([*command, "--no-cache", "list.md"], capsys)
            line = f"error: list.md: {encoding.upper()} (it starts with its byte-order mark)"
            assert code == 2 and f"{line}; save it as UTF-8\n" in out, (command, out)


def test_links_says_what_check_says_of_nothing_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `listlint links` on a folder with no Markdown printed "No problems found." and no
    # warning; beside an input error, "No problems found." without "1 error (below)".
    (tmp_path / "empty").mkdir()
    code, out = _run(["links", "--no-cache", "empty"], capsys)
    assert code == 0 and "warning: no Markdown file found (nothing was checked)" in out
    code, out = _run(["links", "--no-cache", "missing.md"], capsys)
    assert code == 2 and "No problems found. 1 error (below)." in out
    assert "error: missing.md: no such file or directory" in out


@pytest.mark.parametrize(
    ("name", "table", "expected"),
    [
        ("listlint.toml", "[links]\ntimeuot = 5\n", "unknown key 'links.timeuot'"),
        (
            "pyproject.toml",
            '[tool.listlint.links]\ntimeout = "x"\n',
            "'tool.listlint.links.timeout' must be a positive number of seconds, not 'x'",
        ),
    ],
)
def test_check_and_fix_validate_the_links_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, table: str, expected: str
) -> None:
    # A typo in [links] was reported by `listlint links` only: `check` and `fix` said
    # "No problems found." and exited 0, so a CI running check never saw it.
    (tmp_path / "listlint.toml").unlink()
    (tmp_path / name).write_text(table)
    (tmp_path / "list.md").write_text("# List\n\n- [a](https://a.example/) - A.\n")
    for command in ("check", "fix", "links"):
        code, out = _run([command, "--no-cache", "list.md"], capsys)
        lines = out.splitlines()
        assert code == 2 and len(lines) == 1, (command, out)
        assert lines[0].startswith(f"error: {name}: {expected}"), (command, out)
    (tmp_path / name).write_text(table.replace("timeuot", "timeout").replace('"x"', "3"))
    code, out = _run(["check", "--no-cache", "list.md"], capsys)
    assert code == 0, out


def test_a_missing_plugin_is_named_by_its_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "rule plugin path /home/.../myplugins/rule.py does not exist" named neither the
    # file nor the key that asked for it; a maintainer had to guess which configuration.
    (tmp_path / "listlint.toml").write_text('plugins = ["myplugins/rule.py"]\n')
    (tmp_path / "list.md").write_text("# List\n\n- [a](https://a.example/) - A.\n")
    for command in ("check", "fix", "links", "rules"):
        code, out = _run(
            [command, "--no-cache", "list.md"][: 1 if command == "rules" else 3], capsys
        )
        assert code == 2, (command, out)
        assert out.startswith(
            "error: listlint.toml: 'plugins': 'myplugins/rule.py' does not exist next to this file"
        ), (command, out)
        assert str(tmp_path) not in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_fix_of_a_named_pipe_reports_and_returns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `listlint fix pipe.md` read the pipe, then read it again to see that it had not
    # changed before writing, and waited for a second writer for ever. A named pipe given
    # by name is read once (as cat, ruff and markdownlint-cli read it) and not written.
    import threading

    pipe = tmp_path / "pipe.md"
    os.mkfifo(pipe)

    def write() -> None:
        with pipe.open("w") as f:
            f.write("# List\n\n- [a](http://github.com/a/b) - A.\n")

    writer = threading.Thread(target=write)
    writer.start()
    code, out = _run(["fix", "--no-cache", "pipe.md"], capsys)
    writer.join()
    assert code == 2
    assert "pipe.md:3:7: LL205" in out
    assert "error: pipe.md: not a regular file; not written" in out
    assert pipe.is_fifo()


def test_a_selector_naming_no_rule_is_reported_without_a_file_to_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `listlint check --select LL999 missing.md` said only that missing.md was missing;
    # the typo in --select showed once the path was right (ruff reports both at once).
    (tmp_path / "empty").mkdir()
    for args in (["missing.md"], ["empty"]):
        code, out = _run(["check", "--no-cache", "--select", "LL999", *args], capsys)
        assert code == 2, out
        assert "error: command line: 'LL999' selects no rule (see `listlint rules`)\n" in out
    code, out = _run(["check", "--no-cache", "--select", "LL101", "empty"], capsys)
    assert code == 0 and "selects no rule" not in out


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            '[rules.arxiv-id]\ntoday = "x"\n',
            "rules.arxiv-id: 'today' must be a date written YYYY-MM-DD, not 'x'",
        ),
        (
            '[rules.arxiv-link]\ntoday = "2026-13-01"\n',
            "rules.arxiv-link: 'today' must be a date written YYYY-MM-DD, not '2026-13-01'",
        ),
        (
            "[rules.section-order]\norder = [1]\n",
            "'rules.section-order.order' must be a list of strings, not [1]",
        ),
        (
            "[rules.table-schema]\ntables = 3\n",
            "'rules.table-schema.tables' must be a list of tables with the keys section,",
        ),
    ],
)
def test_option_errors_say_what_the_value_must_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, expected: str
) -> None:
    # "rules.arxiv-id: Invalid isoformat string: 'x'" (Python's words, not the option's)
    # and "must be a list of a string" / "a list of a table with the keys ...".
    (tmp_path / "listlint.toml").write_text(table)
    (tmp_path / "list.md").write_text("# List\n")
    code, out = _run(["check", "--no-cache", "list.md"], capsys)
    assert code == 2 and out.startswith(f"error: listlint.toml: {expected}"), out
    assert len(out.splitlines()) == 1


def test_config_that_is_not_a_file_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--config /dev/null` said "configuration file not found" of a path that exists
    # (ruff rejects it too, as not a .toml file).
    (tmp_path / "list.md").write_text("# List\n")
    code, out = _run(["check", "--no-cache", "--config", os.devnull, "list.md"], capsys)
    assert code == 2
    assert f"error: {os.devnull}: not a regular file (--config names a TOML file)" in out
    code, out = _run(["check", "--no-cache", "--config", "none.toml", "list.md"], capsys)
    assert code == 2 and "error: none.toml: configuration file not found" in out
