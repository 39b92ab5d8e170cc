"""Issue 15, items 8 and 10: which files a run checks (a warning when none, .gitignore,
files named on the command line, --force-exclude) and which configuration each file gets
(the nearest to the file, as ruff; --stdin-filename). Through ``main``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from listlint.api import JobFinder, load_job
from listlint.cli import main

HTTP = "# T\n\n- [x](http://github.com/a/b) - X.\n"


def write(path: Path, text: str = HTTP) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    (root / "listlint.toml").write_text("")
    monkeypatch.chdir(root)
    return root


def test_a_warning_when_no_markdown_file_is_found(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "empty").mkdir()
    write(project / "notes.txt")
    assert main(["check", "empty"]) == 0
    out, err = capsys.readouterr()
    assert err == "warning: no Markdown file found (nothing was checked)\n"
    assert "No problems found" not in out
    assert main(["check", "--output-format", "json", "empty"]) == 0
    out, err = capsys.readouterr()
    assert out == "[]\n" and "no Markdown file found" in err


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def test_gitignore_is_respected_in_folders(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git_init(project)
    (project / ".gitignore").write_text("build/\n/generated.md\n*.tmp.md\n")
    write(project / "README.md")
    write(project / "build" / "out.md")
    write(project / "generated.md")
    write(project / "docs" / "generated.md")  # /generated.md is anchored at the top
    write(project / "docs" / "x.tmp.md")
    write(project / "node_modules" / "pkg" / "README.md")  # never searched
    write(project / "docs" / "keep" / ".gitignore", "!*.tmp.md\n")  # a deeper file wins
    write(project / "docs" / "keep" / "y.tmp.md")
    write(project / ".git" / "info" / "exclude", "private.md\n")  # git's own exclude file
    write(project / "docs" / "private.md")
    assert main(["check", "--no-cache", "."]) == 1
    out = capsys.readouterr().out
    found = sorted({line.split(":")[0] for line in out.splitlines() if ":3:7:" in line})
    assert found == ["README.md", "docs/generated.md", "docs/keep/y.tmp.md"]
    # Searching a subfolder still reads the .gitignore files above it, up to the top.
    write(project / "docs" / "build" / "z.md")
    assert main(["check", "--no-cache", "docs"]) == 1
    out = capsys.readouterr().out
    assert "docs/build/z.md" not in out and "docs/x.tmp.md" not in out
    assert "docs/generated.md:3:7" in out
    assert main(["check", "--no-cache", "--no-respect-gitignore", "."]) == 1
    out = capsys.readouterr().out
    assert "build/out.md:3:7" in out and "node_modules" not in out


def test_a_file_named_is_checked_even_if_excluded_unless_force_exclude(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _git_init(project)
    (project / ".gitignore").write_text("ignored.md\nbuild/\n")
    (project / "listlint.toml").write_text('exclude = ["vendor"]\n')
    named = [
        write(project / "ignored.md"),
        write(project / "build" / "a.md"),
        write(project / "vendor" / "b.md"),
    ]
    args = ["check", "--no-cache", *(str(p.relative_to(project)) for p in named)]
    assert main(args) == 1
    out = capsys.readouterr().out
    for path in named:
        assert f"{path.relative_to(project)}:3:7: LL205" in out
    # pre-commit passes every changed file: --force-exclude keeps the exclusions.
    assert main([*args[:2], "--force-exclude", *args[2:]]) == 0
    _, err = capsys.readouterr()
    assert "no Markdown file found" in err
    assert main(["check", "--no-cache", "--force-exclude", "vendor"]) == 0
    assert main(["check", "--no-cache", "."]) == 0  # a folder search excludes them all


def test_configuration_is_found_from_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    write(project / "pyproject.toml", '[tool.listlint]\nignore = ["link-http"]\n')
    write(project / "a.md")
    write(project / "sub" / "listlint.toml", "")  # the nearest wins: nothing ignored here
    write(project / "sub" / "b.md")
    write(project / "sub" / "vendor" / "c.md")
    write(project / "sub" / "listlint.toml", 'exclude = ["vendor"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no configuration here, nor above
    assert main(["check", "--no-cache", str(project / "a.md")]) == 0
    assert main(["check", "--no-cache", str(project)]) == 1
    out = capsys.readouterr().out
    assert f"{project / 'sub' / 'b.md'}:3:7: LL205" in out
    assert "a.md" not in out
    assert "vendor" not in out  # excluded relative to sub/, the configuration's folder
    # --config names one configuration for every file.
    cfg = write(elsewhere / "strict.toml", "")
    assert main(["check", "--no-cache", "--config", str(cfg), str(project / "a.md")]) == 1
    # A relative --config: its exclude is relative to its own folder.
    write(elsewhere / "lists" / "skip" / "x.md")
    write(elsewhere / "lists" / "y.md")
    cfg.write_text('exclude = ["lists/skip"]\n')
    capsys.readouterr()
    assert main(["check", "--no-cache", "--config", "strict.toml", "lists"]) == 1
    out = capsys.readouterr().out
    assert "lists/y.md:3:7" in out and "skip" not in out


def test_a_bad_nested_configuration_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "good.md")
    write(project / "sub" / "listlint.toml", "colour = 1\n")
    write(project / "sub" / "b.md")
    assert main(["check", "--no-cache", "."]) == 2
    err = capsys.readouterr().err
    assert "sub/listlint.toml: unknown key 'colour'" in err
    assert len(err.splitlines()) == 1


def test_stdin_filename(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project / "docs" / "listlint.toml", 'ignore = ["link-http"]\n')
    write(project / "docs" / "other.md", "# Other\n")
    text = "# T\n\n- [x](http://github.com/a/b) - X.\n- [o](other.md)\n- [m](missing.md)\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    write(project / "docs" / "list.md", text)  # an editor's buffer of this file
    assert main(["check", "--stdin-filename", "docs/list.md", "-"]) == 1
    out = capsys.readouterr().out
    # Named as the file, relative links checked from its folder, its configuration used.
    assert "docs/list.md:5:7: LL208 `missing.md` does not exist" in out
    assert "other.md" not in out and "LL205" not in out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9\n")))
    assert main(["check", "--stdin-filename", "docs/list.md", "-"]) == 2
    assert "error: docs/list.md: not valid UTF-8" in capsys.readouterr().err


def test_load_job_and_job_finder_for_other_commands(project: Path) -> None:
    write(project / "sub" / "listlint.toml", 'ignore = ["LL2"]\n')
    job, config = load_job(project / "sub")
    assert config.source == project / "sub" / "listlint.toml"
    assert not any(r.code.startswith("LL2") for r in job.rules)
    finder = JobFinder()
    top, _ = finder.for_file(project / "a.md")
    inner, _ = finder.for_file(project / "sub" / "deep" / "b.md")
    assert inner is finder.for_folder(project / "sub")[0]  # loaded once, shared
    assert any(r.code == "LL205" for r in top.rules)
    assert not any(r.code == "LL205" for r in inner.rules)
