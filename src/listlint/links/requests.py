"""The HTTP side: one asyncio client (aiohttp) with the limits a polite checker keeps.

- at most ``concurrency`` requests in flight, ``host-concurrency`` to one host, and
  ``host-interval`` seconds between the starts of two requests to one host; a URL's
  follow-up requests (retries, the GET after a HEAD, redirect hops) go before the host's
  first requests still waiting;
- HEAD first, GET when HEAD is refused (405, 501: GET for the rest of the run) or its
  error answer needs a second look (403, 401, 5xx ...), and for hosts known to answer HEAD
  wrongly. A dead HEAD answer (404, 410) is always confirmed by GET; a host whose HEAD said
  dead where GET did not is asked with GET from then on. A bot wall that HEAD's headers
  name (Cloudflare) needs no GET. A URL that failed its last run is asked with GET
  straight away (its HEAD would need GET's word anyway). Bodies read only when needed
  (bot walls, fragments) and never beyond ``max-body`` bytes;
- connect and total timeouts; retries with exponential backoff and jitter after timeouts,
  connection errors (a refused connection too: a server restarting refuses for a moment)
  and 5xx; 429 and 503 wait for ``Retry-After`` (seconds or an HTTP
  date) up to ``max-retry-wait``, longer waits give up (the link is unverifiable). Only
  the URL waits, unless the host refuses a request sent after an earlier 429 too (it
  limits everything): then the whole host waits, and is paced from then on (AIMD, as TCP
  paces a congested link): each such 429 halves the rate at which the host is sent
  requests (at most once for the requests sent at one rate), each other answer raises
  it by 0.1 request a second, back to ``host-interval`` in the end;
- redirects followed by hand, at most 10, the chain kept, loops detected, only to http
  and https;
- configured headers (credentials) sent only to URLs under their prefix, so never to a
  host a redirect leads to; they never appear in a result;
- through a proxy when ``proxy`` is set or the environment names one (``HTTPS_PROXY``,
  ``HTTP_PROXY``, lower case too), except for the hosts ``NO_PROXY`` lists. (aiohttp's
  own ``trust_env`` is not used: it would also send ``~/.netrc`` passwords to hosts.)
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import re
import socket
import time
from collections import deque
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from listlint.links.tls import Tls, no_ca_loading

with no_ca_loading():  # listlint's requests bring their own context (tls.py)
    import aiohttp

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from listlint.links.settings import Settings

MAX_REDIRECTS = 10
REDIRECTS = frozenset((301, 302, 303, 307, 308))
# Hosts that answer HEAD with errors or different pages than GET.
GET_ONLY_HOSTS = frozenset(
    (
        "twitter.com",
        "x.com",
        "www.linkedin.com",
        "linkedin.com",
        "medium.com",
        "www.amazon.com",
        "amazon.com",
        "play.google.com",
        "apps.apple.com",
        "www.reddit.com",
        "reddit.com",
    )
)
_SNIFF = 64 * 1024  # bytes read to recognise a bot wall
_BOT_WALLS = re.compile(
    rb"<title>\s*(?:Just a moment|Attention Required|Access denied|Checking your browser)"
    rb"|challenge-platform|cf-chl-|cf_chl_|_cf_chl|captcha-delivery|px-captcha|"
    rb"g-recaptcha|h-captcha|hcaptcha\.com|DDoS protection by|Please enable (?:JS|JavaScript)"
    rb"|datadome|perimeterx|Incapsula incident|Request unsuccessful\. Incapsula",
    re.IGNORECASE,
)
_ANCHOR = re.compile(rb"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


class Hop(NamedTuple):
    status: int
    location: str  # where it sent the request


class Probe(NamedTuple):
    """What the network said about one URL (without fragment)."""

    url: str
    status: int | None = None  # the final answer's status (None: no answer)
    final_url: str = ""
    chain: tuple[Hop, ...] = ()
    error: str = ""  # dns, refused, timeout, tls, connection, scheme, loop, redirects
    detail: str = ""  # what happened, for people
    bot_wall: str = ""  # who answered instead of the site (cloudflare, captcha, ...)
    retry_after: float | None = None  # a wait asked for and not honoured
    tries: int = 1  # attempts at the final URL
    anchors: tuple[str, ...] | None = None  # ids and names of the page, when read

    def to_json(self) -> dict[str, Any]:
        out = self._asdict()
        out["chain"] = [list(h) for h in self.chain]
        out["anchors"] = list(self.anchors) if self.anchors is not None else None
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Probe:
        values = dict(data)
        values["chain"] = tuple(Hop(int(s), str(u)) for s, u in values.get("chain", ()))
        anchors = values.get("anchors")
        values["anchors"] = tuple(anchors) if anchors is not None else None
        return cls(**values)


class _Answer(NamedTuple):
    status: int | None
    location: str
    error: str
    detail: str
    bot_wall: str
    retry_after: float | None
    tries: int
    anchors: tuple[str, ...] | None
    host_wide: bool = False  # a 429 that shows the whole host is limiting
    slot_kept: bool = False  # a HEAD answer whose host slot is kept for the GET after it
    method: str = "GET"  # the request's method


_DEAD = frozenset((404, 410))


def _needs_get(head: _Answer) -> bool:
    """Whether GET must look again at this answer to HEAD: an error status, except 429
    (retried as it is) and a bot wall its headers name."""
    status = head.status
    return status is not None and status >= 400 and status != 429 and not head.bot_wall


class Host:
    """The limits of one host and what the run learned about it.

    ``host-concurrency`` slots handed out in order of urgency: a URL's follow-up requests
    (a retry, the GET after a HEAD, the next hop of a redirect) go before the host's first
    requests still waiting, so they never queue behind the rest of the host's URLs.
    """

    __slots__ = (
        "floor",
        "free",
        "head_ok",
        "limited_since",
        "next_start",
        "pace",
        "queue",
        "slowed",
        "starts",
        "waiting",
    )

    def __init__(self, limit: int, interval: float = 0.0) -> None:
        self.free = limit
        self.queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self.next_start = 0.0
        self.head_ok = True  # False: HEAD refused or lied here; GET only
        self.limited_since: float | None = None  # the first of the 429s in a row arrived
        self.waiting = 0
        self.floor = interval  # host-interval: the pace never goes below it
        self.pace = interval  # seconds between the starts of two requests here (adapted)
        self.starts: deque[float] = deque(maxlen=8)  # when the last requests were sent
        self.slowed = -1.0  # when the pace was last slowed down

    async def acquire(self, urgent: bool) -> None:
        if self.free > 0 and not self.queue:
            self.free -= 1
            return
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self.queue, (0 if urgent else 1, next(_ORDER), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # the slot was handed over just before the cancel
            raise

    def release(self) -> None:
        while self.queue:
            future = heapq.heappop(self.queue)[2]
            if not future.done():
                future.set_result(None)  # the slot passes to the next in line
                return
        self.free += 1

    def limited(self, started: float, status: int | None, now: float) -> bool:
        """Note an answer to a request started at ``started``; True when this 429 shows
        that the host limits every request: a request sent after an earlier 429 arrived
        was refused too, and none sent since was answered otherwise. Then the whole host
        waits, and is paced slower; a 429 on one URL alone makes only that URL wait."""
        if status == 429:
            if self.limited_since is None:
                self.limited_since = now
                return False
            if started < self.limited_since:
                return False
            self._slow_down(started, now)
            return True
        if status is not None:
            if self.limited_since is not None and started >= self.limited_since:
                self.limited_since = None  # answered after the 429: not (or no longer) host-wide
            if self.pace > self.floor and started >= self.slowed:
                self._speed_up()
        return False

    def _slow_down(self, started: float, now: float) -> None:
        """Half the rate the host was sent requests at (the pace, or the time between
        its last requests sent, the median: a pause is no measure of it), once for the
        requests sent at one rate."""
        if started < self.slowed:
            return  # sent before the last slow-down, which this 429 does not question
        gaps = sorted(b - a for a, b in itertools.pairwise(self.starts))
        gap = gaps[(len(gaps) - 1) // 2] if gaps else 0.0
        self.pace = min(PACE_MAX, max(2 * self.pace, 2 * gap, PACE_MIN))
        self.slowed = now

    def _speed_up(self) -> None:
        """An answer other than 429 at this pace: 0.1 request a second more."""
        rate = 1 / self.pace + RATE_STEP
        self.pace = 1 / rate if rate < 1 / PACE_MIN else self.floor
        self.pace = max(self.pace, self.floor)


_ORDER = itertools.count()
_NETLOC = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#]*)")  # as urlsplit's netloc
PACE_MIN = 0.05  # a host-wide 429 slows a host to 20 requests a second at least
PACE_MAX = 10.0  # and never below one request in 10 s
RATE_STEP = 0.1  # requests a second more for each answer that is not a 429


class ProxyError(ValueError):
    """A proxy URL that cannot be used (one line naming where it came from)."""


class Proxies:
    """The proxy for a URL: ``proxy`` from the settings, else the environment's
    ``HTTPS_PROXY`` / ``HTTP_PROXY`` by the URL's scheme; none for ``NO_PROXY`` hosts.

    ``NO_PROXY`` as curl and httpx read it: comma-separated host names (a domain covers
    the hosts under it; a leading dot or ``*.`` changes nothing), IP addresses (IPv6 with
    or without brackets), CIDR ranges (``10.0.0.0/8``, ``fd00::/8``), each optionally with
    ``:port``, and ``*`` for every host. ``ProxyError`` when a proxy URL is unusable."""

    def __init__(self, configured: str, environ: Mapping[str, str]) -> None:
        def env(name: str) -> tuple[str, str]:
            for key in (name.lower(), name.upper()):
                if environ.get(key):
                    return environ[key], key
            return "", name

        self.by_scheme: dict[str, str] = {}
        for scheme in ("https", "http"):
            value, where = (configured, "proxy") if configured else env(f"{scheme}_proxy")
            if value:
                _check_proxy(value, where)
            self.by_scheme[scheme] = value
        self.no_proxy = [
            _no_proxy_entry(entry) for entry in env("no_proxy")[0].split(",") if entry.strip()
        ]
        self._any = any(self.by_scheme.values())

    def __bool__(self) -> bool:
        return self._any

    def for_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        proxy = self.by_scheme.get(parts.scheme.lower())
        if not proxy:
            return None
        host = (parts.hostname or "").lower()
        try:
            port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:
            port = None  # not a URL anyone can reach; the request says so
        address = _ip(host)
        for name, network, entry_port in self.no_proxy:
            if entry_port is not None and entry_port != port:
                continue
            if name == "*":
                return None
            if network is not None:
                same = address is not None and address.version == network.version
                if same and address in network:
                    return None
                continue
            if host == name or host.endswith("." + name):
                return None  # NO_PROXY: this host, or a domain above it
        return proxy


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _ip(host: str) -> Any:
    """The IP address ``host`` is, or None for a host name."""
    import ipaddress

    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _no_proxy_entry(raw: str) -> tuple[str, Any, int | None]:
    """(host name, IP network or None, port or None) of one ``NO_PROXY`` entry."""
    import ipaddress

    entry = raw.strip().lower()
    port: int | None = None
    if entry.startswith("["):  # [::1] or [::1]:8080
        host, _, rest = entry[1:].partition("]")
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        entry = host
    elif entry.count(":") == 1:  # host:port or 10.0.0.1:8080 (IPv6 has more colons)
        host, _, digits = entry.partition(":")
        if digits.isdigit():
            entry, port = host, int(digits)
    try:
        network = ipaddress.ip_network(entry, strict=False)
    except ValueError:
        network = None
    if network is not None:
        return entry, network, port
    return entry.removeprefix("*.").lstrip("."), None, port


def _check_proxy(value: str, where: str) -> None:
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError as exc:
        raise ProxyError(f"{where}: {value!r} is not a usable proxy URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ProxyError(f"{where}: {value!r} is not a usable proxy URL (http://host:port)")


class Client:
    """``async with Client(settings) as c: await c.probe(url)``."""

    def __init__(self, settings: Settings, environ: Mapping[str, str]) -> None:
        self.settings = settings
        self.hosts: dict[str, Host] = {}
        self.requests = 0  # HTTP requests sent (retries and redirects included)
        self.in_flight = 0
        self._global = asyncio.Semaphore(settings.concurrency)
        self._session: aiohttp.ClientSession | None = None
        self._headers: list[tuple[tuple[str, str, int | None, str], dict[str, str]]] = []
        self.missing_env: list[str] = []
        for prefix, table in settings.headers.items():
            values = {}
            for header, env in table.items():
                if env in environ:
                    values[header] = environ[env]
                else:
                    self.missing_env.append(f"{env} (header {header} for {prefix})")
            if values:
                self._headers.append((_prefix(prefix), values))
        self.sleep: Callable[[float], Any] = asyncio.sleep
        self.proxies = Proxies(settings.proxy, environ)
        self.tls = Tls()  # the CA store is loaded on the first https request
        # The answer for each URL asked in this run (or the future of it, while it is
        # asked): a redirect's target reached from several URLs, or also listed itself, is
        # requested once. Keyed by (URL, whether the page's ids were read).
        self._answers: dict[tuple[str, bool], asyncio.Future[_Answer]] = {}

    async def __aenter__(self) -> Client:
        s = self.settings
        connector = aiohttp.TCPConnector(
            limit=s.concurrency, limit_per_host=s.host_concurrency, ttl_dns_cache=600
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(total=s.timeout, sock_connect=s.connect_timeout),
            headers={
                "User-Agent": s.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Language": "en-US,en;q=0.9",
            },
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            trust_env=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    def credentials(self, url: str) -> dict[str, str]:
        """The configured headers whose prefix ``url`` is under (scheme, host, port, path)."""
        if not self._headers:
            return {}
        parts = urlsplit(url)
        try:
            here = (parts.scheme, (parts.hostname or "").lower(), parts.port)
        except ValueError:
            return {}  # no valid port: never sent, so nothing to send with it
        out: dict[str, str] = {}
        for (scheme, host, port, path), values in self._headers:
            if (scheme, host, port) == here and parts.path.startswith(path):
                out.update(values)
        return out

    def host(self, url: str) -> Host:
        m = _NETLOC.match(url)
        netloc = (m[1] if m else urlsplit(url).netloc).lower()
        h = self.hosts.get(netloc)
        if h is None:
            s = self.settings
            h = self.hosts[netloc] = Host(s.host_concurrency, s.host_interval)
            if netloc.split(":")[0] in GET_ONLY_HOSTS:
                h.head_ok = False
        return h

    async def probe(self, url: str, *, anchors: bool = False, get_first: bool = False) -> Probe:
        """Request ``url``, following redirects; ``anchors``: read the page's ids;
        ``get_first``: ask ``url`` itself with GET, no HEAD before it (a URL that failed
        its last run: GET would have to confirm HEAD's error answer anyway)."""
        chain: list[Hop] = []
        seen = {url}
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            a = await self._shared(current, anchors, hop > 0, get_first and hop == 0)
            if a.error or a.status is None:
                return Probe(url, None, current, tuple(chain), a.error, a.detail, tries=a.tries)
            if a.status in REDIRECTS and a.location:
                nxt = urljoin(current, a.location.strip())
                chain.append(Hop(a.status, nxt))
                scheme = urlsplit(nxt).scheme.lower()
                if scheme not in ("http", "https"):
                    detail = f"redirects to a {scheme or 'schemeless'}: URL, not followed"
                    return Probe(url, a.status, nxt, tuple(chain), "scheme", detail)
                if not _valid_port(nxt):
                    detail = f"redirects to {nxt}, which is not a valid URL (its port)"
                    return Probe(url, a.status, nxt, tuple(chain), "invalid", detail)
                bare = nxt.split("#", 1)[0]
                if bare in seen:
                    return Probe(url, a.status, nxt, tuple(chain), "loop", "redirect loop")
                seen.add(bare)
                current = bare
                continue
            return Probe(
                url,
                a.status,
                current,
                tuple(chain),
                "",
                a.detail,
                a.bot_wall,
                a.retry_after,
                a.tries,
                a.anchors,
            )
        detail = f"more than {MAX_REDIRECTS} redirects"
        return Probe(url, None, current, tuple(chain), "redirects", detail)

    async def _shared(
        self, url: str, anchors: bool, urgent: bool, get_first: bool = False
    ) -> _Answer:
        """``_fetch(url)`` once a run: a URL asked already (or being asked) gets the same
        answer. An answer read with the page's ids serves a question without them too."""
        answers = self._answers
        known = answers.get((url, True)) or (None if anchors else answers.get((url, False)))
        if known is not None:
            return await asyncio.shield(known)
        future = answers[(url, anchors)] = asyncio.get_running_loop().create_future()
        try:
            answer = await self._fetch(url, anchors, urgent, get_first)
        except BaseException:
            del answers[(url, anchors)]
            future.cancel()
            raise
        future.set_result(answer)
        return answer

    async def _fetch(self, url: str, anchors: bool, urgent: bool, get_first: bool) -> _Answer:
        """One URL (no redirect followed): HEAD when the host can be trusted with it, GET
        when HEAD's answer needs a second look. A dead answer never stands on HEAD alone
        (a host can route HEAD right for some pages and not for others); a host whose
        HEAD said dead where GET did not is asked with GET for the rest of the run."""
        host = self.host(url)
        if host.head_ok and not anchors and not get_first:
            head = await self._tries(url, "HEAD", host, False, urgent)
            if head.method == "GET" or not _needs_get(head):
                return head  # GET's answer (HEAD was given up while it waited) or HEAD's
            if head.status in (405, 501):
                host.head_ok = False  # this host refuses HEAD: GET from now on
            got = await self._tries(url, "GET", host, anchors, True, held=head.slot_kept)
            if head.status in _DEAD and got.status is not None and got.status < 400:
                host.head_ok = False  # HEAD lied here
            return got
        return await self._tries(url, "GET", host, anchors, urgent)

    async def _tries(
        self, url: str, method: str, host: Host, anchors: bool, urgent: bool, held: bool = False
    ) -> _Answer:
        """Requests to ``url`` until an answer stands, as the settings say: HEAD answers
        with an error are returned at once (GET decides), except 429."""
        s = self.settings
        tries = 0
        while True:
            tries += 1
            answer = await self._once(url, method, host, anchors, urgent, held)
            urgent, held = True, False  # a retry goes before the host's first requests
            if tries > 1:
                answer = answer._replace(tries=tries)
            status = answer.status
            if answer.method == "HEAD" and status is not None and status >= 400 and status != 429:
                return answer
            retryable = answer.error in ("timeout", "connection", "refused") or (
                status is not None and status >= 500 and status != 501
            )
            if status in (429, 503):
                wait = answer.retry_after
                if wait is not None and wait > s.max_retry_wait:
                    return answer  # asked to wait longer than a run may: give up
                retryable = True
            else:
                wait = None
            if answer.host_wide:  # the whole host waits, whether this URL tries again or not
                pause = wait if wait is not None else s.backoff
                host.next_start = max(host.next_start, time.monotonic() + pause)
            if not retryable or tries > s.retries:
                return answer
            if wait is None:
                wait = s.backoff * 2 ** (tries - 1) * random.uniform(0.5, 1.5)
            await self.sleep(wait)

    async def _once(
        self, url: str, method: str, host: Host, anchors: bool, urgent: bool, held: bool
    ) -> _Answer:
        """One request. ``held``: the host slot is this URL's already (kept from its
        HEAD); a HEAD answer that GET must look at again keeps the slot for that GET."""
        assert self._session is not None
        host.waiting += 1
        if not held:
            await host.acquire(urgent)
        keep = False
        if method == "HEAD" and not host.head_ok:
            method = "GET"  # learned while this request waited: the host's HEAD is no good
        try:
            now = time.monotonic()
            delay = host.next_start - now
            host.next_start = max(host.next_start, now) + host.pace
            if delay > 0:
                await asyncio.sleep(delay)
            async with self._global:
                host.waiting -= 1
                self.requests += 1
                self.in_flight += 1
                started = time.monotonic()
                host.starts.append(started)
                try:
                    answer = await self._send(url, method, anchors)
                finally:
                    self.in_flight -= 1
                if answer.method != method:  # an answer _send made without one
                    answer = answer._replace(method=method)
                if host.limited(started, answer.status, time.monotonic()):
                    answer = answer._replace(host_wide=True)
                keep = method == "HEAD" and _needs_get(answer)
                return answer._replace(slot_kept=True) if keep else answer
        finally:
            if not keep:
                host.release()

    async def _send(self, url: str, method: str, anchors: bool) -> _Answer:
        assert self._session is not None
        proxy = self.proxies.for_url(url) if self.proxies else None
        try:
            async with self._session.request(
                method,
                url,
                allow_redirects=False,
                headers=self.credentials(url),
                proxy=proxy,
                ssl=self.tls.for_url(url, proxy),
            ) as resp:
                status = resp.status
                location = resp.headers.get("Location", "")
                retry_after = _retry_after(resp.headers.get("Retry-After"))
                wall = ""
                found: tuple[str, ...] | None = None
                if method == "HEAD":
                    wall = _header_wall(resp.headers, status) if status >= 400 else ""
                elif status >= 400 or resp.headers.get("cf-mitigated"):
                    wall = _bot_wall(resp.headers, await resp.content.read(_SNIFF))
                elif method == "GET" and anchors and 200 <= status < 300 and _is_html(resp):
                    found = _anchors(await _read_capped(resp, self.settings.max_body))
                elif (
                    method == "GET"
                    and resp.content_length is not None
                    and (resp.content_length <= _SNIFF)
                ):
                    await resp.read()  # a small body read whole keeps the connection open
                return _Answer(status, location, "", "", wall, retry_after, 1, found, method=method)
        except aiohttp.ClientConnectorDNSError as exc:
            permanent = getattr(exc.os_error, "errno", None) in _NO_NAME
            kind = "dns" if permanent else "connection"
            host = urlsplit(url).hostname
            what = "does not exist" if permanent else "could not be resolved now"
            return _Answer(None, "", kind, f"host name {host} {what}", "", None, 1, None)
        except aiohttp.ClientConnectorCertificateError as exc:
            return _Answer(
                None,
                "",
                "tls",
                f"TLS certificate error: {exc.certificate_error}",
                "",
                None,
                1,
                None,
            )
        except aiohttp.ClientSSLError as exc:
            return _Answer(None, "", "tls", f"TLS error: {_reason(exc)}", "", None, 1, None)
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, ConnectionRefusedError):
                where = f"{exc.host}:{exc.port}"
                return _Answer(
                    None, "", "refused", f"connection refused by {where}", "", None, 1, None
                )
            return _Answer(
                None, "", "connection", f"cannot connect: {_reason(exc)}", "", None, 1, None
            )
        except aiohttp.ConnectionTimeoutError:
            limit = min(self.settings.connect_timeout, self.settings.timeout)
            detail = f"no connection within {limit:g} s"
            return _Answer(None, "", "timeout", detail, "", None, 1, None)
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError):
            detail = f"no answer within {self.settings.timeout:g} s"
            return _Answer(None, "", "timeout", detail, "", None, 1, None)
        except aiohttp.InvalidURL:
            return _Answer(None, "", "invalid", "not a valid URL", "", None, 1, None)
        except (aiohttp.ClientError, ValueError) as exc:
            return _Answer(
                None, "", "connection", f"connection failed: {_reason(exc)}", "", None, 1, None
            )


