"""Checks for a resource listed twice: entries whose own links are one URL in any spelling."""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Literal

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple
from listlint.urlnorm import NormOptions, url_key
from listlint.views.entries import entries_of

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from listlint.document import Document
    from listlint.views.entries import Entry
    from listlint.views.links import Link

NAME = "duplicate-url"
CODE = "LL201"
SUMMARY = "Resource is already listed as another entry"
SEVERITY = "warning"
DEFAULT = True
FIX = "unsafe"
# Not "block" even with scope = "section": whether a duplicate may be removed depends on
# the other links of the document (every other link the entry holds must be linked
# elsewhere in it), so its fix can change with an edit to another part.
SCOPE = "document"
FIX_MAY_CHANGE = ("entry-removal",)  # (unsafe) the later entry

_MARKUP = lazy(r"!\[[^\]]*\]\([^)]*\)|[*_`~]|<[^>]*>")
_NAME_WIDTH = 60
# Link text that names the kind of link, not the entry: the entry's title names it then.
_GENERIC = frozenset(
    (
        "paper",
        "pdf",
        "link",
        "code",
        "arxiv",
        "abs",
        "abstract",
        "project",
        "github",
        "website",
        "homepage",
        "here",
        "demo",
        "url",
        "site",
        "repo",
    )
)
_BOLD = lazy(r"\*\*(.+?)\*\*|__(.+?)__")


class Options(NamedTuple):
    """The options of duplicate-url, from [rules.duplicate-url] in the configuration."""

    allow: tuple[str, ...] = ()
    scope: Literal["section", "file", "run"] = "section"
    mentions: bool = False
    mention_columns: tuple[str, ...] = ()
    entry_columns: tuple[str, ...] = ()
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


class _Keys:
    """URL keys, each distinct URL normalised once per check."""

    def __init__(self, options: Options) -> None:
        self.norm = options.norm()
        self.allow = options.allow
        self.cache: dict[str, str | None] = {}

    def __call__(self, url: str) -> str | None:
        key = self.cache.get(url, "")  # no URL's key is empty
        if key != "":
            return key
        key = url_key.__wrapped__(url, self.norm)  # memoised here, per check
        if key is not None and self.allow and _allowed(url, key, self.allow):
            key = None
        self.cache[url] = key
        return key


def _allowed(url: str, key: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(url, p) or fnmatch.fnmatchcase(key, p) for p in patterns)


def _unit(doc: Document, section: int, options: Options) -> tuple[int, int]:
    """Where two entries must both be to be compared: one section, one file, or the run."""
    if options.scope == "section":
        return id(doc), section
    return (id(doc), -1) if options.scope == "file" else (0, 0)


class _First(NamedTuple):
    doc: Document
    entry: Entry | None  # None: a mention outside entries
    link: Link
    is_entry: bool  # the entry's own link (else a mention)


_new = tuple.__new__  # a record from its fields in order: half the cost of calling its class


def check(doc: Document, options: Options) -> Iterator[Finding]:
    keys = _Keys(options)
    yield from _definitions(doc, keys)
    if options.scope != "run":
        yield from (f for _, f in _duplicates([doc], options, keys))


def runs_across_files(options: Options) -> bool:
    return options.scope == "run"


def check_run(docs: Sequence[Document], options: Options) -> Iterator[tuple[Document, Finding]]:
    """With ``scope = "run"``: duplicates across every file of one run."""
    if options.scope == "run":
        yield from _duplicates(docs, options, _Keys(options))


def _duplicates(
    docs: Sequence[Document], options: Options, keys: _Keys
) -> Iterator[tuple[Document, Finding]]:
    first: dict[tuple[tuple[int, int], str], _First] = {}  # the first entry listing a key
    for doc in docs:
        view = entries_of(doc)
        entries = view.with_entry_columns(options.entry_columns)
        later: list[tuple[Entry, Link, _First]] = []
        by_section = options.scope == "section"
        whole = _unit(doc, -1, options)
        doc_id = id(doc)
        known = keys.cache
        for entry in entries:
            own_index = entry.own_index
            if own_index < 0:
                continue
            own = entry.links[own_index]
            url = own.url
            key = known.get(url, "")  # what keys(url) gives, without the call when known
            if key == "":
                key = keys(url)
            if key is None:
                continue
            unit = ((doc_id, entry.section) if by_section else whole, key)
            seen = first.get(unit)
            if seen is None:
                first[unit] = _new(_First, (doc, entry, own, True))
            elif seen.doc is not doc or seen.entry is None or seen.entry.line != entry.line:
                later.append((entry, own, seen))
        removable = _removable(doc, entries, later, keys)
        for entry, own, seen in later:
            yield (
                doc,
                Finding(
                    own.start,
                    own.end,
                    f"`{own.url}` is already listed as {_where(doc, seen)}",
                    _remove(doc, entry) if id(entry) in removable else None,
                ),
            )
        if options.mentions or options.mention_columns:
            yield from ((doc, f) for f in _mentions(doc, entries, options, keys, first))


