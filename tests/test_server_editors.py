"""Real editors, headless, against `listlint server`, configured exactly as the README says:
diagnostics arrive, and saving applies source.fixAll.listlint. Each test is skipped when its
editor is not installed (CI installs none): Neovim 0.11 or later (``nvim`` on PATH, or
LISTLINT_NVIM), Emacs with eglot and markdown-mode (``emacs``, or LISTLINT_EMACS), VS Code as
code-server with Chromium (LISTLINT_CODE_SERVER, LISTLINT_CHROMIUM; editors/vscode built with
``npm ci``), Helix with tmux (``hx``, or LISTLINT_HX). editors/vscode/install-code-server.sh
and editors/helix/install-hx.sh install the last two on Debian 12."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
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


# VS Code: code-server (VS Code in a browser, the npm package `code-server`) with the
# extension in editors/vscode built from its lockfile, driven in headless Chromium by
# editors/vscode/drive.js (playwright-core, one of the extension's devDependencies).
# A second table, well formed but not aligned, shows formatOnSave at work too.
VSCODE_TEXT = TEXT.replace("Text.\n", "| Model | Year |\n|---|---|\n| Llama 3 | 2024 |\n\nText.\n")
VSCODE = EDITORS / "vscode"


def test_vscode_code_server_with_the_readme_settings(tmp_path: Path) -> None:
    code_server = editor("LISTLINT_CODE_SERVER", "code-server")
    chromium = editor("LISTLINT_CHROMIUM", "chromium")
    node = shutil.which("node")
    vsce = VSCODE / "node_modules" / ".bin" / "vsce"
    if code_server is None or chromium is None or node is None:
        pytest.skip("code-server, Chromium or Node.js is not installed")
    if not (vsce.exists() and (VSCODE / "node_modules" / "playwright-core").is_dir()):
        pytest.skip("editors/vscode is not built (cd editors/vscode && npm ci)")
    env = environment(tmp_path / "out.txt")
    # code-server's own files stay in tmp_path (its configuration, data and logs).
    env.update(XDG_CONFIG_HOME=str(tmp_path / "xdg"), XDG_DATA_HOME=str(tmp_path / "xdg"))
    env["CHROMIUM"] = chromium
    vsix = tmp_path / "listlint.vsix"
    # The README's build step: `npm run package` is `vsce package`, here into tmp_path.
    subprocess.run(
        [str(vsce), "package", "--out", str(vsix)],
        cwd=VSCODE,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=True,
    )
    dirs = ["--user-data-dir", str(tmp_path / "data"), "--extensions-dir", str(tmp_path / "ext")]
    subprocess.run(
        [code_server, *dirs, "--install-extension", str(vsix)],
        env=env,
        capture_output=True,
        timeout=120,
        check=True,
    )
    # The README's settings.json; VS Code starts the server with the PATH of a login
    # shell, which has no virtual environment on it, so listlint.path names this one's.
    # code-server, like VS Code for the Web, saves after a delay by default (desktop VS Code
    # does not), and such a save runs no code action: the README says to turn it off.
    listlint = Path(sys.executable).parent / "listlint"
    settings = readme_block("json").replace(
        '"listlint.path": "listlint",',
        f'"listlint.path": "{listlint}",\n  "files.autoSave": "off",',
    )
    (tmp_path / "data" / "User").mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "User" / "settings.json").write_text(settings, encoding="utf-8")
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "listlint.toml").write_text("", encoding="utf-8")
    (folder / "a.md").write_text(VSCODE_TEXT, encoding="utf-8")
    options = ["--auth", "none", "--bind-addr", "127.0.0.1:0", "--disable-telemetry"]
    options += ["--disable-update-check", "--disable-workspace-trust"]
    options += ["--config", str(tmp_path / "config.yaml")]
    log = tmp_path / "code-server.log"
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [code_server, *dirs, *options, str(folder)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = None
        for _ in range(600):  # `... HTTP server listening on http://127.0.0.1:PORT/`
            said = log.read_text(encoding="utf-8", errors="replace")
            if "HTTP server listening on " in said:
                url = said.split("HTTP server listening on ")[1].split()[0].rstrip("/")
                break
            if server.poll() is not None:
                break
            time.sleep(0.1)
        assert url, f"code-server did not start: {log.read_text(errors='replace')}"
        drive = subprocess.run(
            [node, str(VSCODE / "drive.js"), url, str(folder), "a.md", str(tmp_path / "out.txt")],
            cwd=VSCODE,
            env=env,
            timeout=240,
            capture_output=True,
            text=True,
        )
        assert drive.returncode == 0, drive.stderr
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    lines = (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines()
    assert lines == ["5:1 LL404 listlint", "11:14 LL101 listlint", "saved"]
    # What saving did is what `listlint fix` does to the same text (codeActionsOnSave),
    # then Format Document (formatOnSave: tables aligned as table-format aligns them).
    expected = tmp_path / "cli" / "a.md"
    expected.parent.mkdir()
    (expected.parent / "listlint.toml").write_text("", encoding="utf-8")
    expected.write_text(VSCODE_TEXT + "More text.\n", encoding="utf-8")
    aligned = tmp_path / "aligned.toml"
    aligned.write_text('[rules.table-format]\nstyle = "aligned"\n', encoding="utf-8")
    cli = [sys.executable, "-m", "listlint"]
    for options in [[], ["--config", str(aligned), "--select", "table-format"]]:
        run = subprocess.run([*cli, "fix", *options, str(expected)], capture_output=True)
        assert run.returncode in (0, 1), run.stderr
    saved = (folder / "a.md").read_text(encoding="utf-8")
    assert saved == expected.read_text(encoding="utf-8")
    assert "- [More](#more)\n" in saved and "| ------- | ---- |\n" in saved
    assert "| A | 2020 | x |\n" in saved  # the unsafe fix is never applied on save


def test_helix_with_the_readme_languages_toml(tmp_path: Path) -> None:
    hx = editor("LISTLINT_HX", "hx")
    tmux = shutil.which("tmux")
    if hx is None or tmux is None:
        pytest.skip("Helix (hx) or tmux is not installed")
    # Helix reads languages.toml from its configuration folder: the README's, as written.
    env = environment(tmp_path / "out.txt")
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME"):
        env[name] = str(tmp_path / name.lower())
    (tmp_path / "xdg_config_home" / "helix").mkdir(parents=True)
    languages = tmp_path / "xdg_config_home" / "helix" / "languages.toml"
    languages.write_text(readme_block("toml"), encoding="utf-8")
    (tmp_path / "listlint.toml").write_text("", encoding="utf-8")
    (tmp_path / "a.md").write_text(TEXT, encoding="utf-8")
    # Helix is a terminal program: it runs in a tmux of its own, keys are typed with
    # send-keys and the screen is read with capture-pane.
    sock = str(tmp_path / "tmux")
    tmux_cmd = [tmux, "-S", sock, "-f", os.devnull]

    def keys(*typed: str) -> None:
        subprocess.run([*tmux_cmd, "send-keys", *typed], check=True, timeout=30)

    def screen_when(wanted: str) -> str:
        screen = ""
        for _ in range(600):
            screen = subprocess.run(
                [*tmux_cmd, "capture-pane", "-p"], capture_output=True, text=True, timeout=30
            ).stdout
            if wanted in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"never on the screen: {wanted!r}\n{screen}")

    start = [*tmux_cmd, "new-session", "-d", "-x", "160", "-y", "40", f"{hx} a.md"]
    subprocess.run(start, cwd=tmp_path, env=env, check=True, timeout=30)
    try:
        # The status line counts one error and one warning once the diagnostics arrive.
        screen_when("● 1 ● 1")
        keys("Space", "d")  # the document's diagnostics picker
        picker = screen_when("LL101")
        # Helix 25.07 shows each one's source too (listlint), 25.01 does not.
        assert re.search(r"WARN +(listlint )?LL404 table of contents misses `More`", picker)
        assert re.search(r"ERROR +(listlint )?LL101 row has 3 cells but the header has 2", picker)
        keys("Escape")
        # ]d selects the next diagnostic's range; Alt-; puts the cursor at its start, which
        # the status line shows as line:column (after `1 sel`).
        for place in ("5:1", "11:14"):
            keys("]", "d", "M-\\;")  # tmux reads a trailing ; as its command separator
            screen_when(f" sel  {place}\n")
        keys(":w", "Enter")  # auto-format: the server applies the safe fixes as it formats
        screen_when("'a.md' written")
        keys(":q", "Enter")
    finally:
        subprocess.run([*tmux_cmd, "kill-server"], capture_output=True, timeout=30)
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == FIXED
