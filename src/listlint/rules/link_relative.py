"""Checks for relative links to files that do not exist in the repository."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from listlint.diagnostic import Finding
from listlint.lazyre import lazy
from listlint.registry import NoOptions
from listlint.rules.link_url_form import SCHEMELESS, scheme_typo
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.links import Link

NAME = "link-relative"
CODE = "LL208"
SUMMARY = "Relative link points to a file that does not exist"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
SCOPE = "document"

_SCHEME = lazy(r"[A-Za-z][A-Za-z0-9+.-]*:")


Options = NoOptions


def _repository_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _targets(doc: Document) -> Iterator[tuple[Link, str, Path]]:
    """Each relative link with its path as written and the file it must reach."""
    # This rule reads the file system (does the target exist?); it is the one rule that
    # looks beyond the document, and does nothing for standard input without a name. A
    # named document is resolved from its folder whether or not it exists yet (an
    # editor's unsaved buffer, `--stdin-filename docs/new.md`).
    if doc.path in ("-", "<stdin>"):
        return
    base = Path(doc.path).resolve().parent
    root: Path | None = None
    for link in urls_of(doc).odd:  # a plain web URL has a scheme: never relative
        if link.kind not in ("inline", "definition"):
            continue
        url = link.url.strip()
        if not url or url.startswith(("#", "//")) or _SCHEME.match(url):
            continue
        if SCHEMELESS.fullmatch(url) or scheme_typo(url):
            continue  # a host without a scheme, or `http//host`: link-url-form reports it
        path = unquote(url.split("#", 1)[0].split("?", 1)[0])
        if not path or (
            "." in path.split("/")[0] and "/" not in path.rstrip("/") and (path.count(".") > 1)
        ):
            continue
        if path.startswith("/"):
            root = root or _repository_root(base)
            target = root / path.lstrip("/")
        else:
            # `..` is taken away lexically, as a browser resolves the link's URL (and so
            # that a folder not created yet may be climbed out of).
            target = Path(os.path.normpath(base / path))
        yield link, path, target


def check(doc: Document, options: Options) -> Iterator[Finding]:
    for link, path, target in _targets(doc):
        if not target.exists():
            where = "the repository" if path.startswith("/") else "this file"
            yield Finding(
                link.url_start, link.url_end, f"`{path}` does not exist (relative to {where})"
            )


def files_checked(doc: Document, options: Options) -> list[str]:
    """The files whose existence the findings depend on (the result cache checks them
    again before it answers for an unchanged document)."""
    return sorted({str(target) for _, _, target in _targets(doc)})