def _mentions(
    doc: Document,
    entries: list[Entry],
    options: Options,
    keys: _Keys,
    first: dict[tuple[tuple[int, int], str], _First],
) -> Iterator[Finding]:
    """Mentions (description links, other columns, prose) that repeat an entry's own link
    or an earlier mention; never fixed."""
    view = entries_of(doc)
    columns = {c.strip().casefold() for c in options.mention_columns}
    found: list[tuple[int, Entry | None, Link]] = []
    for e in entries:
        for i, link in enumerate(e.links):
            if i == e.own_index:
                continue
            if not options.mentions and view.column_name(e, i).casefold() not in columns:
                continue
            found.append((link.start, e, link))
    if options.mentions:
        found += [(link.start, None, link) for link in view.prose]
    found.sort(key=lambda t: t[0])
    mentioned: dict[tuple[tuple[int, int], str], _First] = {}
    prose_lines: set[tuple[int, str]] = set()
    for _, entry, link in found:
        key = keys(link.url)
        if key is None:
            continue
        section = entry.section if entry is not None else view.section_of(link.line)
        unit = (_unit(doc, section, options), key)
        listed = first.get(unit)
        if listed is not None:
            if listed.doc is doc and listed.entry is not None and listed.entry is entry:
                continue  # [paper] [code] pointing at one place inside one entry
            before = listed.doc is not doc or listed.link.start < link.start
            yield Finding(
                link.start,
                link.end,
                f"`{link.url}` is {'already ' if before else ''}listed as {_where(doc, listed)}",
            )
            continue
        earlier = mentioned.get(unit)
        if earlier is None:
            mentioned[unit] = _First(doc, entry, link, False)
            continue
        if entry is not None and earlier.entry is entry:
            continue
        if entry is None and (link.line, key) in prose_lines:
            continue  # one sentence repeating a URL is reported once
        if entry is None:
            prose_lines.add((link.line, key))
        yield Finding(
            link.start,
            link.end,
            f"`{link.url}` is already mentioned at line {earlier.link.line + 1}",
        )


def _where(doc: Document, seen: _First) -> str:
    name = _name(seen.doc, seen.link)
    if name.strip("[]() ").casefold() in _GENERIC and seen.entry is not None:
        name = _title(seen.doc, seen.entry) or name
    where = f"`{name}` at line {seen.link.line + 1}" if name else f"line {seen.link.line + 1}"
    if seen.doc is not doc:
        where += f" of {seen.doc.path}"
    return where


def _name(doc: Document, link: Link) -> str:
    """The entry's name as a reader sees it: its own link's text without markup."""
    if link.kind in ("bare", "autolink"):
        return ""
    text = " ".join(_MARKUP.sub("", doc.text[link.text_start : link.text_end]).split())
    text = text.replace("`", "'")
    if len(text) > _NAME_WIDTH:
        text = text[: _NAME_WIDTH - 1] + "…"
    return text


def _title(doc: Document, entry: Entry) -> str:
    """An entry's title when its own link's text is generic ("Paper"): its first bold
    text, or a table row's first cell."""
    line = doc.line(entry.line)
    m = _BOLD.search(line)
    if m is not None:
        text = m.group(1) or m.group(2)
    elif entry.kind == "row":
        cells = [c for c in line.strip().strip("|").split("|") if c.strip()]
        text = cells[0] if cells else ""
    else:
        return ""
    text = " ".join(_MARKUP.sub("", text).split()).strip("\"' ").replace("`", "'")
    if len(text) > _NAME_WIDTH:
        text = text[: _NAME_WIDTH - 1] + "…"
    return text


