"""Real editors, headless, against `listlint server`, configured exactly as the README says:
diagnostics arrive, and saving applies source.fixAll.listlint. Each test is skipped when its
editor is not installed (CI installs none): Neovim 0.11 or later (``nvim`` on PATH, or
LISTLINT_NVIM), Emacs with eglot and markdown-mode (``emacs``, or LISTLINT_EMACS)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
EDITORS = HERE.parent / "editors"
TEXT = (
    "# List\n\n## Contents\n\n- [Tools](#tools)\n\n## Tools\n\n"
    "| Name | Year |\n|---|---|\n| A | 2020 | x |\n\n## More\n\nText.\n"
)
# toc's finding has a safe fix (saving adds the entry); table-column-count's is unsafe (kept).
FIXED = TEXT.replace("- [Tools](#tools)\n", "- [Tools](#tools)\n- [More](#more)\n")


def readme_block(language: str) -> str:
    readme = (HERE.parent / "README.md").read_text(encoding="utf-8")
    editors = readme[readme.index("\n## Editors\n") :]
    return editors.split(f"```{language}\n")[1].split("\n```", 1)[0]


def environment(out: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The `listlint` the README's configurations start: this checkout's.
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["LISTLINT_OUT"] = str(out)
    return env


def editor(variable: str, name: str) -> str | None:
    return os.environ.get(variable) or shutil.which(name)


def test_neovim_with_the_readme_configuration(tmp_path: Path) -> None:
    nvim = editor("LISTLINT_NVIM", "nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed")
    version = subprocess.run([nvim, "--version"], capture_output=True, text=True, check=True)
    major, minor = (int(x) for x in version.stdout.split()[1].lstrip("v").split(".")[:2])
    if (major, minor) < (0, 11):
        pytest.skip(f"vim.lsp.config needs Neovim 0.11 (found {major}.{minor})")
    (tmp_path / "init.lua").write_text(readme_block("lua"), encoding="utf-8")
    (tmp_path / "listlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.txt"
    drive = f"luafile {EDITORS / 'neovim' / 'drive.lua'}"
    subprocess.run(
        [nvim, "--headless", "-i", "NONE", "-n", "-u", "init.lua", "a.md", "-c", drive],
        cwd=tmp_path,
        env=environment(out),
        timeout=120,
        capture_output=True,
        check=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["5:1 LL404 listlint", "11:14 LL101 listlint", "client: listlint"]
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == FIXED


def test_emacs_eglot_with_the_readme_configuration(tmp_path: Path) -> None:
    emacs = editor("LISTLINT_EMACS", "emacs")
    if emacs is None:
        pytest.skip("Emacs is not installed")
    probe = (
        "(progn (require 'package) (package-initialize) (require 'eglot) (require 'markdown-mode))"
    )
    if subprocess.run([emacs, "--batch", "--eval", probe], capture_output=True).returncode:
        pytest.skip("Emacs has no eglot or markdown-mode")
    (tmp_path / "init.el").write_text(readme_block("elisp"), encoding="utf-8")
    (tmp_path / "listlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out.txt"
    subprocess.run(
        [emacs, "--batch", "-l", str(EDITORS / "emacs" / "drive.el"), "init.el", "a.md"],
        cwd=tmp_path,
        env=environment(out),
        timeout=120,
        capture_output=True,
        check=True,
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("5:1 listlint [LL404]: table of contents misses `More`")
    assert lines[1].startswith("11:14 listlint [LL101]: row has 3 cells")
    assert lines[2] == "eglot: managed"
    # The drive typed a line at the end before saving, so that there was something to save.
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == FIXED + "More text.\n"
