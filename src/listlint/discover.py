"""Which files a run checks: paths as given, folders searched for Markdown files.

Folders are searched recursively, skipping hidden folders, ``node_modules``, what the
configuration's ``exclude`` names and (unless told not to) what ``.gitignore`` files ignore,
as git reads them: every ``.gitignore`` from the top of the repository down, patterns
relative to their folder, a deeper file overriding a shallower one, plus
``.git/info/exclude``. A file named on the command line is checked even when excluded,
unless ``force_exclude`` (what pre-commit, which passes every changed file, needs).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from listlint.runner import InputError

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
STDIN = "-"
# Folders no curated list lives in, and where thousands of package READMEs do.
SKIPPED_FOLDERS = frozenset({"node_modules"})


def matches_exclude(path: Path, patterns: Sequence[str], root: Path | None) -> bool:
    """Does an ``exclude`` pattern (a glob on the path relative to the configuration's
    folder, a glob on the name, or a folder prefix) match ``path``?"""
    if not patterns:
        return False
    absolute = Path(os.path.abspath(path))
    base = Path(os.path.abspath(root)) if root else None
    rel = absolute.relative_to(base) if base and absolute.is_relative_to(base) else None
    posix = rel.as_posix() if rel is not None else path.as_posix().removeprefix("./")
    for pattern in patterns:
        prefix = pattern.rstrip("/")
        if (
            fnmatch.fnmatch(posix, pattern)
            or fnmatch.fnmatch(path.name, pattern)
            or posix == prefix
            or posix.startswith(prefix + "/")
        ):
            return True
    return False


class GitIgnore:
    """``.gitignore`` matching for folders under one or more roots, each file read once."""

    def __init__(self) -> None:
        self._specs: dict[Path, Any] = {}
        self._tops: dict[Path, Path | None] = {}

    def _top(self, folder: Path) -> Path | None:
        """The work tree that holds ``folder`` (the nearest folder with a ``.git``)."""
        if folder not in self._tops:
            parent = folder.parent
            if (folder / ".git").exists():
                self._tops[folder] = folder
            else:
                self._tops[folder] = None if parent == folder else self._top(parent)
        return self._tops[folder]

    def _spec(self, folder: Path, top: Path | None) -> Any:
        if folder not in self._specs:
            lines: list[str] = []
            sources = [folder / ".gitignore"]
            if folder == top:
                sources.insert(0, folder / ".git" / "info" / "exclude")
            for source in sources:
                try:
                    lines += source.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    continue
            spec = None
            if any(line.strip() and not line.startswith("#") for line in lines):
                import pathspec

                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs[folder] = spec
        return self._specs[folder]

    def ignored(self, path: Path, is_dir: bool, *, parents: bool = False) -> bool:
        """Is ``path`` ignored by the ``.gitignore`` files above it (up to the top of its
        repository; outside a repository, only the one in its own folder)? With
        ``parents``, also when a folder above it is ignored."""
        absolute = Path(os.path.abspath(path))
        if parents:
            top = self._top(absolute.parent)
            for folder in reversed(absolute.parents):
                inside = top is not None and folder.is_relative_to(top) and folder != top
                if inside and self.ignored(folder, True):
                    return True
        return self._decide(absolute, is_dir)

    def _decide(self, absolute: Path, is_dir: bool) -> bool:
        folder = absolute.parent
        top = self._top(folder)
        chain = [folder]
        if top is not None:
            while chain[-1] != top and chain[-1].parent != chain[-1]:
                chain.append(chain[-1].parent)
        for base in chain:  # the deepest .gitignore with an opinion wins
            spec = self._spec(base, top)
            if spec is None:
                continue
            rel = absolute.relative_to(base).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                return bool(result.include)
        return False


def collect(
    paths: Sequence[str],
    excluded: Callable[[Path], bool],
    *,
    respect_gitignore: bool = True,
    force_exclude: bool = False,
) -> Iterator[str | InputError]:
    """Markdown files named by ``paths``: files as given, folders searched, ``-`` for
    standard input; a missing path is an InputError."""
    from listlint.runner import InputError

    gitignore = GitIgnore() if respect_gitignore else None
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            if force_exclude and _skipped(path, True, excluded, gitignore, parents=True):
                continue
            yield from _walk(path, excluded, gitignore)
        elif path.exists() or path.is_symlink():
            if force_exclude and _skipped(path, False, excluded, gitignore, parents=True):
                continue
            yield raw
        else:
            yield InputError(f"{raw}: no such file or directory", raw)


def _skipped(
    path: Path,
    is_dir: bool,
    excluded: Callable[[Path], bool],
    gitignore: GitIgnore | None,
    *,
    parents: bool = False,
) -> bool:
    if excluded(path):
        return True
    return gitignore is not None and gitignore.ignored(path, is_dir, parents=parents)


def _walk(
    root: Path, excluded: Callable[[Path], bool], gitignore: GitIgnore | None
) -> Iterator[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_FOLDERS
            and not _skipped(Path(folder, d), True, excluded, gitignore)
        )
        for name in sorted(files):
            p = Path(folder, name)
            if (
                name.lower().endswith(MARKDOWN_SUFFIXES)
                and not _skipped(p, False, excluded, gitignore)
                and not _special(p)
            ):
                yield str(p)


def _special(path: Path) -> bool:
    """A named pipe, socket or device found in a folder (reading a pipe with no writer
    would wait for ever): not a Markdown file to check. A link with no target is kept,
    to be reported as missing."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False
