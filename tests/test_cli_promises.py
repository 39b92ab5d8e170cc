"""Issue 15: the command line keeps its word. Each test runs the real entry point (``main``,
or the console script where a terminal, a pipe or a file mode matters)."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import isolate_cli, write

from listlint.cli import main

LISTLINT = str(Path(sys.executable).with_name("listlint"))
HTTP = "# T\n\n- [x](http://github.com/a/b) - X.\n"
# A table of contents missing `B` (its fix adds a line), then an empty link it cannot fix.
TOC = (
    "# T\n\n## Contents\n\n- [A](#a)\n\n## A\n\nText.\n\n## B\n\nText.\n\n[](http://example.com)\n"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_cli(tmp_path, monkeypatch)


# 1. fix --diff says what it would do and fails when something would change.


def test_fix_diff_would_fix_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "o.md", HTTP)
    assert main(["fix", "--diff", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "+- [x](https://github.com/a/b) - X.\n" in out
    assert "Would fix 1 problem." in err and "Fixed" not in err
    assert path.read_text() == HTTP
    clean = write(tmp_path / "clean.md", HTTP.replace("http:", "https:"))
    assert main(["fix", "--diff", str(clean)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "Nothing to fix. No problems found." in err
    assert main(["check", "--fix", "--diff", str(path)]) == 1  # as ruff spells it
    assert "Would fix 1 problem." in capsys.readouterr().err


# 2. Every position refers to the file as it is on disk.


def test_positions_after_diff_are_those_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "toc.md", TOC)
    empty_link_line = TOC.splitlines().index("[](http://example.com)") + 1
    assert main(["fix", "--diff", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:{empty_link_line}:1: LL202" in err  # what would remain, on disk
    assert "LL404" not in err  # what would be fixed is the diff, not listed again
    assert "Would fix 1 problem. 1 problem would remain." in err
    # After a real fix the file has one line more, and so has the report.
    assert main(["fix", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{empty_link_line + 1}:1: LL202" in out
    assert path.read_text().splitlines()[empty_link_line] == "[](http://example.com)"


def test_positions_after_a_failed_write_are_those_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "toc.md", TOC)
    os.chmod(path, 0o444)
    empty_link_line = TOC.splitlines().index("[](http://example.com)") + 1
    assert main(["fix", str(path)]) == 2
    out, err = capsys.readouterr()
    assert f"{path}:{empty_link_line}:1: LL202" in out
    assert f"{path}:5:1: LL404" in out
    assert "Fixed" not in out
    assert f"error: {path}: read-only (mode 0444); not written" in err


# 3 is in test_suppress.py. 4. --statistics: only statistics, in the format asked for.


def test_statistics(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # One safe fix (padding), one unsafe only (the extra cell), one without a fix.
    path = write(tmp_path / "a.md", "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n\n[](x)\n")
    assert main(["check", "--statistics", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:" not in out  # statistics only, not the findings
    assert "     2  LL101  table-column-count  (1 fixable, 1 with --unsafe-fixes)\n" in out
    assert "     1  LL202  link-empty\n" in out
    assert main(["check", "--statistics", "--output-format", "json", str(path)]) == 1
    rows = json.loads(capsys.readouterr().out)  # one JSON document, nothing appended
    assert {"code": "LL101", "rule": "table-column-count", "count": 2, "fixable": 1,
            "fixable_unsafe": 1} in rows  # fmt: skip
    assert main(["check", "--statistics", "--output-format", "sarif", str(path)]) == 2
    assert "--statistics prints a table" in capsys.readouterr().err
    report = tmp_path / "r.sarif"
    args = ["check", "--statistics", "--output-format", "sarif", "--output-file", str(report)]
    assert main([*args, str(path)]) == 1
    assert json.loads(report.read_text())["runs"][0]["results"]
    assert "     2  LL101" in capsys.readouterr().out


# 5. --show-fixes: the fixes applied, by file, code and line:column.


def test_show_fixes_lists_what_was_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# T\n\n| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |\n\n- [x](http://github.com/a) - X.\n"
    path = write(tmp_path / "a.md", text)
    assert main(["fix", "--show-fixes", str(path)]) == 1
    out = capsys.readouterr().out
    section = out[out.index("Fixes applied:") :]
    assert f"  {path}:5:3: LL101 " in section
    assert f"  {path}:8:7: LL205 " in section
    assert ":6:" not in section  # the unsafe fix of the extra cell was not applied
    assert "chars" not in out
    # --diff: what would be applied, at the same places of the unchanged file.
    write(tmp_path / "a.md", text)
    assert main(["fix", "--diff", "--show-fixes", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"Fixes that would be applied:\n  {path}:5:3: LL101 " in err


def test_show_fixes_places_later_passes_in_the_original(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The toc fix adds a line above the http link; the link's fix is placed in the file
    # as it was read.
    text = TOC.replace("[](http://example.com)", "- [y](http://github.com/y) - Y.")
    path = write(tmp_path / "a.md", text)
    line = text.splitlines().index("- [y](http://github.com/y) - Y.") + 1
    assert main(["fix", "--show-fixes", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"  {path}:5:1: LL404 " in out and f"  {path}:{line}:7: LL205 " in out


# 6. A file not writable by its owner is never written; group kept; honest summary.


def test_read_only_file_and_folder_are_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "ro.md", HTTP)
    os.chmod(path, 0o444)
    before = path.stat()
    assert main(["fix", str(path)]) == 2
    out, err = capsys.readouterr()
    assert "Fixed" not in out and "Found 1 problem" in out
    assert err == f"error: {path}: read-only (mode 0444); not written\n"
    after = path.stat()
    assert path.read_text() == HTTP and after.st_ino == before.st_ino
    assert stat.S_IMODE(after.st_mode) == 0o444
    folder = tmp_path / "ro"
    inside = write(folder / "a.md", HTTP)
    other = write(tmp_path / "ok.md", HTTP)
    os.chmod(folder, 0o555)
    try:
        assert main(["fix", "--jobs", "1", str(inside), str(other)]) == 2
    finally:
        os.chmod(folder, 0o755)
    out, err = capsys.readouterr()
    assert "Fixed 1 problem." in out  # only ok.md was written
    assert f"error: {inside}: its folder is read-only; not written" in err
    assert inside.read_text() == HTTP
    assert other.read_text() == HTTP.replace("http:", "https:")


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's group needs root")
def test_fix_keeps_owner_and_group(tmp_path: Path) -> None:
    path = write(tmp_path / "g.md", HTTP)
    os.chown(path, 1234, 4321)
    os.chmod(path, 0o640)
    assert main(["fix", str(path)]) == 0
    st = path.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (1234, 4321, 0o640)
    assert path.read_text() == HTTP.replace("http:", "https:")


# 7. Colour: --color, NO_COLOR, FORCE_COLOR; on a pipe and on a terminal.


def _console(
    args: list[str], cwd: Path, env: dict[str, str] | None = None, tty: bool = False
) -> str:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")
    }
    environ.update(env or {})
    if not tty:
        return subprocess.run(
            [LISTLINT, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=60
        ).stdout
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [LISTLINT, *args], cwd=cwd, env=environ, stdout=follower, stderr=follower
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends (EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.mark.parametrize(
    ("args", "env", "tty", "coloured"),
    [
        ([], {}, False, False),
        (["--color"], {}, False, True),
        ([], {"FORCE_COLOR": "1"}, False, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ([], {}, True, True),
        ([], {"NO_COLOR": "1"}, True, False),
        (["--no-color"], {"FORCE_COLOR": "1"}, True, False),
        (["--color"], {"NO_COLOR": "1"}, False, True),
    ],
)
def test_colour_switches(
    tmp_path: Path, args: list[str], env: dict[str, str], tty: bool, coloured: bool
) -> None:
    write(tmp_path / "o.md", HTTP)
    out = _console(["check", *args, "o.md"], tmp_path, env, tty)
    assert "o.md:3:7:" in out
    assert ("\x1b[" in out) is coloured, out


# 8 and 10 are in test_discovery.py. 9. Input errors in machine reports.


@pytest.fixture
def ok_and_latin1(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "ok.md", "# Ok\n"), write(tmp_path / "latin1.md", b"caf\xe9\n")


def test_junit_reports_input_errors(
    ok_and_latin1: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from xml.etree import ElementTree

    ok, latin1 = ok_and_latin1
    assert main(["check", "--output-format", "junit", str(ok), str(latin1)]) == 2
    suite = ElementTree.fromstring(capsys.readouterr().out).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "0", "1")
    [case] = [c for c in suite.iter("testcase") if c.get("name") == str(latin1)]
    error = case.find("error")
    assert error is not None and "not valid UTF-8" in (error.get("message") or "")


def test_github_reports_input_errors(
    ok_and_latin1: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ok, latin1 = ok_and_latin1
    assert main(["check", "--output-format", "github", str(ok), str(latin1)]) == 2
    out = capsys.readouterr().out
    assert f"::error file={latin1}::{latin1}: not valid UTF-8 (byte offset 3)" in out


def test_sarif_reports_input_errors_and_column_kind(
    ok_and_latin1: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    ok, latin1 = ok_and_latin1
    assert main(["check", "--output-format", "sarif", str(ok), str(latin1)]) == 2
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "not valid UTF-8" in note["message"]["text"]
    location = note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert location == str(latin1)
    assert main(["check", "--output-format", "sarif", str(ok)]) == 0
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["invocations"] == [{"executionSuccessful": True}]


# 12. Smaller promises.


def test_version_short_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from listlint import __version__

    assert main(["-V"]) == 0
    assert capsys.readouterr().out == f"listlint, version {__version__}\n"


def test_check_fix_is_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "o.md", HTTP)
    assert main(["check", "--fix", str(path)]) == 0
    assert "Fixed 1 problem. No problems remain." in capsys.readouterr().out
    assert path.read_text() == HTTP.replace("http:", "https:")
    assert main(["check", "--diff", str(path)]) == 2
    assert "--diff and --unsafe-fixes go with --fix" in capsys.readouterr().err


def test_rules_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--output-format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    by_code = {r["code"]: r for r in rules}
    assert by_code["LL101"]["name"] == "table-column-count"
    assert by_code["LL101"]["default"] is True
    assert by_code["LL101"]["command"] == "check"
    assert by_code["LL601"]["command"] == "links"  # link-dead: only `listlint links` runs it
    assert set(by_code["LL101"]) == {
        "code", "name", "summary", "fix", "default", "command", "severity", "origin"
    }  # fmt: skip


def test_concise_is_one_line_a_finding_and_text_has_the_detail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "o.md", HTTP)
    assert main(["check", "--output-format", "concise", str(path)]) == 1
    concise = capsys.readouterr().out
    message = "github.com serves https, but this link uses http://"
    assert concise == f"{path}:3:7: LL205 {message}\nFound 1 problem.\n"
    assert main(["check", "--output-format", "text", str(path)]) == 1
    text = capsys.readouterr().out
    assert text == (
        f"{path}:3:7: LL205 {message} [link-http] [*]\n"
        "Found 1 problem (1 fixable with `listlint fix`).\n"
    )


def test_per_file_ignores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "listlint.toml").write_text(
        '[per-file-ignores]\n"docs/*.md" = ["link-http"]\n"CHANGELOG.md" = ["LL2"]\n'
    )
    write(tmp_path / "docs" / "a.md", HTTP)
    write(tmp_path / "docs" / "deep" / "b.md", HTTP)
    write(tmp_path / "CHANGELOG.md", HTTP)
    write(tmp_path / "sub" / "CHANGELOG.md", HTTP)  # a bare name matches at any depth
    write(tmp_path / "README.md", HTTP)
    assert main(["check", "--no-cache", "."]) == 1
    out = capsys.readouterr().out
    assert "docs/a.md" not in out and "CHANGELOG.md" not in out
    assert "docs/deep/b.md:3:7: LL205" in out and "README.md:3:7: LL205" in out
    # Fixing follows the same table: an ignored rule fixes nothing there.
    assert main(["fix", "docs/a.md"]) == 0
    assert (tmp_path / "docs" / "a.md").read_text() == HTTP
    capsys.readouterr()
    (tmp_path / "listlint.toml").write_text('[per-file-ignores]\n"x.md" = ["LL999"]\n')
    assert main(["check", "README.md"]) == 2
    assert "per-file-ignores" in capsys.readouterr().err
    (tmp_path / "listlint.toml").write_text('[per-file-ignores]\n"x.md" = "LL101"\n')
    assert main(["check", "README.md"]) == 2
    assert "'per-file-ignores' must be a table of lists" in capsys.readouterr().err


def test_per_file_ignores_change_invalidates_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "a.md", HTTP)
    assert main(["check", "a.md"]) == 1
    (tmp_path / "listlint.toml").write_text('[per-file-ignores]\n"a.md" = ["link-http"]\n')
    assert main(["check", "a.md"]) == 0
    capsys.readouterr()


def test_stdin_with_statistics_and_machine_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTTP.encode())))
    assert main(["check", "--statistics", "--output-format", "json", "-"]) == 1
    [row] = json.loads(capsys.readouterr().out)
    assert row["code"] == "LL205" and row["fixable"] == 1
