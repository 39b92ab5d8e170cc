"""One arXiv recogniser for every rule: identifiers in URLs and in text, validated.

Detection is permissive (3 to 6 digits after the dot, 5 to 9 after an old-style archive) so
that a malformed id in an arXiv context is reported instead of ignored; ``problems`` then
says what is impossible about it. See ../shared/specs/arxiv-and-urls.md, Part 1.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import SplitResult, urlsplit

from listlint.lazyre import lazy
from listlint.records import NamedTuple

# The 34 archives of old-style ids, with the months they took submissions (arXiv's taxonomy:
# arxiv-base arxiv/taxonomy/definitions.py); an open end means until the scheme ended (0703).
ARCHIVE_WINDOWS: dict[str, tuple[tuple[int, int], tuple[int, int] | None]] = {
    "acc-phys": ((1994, 11), (1996, 9)),
    "adap-org": ((1993, 3), (1999, 12)),
    "alg-geom": ((1992, 2), (1997, 12)),
    "ao-sci": ((1995, 2), (1996, 9)),
    "astro-ph": ((1992, 4), None),
    "atom-ph": ((1995, 9), (1996, 9)),
    "bayes-an": ((1995, 6), (1996, 11)),
    "chao-dyn": ((1993, 1), (1999, 12)),
    "chem-ph": ((1994, 3), (1996, 9)),
    "cmp-lg": ((1994, 4), (1998, 9)),
    "comp-gas": ((1993, 2), (1999, 12)),
    "cond-mat": ((1992, 4), None),
    "cs": ((1993, 1), None),
    "dg-ga": ((1994, 6), (1997, 12)),
    "funct-an": ((1992, 4), (1997, 12)),
    "gr-qc": ((1992, 7), None),
    "hep-ex": ((1994, 4), None),
    "hep-lat": ((1992, 2), None),
    "hep-ph": ((1992, 3), None),
    "hep-th": ((1991, 8), None),
    "math": ((1992, 2), None),
    "math-ph": ((1996, 9), None),
    "mtrl-th": ((1994, 11), (1996, 9)),
    "nlin": ((1993, 1), None),
    "nucl-ex": ((1994, 12), None),
    "nucl-th": ((1992, 10), None),
    "patt-sol": ((1993, 2), (1999, 12)),
    "physics": ((1996, 10), None),
    "plasm-ph": ((1995, 9), (1996, 9)),
    "q-alg": ((1994, 12), (1997, 12)),
    "q-bio": ((2003, 9), None),
    "quant-ph": ((1994, 12), None),
    "solv-int": ((1993, 4), (1999, 12)),
    "supr-con": ((1994, 11), (1996, 9)),
}
# Rules read a document's links in the same order, so an LRU cache smaller than its number
# of distinct URLs would miss on every call (a 100,000-entry catalog has about 100,000):
# bounded, but with room for the largest lists.
URL_CACHE_SIZE = 1 << 20
LEGACY_ARCHIVES = frozenset(ARCHIVE_WINDOWS)
NEW_ID = r"(?P<yymm>\d{4})\.(?P<num>\d{3,6})(?:v(?P<ver>\d+))?"
OLD_ID = (
    r"(?P<arch>[A-Za-z]+(?:-[A-Za-z]+)?)(?:\.(?P<sc>[A-Za-z-]{2,}))?/(?P<old>\d{5,9})"
    r"(?:v(?P<over>\d+))?"
)
_ID = lazy(rf"(?:{OLD_ID}|{NEW_ID})")
_ID_EXACT = lazy(rf"(?:{OLD_ID}|{NEW_ID})(?P<pdf>\.pdf)?/?")
ARXIV_HOSTS = lazy(r"(?:(?:www|export|browse|lanl|[a-z]{2})\.)?arxiv\.org|xxx\.lanl\.gov")
ARXIV_KINDS = frozenset(("abs", "pdf", "html", "format", "ps", "src"))
# Text forms: arXiv:ID, arXiv ID, arXiv: ID, doi:10.48550/arXiv.ID, arxiv.org/abs/ID in prose.
TEXT_MENTION = lazy(
    rf"(?<![\w/.])(?:arxiv\s?:?\s?|(?:doi:\s?)?10\.48550/arxiv\.|arxiv\.org/(?:abs|pdf)/)"
    rf"(?P<id>{OLD_ID}|{NEW_ID})(?![\w.]*\w)",
    re.IGNORECASE,
)
BARE_ID = lazy(rf"(?<![\w/.])(?P<id>{NEW_ID}|{OLD_ID})(?![\w]|\.\d)")
_DIGIT = lazy(r"\d")


class ArxivId(NamedTuple):
    text: str  # as written, version included
    scheme: str  # "new" or "old"
    yymm: str
    number: str
    version: str | None
    archive: str | None = None

    @property
    def canonical(self) -> str:
        """The unversioned id, subject class dropped and archive lower-cased."""
        if self.scheme == "new":
            return f"{self.yymm}.{self.number}"
        return f"{(self.archive or '').lower()}/{self.yymm}{self.number}"

    @property
    def versioned(self) -> str:
        return self.canonical + (f"v{self.version}" if self.version is not None else "")

    def year_month(self) -> tuple[int, int]:
        yy, mm = int(self.yymm[:2]), int(self.yymm[2:])
        if self.scheme == "old":
            return (1900 + yy if yy >= 91 else 2000 + yy), mm
        return (2000 + yy if yy >= 7 else 2100 + yy), mm

    def problems(self, today: date) -> list[str]:
        """What makes this id impossible (empty when it is valid)."""
        out: list[str] = []
        year, month = self.year_month()
        if not 1 <= month <= 12:
            out.append(f"month {self.yymm[2:]} does not exist")
        if self.scheme == "new":
            out += self._new_problems(year, month, today)
        else:
            out += self._old_problems(year, month)
        if self.version is not None and (self.version.startswith("0")):
            out.append(
                "versions start at v1"
                if set(self.version) == {"0"}
                else f"version v{self.version} has a leading zero"
            )
        return out

    def _new_problems(self, year: int, month: int, today: date) -> list[str]:
        out = []
        n = len(self.number)
        if self.yymm < "0704":
            # Either before the scheme began or (read as 2100-2106) far in the future.
            return [f"new-style ids start in April 2007 (0704), not {self.yymm}"]
        elif (year, month) <= (2014, 12) and n != 4:
            out.append(f"ids from {self.yymm} have a 4-digit number, not {n} digits")
        elif (year, month) >= (2015, 1) and n != 5:
            out.append(f"ids from 1501 on have a 5-digit number, not {n} digits")
        if 1 <= month <= 12 and (year, month) > (today.year, today.month):
            out.append(f"{self.yymm} is in the future ({year}-{month:02d})")
        if set(self.number) == {"0"}:
            out.append("the number is all zeros")
        return out

    def _old_problems(self, year: int, month: int) -> list[str]:
        out = []
        archive = (self.archive or "").lower()
        if archive not in LEGACY_ARCHIVES:
            out.append(f"`{self.archive}` is not one of the 34 archives of old-style ids")
        digits = len(self.yymm) + len(self.number)
        if digits != 7:
            out.append(f"old-style ids have 7 digits (YYMMNNN), not {digits}")
        elif not (1991, 7) <= (year, month) <= (2007, 3):
            out.append(f"old-style ids run from 9107 to 0703, not {self.yymm}")
        if set(self.number) == {"0"}:
            out.append("the number is all zeros")
        return out


def archive_window_problem(ident: ArxivId) -> str | None:
    """For an old-style id of a known archive and a valid month: the archive did not take
    submissions that month (the opt-in ``archive-dates`` check)."""
    window = ARCHIVE_WINDOWS.get((ident.archive or "").lower())
    if ident.scheme != "old" or window is None:
        return None
    year, month = ident.year_month()
    first, last = window
    last = last or (2007, 3)
    if not 1 <= month <= 12 or not (1991, 7) <= (year, month) <= (2007, 3):
        return None  # reported as impossible already
    if first <= (year, month) <= last:
        return None
    span = f"{first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}"
    return f"archive `{ident.archive}` took submissions from {span}, not {year}-{month:02d}"


# Ids by their text, shared by ``parse_id`` and the URL readings that find an id (a dict,
# read in place); emptied with the other memos (``cache_clear``, as functools' have it).
_IDS: dict[str, ArxivId | None] = {}
_IDS_MEMO = SimpleNamespace(cache_clear=_IDS.clear)
_new = tuple.__new__  # a record from its fields in order: half the cost of calling its class


def parse_id(text: str) -> ArxivId | None:
    if text in _IDS:
        return _IDS[text]
    if len(_IDS) >= URL_CACHE_SIZE:
        _IDS.clear()
    m = _ID.fullmatch(text)
    found = _IDS[text] = _from_match(m, text) if m else None
    return found


def _from_match(m: re.Match[str], text: str) -> ArxivId:
    if m.group("arch") is not None:
        digits = m.group("old")
        return ArxivId(text, "old", digits[:4], digits[4:], m.group("over"), m.group("arch"))
    return _new(ArxivId, (text, "new", m.group("yymm"), m.group("num"), m.group("ver"), None))


class ArxivUrl(NamedTuple):
    id: ArxivId
    kind: str  # abs, pdf, html, format, ps, src; "doi" or "mirror" for other services
    scheme: str
    host: str
    on_arxiv: bool  # served by arxiv.org or one of its own hosts
    pdf_suffix: bool
    has_query_or_fragment: bool
    id_start: int  # offsets of the id inside the URL string
    id_end: int


# A URL without port, user, query, fragment or anything urlsplit would clean up: its parts
# are read directly (tests/test_urlnorm.py checks they are what urlsplit gives).
_PLAIN_URL = lazy(r"([Hh][Tt][Tt][Pp][Ss]?)://([A-Za-z0-9.-]+)(/[\x21\x22\x24-\x3e\x40-\x7e]*)?")


def _split(url: str) -> tuple[SplitResult, str] | None:
    """An http(s) URL's parts and lower-cased host; None for anything else."""
    m = _PLAIN_URL.fullmatch(url)
    if m is not None:
        host = m.group(2)
        parts = SplitResult(m.group(1).lower(), host, m.group(3) or "", "", "")
        return parts, host.lower()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return parts, host