_NO_NAME = frozenset(
    e for e in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None)) if e
)


def _valid_port(url: str) -> bool:
    try:
        urlsplit(url).port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError:
        return False
    return True


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _prefix(prefix: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(prefix)
    return parts.scheme, (parts.hostname or "").lower(), parts.port, parts.path


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait: ``Retry-After`` as a number of seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _header_wall(headers: Any, status: int) -> str:
    """The bot wall a HEAD answer's headers name, when they do: Cloudflare marks its
    challenges with ``cf-mitigated: challenge``, and a 403 with ``Server: cloudflare`` is
    taken for its bot or firewall block (an origin's own 403 behind Cloudflare looks the
    same; either way the link is unverifiable, never dead)."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    if status == 403 and "cloudflare" in " ".join(headers.getall("Server", ())).lower():
        return "Cloudflare"
    return ""


def _bot_wall(headers: Any, body: bytes) -> str:
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return "Cloudflare challenge"
    m = _BOT_WALLS.search(body)
    if m is None:
        return ""
    servers = " ".join(headers.getall("Server", ())).lower()
    if "cloudflare" in servers or _CLOUDFLARE.search(m.group()):
        return "Cloudflare challenge"
    return "bot protection page"


_CLOUDFLARE = re.compile(rb"challenge-platform|cf[-_]chl|Attention Required", re.I)


def _is_html(resp: aiohttp.ClientResponse) -> bool:
    return "html" in resp.headers.get("Content-Type", "text/html").lower()


async def _read_capped(resp: aiohttp.ClientResponse, cap: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(64 * 1024):
        chunks.append(chunk)
        size += len(chunk)
        if size >= cap:
            break
    return b"".join(chunks)[:cap]


def _anchors(body: bytes) -> tuple[str, ...]:
    out = set()
    for m in _ANCHOR.finditer(body):
        raw = m.group(1) or m.group(2) or m.group(3) or b""
        out.add(raw.decode("utf-8", "replace"))
    return tuple(sorted(out))
