"""URL normalisation for duplicate detection: every spelling of one page gets one key.

The pipeline and its defaults follow ../shared/specs/arxiv-and-urls.md, Part 2 (RFC 3986
section 6 normalisation, plus list-linting heuristics: http and https, ``www.``, one
trailing slash, ``utm_*`` parameters; arXiv, DOI, GitHub and YouTube identities).
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from urllib.parse import quote, urlsplit

from listlint.arxiv import _CANONICAL as _ARXIV_CANONICAL
from listlint.arxiv import URL_CACHE_SIZE, may_be_paper
from listlint.arxiv import parse_url as parse_arxiv
from listlint.lazyre import lazy
from listlint.records import NamedTuple

_PERCENT = lazy(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_NON_ASCII = lazy(r"[^\x21-\x7e]")
DEFAULT_PORTS = {"http": "80", "https": "443"}
TRACKING = frozenset(
    ("fbclid", "gclid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "source", "si")
)
DIRECTORY_INDEX = lazy(r"/(?:index\.(?:html?|php)|default\.aspx)$", re.IGNORECASE)
_YOUTUBE_ID = lazy(r"[A-Za-z0-9_-]{6,}")
# The hosts whose keys are more than host and path: DOI, YouTube and the forges' paths.
_SPECIAL_HOSTS = frozenset(
    (
        "doi.org",
        "dx.doi.org",
        "youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "github.com",
        "gitlab.com",
        "codeberg.org",
    )
)


class NormOptions(NamedTuple):
    """Optional steps of the URL normalisation pipeline (all off: the default key)."""

    sort_query: bool = False
    drop_tracking: bool = False
    ignore_fragments: bool = False
    case_insensitive_hosts: tuple[str, ...] = ()
    remove_directory_index: bool = False
    fold_forges: bool = False
    arxiv_versions: bool = False


_DEFAULT = NormOptions()


def _percent(part: str) -> str:
    """Upper-case escapes, decode unreserved characters, escape what is not ASCII."""

    def fix(m: re.Match[str]) -> str:
        ch = chr(int(m.group(1), 16))
        return ch if ch in _UNRESERVED else f"%{m.group(1).upper()}"

    if "%" in part:
        part = _PERCENT.sub(fix, part)
    return _NON_ASCII.sub(lambda m: quote(m.group(), safe=""), part)


def remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4."""
    if "." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == ".":
            if last:
                out.append("")
        elif seg == "..":
            if len(out) > 1:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(seg)
    result = "/".join(out)
    return result if result.startswith("/") or not path.startswith("/") else "/" + result


def _host(raw: str) -> str:
    host = raw.lower().rstrip(".")
    if not host.isascii():
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    return host


# Most URLs of a list are plain: a scheme, a host of letters, digits and dots, a path of
# printable ASCII without escapes, no port, query or fragment. For them urlsplit and the
# percent and dot-segment steps change nothing but the host's case (tests/test_urlnorm.py
# checks that both ways give the same parts).
_PLAIN = lazy(
    r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    r"(/[\x21\x22\x24\x26-\x3e\x40-\x7e]*)?"
)

# The same with a query and a fragment of printable ASCII without escapes (no ``%``; no
# ``#`` in the fragment): urlsplit splits them at the first ``?`` and the first ``#``, and
# the percent step changes nothing in them (the URLs of many lists: ``#readme``,
# ``?utm_source=...``).
_PLAIN_QUERY = lazy(
    r"[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)"
    r"(/[\x21\x22\x24\x26-\x3e\x40-\x7e]*)?"
    r"(?:\?([\x21\x22\x24\x26-\x7e]*))?(?:#([\x21\x22\x24\x26-\x7e]*))?"
)

Parts = tuple[str, int | None, str, str, str]  # host, port, path, query, fragment


def split_plain(url: str) -> Parts | None:
    """The parts of a plain http(s) URL (a query and a fragment allowed), read without
    urlsplit; None if it is not plain."""
    m = _PLAIN_QUERY.fullmatch(url)
    if m is None:
        return None
    path = m.group(2) or "/"
    if "/." in path:
        return None  # a dot segment, maybe
    return m.group(1).lower(), None, path, m.group(3) or "", m.group(4) or ""


def plain_host(url: str) -> str | None:
    """The host of a plain http(s) URL as urlsplit's ``hostname`` gives it (lower case);
    None when the URL is not plain (then ask urlsplit)."""
    m = _PLAIN.fullmatch(url)
    return m.group(1).lower() if m is not None else None