# The form most lists use, read in one match (tests/test_urlnorm.py checks it gives what
# the general reading gives): scheme, host, kind, id (its YYMM, number, version), `.pdf`.
_CANONICAL = lazy(
    r"(https?)://(arxiv\.org|www\.arxiv\.org|export\.arxiv\.org)/(abs|pdf)/"
    r"((\d{4})\.(\d{4,5})(?:v(\d+))?)(\.pdf)?"
)


@lru_cache(maxsize=URL_CACHE_SIZE)
def parse_url(url: str) -> ArxivUrl | None:
    """The arXiv paper a URL points at, in any form the spec lists; None otherwise."""
    m = _CANONICAL.fullmatch(url)
    if m is None:
        return _parse_url(url)
    scheme, host, kind, text, yymm, number, version, pdf = m.groups()
    ident = _IDS.get(text)
    if ident is None:  # what parse_id reads from it (a new-style id: its three parts)
        if len(_IDS) >= URL_CACHE_SIZE:
            _IDS.clear()
        ident = _IDS[text] = _new(ArxivId, (text, "new", yymm, number, version, None))
    # id, kind, scheme, host, on_arxiv, pdf_suffix, query, id_start, id_end
    return _new(ArxivUrl, (ident, kind, scheme, host, True, pdf is not None, False, *m.span(4)))


