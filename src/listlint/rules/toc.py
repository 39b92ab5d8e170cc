"""Checks that the table of contents matches the document's headings."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import unquote

from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.structure import Heading, Structure

NAME = "toc"
CODE = "LL404"
SUMMARY = "Table of contents is missing headings, lists absent ones, or is out of order"
SEVERITY = "warning"
DEFAULT = True
FIX = "safe"
SCOPE = "document"
FIX_MAY_CHANGE = ("toc-list",)  # its own list: the table of contents

TOC_LABEL = lazy(
    r"(?:(?:the\s+)?table\s+of\s+)?contents?|toc|index|overview\s+of\s+contents|"
    r"目录|目錄|目次|목차|inhalt|inhaltsverzeichnis|índice|indice|índice\s+de\s+contenidos|"
    r"contenidos?|sommaire|table\s+des\s+matières|conteúdos?|sumário|содержание|оглавление|"
    r"mục\s+lục|spis\s+treści|inhoud|içindekiler",
    re.IGNORECASE,
)
_SHORTCODE = lazy(r":[a-z0-9_+-]+:")
_EDGES = lazy(r"^[\W_]+|[\W_]+$")
_TAG = lazy(r"<[^>]*>")
_START_MARKER = lazy(r"<!--\s*toc\s*-->", re.IGNORECASE)
_STOP_MARKER = lazy(r"<!--\s*(?:tocstop|/toc)\s*-->", re.IGNORECASE)
_ITEM = lazy(r"([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(.*)")
_LINK = lazy(r"\[((?:[^\[\]\\]|\\.|!?\[[^\]]*\](?:\([^)]*\))?)*)\]\(#([^)\s]*)\)")
# A link to another page (a URL, a file, a reference): an entry such as `- [Contributing](
# https://…/CONTRIBUTING.md)` among in-page ones, kept as written.
_OTHER_LINK = lazy(
    r"\[(?:[^\[\]\\]|\\.)*\](?:\([^)]*\)|\[[^\]]*\])|<[A-Za-z][\w+.-]*:[^>\s]*>|https?://"
)
_COMMENT_LINE = lazy(r"[ \t]*<!--.*-->[ \t]*")
_CLOSING = lazy(
    r"(?:\W*)(?:contribut|licen[cs]e|acknowledg|citation|cite|star history|stargazers|contact|"
    r"sponsor|support|thanks|credits|footnotes|changelog|code of conduct|authors?\b|"
    r"maintainers|related|see also|disclaimer)",
    re.IGNORECASE,
)


class Options(NamedTuple):
    """The options of toc, from [rules.toc] in the configuration."""

    min_level: int = 0  # 0: from the headings the table of contents links to now
    max_level: int = 0


class Entry(NamedTuple):
    line: int
    indent: str
    marker: str  # the list marker and the spaces after it
    prefix: str  # text before the link (an emoji, `**`), kept
    text: str
    anchor: str  # decoded
    raw_anchor: str  # as written
    rest: str  # text after the link (" - description", a badge), kept
    start: int  # offset of the link
    external: bool = False  # it links another page, not a heading: kept as written


class Toc(NamedTuple):
    first: int  # first line of the list
    end: int  # exclusive
    after: int  # headings after this line are covered
    entries: tuple[Entry, ...]
    comments: bool = False  # comment lines among the entries
    compact: bool = False  # some line links several sections: not regenerated
    loose: bool = False  # blank lines between entries


def is_label(text: str) -> bool:
    """Text that names a table of contents, decoration (emoji, markup, colons) aside."""
    plain = _EDGES.sub("", _SHORTCODE.sub("", text)).strip()
    return bool(plain) and TOC_LABEL.fullmatch(plain) is not None


def find_toc(doc: Document) -> Toc | None:
    """The list under a Contents-like heading or label, or between <!-- toc --> markers."""
    text = doc.text
    marker = _START_MARKER.search(text)
    if marker is not None:
        start = doc.line_of(marker.end()) + 1
        stop = _STOP_MARKER.search(text, marker.end())
        end = doc.line_of(stop.start()) if stop else None
        return _list_at(doc, start, end, doc.line_of(marker.start()))
    for label in _labels(doc):
        toc = _list_at(doc, label + 1, None, label)
        if toc is not None:
            return toc
    return None


def _labels(doc: Document) -> list[int]:
    """Lines that may head a table of contents: headings of any level, and short lines such
    as `**Contents**` or `<summary>Table of Contents</summary>` (not list items or code)."""
    lines = {h.end_line - 1 for h in doc.structure.headings if is_label(h.text)}
    code = doc.structure.code_lines
    text, starts, ends = doc.text, doc.line_starts, doc.line_ends
    item = _ITEM.match
    for i in range(doc.line_count):
        start = starts[i]
        end = ends[i]
        if end - start > 80 or i in code:
            continue
        raw = text[start:end]
        # (a blank line is no label: the test below would strip it to nothing)
        if "|" in raw or not raw.strip() or item(raw):
            continue
        plain = _TAG.sub("", raw).replace("*", "").replace("_", " ")
        if plain.strip() and is_label(plain):
            lines.add(i)
    return sorted(lines)


def _list_at(doc: Document, start: int, end: int | None, after: int) -> Toc | None:
    for first, list_end in doc.blocks.top_lists:
        if first < start:
            continue
        for i in range(start, first):
            line = doc.line(i)
            if line.strip() and _TAG.sub("", line).strip():
                return None  # something else comes first: no list of contents here
        last = list_end if end is None else min(list_end, end)
        while last > first and not doc.line(last - 1).strip():
            last -= 1
        return _entries(doc, first, last, after)
    return None


def _entries(doc: Document, first: int, last: int, after: int) -> Toc | None:
    while last > first and _is_tag_only(doc.line(last - 1)):
        last -= 1  # `<br>` after the last entry: its lazy line, left where it is
    entries = []
    comments = compact = loose = False
    for line in range(first, last):
        raw = doc.line(line)
        m = _ITEM.fullmatch(raw)
        link = _LINK.search(m.group(4)) if m else None
        if m is not None and link is None and _OTHER_LINK.search(m.group(4)):
            # A link to another page among the entries (Contributing, a website).
            start = doc.line_starts[line] + m.start(4)
            marker = m.group(2) + m.group(3)
            entries.append(Entry(line, m.group(1), marker, "", "", "", "", m.group(4), start, True))
            continue
        if m is None or link is None:
            if _COMMENT_LINE.fullmatch(raw) or _is_tag_only(raw):
                comments = True  # a suppression, a note, markup: kept, so no rewrite
            elif raw.strip():
                return None  # not a plain list of in-page links
            else:
                loose = True
            continue
        content = m.group(4)
        rest = content[link.end() :]
        if _LINK.search(rest):
            compact = True
        entries.append(
            Entry(
                line,
                m.group(1),
                m.group(2) + m.group(3),
                content[: link.start()],
                link.group(1),
                unquote(link.group(2)),
                link.group(2),
                rest,
                doc.line_starts[line] + m.start(4) + link.start(),
            )
        )
    inpage = sum(not e.external for e in entries)
    if not inpage or inpage <= len(entries) - inpage:
        return None  # mostly links to other pages: a list of resources, not of contents
    return Toc(first, last, after, tuple(entries), comments, compact, loose)


def _is_tag_only(line: str) -> bool:
    return bool(line.strip()) and not _TAG.sub("", line).strip()


class _Plan(NamedTuple):
    expected: list[Heading]  # the headings the table of contents should list, in order
    entry_for: dict[int, Entry]  # heading line -> its (first) entry
    extras: dict[int, list[Entry]]  # heading line (-1: the top) -> entries kept after it
    # heading line -> entries linking other pages kept after its sub-entries (a sibling)
    after_subtree: dict[int, list[Entry]]
    dead: list[Entry]  # entries whose target does not exist
    missing: list[Heading]
    linked: list[Heading]  # headings in entry order (first entry of each)
    lo: int
    repointed: dict[int, str]  # entry line -> the anchor of the heading it means


def _plan(doc: Document, toc: Toc, options: Options) -> _Plan:
    structure = doc.structure
    entry_for: dict[int, Entry] = {}
    linked: list[Heading] = []
    extras: dict[int, list[Entry]] = {}
    after_subtree: dict[int, list[Entry]] = {}
    seen: list[tuple[int, int]] = []  # (indentation, heading line) of the heading entries
    dead: list[Entry] = []
    previous = -1  # the heading line of the last heading entry seen
    for e in toc.entries:
        if e.external:  # another page: kept as written, after the entry it follows
            # (after its parent's line, or after its sibling's sub-entries)
            width = len(e.indent.expandtabs(4))
            near = next(((w, h) for w, h in reversed(seen) if w <= width), None)
            if near is None:
                extras.setdefault(-1, []).append(e)
            elif near[0] < width:
                extras.setdefault(near[1], []).append(e)
            else:
                after_subtree.setdefault(near[1], []).append(e)
            continue
        target = structure.target(e.anchor)
        heading = target.heading if target is not None else None
        if heading is not None and heading.line not in entry_for:
            entry_for[heading.line] = e
            linked.append(heading)
            previous = heading.line
            seen.append((len(e.indent.expandtabs(4)), heading.line))
        elif target is not None or structure.exists(e.anchor):
            # An HTML anchor away from a heading, a second link to one, #top: kept as
            # written, after the entry it follows now.
            extras.setdefault(previous, []).append(e)
        else:
            dead.append(e)
    if toc.compact:  # the other links of compact lines count as listed
        for e in toc.entries:
            if e.external:
                continue
            for m in _LINK.finditer(e.rest):
                target = structure.target(unquote(m.group(2)))
                if target is not None and target.heading is not None:
                    entry_for.setdefault(target.heading.line, e)
    lo = options.min_level or min((h.level for h in linked), default=2)
    hi = options.max_level or max((h.level for h in linked), default=lo)
    # Every heading it links to, and the headings after it in its levels. Sections above
    # it (an intro, "Trending") and closing ones such as Contributing or License are
    # often left out on purpose: they are not asked for, only kept when listed, unless it
    # links sections above it besides the title.
    last = max((h.line for h in linked), default=-1)
    # Linking sections above it (not just the title) makes it cover the whole document.
    whole = any(h.line < toc.after and h.level > 1 for h in linked)
    expected = [
        h
        for h in structure.headings
        if h.line in entry_for
        or (
            h.text.strip()
            and lo <= h.level <= hi
            and h.line != toc.after
            and (whole or h.line > toc.after)
            and not (h.line > last and _CLOSING.match(h.text.strip(" :*_")))
        )
    ]
    missing = [h for h in expected if h.line not in entry_for]
    repointed = _repoint(structure, dead, missing, entry_for)
    if repointed:
        dead = [e for e in dead if e.line not in repointed]
        missing = [h for h in missing if h.line not in entry_for]
        order = {e.line: i for i, e in enumerate(toc.entries)}
        linked = sorted(
            [h for h in expected if h.line in entry_for and entry_for[h.line].line in order],
            key=lambda h: order[entry_for[h.line].line],
        )
    return _Plan(expected, entry_for, extras, after_subtree, dead, missing, linked, lo, repointed)


def _norm(anchor: str) -> str:
    return re.sub(r"-+", "-", anchor.lower()).strip("-")


def _repoint(
    structure: Structure, dead: list[Entry], missing: list[Heading], entry_for: dict[int, Entry]
) -> dict[int, str]:
    """Dead entries that clearly mean a missing heading (the same anchor but for dashes, or
    the same text): pointed at the heading's anchor instead of dropped. Returns entry line
    -> the anchor it gets."""
    from listlint.views.anchors import github_slug

    out: dict[int, str] = {}
    wanted: dict[str, tuple[Heading, str]] = {}
    for h in missing:
        anchor = structure.anchor_of(h)
        wanted.setdefault(_norm(anchor), (h, anchor))
        wanted.setdefault(_norm(github_slug(structure.text_of(h))), (h, anchor))
    for e in dead:
        for key in (_norm(e.anchor), _norm(github_slug(e.text))):
            found = wanted.get(key)
            if key and found is not None and found[0].line not in entry_for:
                h, anchor = found
                entry_for[h.line] = e._replace(anchor=anchor, raw_anchor=anchor)
                out[e.line] = anchor
                break
    return out


def _hints(structure: Structure, dead: list[Entry], missing: list[Heading]) -> dict[int, Heading]:
    """Dead entries whose heading lost or gained words at one end (`🚀(New) Prompts` became
    `Prompts`: #new-prompts is dead, #prompts unlisted): entry line -> the one heading whose
    anchor words begin or end the entry's (or the other way round), when no other entry or
    heading could match. Only the message names it; the fix lists the heading by its name."""
    candidates: dict[int, list[Heading]] = {}
    for e in dead:
        words = _norm(e.anchor).split("-")
        for h in missing:
            if _ends_match(words, _norm(structure.anchor_of(h)).split("-")):
                candidates.setdefault(e.line, []).append(h)
    claimed = Counter(found[0].line for found in candidates.values() if len(found) == 1)
    return {
        line: found[0]
        for line, found in candidates.items()
        if len(found) == 1 and claimed[found[0].line] == 1
    }


def _ends_match(a: list[str], b: list[str]) -> bool:
    """One word list begins or ends the other, which is longer (``new-prompts``, ``prompts``)."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if not short or not short[0] or len(short) == len(long):
        return False
    return long[: len(short)] == short or long[-len(short) :] == short


def check(doc: Document, options: Options) -> Iterator[Finding]:
    toc = find_toc(doc)
    if toc is None:
        return
    plan = _plan(doc, toc, options)
    structure = doc.structure
    start, end = doc.line_starts[toc.first], doc.line_ends[toc.end - 1]
    new = _render(doc, toc, plan)
    fix = None
    note = ""
    if toc.comments:
        note = " (it holds comments: not regenerated)"
    elif toc.compact:
        note = " (some lines link several sections: not regenerated)"
    else:
        fix = Fix("Regenerate the table of contents", (Edit(start, end, new),))
    findings: list[Finding] = []
    hints = _hints(structure, plan.dead, plan.missing)
    hinted = {h.line for h in hints.values()}
    unnamed = [h for h in plan.missing if h.line not in hinted]  # named by a dead entry
    if unnamed:
        names = ", ".join(f"`{structure.text_of(h).strip()}`" for h in unnamed[:5])
        more = f" and {len(unnamed) - 5} more" if len(unnamed) > 5 else ""
        findings.append(
            Finding(start, doc.line_ends[toc.first], f"table of contents misses {names}{more}")
        )
    # Each entry that links nowhere, on its own line: the line a contributor changes (the
    # same link's link-fragment finding defers to this one, which carries the fix).
    for e in plan.dead:
        message = f"table of contents links to #{e.anchor}, which no heading or HTML element has"
        hint = hints.get(e.line)
        if hint is not None:
            name = structure.text_of(hint).strip()
            message += f"; the heading `{name}` is #{structure.anchor_of(hint)}"
        findings.append(Finding(e.start, _link_end(e), message))
    for line, anchor in plan.repointed.items():
        e = next(e for e in toc.entries if e.line == line)
        findings.append(
            Finding(
                e.start,
                _link_end(e),
                f"table of contents links to #{e.anchor}; the heading's anchor is #{anchor}",
            )
        )
    order = sorted(plan.linked, key=lambda h: h.line)
    wrong = next((i for i, h in enumerate(plan.linked) if order[i] is not h), None)
    if wrong is not None:
        e = plan.entry_for[plan.linked[wrong].line]
        findings.append(
            Finding(
                e.start,
                doc.line_ends[e.line],
                f"table of contents is out of order: `{e.text}` is listed where "
                f"`{structure.text_of(order[wrong]).strip()}` belongs "
                "(the headings come in the other order)",
            )
        )
    if not findings and not toc.comments and not toc.compact and new != doc.text[start:end]:
        rendered = [line for line in new.splitlines() if line.strip()]
        first = next(
            (e for e, n in zip(toc.entries, rendered, strict=False) if doc.line(e.line) != n),
            toc.entries[0],
        )
        findings.append(
            Finding(
                first.start,
                doc.line_ends[first.line],
                "table of contents does not match the headings' levels",
            )
        )
    for f in sorted(findings, key=lambda f: f.start):
        yield Finding(f.start, f.end, f.message + note, fix)


def _link_end(e: Entry) -> int:
    """The end of the entry's link, ``[text](#anchor)`` as written."""
    return e.start + len(e.text) + len(e.raw_anchor) + 4


def _render(doc: Document, toc: Toc, plan: _Plan) -> str:
    """One item per heading: the author's markers and indentation per level, and the link
    text, anchor and text around the link of every entry whose heading still exists;
    entries that reach an HTML anchor or repeat a heading, kept as written."""
    structure: Structure = doc.structure
    first = next(e for e in toc.entries if not e.external)
    unit = _indent_unit(toc, plan)
    # Per level, the indentation and marker of its first entry, as long as deeper levels
    # are indented deeper (a flat list of nested headings is reported and nested).
    firsts: dict[int, Entry] = {}
    for h in sorted(plan.linked, key=lambda h: h.line):
        firsts.setdefault(h.level, plan.entry_for[h.line])
    style: dict[int, tuple[str, str]] = {}
    previous: tuple[int, str] | None = None
    for level in sorted(firsts):
        e = firsts[level]
        indent = e.indent
        if previous is not None and len(indent) <= len(previous[1]):
            indent = previous[1] + unit * (level - previous[0])
        style[level] = (indent, e.marker)
        previous = (level, indent)
    lines = [doc.line(e.line) for e in plan.extras.get(-1, [])]
    pending: list[tuple[int, list[Entry]]] = []  # (level, entries) after a subtree
    for h in plan.expected:
        while pending and pending[-1][0] >= h.level:
            lines.extend(doc.line(e.line) for e in pending.pop()[1])
        entry = plan.entry_for.get(h.line)
        indent, marker = style.get(
            h.level, (first.indent + unit * max(0, h.level - plan.lo), first.marker)
        )
        if entry is None:
            text = _escape(structure.text_of(h).strip())
            lines.append(f"{indent}{marker}[{text}](#{structure.anchor_of(h)})")
        elif _own_heading(structure, entry, h):  # not a compact line listing it too
            lines.append(
                f"{indent}{entry.marker}{entry.prefix}[{entry.text}]"
                f"(#{entry.raw_anchor}){entry.rest}"
            )
        lines.extend(doc.line(e.line) for e in plan.extras.get(h.line, []))
        if h.line in plan.after_subtree:
            pending.append((h.level, plan.after_subtree[h.line]))
    while pending:
        lines.extend(doc.line(e.line) for e in pending.pop()[1])
    sep = doc.newline * 2 if toc.loose else doc.newline
    return sep.join(lines)


def _own_heading(structure: Structure, entry: Entry, heading: Heading) -> bool:
    """The entry is the heading's own line (not a compact line listing it among others)."""
    target = structure.target(entry.anchor)
    return target is not None and target.heading is heading


def _indent_unit(toc: Toc, plan: _Plan) -> str:
    """The author's indentation per level: columns between two entries over the levels of
    their headings (so an entry nested two levels deep does not double the unit)."""
    level_of = {plan.entry_for[h.line].line: h.level for h in plan.linked}
    entries = [e for e in toc.entries if not e.external]
    base = entries[0]
    if base.line in level_of:
        for e in entries[1:]:
            depth = level_of.get(e.line, 0) - level_of[base.line]
            extra = len(e.indent) - len(base.indent)
            if depth > 0 and extra > 0 and extra % depth == 0:
                char = "\t" if "\t" in e.indent else " "
                return char * (extra // depth)
    return "  "


def _escape(text: str) -> str:
    return re.sub(r"([\[\]\\])", r"\\\1", text)
