"""The hooks in .pre-commit-hooks.yaml, installed and run for real by pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    e = dict(os.environ)
    e.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.org",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.org",
    )
    return e


def _repo(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "list"
    repo.mkdir()
    _git(repo, "init", "-q")
    for name, text in files.items():
        (repo / name).write_text(text)
    _git(repo, "add", ".")
    return repo


def _try_repo(repo: Path, env: dict[str, str], hook: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_manifest_is_valid() -> None:
    subprocess.run(
        [*PRE_COMMIT, "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], check=True
    )


def test_check_hook_fails_on_a_bad_file_and_passes_on_a_good_one(
    tmp_path: Path, env: dict[str, str]
) -> None:
    files = {
        "list.md": "| a | b |\n|---|---|\n| 1 |\n",
        "notes.txt": "| x |\n",
        # pre-commit names every file; the hook passes --force-exclude, so the
        # configuration's exclude still holds.
        "listlint.toml": 'exclude = ["vendored.md"]\n',
        "vendored.md": "| a | b |\n|---|---|\n| 1 |\n",
    }
    repo = _repo(tmp_path, files)
    bad = _try_repo(repo, env, "listlint")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "list.md:3:3: LL101" in bad.stdout
    assert "vendored.md" not in bad.stdout
    (repo / "list.md").write_text("| a | b |\n|---|---|\n| 1 | 2 |\n")
    _git(repo, "add", ".")
    good = _try_repo(repo, env, "listlint")
    assert good.returncode == 0, good.stdout + good.stderr


def test_fix_hook_rewrites_the_file(tmp_path: Path, env: dict[str, str]) -> None:
    repo = _repo(tmp_path, {"list.md": "| a | b |\n|---|---|\n| 1 |\n"})
    run = _try_repo(repo, env, "listlint-fix")
    assert run.returncode == 1, run.stdout + run.stderr  # pre-commit fails: files were modified
    assert "files were modified by this hook" in run.stdout
    assert (repo / "list.md").read_text() == "| a | b |\n|---|---|\n| 1 | |\n"


def test_catalog_hook_finds_duplicates_across_files(tmp_path: Path, env: dict[str, str]) -> None:
    repo = _repo(
        tmp_path,
        {
            "listlint.toml": '[rules.duplicate-url]\nscope = "run"\n',
            "a.md": "- [A](https://example.com/a)\n",
            "b.md": "- [A again](http://www.example.com/a/)\n",
        },
    )
    run = _try_repo(repo, env, "listlint-catalog")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "b.md:1:3: LL201" in run.stdout and "of a.md" in run.stdout


def test_installed_hooks_run_on_given_files(tmp_path: Path, env: dict[str, str]) -> None:
    repo = _repo(tmp_path, {"good.md": "# Good\n", "bad.md": "| a | b |\n|---|---|\n| 1 |\n"})
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {_head()}\n  hooks:\n  - id: listlint\n"
    )
    _git(repo, "add", ".")
    good = _run_files(repo, env, "good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = _run_files(repo, env, "bad.md")
    assert bad.returncode == 1 and "bad.md:3:3: LL101" in bad.stdout


def _head() -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def _run_files(repo: Path, env: dict[str, str], name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PRE_COMMIT, "run", "--files", name],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