def may_be_paper(url: str) -> bool:
    """False where ``parse_url(url)`` is None for certain: none of the hints that every
    form it reads holds is in the URL's first 64 characters, lower-cased (most URLs)."""
    low = url[:64].lower()
    # (a search for any of them costs more than these tests)
    return (
        "arxiv" in low
        or "ar5iv" in low
        or "48550" in low
        or "lanl.gov" in low
        or "alphaxiv" in low
        or "huggingface.co/papers" in low
        or "semanticscholar" in low
    )


def _parse_url(url: str) -> ArxivUrl | None:
    if not may_be_paper(url):
        return None
    split = _split(url)
    if split is None:
        return None
    parts, host = split
    scheme = parts.scheme.lower()
    path = parts.path
    extra = bool(parts.query or parts.fragment)
    path_start = url.find(path, len(scheme) + 3) if path else len(url)
    segments = path.split("/")
    on_arxiv = ARXIV_HOSTS.fullmatch(host) is not None and host not in ("info.arxiv.org",)
    candidates: list[tuple[str, int]] = []  # (kind, offset of the id inside path)
    if on_arxiv and len(segments) >= 3 and segments[1] in ARXIV_KINDS:
        candidates.append((segments[1], len(segments[1]) + 2))
    elif host.endswith("ar5iv.labs.arxiv.org") or host in ("ar5iv.org", "www.ar5iv.org"):
        if len(segments) >= 3 and segments[1] in ("html", "abs", "pdf", "papers"):
            candidates.append(("mirror", len(segments[1]) + 2))
    elif host in ("doi.org", "dx.doi.org", "www.doi.org"):
        m = re.match(r"/10\.48550/arxiv\.", path, re.IGNORECASE)
        if m:
            candidates.append(("doi", m.end()))
    elif host in ("huggingface.co", "www.huggingface.co"):
        if (
            len(segments) >= 3
            and segments[1] == "papers"
            and re.fullmatch(r"\d{4}\.\d{3,6}(v\d+)?", segments[2])
        ):
            candidates.append(("mirror", len("papers") + 2))
    elif host in ("alphaxiv.org", "www.alphaxiv.org"):
        if len(segments) >= 3 and segments[1] in ("abs", "overview", "pdf"):
            candidates.append(("mirror", len(segments[1]) + 2))
    elif host in ("semanticscholar.org", "www.semanticscholar.org") and path.startswith("/arxiv/"):
        candidates.append(("mirror", len("/arxiv/")))
    elif host == "api.semanticscholar.org":
        m = re.match(r"/graph/v1/paper/arxiv:", path, re.IGNORECASE)
        if m:
            candidates.append(("mirror", m.end()))
    for kind, offset in candidates:
        m = _ID_EXACT.fullmatch(path, offset)
        if m is None:
            continue
        ident_end = m.end("pdf") - 4 if m.group("pdf") else m.end() - path.endswith("/")
        ident_text = path[offset:ident_end]
        ident = parse_id(ident_text)
        if ident is None:
            continue
        return ArxivUrl(  # id, kind, scheme, host, on_arxiv, pdf_suffix, query, id_start, id_end
            ident,
            kind,
            scheme,
            host,
            kind in ARXIV_KINDS,
            m.group("pdf") is not None,
            extra,
            path_start + offset,
            path_start + ident_end,
        )
    return None