def split_url(url: str) -> Parts | None:
    """The normalised parts of an http(s) URL (host lower-cased, IDNA; default port
    dropped; escapes normalised; dot segments removed); None for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    if port is not None and str(port) == DEFAULT_PORTS.get(scheme):
        port = None
    path = remove_dot_segments(_percent(parts.path)) or "/"
    return _host(parts.hostname), port, path, _percent(parts.query), _percent(parts.fragment)


@lru_cache(maxsize=URL_CACHE_SIZE)
def url_key(url: str, options: NormOptions = _DEFAULT) -> str | None:
    """The duplicate key of an absolute http(s) URL (or a ``www.`` autolink); None for
    anything else (relative links, anchors, other schemes)."""
    url = url.strip()
    m = _ARXIV_CANONICAL.fullmatch(url)
    if m is not None:
        # The common arXiv form (a plain URL: what follows gives the same): its id is
        # YYMM.NNNN(N) with an optional version, the canonical id the part before `v`.
        ident = m.group(4)
        return "arxiv:" + (ident if options.arxiv_versions else ident.partition("v")[0])
    return _key(url, options)


def _key(url: str, options: NormOptions) -> str | None:
    """``url_key`` of a stripped URL, without the arXiv fast path."""
    # (Only a w or W lower-cases to a w: other URLs are not lower-cased for this test.)
    if url[:1] in "wW" and url.lower().startswith("www."):
        url = "http://" + url
    m = _PLAIN.fullmatch(url)  # split_plain(url), in place: most URLs
    path = (m.group(2) or "/") if m is not None else ""
    if m is not None and "/." not in path:
        host, port, query, fragment = m.group(1).lower(), None, "", ""
    else:
        # with a query or a fragment (split_plain), or else urlsplit's reading
        split = (split_plain(url) if m is None else None) or split_url(url)
        if split is None:
            return None
        host, port, path, query, fragment = split
    arxiv = parse_arxiv(url) if may_be_paper(url) else None
    if arxiv is not None:
        return "arxiv:" + (arxiv.id.versioned if options.arxiv_versions else arxiv.id.canonical)
    if host.startswith("www."):
        host = host[4:]
    if (
        port is None
        and not query
        and not fragment
        and host not in _SPECIAL_HOSTS
        and not options.case_insensitive_hosts
        and not options.remove_directory_index
    ):
        # Most URLs: what follows gives the host and the path without its trailing slash.
        return host + path[:-1] if len(path) > 1 and path.endswith("/") else host + path
    if host in ("doi.org", "dx.doi.org") and len(path) > 1:
        return "doi:" + path[1:].lower()
    video = _youtube(host, path, query)
    if video is not None:
        return video
    path = _github_path(host, path, options)
    if host in options.case_insensitive_hosts:
        path = path.lower()
    if options.remove_directory_index:
        path = DIRECTORY_INDEX.sub("/", path)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = _query(query, options)
    if fragment.startswith(":~:") or options.ignore_fragments:
        fragment = ""
    key = f"{host}{':' + str(port) if port is not None else ''}{path}"
    if query:
        key += "?" + query
    if fragment:
        key += "#" + fragment
    return key


def _query(query: str, options: NormOptions) -> str:
    if not query:
        return ""
    params = [p for p in query.split("&") if p]
    kept = []
    for p in params:
        name = p.split("=", 1)[0].lower()
        if name.startswith("utm_") or (options.drop_tracking and name in TRACKING):
            continue
        kept.append(p)
    if options.sort_query:
        kept.sort()
    return "&".join(kept)


def _youtube(host: str, path: str, query: str) -> str | None:
    video = None
    if host in ("youtube.com", "m.youtube.com", "music.youtube.com"):
        if path == "/watch":
            for p in query.split("&"):
                if p.startswith("v="):
                    video = p[2:]
        elif path.startswith(("/embed/", "/shorts/", "/live/", "/v/")):
            video = path.split("/")[2]
    elif host in ("youtu.be",):
        video = path[1:].split("/")[0]
    elif host in ("youtube-nocookie.com",) and path.startswith("/embed/"):
        video = path.split("/")[2]
    if video and _YOUTUBE_ID.fullmatch(video):
        return f"youtube:{video}"
    return None


def _github_path(host: str, path: str, options: NormOptions) -> str:
    """Owner and repository folded to lower case; a bare repository URL loses ``.git``.
    Deeper segments (branches, file paths) keep their case."""
    forges = (
        ("github.com", "gitlab.com", "codeberg.org") if options.fold_forges else ("github.com",)
    )
    if host not in forges:
        return path
    segments = path.split("/")
    if len(segments) < 3 or not segments[1] or not segments[2]:
        return path
    segments[1] = segments[1].lower()
    segments[2] = segments[2].lower()
    if len(segments) == 3 or segments[3:] == [""]:
        segments[2] = segments[2].removesuffix(".git")
    return "/".join(segments)
