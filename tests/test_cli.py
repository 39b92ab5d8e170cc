"""The command line through ``main``, as a user runs it."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from listlint.cli import main

BAD_TABLE = "| a | b |\n|---|---|\n| 1 |\n"
GOOD_TABLE = "| a | b |\n|---|---|\n| 1 | 2 |\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No config file from the repository above may leak into these runs.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_check_clean_and_dirty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write(tmp_path / "good.md", GOOD_TABLE)
    assert main(["check", str(good)]) == 0
    assert "No problems found." in capsys.readouterr().out
    bad = write(tmp_path / "bad.md", BAD_TABLE)
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:3:3: LL101 row has 1 cell but the header has 2" in out
    assert "[table-column-count] [*]" in out
    assert "Found 1 problem (1 fixable with `listlint fix`)." in out
    assert main(["check", "--exit-zero", str(bad)]) == 0


def test_json_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.md", BAD_TABLE)
    assert main(["check", "--output-format", "json", str(bad)]) == 1
    [item] = json.loads(capsys.readouterr().out)
    assert item["path"] == str(bad)
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (3, 3, 3, 6)
    assert (item["code"], item["rule"], item["severity"]) == (
        "LL101",
        "table-column-count",
        "error",
    )
    assert item["fix"]["applicability"] == "safe"
    assert item["fix"]["edits"] == [{"start": 25, "end": 25, "replacement": " |"}]


def test_github_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path / "bad.md", BAD_TABLE)
    assert main(["check", "--output-format", "github", str(bad)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"::error file={bad},line=3,col=3,endLine=3,endColumn=6,")
    assert "title=LL101 table-column-count::row has 1 cell" in out


def test_fix_writes_and_preserves_bytes(tmp_path: Path) -> None:
    raw = "\ufeff# T\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 |\r\n| 2 |"  # BOM, CRLF, no final newline
    path = write(tmp_path / "crlf.md", raw)
    os.chmod(path, 0o640)
    assert main(["fix", str(path)]) == 0
    data = path.read_bytes()
    assert data == ("\ufeff# T\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | |\r\n| 2 | |").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_fix_leaves_unchanged_files_alone(tmp_path: Path) -> None:
    path = write(tmp_path / "good.md", GOOD_TABLE)
    before = path.stat()
    os.utime(path, ns=(before.st_atime_ns, 1_000_000_000))
    assert main(["fix", str(path)]) == 0
    after = path.stat()
    assert after.st_mtime_ns == 1_000_000_000 and after.st_ino == before.st_ino


def test_fix_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bad.md", BAD_TABLE)
    assert main(["fix", "--diff", str(path)]) == 1  # something would change
    captured = capsys.readouterr()
    assert "-| 1 |\n+| 1 | |\n" in captured.out
    assert path.read_text() == BAD_TABLE


def test_fix_reports_what_it_could_not_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path / "bad.md", "| a |\n|---|\n| 1 | 2 |\n| 3 |\n")
    assert main(["fix", str(path)]) == 1
    out = capsys.readouterr().out
    assert "extra cell (`2`) is dropped" in out
    assert "[*unsafe]" in out
    assert main(["fix", "--unsafe-fixes", str(path)]) == 0
    assert path.read_text() == "| a |\n|---|\n| 1 \\| 2 |\n| 3 |\n"


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD_TABLE.encode())))
    assert main(["check", "-"]) == 1
    assert "<stdin>:3:3: LL101" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BAD_TABLE.encode())))
    assert main(["fix", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "| a | b |\n|---|---|\n| 1 | |\n"
    assert "Fixed 1 problem." in captured.err


def test_bad_inputs_are_one_line_errors_and_others_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin1 = write(tmp_path / "latin1.md", "caf\xe9\n".encode("latin-1"))
    binary = write(tmp_path / "image.md", b"\x89PNG\r\n\x1a\n\x00\x00")
    bad = write(tmp_path / "bad.md", BAD_TABLE)
    missing = tmp_path / "missing.md"
    code = main(["check", str(latin1), str(binary), str(missing), str(bad)])
    assert code == 2
    captured = capsys.readouterr()
    assert f"{bad}:3:3: LL101" in captured.out
    errors = captured.err.strip().splitlines()
    assert errors == [
        f"error: {latin1}: not valid UTF-8 (byte offset 3); save it as UTF-8",
        f"error: {binary}: binary file (NUL byte at offset 8); not checked",
        f"error: {missing}: no such file or directory",
    ]
    assert "Traceback" not in captured.err


def test_console_script_as_a_process(tmp_path: Path) -> None:
    # The installed entry point ends with a hard exit: its output must be complete, its
    # exit code right, with many findings (more than a pipe buffer) and a bad file among them.
    script = Path(sys.executable).with_name("listlint")
    if not script.exists():  # pragma: no cover - the package is not installed
        pytest.skip("listlint is not installed in this environment")
    rows = "".join(f"| {k} | x | extra |\n" for k in range(3000))
    big = write(tmp_path / "big.md", "| a | b |\n| --- | --- |\n" + rows)
    binary = write(tmp_path / "image.md", b"\x00")
    done = subprocess.run(
        [str(script), "check", "--no-cache", str(big), str(binary)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout.count(" LL101 ") == 3000
    assert done.stdout.rstrip().endswith(
        "Found 3000 problems (3000 fixable with `listlint fix --unsafe-fixes`). 1 error (below)."
    )
    assert done.stderr.strip().splitlines() == [
        f"error: {binary}: binary file (NUL byte at offset 0); not checked"
    ]


def test_folders_are_searched_skipping_hidden_and_excluded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "docs" / "a.md", BAD_TABLE)
    write(tmp_path / "docs" / "b.markdown", BAD_TABLE)
    write(tmp_path / "docs" / "notes.txt", BAD_TABLE)
    write(tmp_path / ".hidden" / "c.md", BAD_TABLE)
    write(tmp_path / "vendor" / "d.md", BAD_TABLE)
    (tmp_path / "listlint.toml").write_text('exclude = ["vendor"]\n')
    assert main(["check", "--no-color", "."]) == 1
    out = capsys.readouterr().out
    assert "docs/a.md:3:3" in out and "docs/b.markdown:3:3" in out
    assert "notes.txt" not in out and ".hidden" not in out and "vendor" not in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("select = [", "invalid TOML"),
        ("colour = true\n", "unknown key 'colour'"),
        ('select = "LL101"\n', "'select' must be a list of strings"),
        (
            "[rules.table-column-count]\npad-rows = true\n",
            "unknown option 'rules.table-column-count.pad-rows'",
        ),
        ("[rules.table-column-count]\npad-short-rows = 3\n", "must be true or false"),
        ("[rules.no-such-rule]\nx = 1\n", "'rules.no-such-rule' names no rule"),
        ('select = ["LL999"]\n', "'LL999' selects no rule"),
        (
            "[[rules.table-schema.tables]]\ncolour = 1\n",
            "'rules.table-schema.tables' must be a list of tables with the keys section, header",
        ),
    ],
)
def test_config_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tmp_path / "listlint.toml").write_text(content)
    path = write(tmp_path / "a.md", GOOD_TABLE)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "listlint.toml" in err
    assert len(err.strip().splitlines()) == 1


def test_pyproject_config_is_found_walking_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "listlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.listlint]\nignore = ["LL101"]\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    monkeypatch.chdir(sub)
    path = write(sub / "a.md", BAD_TABLE)
    assert main(["check", str(path)]) == 0
    (tmp_path / "pyproject.toml").write_text('[tool.listlint]\nignore = "LL101"\n')
    assert main(["check", str(path)]) == 2
    assert "tool.listlint.ignore" in capsys.readouterr().err


def test_explicit_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = write(tmp_path / "cfg" / "my.toml", 'ignore = ["table-column-count"]\n')
    path = write(tmp_path / "a.md", BAD_TABLE)
    assert main(["check", "--config", str(cfg), str(path)]) == 0
    assert main(["check", "--config", str(tmp_path / "nope.toml"), str(path)]) == 2
    assert "configuration file not found" in capsys.readouterr().err


def test_selectors(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", BAD_TABLE)
    assert main(["check", "--ignore", "LL1", str(path)]) == 0
    assert main(["check", "--ignore", "table-column-count", str(path)]) == 0
    assert main(["check", "--select", "ALL", str(path)]) == 1
    assert main(["check", "--select", "LL101", str(path)]) == 1
    assert main(["check", "--select", "nonsense", str(path)]) == 2


def test_rules_and_rule_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "LL101" in out and "table-column-count" in out
    assert main(["rule", "LL101"]) == 0
    assert capsys.readouterr().out.startswith("# table-column-count (LL101)")
    assert main(["rule", "nope"]) == 2


def test_usage_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert main(["check", "--output-format", "xml"]) == 2
    assert main(["frobnicate"]) == 2
    assert main(["--version"]) == 0


PLUGIN = """
from dataclasses import dataclass
from listlint.diagnostic import Finding
NAME = "no-todo"
CODE = "LL901"
SUMMARY = "TODO left in the list"
SEVERITY = "warning"
DEFAULT = True
FIX = "none"
@dataclass(frozen=True)
class Options:
    word: str = "TODO"
