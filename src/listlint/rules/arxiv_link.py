"""Checks for arXiv links that are not in the list's canonical form."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from listlint.arxiv import check_today, today_from
from listlint.diagnostic import Edit, Finding, Fix
from listlint.lazyre import lazy
from listlint.records import NamedTuple
from listlint.views.urls import urls_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.arxiv import ArxivUrl
    from listlint.document import Document
    from listlint.views.links import Link

NAME = "arxiv-link"
CODE = "LL302"
SUMMARY = "arXiv link uses http://, or a form, host or version the list does not use"
SEVERITY = "warning"
DEFAULT = True
FIX = "sometimes"
SCOPE = "block"
FIX_MAY_CHANGE = ("arxiv-href",)  # the href of an arXiv link: the same paper

_ONLY_PDF = lazy(r"\W*pdf\W*", re.IGNORECASE)
_ONLY_ABS = lazy(r"\W*(abs|abstract|arxiv)\W*", re.IGNORECASE)


class Options(NamedTuple):
    """The options of arxiv-link, from [rules.arxiv-link] in the configuration."""

    preferred_form: Literal["any", "abs", "pdf"] = "any"
    version_policy: Literal["any", "unversioned", "versioned"] = "any"
    canonical_host: bool = False
    today: str = ""

    def validate(self) -> None:
        check_today(self.today)


def check(doc: Document, options: Options) -> Iterator[Finding]:
    today = today_from(options.today)
    papers = urls_of(doc).papers  # the links and definitions to arXiv papers, in order
    forms: dict[tuple[int, str, str], bool] = {}  # (entry, paper, kind) present
    uses: dict[str, list[Link]] = {}
    entry_of = doc.structure.entry_of
    # The forms present are read only to keep an [abs] [pdf] pair; with the default
    # options only http:// is reported.
    by_form = options.preferred_form != "any"
    only_http = not by_form and options.version_policy == "any" and not options.canonical_host
    for link, url in papers:
        if url is None or link.kind == "definition":
            continue
        if by_form:
            forms[(entry_of(link.line), url.id.canonical, url.kind)] = True
        if link.kind == "reference":
            uses.setdefault(link.label, []).append(link)
    for link, url in papers:
        if link.kind == "reference":
            continue  # checked at its definition, where the URL is written
        if url is None or not url.on_arxiv or url.kind not in ("abs", "pdf"):
            continue
        if only_http and url.scheme != "http":
            continue  # nothing to report (what _check_link would find)
        if url.id.problems(today):
            continue  # arxiv-id reports it; never rewrite a link to an impossible paper
        seen_in = uses.get(link.label, []) if link.kind == "definition" else [link]
        finding = _check_link(doc, link, url, seen_in, forms, options)
        if finding is not None:
            yield finding


def _form_is_deliberate(
    doc: Document, url: ArxivUrl, seen_in: list[Link], forms: dict[tuple[int, str, str], bool]
) -> bool:
    """A "[pdf]" label, or the same entry also linking the other form: an [abs] [pdf] pair."""
    other = "abs" if url.kind == "pdf" else "pdf"
    label_re = _ONLY_PDF if url.kind == "pdf" else _ONLY_ABS
    for use in seen_in:
        if label_re.fullmatch(doc.text[use.text_start : use.text_end]):
            return True
        if forms.get((doc.structure.entry_of(use.line), url.id.canonical, other)):
            return True
    return False


def _check_link(
    doc: Document,
    link: Link,
    url: ArxivUrl,
    seen_in: list[Link],
    forms: dict[tuple[int, str, str], bool],
    options: Options,
) -> Finding | None:
    issues: list[str] = []
    change_form = False
    if (
        options.preferred_form != "any"
        and url.kind != options.preferred_form
        and not _form_is_deliberate(doc, url, seen_in, forms)
    ):
        page = "the abstract page (/abs/)" if options.preferred_form == "abs" else "the PDF"
        issues.append(f"links to /{url.kind}/ instead of {page}")
        change_form = not url.has_query_or_fragment
    if url.scheme == "http":
        issues.append("uses http://")
    if url.host != "arxiv.org" and options.canonical_host:
        issues.append(f"uses the host {url.host} instead of arxiv.org")
    if url.id.version is not None and options.version_policy == "unversioned":
        issues.append(f"pins version v{url.id.version} (the unversioned id means the latest)")
    elif url.id.version is None and options.version_policy == "versioned":
        issues.append("has no version, which this list requires")
    if not issues:
        return None
    other_host = options.canonical_host and url.host != "arxiv.org"
    fixable = change_form or url.scheme == "http" or other_host
    written = doc.text[link.url_start : link.url_end]
    fix = None
    # A bare URL or autolink shows its URL as its text, and link text is never changed.
    # Nor is an image's source: an abstract page is no image.
    if fixable and written == link.url and link.kind in ("inline", "definition") and not link.image:
        fix = Fix(
            "Rewrite as " + _canonical(link.url, url, change_form, options),
            (Edit(link.url_start, link.url_end, _canonical(link.url, url, change_form, options)),),
        )
    return Finding(
        link.url_start,
        link.url_end,
        f"arXiv link {'; '.join(issues)}",
        fix,
    )


def _canonical(raw: str, url: ArxivUrl, change_form: bool, options: Options) -> str:
    """https://arxiv.org with the path kept (or moved to the preferred form), version kept,
    query and fragment kept."""
    rest_start = url.id_end + (4 if url.pdf_suffix else 0)
    rest = raw[rest_start:]
    path_start = raw.index("/", raw.index("//") + 2)
    path = raw[path_start : url.id_start]
    if change_form:
        path = f"/{options.preferred_form}/"
        rest = rest.lstrip("/") if not rest.startswith(("?", "#")) else rest
    elif url.pdf_suffix:
        rest = ".pdf" + rest
    return f"https://arxiv.org{path}{raw[url.id_start : url.id_end]}{rest}"
