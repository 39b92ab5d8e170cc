"""The GitHub Action's steps, run locally the way the runner runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import git
from pytest_httpserver import HTTPServer

ROOT = Path(__file__).parent.parent


def test_action_manifest_names_existing_scripts() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "config", "diff-base", "links", "version"}
    for step in action["runs"]["steps"]:
        script = step["run"].split("/ci/")[1].split('"')[0]
        path = ROOT / "ci" / script
        assert path.exists()
        subprocess.run(["bash", "-n", str(path)], check=True)


def _run_step(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, **env}
    # python3 on PATH must be the one with listlint installed, as after the install step.
    shim = repo.parent / "bin"
    shim.mkdir(exist_ok=True)
    wrapper = shim / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    full["PATH"] = f"{shim}:{full['PATH']}"
    return subprocess.run(
        ["bash", str(ROOT / "ci" / "action-run.sh")],
        cwd=repo,
        env=full,
        capture_output=True,
        text=True,
    )


def test_run_step_annotates_only_the_pull_requests_lines(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "listlint.toml").write_text("")
    (repo / "list.md").write_text("| a | b |\n|---|---|\n| old |\n")
    (repo / "other.md").write_text("| a | b |\n|---|---|\n| untouched |\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    (repo / "list.md").write_text("| a | b |\n|---|---|\n| old |\n| new |\n")
    run = _run_step(repo, INPUT_DIFF_BASE=base, INPUT_PATHS="", INPUT_CONFIG="")
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("::error file=list.md,line=4,col=3,")
    assert "line=3" not in run.stdout and "other.md" not in run.stdout
    git(repo, "commit", "-qam", "the pull request")
    clean = _run_step(repo, INPUT_DIFF_BASE=git(repo, "rev-parse", "HEAD"), INPUT_PATHS="")
    assert clean.returncode == 0 and "no Markdown file changed" in clean.stdout
    explicit = _run_step(
        repo, INPUT_DIFF_BASE="", INPUT_PATHS="other.md", INPUT_CONFIG="listlint.toml"
    )
    assert explicit.returncode == 1 and "other.md,line=3" in explicit.stdout


def test_run_step_keeps_non_ascii_file_names(tmp_path: Path) -> None:
    # Issue 15, item 11: git quotes such names ("\344\270\255\346\226\207.md") unless told
    # not to; the step reads NUL-separated, unquoted names.
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "listlint.toml").write_text("")
    (repo / "README.md").write_text("# Readme\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    names = ["中文.md", "with space.md", 'quote"d.md']
    for name in names:
        (repo / name).write_text("| a | b |\n|---|---|\n| new |\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "the pull request adds lists")
    run = _run_step(repo, INPUT_DIFF_BASE=base, INPUT_PATHS="", INPUT_CONFIG="")
    assert run.returncode == 1, run.stderr
    assert "no such file" not in run.stderr
    for name in names:
        escaped = name.replace(",", "%2C").replace(":", "%3A")
        assert f"::error file={escaped},line=3,col=3," in run.stdout, run.stdout


def test_install_step_installs_a_commit_of_the_repository(tmp_path: Path) -> None:
    # `version` is a commit or tag of the action's repository (listlint is not on PyPI);
    # the step is run with pip replaced by a recorder, on the runner's variables.
    shim = tmp_path / "bin"
    shim.mkdir()
    log = tmp_path / "pip-args"
    (shim / "python3").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{log}"\n')
    (shim / "python3").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shim}:{os.environ['PATH']}",
        "LISTLINT_VERSION": "0123abc",
        "ACTION_REPOSITORY": "listlint/listlint",
        "SERVER_URL": "https://github.com",
        "ACTION_PATH": str(ROOT),
    }
    subprocess.run(["bash", str(ROOT / "ci" / "action-install.sh")], env=env, check=True)
    last = log.read_text().splitlines()[-1]
    assert last == "listlint @ git+https://github.com/listlint/listlint@0123abc"
    env["INPUT_LINKS"] = "true"  # the `links` input adds the HTTP client
    subprocess.run(["bash", str(ROOT / "ci" / "action-install.sh")], env=env, check=True)
    last = log.read_text().splitlines()[-1]
    assert last == "listlint[links] @ git+https://github.com/listlint/listlint@0123abc"
    env["LISTLINT_VERSION"] = ""
    subprocess.run(["bash", str(ROOT / "ci" / "action-install.sh")], env=env, check=True)
    assert log.read_text().splitlines()[-1] == f"{ROOT}[links]"
    env["INPUT_LINKS"] = "false"
    subprocess.run(["bash", str(ROOT / "ci" / "action-install.sh")], env=env, check=True)
    assert log.read_text().splitlines()[-1] == str(ROOT)


def test_run_step_with_links_checks_the_added_links_online(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    # The `links` input: after the offline check, `listlint links` on the same lines; only
    # the link the pull request adds is requested (a loopback server started here).
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/old").respond_with_data("ok")
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "listlint.toml").write_text("[links]\nretries = 0\ntimeout = 5\n")
    old = f"# Tools\n\n- [Old]({httpserver.url_for('/old')}) - Old.\n"
    (repo / "list.md").write_text(old)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    (repo / "list.md").write_text(old + f"- [Gone]({httpserver.url_for('/gone')}) - Gone.\n")
    run = _run_step(repo, INPUT_DIFF_BASE=base, INPUT_PATHS="", INPUT_LINKS="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "::error file=list.md,line=4," in run.stdout and "LL601" in run.stdout
    # HEAD, then a GET confirming the 404; /old is not on a changed line, so never asked.
    assert {r.path for r, _ in httpserver.log} == {"/gone"}
    offline = _run_step(repo, INPUT_DIFF_BASE=base, INPUT_PATHS="", INPUT_LINKS="false")
    assert offline.returncode == 0 and "LL601" not in offline.stdout
