"""Shared test helpers: run rules on text, fix to a fixed point, compare rendering."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint.config import Config, rule_options
from listlint.diagnostic import Diagnostic
from listlint.fix import fix_to_fixed_point
from listlint.github import render_html
from listlint.lint import lint_text
from listlint.registry import Rule, load_rules, select

if TYPE_CHECKING:
    import pytest


@cache
def all_rules() -> tuple[Rule, ...]:
    return tuple(load_rules(entry_points=False))


def rules_named(*names: str) -> list[Rule]:
    return select(all_rules(), names, ())


def default_rules() -> list[Rule]:
    return select(all_rules(), (), ())


def options_for(rule_config: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    return rule_options(Config(rules=rule_config or {}), all_rules())


def check(
    text: str, *names: str, config: dict[str, dict[str, Any]] | None = None, path: str = "-"
) -> list[Diagnostic]:
    rules = rules_named(*names) if names else default_rules()
    result = lint_text(text, rules, options_for(config), path)
    assert result.errors == []
    return result.diagnostics


def fix(
    text: str,
    *names: str,
    unsafe: bool = False,
    config: dict[str, dict[str, Any]] | None = None,
    path: str = "-",
) -> str:
    rules = rules_named(*names) if names else default_rules()
    opts = options_for(config)

    def lint(t: str) -> list[Diagnostic]:
        result = lint_text(t, rules, opts, path)
        assert result.errors == []
        return result.diagnostics

    out, _ = fix_to_fixed_point(text, lint, unsafe=unsafe)
    return out


def html(text: str) -> str:
    """GitHub's rendering (cmark-gfm) with insignificant whitespace between tags collapsed:
    the judge of "a safe fix keeps the rendering" (issue 14)."""
    return re.sub(r">\s+<", "><", render_html(text)).strip()


def report_lines(diagnostics: list[Diagnostic]) -> list[str]:
    return [f"{d.line}:{d.column} {d.code} {d.message}" for d in diagnostics]


def git(cwd: Path, *args: str) -> str:
    """Run git with a fixed identity; return its output."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


_OUR_COMMENTS = re.compile(r"\s*<!-- listlint-[^>]*-->\s*")
_AROUND_TAGS = re.compile(r"\s*(<[^>]*>)\s*")


def html_without_suppressions(text: str) -> str:
    """The rendering with listlint's own comments (and the blank space around tags) removed:
    what must not change when suppression comments are added."""
    return _AROUND_TAGS.sub(r"\1", _OUR_COMMENTS.sub("", html(text)))


def write(path: Path, text: str | bytes) -> Path:
    """Write ``text`` (UTF-8 when a string) to ``path``, making its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def isolate_cli(tmp_path: Path, monkeypatch: Any) -> None:
    """Run the command line in ``tmp_path`` with an empty configuration of its own (none
    from the repository above leaks in) and no colour or diff-base variables set."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")
    for name in ("NO_COLOR", "FORCE_COLOR", "LISTLINT_DIFF_BASE"):
        monkeypatch.delenv(name, raising=False)


def watch_renderings(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Counter[tuple[str, bool]], list[tuple[str, bool]]]:
    """Count every rendering cmark-gfm makes, by (body, with positions), and record every
    rendering started ahead, as (text, with positions); the memo is cleared first, so that
    what a test asks for is made, not remembered."""
    import listlint.github

    original = listlint.github._render
    made: Counter[tuple[str, bool]] = Counter()

    def counting(body: str, sourcepos: bool) -> str:
        made[body, sourcepos] += 1
        return original(body, sourcepos)

    started: list[tuple[str, bool]] = []
    prefetch = listlint.github.prefetch

    def recording(text: str, *, sourcepos: bool = False) -> Any:
        started.append((text, sourcepos))
        return prefetch(text, sourcepos=sourcepos)

    monkeypatch.setattr(listlint.github, "_render", counting)
    monkeypatch.setattr(listlint.github, "prefetch", recording)
    listlint.github._memo.clear()
    return made, started
