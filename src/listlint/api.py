"""The public functions that the rooms above the core use (the command line, the link
checker, the language server): build a job from configuration, lint a text, fix a text.

They never print and never exit; errors are exceptions (``SetupError``) or lines in the
result (``LintResult.errors``, ``Outcome.errors``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from listlint.lint import LintResult
from listlint.lint import lint_document as _lint_document
from listlint.lint import lint_text as _lint_text
from listlint.runner import Job, Outcome
from listlint.runner import fix_text as _fix_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.config import Config
    from listlint.document import Document

__all__ = [
    "Job",
    "JobFinder",
    "LintResult",
    "Outcome",
    "SetupError",
    "fix_text",
    "lint_document",
    "lint_text",
    "load_job",
]


class SetupError(Exception):
    """Configuration or rule-set problem: nothing can be checked. One line, naming the file."""


def load_job(
    start: Path,
    *,
    config_file: str | None = None,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    unsafe: bool = False,
    cache: bool = False,
    online: bool = False,
) -> tuple[Job, Config]:
    """The rules, options and cache of a run, from the configuration nearest ``start`` (a
    folder) or ``config_file``, and the selectors given on top of it. ``online``: the rules
    of ``listlint links`` instead of those of check and fix."""
    from listlint.config import ConfigError, find_config

    try:
        if config_file and not Path(config_file).is_file():
            raise ConfigError(_not_a_config(config_file))
        path = Path(config_file) if config_file else find_config(start)
    except ConfigError as exc:
        raise SetupError(str(exc)) from None
    return _build(path, start, select, extend_select, ignore, unsafe, cache, online)


def _build(
    path: Path | None,
    start: Path,
    select: Sequence[str],
    extend_select: Sequence[str],
    ignore: Sequence[str],
    unsafe: bool,
    cache: bool,
    online: bool = False,
) -> tuple[Job, Config]:
    from listlint.config import ConfigError, load_config, rule_options
    from listlint.registry import RuleError, load_rules, validate_selectors
    from listlint.registry import select as select_rules

    try:
        config = load_config(path)
        rules = load_rules(config.plugins)
        validate_selectors(
            config.select + config.extend_select + config.ignore, rules, config.where
        )
        for _, selectors in config.per_file_ignores:
            validate_selectors(selectors, rules, f"{config.where} (per-file-ignores)")
        validate_selectors((*select, *extend_select, *ignore), rules, "command line")
        chosen = select_rules(
            rules,
            tuple(select) or config.select,
            config.ignore + tuple(ignore),
            config.extend_select + tuple(extend_select),
            online=online,
        )
        options = rule_options(config, rules)
    except (ConfigError, RuleError) as exc:
        raise SetupError(str(exc)) from None
    root = config.root or start
    run_cache = None
    if cache and not os.environ.get("LISTLINT_NO_CACHE"):
        from listlint.cache import Cache

        run_cache = Cache(root, chosen, options, config.per_file_ignores)
    job = Job(chosen, options, unsafe, run_cache, config.per_file_ignores, str(root.absolute()))
    return job, config


def _not_a_config(name: str) -> str:
    """Why ``--config NAME`` cannot be read: missing, or not a file (``/dev/null``)."""
    if Path(name).exists():
        return f"{name}: not a regular file (--config names a TOML file)"
    return f"{name}: configuration file not found"


class JobFinder:
    """Jobs for the files of one run: each file gets the configuration nearest its folder
    (the nearest wins, as in ruff), or the one ``config_file`` names for every file; each
    configuration is loaded once. Raises SetupError as ``load_job`` does."""

    def __init__(
        self,
        *,
        config_file: str | None = None,
        select: Sequence[str] = (),
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        unsafe: bool = False,
        cache: bool = False,
        cwd: Path | None = None,
        online: bool = False,
    ) -> None:
        from listlint.config import ConfigFinder

        self._config_file = config_file
        self._args = (tuple(select), tuple(extend_select), tuple(ignore), unsafe, cache, online)
        self._cwd = cwd or Path.cwd()
        self._finder = ConfigFinder()
        self._jobs: dict[Path | None, tuple[Job, Config]] = {}

    def for_folder(self, folder: Path) -> tuple[Job, Config]:
        """The job (and configuration) for the files of ``folder``."""
        from listlint.config import ConfigError

        try:
            if self._config_file:
                if not Path(self._config_file).is_file():
                    raise ConfigError(_not_a_config(self._config_file))
                path: Path | None = Path(self._config_file)
            else:
                path = self._finder.find(folder)
        except ConfigError as exc:
            raise SetupError(str(exc)) from None
        if path not in self._jobs:
            self._jobs[path] = _build(path, self._cwd, *self._args)
        return self._jobs[path]

    def for_file(self, path: str | Path) -> tuple[Job, Config]:
        """The job for one file (its folder's)."""
        return self.for_folder(Path(os.path.abspath(path)).parent)


def lint_text(text: str, job: Job, path: str = "-") -> LintResult:
    """Every finding of the job's rules on ``text`` (suppression comments applied)."""
    return _lint_text(text, job.rules, job.options, path)


def lint_document(doc: Document, job: Job) -> LintResult:
    """``lint_text`` on a document already parsed: its views are reused, not rebuilt."""
    return _lint_document(doc, job.rules, job.options)


def fix_text(text: str, job: Job, path: str = "-") -> Outcome:
    """Fix ``text`` to a fixed point (unsafe fixes too when the job says so); the outcome
    holds the new text (``new_text``, None when nothing changed) and what remains."""
    return _fix_text(text, job, path)