def _removable(
    doc: Document, entries: list[Entry], later: list[tuple[Entry, Link, _First]], keys: _Keys
) -> set[int]:
    """The later entries the unsafe fix may delete: in this file, after an earlier entry
    of this file; one paragraph and nothing under it; opening with its own link; every
    other link it holds also linked elsewhere; and never the last entry of its section,
    list or table."""
    candidates = [
        entry
        for entry, own, seen in later
        if seen.doc is doc
        and seen.entry is not None
        and _deletable(doc, entry, own)
        and _same_name(doc, entry, own, seen)
    ]
    if not candidates:
        return set()
    # Links of other entries and prose, counted by key, to know a mention is not lost.
    counts = _counts(doc, entries, keys)
    elsewhere = doc.__dict__.get(ELSEWHERE)
    keep: list[Entry] = []
    for entry in candidates:
        own = entry.links[entry.own_index]
        mine: dict[str, int] = {}
        for link in entry.links:
            key = keys(link.url)
            if key is not None and link is not own:
                mine[key] = mine.get(key, 0) + 1
        if elsewhere is not None:
            counted = {k: counts.get(k, 0) + elsewhere(k) for k in mine}
        else:
            counted = counts
        if all(counted.get(k, 0) > n for k, n in mine.items()):
            keep.append(entry)
    # Never empty a section, a list or a table: count what would be left of each.
    total: dict[tuple[str, object], int] = {}
    for entry in entries:
        for g in _groups(entry):
            total[g] = total.get(g, 0) + 1
    out: set[int] = set()
    for entry in keep:
        groups = _groups(entry)
        if all(total[g] > 1 for g in groups):
            for g in groups:
                total[g] -= 1
            out.add(id(entry))
    return out


def _counts(doc: Document, entries: list[Entry], keys: _Keys) -> dict[str, int]:
    counts: dict[str, int] = {}
    known = keys.cache  # what keys(url) gives, without the call when known (most)
    for links in (*(entry.links for entry in entries), entries_of(doc).prose):
        for link in links:
            url = link.url
            key = known.get(url, "")
            if key == "":
                key = keys(url)
            if key is not None:
                counts[key] = counts.get(key, 0) + 1
    return counts


# The language server checks the parts of a long document on their own
# (listlint.server.incremental): it counts each part's links by key (``key_counts``), and
# gives a part's document, under this key, how often the other parts link a key.
ELSEWHERE = "_duplicate_url_elsewhere"


def key_counts(doc: Document, options: Options) -> dict[str, int]:
    """How many of the document's links have each key: what a removal reads."""
    return _counts(doc, entries_of(doc).entries, _Keys(options))


def _same_name(doc: Document, entry: Entry, own: Link, seen: _First) -> bool:
    """Do the two entries name the resource alike (case and spacing aside)? Entries that
    share a link under different names (`hatch` and `hatchling`, two models on one home
    page) are reported, never removed: the list may need both."""

    def name(d: Document, e: Entry, link: Link) -> str:
        text = _name(d, link)
        if text.strip("[]() ").casefold() in _GENERIC:
            text = _title(d, e)
        return " ".join(text.casefold().split())

    assert seen.entry is not None
    mine = name(doc, entry, own)
    return bool(mine) and mine == name(seen.doc, seen.entry, seen.link)


def _groups(entry: Entry) -> tuple[tuple[str, object], ...]:
    return (("section", entry.section), ("container", entry.group))


def _deletable(doc: Document, entry: Entry, own: Link) -> bool:
    if not entry.simple:
        return False
    # The entry must open with its link (`- [Name](url) - ...`, `| [Name](url) | ...`):
    # an entry that only mentions it in a sentence is prose, never removed.
    lead = doc.text[doc.line_starts[entry.line] : own.start]
    return not lead.strip(" \t>*_|-+.)0123456789")


def _remove(doc: Document, entry: Entry) -> Fix | None:
    first_line, end_line = entry.line, entry.end_line
    while end_line > first_line + 1 and not doc.line(end_line - 1).strip():
        end_line -= 1  # keep the blank line that separates it from the next item
    if end_line < doc.line_count:
        edit = Edit(doc.line_starts[first_line], doc.line_starts[end_line], "")
    elif first_line > 0:
        edit = Edit(doc.line_ends[first_line - 1], doc.line_ends[end_line - 1], "")
    else:
        return None
    return Fix("Remove the duplicate entry", (edit,), "unsafe")


def _definitions(doc: Document, keys: _Keys) -> Iterator[Finding]:
    first: dict[str, Link] = {}
    for d in doc.links.definitions:
        key = keys(d.url)
        if key is None:
            continue
        earlier = first.setdefault(key, d)
        if earlier is not d:
            yield Finding(
                d.start,
                d.end,
                f"definition [{d.label}] points to the same URL as [{earlier.label}] "
                f"at line {earlier.line + 1}",
            )