def malformed_paper_path(url: str) -> str | None:
    """The id part of an arxiv.org paper URL (/abs/, /pdf/, ...) that holds no arXiv id."""
    if "arxiv" not in url[:40].lower() or parse_url(url) is not None:
        return None
    split = _split(url)
    if split is None:
        return None
    parts, host = split
    segments = parts.path.split("/")
    if ARXIV_HOSTS.fullmatch(host) and len(segments) >= 3 and segments[1] in ARXIV_KINDS:
        ident = "/".join(segments[2:]).removesuffix(".pdf").rstrip("/")
        if ident and ident[0].isdigit():
            return ident
    return None


class Mention(NamedTuple):
    id: ArxivId
    start: int  # offsets of the id in the scanned string
    end: int


def find_mentions(text: str, *, bare: bool = False) -> list[Mention]:
    """arXiv ids in text: with an arXiv prefix, or (``bare``) any id-shaped token."""
    if bare:
        if _DIGIT.search(text) is None:  # every id holds digits (most labels: "Paper")
            return []
    elif "xiv" not in text and "Xiv" not in text and "XIV" not in text and "48550" not in text:
        return []
    out = []
    ids = _IDS
    for m in BARE_ID.finditer(text) if bare else _text_mentions(text):
        start, end = m.span("id")
        written = text[start:end]
        ident = ids[written] if written in ids else parse_id(written)
        if ident is not None:
            out.append(_new(Mention, (ident, start, end)))
    return out


def _text_mentions(text: str) -> list[re.Match[str]]:
    """``list(TEXT_MENTION.finditer(text))``, tried only where a match can start.

    The pattern's lookbehind keeps the regular-expression engine from skipping ahead, so
    finditer costs as much on plain prose as on mentions. Every match starts at ``arxiv``
    or ``10.48550`` (any case), or at a ``doi:`` four or five characters before the latter:
    those places are found with ``str.find`` on the lower-cased text, and matched in order
    as finditer would. The lower-cased text must keep every offset (and the two letters
    that IGNORECASE also matches with ``i``, U+0130 and U+0131, must be absent); otherwise
    finditer runs as it is.
    """
    low = text.lower()
    if len(low) != len(text) or "\u0130" in text or "\u0131" in text:
        return list(TEXT_MENTION.finditer(text))
    first = low.find("arxiv")
    if "10.48550" not in low:
        # Most texts (a label, a cell): one `arxiv`, matched there.
        if first == -1:
            return []
        if low.find("arxiv", first + 1) == -1:
            m = TEXT_MENTION.match(text, first)
            return [] if m is None else [m]
    starts: set[int] = set()
    for literal in ("arxiv", "10.48550"):
        i = low.find(literal)
        while i != -1:
            starts.add(i)
            if literal == "10.48550":
                starts.update(j for j in (i - 4, i - 5) if j >= 0)
            i = low.find(literal, i + 1)
    out = []
    pos = 0
    for start in sorted(starts):
        if start < pos:
            continue
        m = TEXT_MENTION.match(text, start)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


def check_today(option: str) -> None:
    """A ``today`` option that is not a date: ValueError saying what it must be."""
    if option:
        try:
            date.fromisoformat(option)
        except ValueError:
            raise ValueError(f"'today' must be a date written YYYY-MM-DD, not {option!r}") from None


def today_from(option: str) -> date:
    """The ``today`` option (YYYY-MM-DD) or the clock's date."""
    return date.fromisoformat(option) if option else date.today()