def check(doc, options):
    i = doc.text.find(options.word)
    if i != -1:
        yield Finding(i, i + len(options.word), "a TODO is left")
"""


def test_plugin_rules_from_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "myrules" / "no_todo.py", PLUGIN)
    (tmp_path / "listlint.toml").write_text(
        'plugins = ["myrules"]\n[rules.no-todo]\nword = "FIXME"\n'
    )
    path = write(tmp_path / "a.md", "# FIXME\n")
    assert main(["check", str(path)]) == 1
    assert "1:3: LL901 a TODO is left [no-todo]" in capsys.readouterr().out


def test_plugin_options_must_be_a_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = PLUGIN.replace("@dataclass(frozen=True)\nclass Options:", "class Options:")
    assert plain != PLUGIN
    write(tmp_path / "myrules" / "plain.py", plain)
    (tmp_path / "listlint.toml").write_text('plugins = ["myrules"]\n')
    path = write(tmp_path / "a.md", "# x\n")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Options must be a NamedTuple or a dataclass" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("declared", "applied_safe", "applied_unsafe"),
    [("none", False, False), ("unsafe", False, True), ("safe", True, True)],
)
def test_fixes_are_applied_as_the_rule_declares(
    tmp_path: Path, declared: str, applied_safe: bool, applied_unsafe: bool
) -> None:
    # The rule attaches a "safe" fix whatever it declares: FIX is what users are told.
    rule = PLUGIN.replace('FIX = "none"', f'FIX = "{declared}"').replace(
        '"a TODO is left")',
        '"a TODO is left", fix=Fix("drop", (Edit(i, i + len(options.word), "DONE"),)))',
    )
    rule = rule.replace("import Finding", "import Edit, Finding, Fix")
    # What the fix changes in the rendering, for the fix guard (which withholds the rest).
    rule = rule.replace("DEFAULT = True", 'DEFAULT = True\nFIX_MAY_CHANGE = ("text:TODO|DONE",)')
    write(tmp_path / "myrules" / "todo.py", rule)
    (tmp_path / "listlint.toml").write_text('plugins = ["myrules"]\n')
    for unsafe, expected in ((False, applied_safe), (True, applied_unsafe)):
        path = write(tmp_path / "a.md", "# TODO\n")
        main(["fix", *(["--unsafe-fixes"] if unsafe else []), str(path)])
        assert path.read_text() == ("# DONE\n" if expected else "# TODO\n"), (declared, unsafe)


def test_duplicate_rule_code_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "myrules" / "clash.py", PLUGIN.replace("LL901", "LL101"))
    (tmp_path / "listlint.toml").write_text('plugins = ["myrules"]\n')
    path = write(tmp_path / "a.md", "# x\n")
    assert main(["check", str(path)]) == 2
    assert "duplicate rule 'LL101'" in capsys.readouterr().err


def test_a_rule_that_raises(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = PLUGIN.replace("    i = doc.text.find(options.word)", "    raise ValueError('boom')")
    write(tmp_path / "myrules" / "broken.py", broken)
    (tmp_path / "listlint.toml").write_text('plugins = ["myrules"]\n')
    path = write(tmp_path / "a.md", BAD_TABLE)
    assert main(["fix", str(path)]) == 2
    captured = capsys.readouterr()
    assert f"{path}: rule no-todo failed (a listlint bug): ValueError: boom" in captured.err
    assert "LL101" in captured.out  # the other rules still report
    assert path.read_text() == BAD_TABLE  # nothing written for that file


def test_symlink_is_followed_and_kept(tmp_path: Path) -> None:
    target = write(tmp_path / "real.md", BAD_TABLE)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["fix", str(link)]) == 0
    assert link.is_symlink()
    assert target.read_text() == "| a | b |\n|---|---|\n| 1 | |\n"


@pytest.mark.parametrize(
    "error",
    [PermissionError(13, "Permission denied"), OSError(28, "No space left on device")],
    ids=["read-only", "disk-full"],
)
def test_write_failures_leave_the_original(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: OSError,
) -> None:
    path = write(tmp_path / "a.md", BAD_TABLE)
    other = write(tmp_path / "b.md", BAD_TABLE)
    import listlint.runner

    real_fsync = os.fsync
    calls = []

    def failing_fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 1:
            raise error
        real_fsync(fd)

    monkeypatch.setattr(listlint.runner.os, "fsync", failing_fsync)
    assert main(["fix", "--jobs", "1", str(path), str(other)]) == 2
    assert f"{path}: not written: {error.strerror}" in capsys.readouterr().err
    assert path.read_text() == BAD_TABLE
    assert other.read_text() == "| a | b |\n|---|---|\n| 1 | |\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md", "listlint.toml"]


@pytest.mark.parametrize(
    ("race", "message", "left"),
    [
        ("edit", "changed on disk while it was being fixed; not written", "someone's edit\n"),
        ("remove", "not written: No such file or directory", None),
    ],
)
def test_file_changed_or_removed_between_read_and_write(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    race: str,
    message: str,
    left: str | None,
) -> None:
    path = write(tmp_path / "a.md", BAD_TABLE)
    import listlint.runner

    real_fix_text = listlint.runner.fix_text

    def racing_fix_text(*args: object, **kwargs: object) -> listlint.runner.Outcome:
        outcome = real_fix_text(*args, **kwargs)  # type: ignore[arg-type]
        if race == "edit":
            path.write_text("someone's edit\n")
        else:
            path.unlink()
        return outcome

    monkeypatch.setattr(listlint.runner, "fix_text", racing_fix_text)
    assert main(["fix", str(path)]) == 2
    assert f"{path}: {message}" in capsys.readouterr().err
    if left is None:
        assert not path.exists()
    else:
        assert path.read_text() == left


def test_jobs_give_the_same_report_in_the_same_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(6):
        write(tmp_path / f"f{i}.md", BAD_TABLE if i % 2 else GOOD_TABLE)
    write(tmp_path / "bad.md", b"\xff")
    serial = main(["check", "--jobs", "1", "."]), capsys.readouterr()
    parallel = main(["check", "--jobs", "2", "."]), capsys.readouterr()
    assert serial == parallel
    assert serial[0] == 2
    assert main(["fix", "--jobs", "2", "."]) == 2
    assert (tmp_path / "f1.md").read_text() == "| a | b |\n|---|---|\n| 1 | |\n"


def test_jobs_with_the_cache_and_files_of_every_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers get the largest files first and the cache's answers are taken in the parent:
    # the report is still that of --jobs 1, file by file in order.
    for i in range(7):
        body = "".join(
            f"- [E{n}](https://example.com/{n % (i + 2)}) - Entry.\n" for n in range(i**3)
        )
        write(tmp_path / f"f{i}.md", (BAD_TABLE if i % 2 else GOOD_TABLE) + "\n" + body)
    write(tmp_path / "bad.md", b"\xff")
    serial = main(["check", "--no-cache", "--jobs", "1", "."]), capsys.readouterr()
    assert main(["check", "--jobs", "2", "f1.md", "f4.md"]) == 1  # two in the cache
    capsys.readouterr()
    assert main(["check", "--jobs", "2", "."]) == serial[0]
    assert capsys.readouterr() == serial[1]
    import concurrent.futures

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("every file is in the cache: no worker is needed")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    assert main(["check", "--jobs", "2", "."]) == serial[0]
    assert capsys.readouterr() == serial[1]


def test_cross_file_duplicates_with_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "listlint.toml").write_text('[rules.duplicate-url]\nscope = "run"\n')
    write(tmp_path / "one.md", "- [A](https://example.com/a)\n")
    write(tmp_path / "two.md", "- [A again](http://www.example.com/a/)\n")
    for jobs in ("1", "2"):
        assert main(["check", "--jobs", jobs, "one.md", "two.md"]) == 1
        out = capsys.readouterr().out
        assert (
            "two.md:1:3: LL201 `http://www.example.com/a/` is already listed as `A` at line 1 of "
            "one.md" in out
        )
    (tmp_path / "listlint.toml").write_text("")
    assert main(["check", "one.md", "two.md"]) == 0


def test_result_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.md", BAD_TABLE)
    assert main(["check", str(path)]) == 1
    first = capsys.readouterr().out
    cache = tmp_path / ".listlint_cache"
    assert (cache / ".gitignore").read_text().endswith("*\n")
    import listlint.runner

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache should have answered")

    monkeypatch.setattr(listlint.runner, "check_text", boom)
    assert main(["check", str(path)]) == 1
    assert capsys.readouterr().out == first  # served from the cache, fix included
    monkeypatch.undo()
    monkeypatch.chdir(tmp_path)
    path.write_text(GOOD_TABLE)  # new content: linted again
    assert main(["check", str(path)]) == 0
    path.write_text(BAD_TABLE)
    (tmp_path / "listlint.toml").write_text('ignore = ["LL101"]\n')  # new config: new key
    assert main(["check", str(path)]) == 0
    (tmp_path / "listlint.toml").write_text("")
    entries = sorted(cache.rglob("*"))
    path.write_text(BAD_TABLE + "\n")
    assert main(["check", "--no-cache", str(path)]) == 1
    assert sorted(cache.rglob("*")) == entries  # --no-cache wrote nothing


def test_too_large_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import listlint.runner

    monkeypatch.setattr(listlint.runner, "MAX_BYTES", 2 * 2**20)
    big = write(tmp_path / "big.md", "x" * (3 * 2**20))
    other = write(tmp_path / "other.md", BAD_TABLE)
    assert main(["fix", "--jobs", "1", str(big), str(other)]) == 2
    err = capsys.readouterr().err
    assert f"error: {big}: 3 MiB is larger than listlint reads (2 MiB); not checked" in err
    assert other.read_text() != BAD_TABLE  # the other file was still fixed


def test_mixed_line_endings_survive_a_fix(tmp_path: Path) -> None:
    raw = "# T\r\n\n| a | b |\r|---|---|\n| 1 |\r\n| 2 |\n\ntail\r"
    path = write(tmp_path / "mixed.md", raw)
    assert main(["fix", "--select", "LL101", str(path)]) == 0
    assert path.read_bytes() == raw.replace("| 1 |", "| 1 | |").replace("| 2 |", "| 2 | |").encode()
