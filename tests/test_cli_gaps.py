"""Gaps left in issues 13-15 (the gaps helper, session 4), each through the real entry
point: one finding (and one fix) per defect, stdin named after a file not yet written,
a broken configuration that stops only its own folder, input errors in every machine
format, and what `fix --diff` reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import isolate_cli, write

from listlint.cli import main

# A table of contents with an entry whose heading was renamed, and one that is dead.
TOC = (
    "# T\n\n## Contents\n\n- [Tools](#tools)\n- [Old name](#old-name)\n- [Gone](#gone)\n\n"
    "## Tools\n\nx\n\n## New name\n\ny\n"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_cli(tmp_path, monkeypatch)


def findings(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


# 1. A dead link in the table of contents is one finding (toc's, with its fix), not two.


def test_dead_toc_link_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "toc.md", TOC)
    assert main(["check", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = findings(capsys)
    by_line: dict[object, list[object]] = {}
    for r in rows:
        by_line.setdefault(r["line"], []).append(r["rule"])
    assert by_line == {5: ["toc"], 6: ["toc"], 7: ["toc"]}, rows
    dead = [r for r in rows if r["line"] == 7]
    assert "#gone" in str(dead[0]["message"]) and dead[0]["fix"] is not None


def test_dead_toc_link_is_link_fragments_when_toc_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "toc.md", TOC)
    args = ["check", "--no-cache", "--output-format", "json", "--ignore", "toc", "toc.md"]
    assert main(args) == 1
    rows = findings(capsys)
    assert [(r["line"], r["rule"]) for r in rows] == [(6, "link-fragment"), (7, "link-fragment")]


def test_dead_toc_link_suppressed_for_toc_falls_to_link_fragment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TOC.replace("- [Gone]", "<!-- listlint-disable-next-line toc -->\n- [Gone]")
    write(tmp_path / "toc.md", text)
    assert main(["check", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = [(r["line"], r["rule"]) for r in findings(capsys)]
    assert (8, "link-fragment") in rows and (8, "toc") not in rows


def test_dead_link_in_a_toc_toc_cannot_rewrite_is_reported_once_after_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A comment line among the entries: toc reports but does not regenerate the list.
    text = TOC.replace("- [Gone]", "  <!-- a note -->\n- [Gone]")
    write(tmp_path / "toc.md", text)
    assert main(["fix", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = [(r["line"], r["rule"]) for r in findings(capsys)]
    assert rows.count((8, "toc")) == 1 and (8, "link-fragment") not in rows, rows


# 2. --stdin-filename naming a file not written yet: relative links are resolved from its
#    folder all the same.


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


@pytest.mark.parametrize("name", ["docs/new.md", "docs/sub/new.md"])
def test_stdin_filename_of_a_new_file_checks_relative_links(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
) -> None:
    write(tmp_path / "docs" / "guide.md", "# Guide\n")
    up = "../" * (name.count("/") - 1)
    text = f"# New\n\n- [Guide]({up}guide.md) - Here.\n- [Gone]({up}gone.md) - Not here.\n"
    _stdin(monkeypatch, text)
    args = ["check", "--no-cache", "--output-format", "json", "--stdin-filename", name, "-"]
    assert main(args) == 1
    rows = findings(capsys)
    assert [(r["path"], r["line"], r["rule"]) for r in rows] == [(name, 4, "link-relative")]
    assert f"`{up}gone.md` does not exist" in str(rows[0]["message"])


# 3. A broken configuration stops only the files it governs: one line, the others checked,
#    exit 2 at the end.

HTTP = "# T\n\n- [x](http://github.com/a/b) - X.\n"


def _broken_tree(tmp_path: Path) -> None:
    write(tmp_path / "good" / "a.md", HTTP)
    write(tmp_path / "bad" / "b.md", HTTP)
    write(tmp_path / "bad" / "deeper" / "c.md", HTTP)
    write(tmp_path / "bad" / "listlint.toml", "select = [\n")


def test_broken_config_of_one_folder_leaves_the_others_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_tree(tmp_path)
    assert main(["check", "--no-cache", "."]) == 2
    out, err = capsys.readouterr()
    assert "good/a.md:3:7: LL205" in out
    assert "b.md" not in out and "c.md:" not in out
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    assert "bad/listlint.toml: invalid TOML" in lines[0]
    assert "2 files not checked" in lines[0] and "b.md" in lines[0], lines[0]
    assert "Traceback" not in err


def test_broken_config_is_one_line_for_fix_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_tree(tmp_path)
    assert main(["fix", "--no-cache", "good", "bad/b.md"]) == 2
    err = capsys.readouterr().err
    assert (tmp_path / "good" / "a.md").read_text() == HTTP.replace("http:", "https:")
    assert (tmp_path / "bad" / "b.md").read_text() == HTTP
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        line for line in err.splitlines() if "bad/listlint.toml" in line
    ]
    assert "1 file not checked" in err


def test_command_line_selector_error_is_still_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_tree(tmp_path)
    assert main(["check", "--no-cache", "--select", "no-such-rule", "good"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("error:") == 1 and "no-such-rule" in err


# 4. Input errors are in the machine-readable report too (and still one line on stderr).


def _inputs(tmp_path: Path) -> list[str]:
    write(tmp_path / "ok.md", HTTP)
    write(tmp_path / "latin1.md", "# Caf\xe9\n".encode("latin-1"))
    write(tmp_path / "bin.md", b"# T\x00\n")
    return ["ok.md", "latin1.md", "bin.md", "missing.md"]


def _error_records(rows: list[dict[str, object]]) -> dict[object, dict[str, object]]:
    return {r["path"]: r for r in rows if r["rule"] == "input-error"}


@pytest.mark.parametrize("fmt", ["json", "json-lines"])
def test_json_formats_carry_input_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    files = _inputs(tmp_path)
    assert main(["check", "--no-cache", "--output-format", fmt, *files]) == 2
    out, err = capsys.readouterr()
    rows = json.loads(out) if fmt == "json" else [json.loads(line) for line in out.splitlines()]
    assert [r["rule"] for r in rows if r["path"] == "ok.md"] == ["link-http"]
    errors = _error_records(rows)
    assert set(errors) == {"latin1.md", "bin.md", "missing.md"}
    for path, r in errors.items():
        assert r["code"] == "LL000" and r["severity"] == "error" and r["fix"] is None
        assert (r["line"], r["column"]) == (1, 1)
        assert str(r["message"]).startswith(f"{path}: ")
        assert f"error: {r['message']}" in err  # the same one line on stderr


def test_gitlab_carries_input_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _inputs(tmp_path)
    assert main(["check", "--no-cache", "--output-format", "gitlab", *files]) == 2
    out, err = capsys.readouterr()
    issues = json.loads(out)
    errors = {i["location"]["path"]: i for i in issues if i["check_name"] == "LL000 input-error"}
    assert set(errors) == {"latin1.md", "bin.md", "missing.md"}
    assert all(i["severity"] == "critical" for i in errors.values())
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert "not valid UTF-8" in errors["latin1.md"]["description"]
    assert err.count("error: ") == 3


def test_broken_config_is_in_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _broken_tree(tmp_path)
    assert main(["check", "--no-cache", "--output-format", "json", "."]) == 2
    rows = findings(capsys)
    errors = _error_records(rows)
    assert list(errors) == ["bad/listlint.toml"]
    assert "2 files not checked" in str(errors["bad/listlint.toml"]["message"])


def test_fix_to_json_with_an_unwritable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "ro.md", HTTP)
    path.chmod(0o444)
    assert main(["fix", "--no-cache", "--output-format", "json", "ro.md"]) == 2
    rows = findings(capsys)
    assert [r["rule"] for r in rows] == ["link-http", "input-error"]  # errors come last
    assert "read-only" in str(rows[1]["message"])


# 5. fix --diff: the diff, then what the fix would leave (as `fix` reports it), at the
#    positions of the file on disk; what the diff fixes is not listed again.


def test_fix_diff_lists_what_would_remain_where_it_is_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # toc's fix adds a line (B) above the rest; the empty link and the unsafe-only extra
    # cell would remain, the http link would be fixed.
    text = (
        "# T\n\n## Contents\n\n- [A](#a)\n\n## A\n\n- [x](http://github.com/a/b) - X.\n\n"
        "## B\n\n[](http://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\n"
    )
    path = write(tmp_path / "d.md", text)
    assert main(["fix", "--no-cache", "--diff", "--output-format", "json", "d.md"]) == 1
    out, err = capsys.readouterr()
    assert "+- [B](#b)\n" in out and "+- [x](https://github.com/a/b) - X.\n" in out
    rows = json.loads(err)
    assert [(r["rule"], r["line"], r["column"]) for r in rows] == [
        ("link-empty", 13, 1),
        ("table-column-count", 17, 11),
    ]
    lines = text.splitlines()
    assert lines[12].startswith("[](") and lines[16] == "| 1 | 2 | 3 |"
    # The unsafe fix that remains is given for the file on disk: applying it there works.
    (edit,) = rows[1]["fix"]["edits"]  # type: ignore[index]
    assert text[edit["start"] : edit["end"]] in lines[16]
    assert path.read_text() == text  # nothing written

    # The text format says the same, with the summary of what would be fixed.
    assert main(["fix", "--no-cache", "--diff", "d.md"]) == 1
    err = capsys.readouterr().err
    assert "d.md:13:1: LL202" in err and "d.md:17:11: LL101" in err
    assert "LL404" not in err and "LL205" not in err
    remain = "2 problems would remain (1 fixable with `listlint fix --unsafe-fixes`)."
    assert f"Would fix 2 problems. {remain}" in err
    # Nothing left after the fix: only the diff and the summary.
    clean = text.split("\n\n## B")[0] + "\n\n## B\n\nText.\n"
    write(tmp_path / "d.md", clean)
    assert main(["fix", "--no-cache", "--diff", "d.md"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "Would fix 2 problems. No problems would remain.", err


# 6. The result cache never answers for a file system that changed: a relative link's
#    target created (or deleted) since the last run is seen.


def test_cache_sees_a_relative_target_created_or_deleted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "README.md", "# T\n\n- [C](CONTRIBUTING.md) - How.\n")
    assert main(["check", "README.md"]) == 1
    assert "`CONTRIBUTING.md` does not exist" in capsys.readouterr().out
    write(tmp_path / "CONTRIBUTING.md", "# How\n")
    assert main(["check", "README.md"]) == 0
    assert "No problems found." in capsys.readouterr().out
    assert main(["check", "README.md"]) == 0  # answered from the cache, still right
    capsys.readouterr()
    (tmp_path / "CONTRIBUTING.md").unlink()
    assert main(["check", "README.md"]) == 1
    assert "`CONTRIBUTING.md` does not exist" in capsys.readouterr().out
    assert (tmp_path / ".listlint_cache").is_dir()


@pytest.mark.parametrize("fmt", ["json", "gitlab"])
def test_a_toml_error_is_reported_where_the_toml_parser_found_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    write(tmp_path / "a.md", HTTP)
    write(tmp_path / "listlint.toml", '# listlint\n\nselect = ["link-http"]\nignore = [1 2]\n')
    assert main(["check", "--no-cache", "--output-format", fmt, "a.md"]) == 2
    out, err = capsys.readouterr()
    assert "(at line 4, column" in err or "at end of document" in err
    rows = json.loads(out)
    if fmt == "json":
        (r,) = _error_records(rows).values()
        position = (r["line"], r["column"])
    else:
        (i,) = (i for i in rows if i["check_name"] == "LL000 input-error")
        position = (i["location"]["lines"]["begin"], 1)
    expected = int(err.split("(at line ")[1].split(",")[0]) if "(at line" in err else 1
    assert position[0] == expected
