"""From what the network said to what is reported: the verdict rules' judgement.

A verdict names the rule that reports it (``link-dead``, ``link-redirect``,
``link-unverifiable``, ``github-archived``, ``link-anchor``), says what happened in words a
maintainer can act on, and for a moved link gives the URL to write instead. Only what is
certain is called dead; whatever a site does to automated clients (401, 403, 429, bot
walls), failures that may pass (timeouts, TLS, 5xx) and dead answers that have not yet
failed ``failures-before-dead`` runs in a row are unverifiable.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urlsplit
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from listlint.diagnostic import Finding, Severity
    from listlint.document import Document
    from listlint.links.requests import Probe
    from listlint.links.settings import Settings
    from listlint.views.links import Link

DEAD = frozenset((404, 410))
PERMANENT = frozenset((301, 308))
_LOGIN = re.compile(
    r"/(?:log-?in|sign-?in|sign_in|signup|sign-up|auth|sso|session|accounts/login|"
    r"users/sign_in|wp-login\.php|account/login)(?:/|\.|$)",
    re.IGNORECASE,
)
_LOGIN_QUERY = re.compile(r"(?:^|&)(?:return_?to|returnUrl|redirect_uri|continue)=", re.I)
_SKIP_FRAGMENT = re.compile(r"^(?:top|:~:.*|[!/].*|L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?|diff-.*)$")


class Verdict(NamedTuple):
    rule: str
    message: str
    severity: Severity | None = None  # None: the rule's own
    fix_url: str | None = None  # the URL to write instead (fragment kept)


class Table(NamedTuple):
    """The verdicts of a run by URL as written, and whether images were checked."""

    verdicts: Mapping[str, tuple[Verdict, ...]]
    images: bool = False


# The table of the run being reported; read by the rule modules (empty outside links).
CURRENT: ContextVar[Table | None] = ContextVar("listlint_links_verdicts", default=None)


def outcome(probe: Probe, settings: Settings) -> str:
    """alive, dead or unverifiable: what the failure streaks count."""
    if probe.error in ("dns", "refused"):
        return "dead"
    if probe.error or probe.status is None:
        return "unverifiable"
    if probe.status in settings.accept:
        return "alive"
    return "dead" if probe.status in DEAD else "unverifiable"


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _tries(n: int) -> str:
    return f" ({n} tries)" if n > 1 else ""


def judge(
    probe: Probe, settings: Settings, fragment: str, streak: int, history: str
) -> list[Verdict]:
    """What to report for one URL as written (``fragment`` included)."""
    kind = outcome(probe, settings)
    if kind == "dead":
        message = _dead_message(probe)
        if streak < settings.failures_before_dead:
            window = history[-settings.failures_before_dead :] or "d"
            failed = window.count("d")
            return [
                Verdict(
                    "link-unverifiable",
                    f"{message.removeprefix('dead link: ')}, but it failed only {failed} of "
                    f"the last {len(window)} runs: reported as dead after "
                    f"{settings.failures_before_dead} failing runs in a row",
                )
            ]
        return [Verdict("link-dead", message)]
    if kind == "unverifiable":
        return [Verdict("link-unverifiable", _unverifiable_message(probe))]
    out = _redirect(probe, fragment)
    anchors = probe.anchors
    checked = bool(fragment) and settings.check_fragments and anchors is not None
    if checked and not _has_anchor(fragment, anchors or (), probe.final_url):
        out.append(Verdict("link-anchor", f"the page has no anchor #{fragment}"))
    return out


def _dead_message(probe: Probe) -> str:
    if probe.error:
        return f"dead link: {probe.detail}{_tries(probe.tries)}"
    status = _phrase(probe.status or 0)
    tries = _tries(probe.tries)
    if probe.chain:
        return f"dead link: redirects to {probe.final_url}, which answers {status}{tries}"
    return f"dead link: {status}{tries}"


def _unverifiable_message(probe: Probe) -> str:
    tries = _tries(probe.tries)
    if probe.error == "loop":
        steps = " -> ".join([probe.url, *(h.location for h in probe.chain)])
        return f"redirect loop ({steps}): check it in a browser"
    if probe.error:
        return f"{probe.detail}{tries}: check it in a browser"
    status = probe.status or 0
    where = f" (after redirects to {probe.final_url})" if probe.chain else ""
    if probe.bot_wall:
        return f"{status} from a bot wall ({probe.bot_wall}){where}: check it in a browser"
    if status == 401:
        return f"{_phrase(status)}{where}: the page needs a login; check it in a browser"
    if status == 403:
        return f"{_phrase(status)}{where}: the site refuses automated checks; check it in a browser"
    if status in (429, 503):
        wait = probe.retry_after
        if wait is not None and wait > 0 and probe.tries <= 1:
            return (
                f"{_phrase(status)}{where}: the site asked to wait {wait:.0f} s, longer "
                "than max-retry-wait; check again later"
            )
        return f"{_phrase(status)}{where}{tries}: the site is busy or rate limiting; try later"
    if status >= 500:
        return f"{_phrase(status)}{where}{tries}: the server is failing now; try again later"
    return (
        f"answers {_phrase(status)}{where}, which does not say the page is gone; "
        "check it in a browser"
    )


def _same_page(a: str, b: str) -> bool:
    """``b`` is ``a`` with only a trailing slash added or removed, or http made https."""
    pa, pb = urlsplit(a), urlsplit(b)
    schemes = pa.scheme == pb.scheme or (pa.scheme, pb.scheme) == ("http", "https")
    return (
        schemes
        and pa.netloc.lower() == pb.netloc.lower()
        and pa.query == pb.query
        and pa.path.rstrip("/") == pb.path.rstrip("/")
    )


def _suspect(original: str, final: str) -> str:
    """Why a redirect to ``final`` probably means the page is gone ('' when it does not)."""
    po, pf = urlsplit(original), urlsplit(final)
    to_login = _LOGIN.search(pf.path) or _LOGIN_QUERY.search(pf.query)
    if to_login and not _LOGIN.search(po.path):
        return "a login page"
    if pf.path in ("", "/") and not pf.query and po.path not in ("", "/"):
        return "the site's front page"
    return ""


def _redirect(probe: Probe, fragment: str) -> list[Verdict]:
    if not probe.chain:
        return []
    suspect = _suspect(probe.url, probe.final_url)
    if suspect:
        return [
            Verdict(
                "link-dead",
                f"probably dead: redirects to {suspect} ({probe.final_url}); check it and "
                "update or remove the link",
                severity="warning",
            )
        ]
    target = ""
    status = 0
    for hop in probe.chain:
        if hop.status not in PERMANENT:
            break
        target, status = hop.location, hop.status
    if not target or _same_page(probe.url, target.split("#", 1)[0]):
        return []
    if fragment and "#" not in target:
        target = f"{target}#{fragment}"
    return [
        Verdict(
            "link-redirect",
            f"moved permanently ({status}) to {target}: update the link",
            fix_url=target,
        )
    ]


def _has_anchor(fragment: str, anchors: tuple[str, ...], page: str) -> bool:
    if _SKIP_FRAGMENT.match(fragment):
        return True
    names = set(anchors)
    wanted = {fragment, unquote(fragment)}
    if (urlsplit(page).hostname or "").endswith("github.com"):
        wanted |= {f"user-content-{w}" for w in wanted}
        wanted |= {w.lower() for w in wanted}
    return bool(wanted & names)


def findings_for(doc: Document, rule: str) -> Iterator[tuple[int, int, Verdict, bool]]:
    """(start, end, verdict, rewritable) of ``rule``'s verdicts on the links of ``doc``;
    nothing outside ``listlint links``."""
    table = CURRENT.get()
    if table is None or not table.verdicts:
        return
    for link, verdicts, written in _judged(doc, table):
        for v in verdicts:
            if v.rule != rule:
                continue
            rewritable = (
                v.fix_url is not None
                and link.kind in ("inline", "definition")
                and written
                and _plain(v.fix_url)
            )
            yield link.url_start, link.url_end, v, rewritable


# The links of a document that have verdicts, found once for the five rules that ask.
_JUDGED: WeakKeyDictionary[Document, tuple[Table, list[tuple[Link, tuple[Verdict, ...], bool]]]]
_JUDGED = WeakKeyDictionary()


def _judged(doc: Document, table: Table) -> list[tuple[Link, tuple[Verdict, ...], bool]]:
    known = _JUDGED.get(doc)
    if known is not None and known[0] is table:
        return known[1]
    text = doc.text
    found = []
    for link in doc.links.all_targets():
        verdicts = table.verdicts.get(link.url)
        if not verdicts or link.kind == "reference" or (link.image and not table.images):
            continue
        found.append((link, verdicts, text[link.url_start : link.url_end] == link.url))
    _JUDGED[doc] = (table, found)
    return found


def rule_findings(doc: Document, rule: str) -> Iterator[Finding]:
    """The findings of the online rule ``rule`` (every verdict rule's ``check``): one a
    link its verdict concerns, with the rewrite to the verdict's URL where it is safe."""
    from listlint.diagnostic import Edit, Finding, Fix

    for start, end, verdict, rewritable in findings_for(doc, rule):
        fix = None
        if rewritable and verdict.fix_url is not None:
            fix = Fix(f"Use {verdict.fix_url}", (Edit(start, end, verdict.fix_url),))
        yield Finding(start, end, verdict.message, fix, verdict.severity)


_UNSAFE_IN_DESTINATION = re.compile(r"[\s<>()\\`]|&[A-Za-z0-9#]+;")


def _plain(url: str) -> bool:
    """Can ``url`` be written as a link destination as it is (no escaping needed)?"""
    return not _UNSAFE_IN_DESTINATION.search(url) and not any(ord(c) < 32 for c in url)
