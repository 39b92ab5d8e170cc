"""Checks for a URL that is already linked earlier in the list, under any spelling."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Literal, NamedTuple

from listlint.diagnostic import Edit, Finding, Fix
from listlint.urlnorm import NormOptions, url_key

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.links import Link

NAME = "duplicate-url"
CODE = "LL201"
SUMMARY = "URL is already linked earlier in the list"
SEVERITY = "warning"
DEFAULT = True
FIX = "unsafe"
FIX_MAY_CHANGE = ("entry-removal",)  # (unsafe) the later entry


class Options(NamedTuple):
    """The options of duplicate-url, from [rules.duplicate-url] in the configuration."""

    allow: tuple[str, ...] = ()
    scope: Literal["file", "run"] = "file"
    ignore_fragments: bool = False
    sort_query: bool = False
    drop_tracking: bool = False
    case_insensitive_hosts: tuple[str, ...] = ()
    remove_directory_index: bool = False
    fold_forges: bool = False
    arxiv_versions: bool = False

    def norm(self) -> NormOptions:
        return NormOptions(
            sort_query=self.sort_query,
            drop_tracking=self.drop_tracking,
            ignore_fragments=self.ignore_fragments,
            case_insensitive_hosts=tuple(h.lower() for h in self.case_insensitive_hosts),
            remove_directory_index=self.remove_directory_index,
            fold_forges=self.fold_forges,
            arxiv_versions=self.arxiv_versions,
        )


class _Seen(NamedTuple):
    doc: Document
    link: Link
    entry: int


def check(doc: Document, options: Options) -> Iterator[Finding]:
    yield from _definitions(doc, options)
    if options.scope == "file":
        yield from (f for _, f in _duplicates([doc], options))


def runs_across_files(options: Options) -> bool:
    return options.scope == "run"


def check_run(docs: Sequence[Document], options: Options) -> Iterator[tuple[Document, Finding]]:
    """With ``scope = "run"``: duplicates across every file of one run."""
    if options.scope == "run":
        yield from _duplicates(docs, options)


def _allowed(url: str, key: str, options: Options) -> bool:
    return any(fnmatch.fnmatchcase(url, p) or fnmatch.fnmatchcase(key, p) for p in options.allow)


def _occurrences(doc: Document, options: Options) -> Iterator[tuple[str, Link, int]]:
    norm = options.norm()
    entry_of = doc.structure.entry_of
    for link in doc.links:
        if link.image:
            continue
        key = url_key(link.url, norm)
        if key is None or _allowed(link.url, key, options):
            continue
        yield key, link, entry_of(link.line)


def _duplicates(docs: Sequence[Document], options: Options) -> Iterator[tuple[Document, Finding]]:
    first: dict[str, _Seen] = {}
    reported: set[tuple[int, int, str]] = set()
    for doc in docs:
        for key, link, entry in _occurrences(doc, options):
            seen = first.get(key)
            if seen is None:
                first[key] = _Seen(doc, link, entry)
                continue
            if seen.doc is doc and seen.entry == entry:
                continue  # [abs] [pdf] or [paper] [code] inside one entry
            if (id(doc), entry, key) in reported:
                continue
            reported.add((id(doc), entry, key))
            where = f"line {seen.link.line + 1}"
            if seen.doc is not doc:
                where += f" of {seen.doc.path}"
            yield (
                doc,
                Finding(
                    link.start,
                    link.end,
                    f"`{link.url}` is already linked at {where}",
                    _remove_entry(doc, link, entry) if seen.doc is doc else None,
                ),
            )


def _definitions(doc: Document, options: Options) -> Iterator[Finding]:
    norm = options.norm()
    first: dict[str, Link] = {}
    for d in doc.links.definitions:
        key = url_key(d.url, norm)
        if key is None or _allowed(d.url, key, options):
            continue
        earlier = first.setdefault(key, d)
        if earlier is not d:
            yield Finding(
                d.start,
                d.end,
                f"definition [{d.label}] points to the same URL as [{earlier.label}] "
                f"at line {earlier.line + 1}",
            )


def _remove_entry(doc: Document, link: Link, entry: int) -> Fix | None:
    """Delete the later entry when it is about this URL: the first link of a list item
    (without nested items) or of a table row. Links in running prose are never removed."""
    lines = _entry_lines(doc, entry)
    if lines is None:
        return None
    first_line, end_line = lines
    start, end = doc.line_starts[first_line], doc.line_ends[end_line - 1]
    first_link = doc.links.first_from(start, images=False)
    if first_link is None or first_link.start != link.start:
        return None
    # The entry must open with the link (`- [Name](url) - ...`, `| [Name](url) | ...`):
    # an item that only mentions it in a sentence is prose, never removed.
    lead = doc.text[start : link.start]
    if lead.strip(" \t>*_|-+.)0123456789"):
        return None
    if end_line < doc.line_count:
        edit = Edit(start, doc.line_starts[end_line], "")
    elif first_line > 0:
        edit = Edit(doc.line_ends[first_line - 1], end, "")
    else:
        return None
    return Fix("Remove the duplicate entry", (edit,), "unsafe")


def _entry_lines(doc: Document, entry: int) -> tuple[int, int] | None:
    items = doc.structure.items_by_line
    item = items.get(entry)
    if item is not None:
        nested = any(
            other.first_line != item.first_line
            for line in range(item.first_line + 1, item.end_line)
            if (other := items.get(line)) is not None
        )
        if nested:
            return None
        end = item.end_line
        while end > item.first_line + 1 and not doc.line(end - 1).strip():
            end -= 1  # keep the blank line that separates it from the next item
        return item.first_line, end
    if entry in doc.tables.body_lines:
        return entry, entry + 1
    return None
