"""GitHub repositories through the API: archived, renamed or moved, missing.

Asked only with a token (``github-token-env``, default ``GITHUB_TOKEN``), once per
repository however many links point into it. The GraphQL API first: one query asks about
up to ``BATCH`` repositories by alias (``r0: repository(owner: "o", name: "n") {
nameWithOwner isArchived }``), a missing one comes back null with a ``NOT_FOUND`` error,
a renamed or transferred one under its new ``nameWithOwner``. Its endpoint is
``{github-api}/graphql``, or ``/api/graphql`` beside a GitHub Enterprise ``/api/v3``. Where
GraphQL is not there (an answer other than a GraphQL one: a 404 from an API without it)
the REST API is asked instead, a repository a request, a few at a time.

The token goes only to the API base (``github-api``): its own session, no other host. When
the rate limit is reached (403 or 429 with ``X-RateLimit-Remaining: 0``, a GraphQL
``RATE_LIMITED`` error, or ``rateLimit { remaining }`` down to 0) nothing more is asked;
the repositories not asked are reported unverifiable with the time the limit resets.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from listlint.links.settings import Settings
    from listlint.links.tls import Tls

HOSTS = frozenset(("github.com", "www.github.com"))
_NAME = re.compile(r"/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})(/.*)?$")
# First path segments of github.com that are not users or organisations.
_RESERVED = """about account apps blog collections contact customer-stories codespaces
    enterprise events explore features github-copilot issues join login logout marketplace
    new notifications orgs organizations pricing pulls readme search security settings site
    sponsors team topics trending users"""
RESERVED = frozenset(_RESERVED.split())
IN_FLIGHT = 8  # REST requests at once
BATCH = 50  # repositories in one GraphQL query
QUERIES = 2  # GraphQL queries at once


class Repo(NamedTuple):
    owner: str
    name: str
    rest: str  # the path after OWNER/REPO ("" or "/" for the repository itself)

    @property
    def key(self) -> str:
        return f"{self.owner}/{self.name}".lower()

    @property
    def is_root(self) -> bool:
        return self.rest in ("", "/")


def repo_of(url: str) -> Repo | None:
    """The repository a github.com URL points into, or None."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HOSTS:
        return None
    m = _NAME.match(parts.path)
    if m is None or m.group(1).lower() in RESERVED:
        return None
    name = m.group(2)
    rest = m.group(3) or ""
    if name.endswith(".git") and not rest:
        name = name[:-4]
    if not name or name in (".", ".."):
        return None
    return Repo(m.group(1), name, rest if not parts.query else rest + "?")


def moved_url(url: str, repo: Repo, full_name: str) -> str:
    """``url`` with OWNER/REPO replaced by ``full_name`` (the rest kept)."""
    parts = urlsplit(url)
    owner, name = full_name.split("/", 1)
    path = f"/{owner}/{name}{repo.rest.rstrip('?')}"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


async def ask(
    names: Mapping[str, str],
    settings: Settings,
    token: str,
    user_agent: str,
    environ: Mapping[str, str] | None = None,
    tls: Tls | None = None,
) -> dict[str, dict[str, Any]]:
    """``names``: key (owner/repo in lower case) -> owner/repo as written. Returns
    key -> answer: ``{"status": 200, "full_name", "archived"}``,
    ``{"status": 404}``, ``{"status": "limited", "reset": epoch}`` or
    ``{"status": "error", "detail"}``. ``tls``: the run's TLS context maker (the CA
    store loaded once a run)."""
    from listlint.links.tls import Tls, no_ca_loading

    with no_ca_loading():  # every request brings its own context (tls.py)
        import aiohttp
    from listlint.links.requests import Proxies

    proxy = Proxies(settings.proxy, environ or {}).for_url(settings.github_api)
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": user_agent,
    }
    timeout = aiohttp.ClientTimeout(total=settings.timeout, sock_connect=settings.connect_timeout)
    connector = aiohttp.TCPConnector(ssl=(tls or Tls()).for_url(settings.github_api, proxy))
    async with aiohttp.ClientSession(
        connector=connector, headers=headers, timeout=timeout, trust_env=False
    ) as session:
        api = _Api(session, settings, proxy)
        out = await api.graphql(names)
        rest = {k: v for k, v in names.items() if k not in out}
        if rest:
            out.update(await api.rest(rest))
        return out


class _Api:
    def __init__(self, session: Any, settings: Settings, proxy: str | None) -> None:
        self.session = session
        self.settings = settings
        self.proxy = proxy
        self.limited: list[float] = []  # when the limit resets, once reached
        self.graphql_ok = True

    def _limit(self, reset: float | None) -> dict[str, Any]:
        if not self.limited:
            self.limited.append(reset or time.time() + 3600)
        return {"status": "limited", "reset": self.limited[0]}

    async def graphql(self, names: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        """What GraphQL says; the names it could not be asked about are left out."""
        out: dict[str, dict[str, Any]] = {}
        items = list(names.items())
        batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
        semaphore = asyncio.Semaphore(QUERIES)

        async def one(batch: list[tuple[str, str]]) -> None:
            async with semaphore:
                if self.limited:
                    out.update((key, self._limit(None)) for key, _ in batch)
                elif self.graphql_ok:
                    out.update(await self._query(batch))

        await asyncio.gather(*(one(b) for b in batches))
        return out

    async def _query(self, batch: list[tuple[str, str]]) -> dict[str, dict[str, Any]]:
        import aiohttp

        fields = []
        for i, (_, spelled) in enumerate(batch):
            owner, name = spelled.split("/", 1)
            fields.append(
                f"r{i}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) "
                "{ nameWithOwner isArchived }"
            )
        query = "query { rateLimit { remaining resetAt } " + " ".join(fields) + " }"
        try:
            async with self.session.post(
                graphql_url(self.settings.github_api), json={"query": query}, proxy=self.proxy
            ) as resp:
                reset = _number(resp.headers.get("X-RateLimit-Reset"))
                remaining = resp.headers.get("X-RateLimit-Remaining")
                if resp.status in (403, 429) and (remaining == "0" or resp.status == 429):
                    return {key: self._limit(reset) for key, _ in batch}
                body = await resp.read() if resp.status == 200 else b""
        except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
            detail = f"API not reached: {exc or 'timeout'}"
            return {key: {"status": "error", "detail": detail} for key, _ in batch}
        try:
            reply = json.loads(body) if body else None
        except ValueError:
            reply = None
        if not isinstance(reply, dict) or not ("data" in reply or "errors" in reply):
            self.graphql_ok = False  # no GraphQL here (a 404, a page): REST for the rest
            return {}
        errors = [e for e in reply.get("errors") or () if isinstance(e, dict)]
        data = reply.get("data") or {}
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            return {key: self._limit(reset) for key, _ in batch}
        by_alias: dict[str, str] = {}
        for e in errors:
            path = e.get("path") or ()
            if path and isinstance(path[0], str):
                by_alias[path[0]] = str(e.get("type") or e.get("message") or "error")
        out: dict[str, dict[str, Any]] = {}
        for i, (key, _) in enumerate(batch):
            repo = data.get(f"r{i}")
            if isinstance(repo, dict) and repo.get("nameWithOwner"):
                out[key] = {
                    "status": 200,
                    "full_name": str(repo["nameWithOwner"]),
                    "archived": bool(repo.get("isArchived", False)),
                }
            elif by_alias.get(f"r{i}") == "NOT_FOUND":
                out[key] = {"status": 404}
            else:
                what = by_alias.get(f"r{i}") or "no answer"
                out[key] = {"status": "error", "detail": f"API answered {what}"}
        limit = data.get("rateLimit")
        if isinstance(limit, dict) and limit.get("remaining") == 0:
            self._limit(_iso_time(limit.get("resetAt")) or reset)
        elif remaining == "0":
            self._limit(reset)
        return out

    async def rest(self, names: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        import aiohttp

        out: dict[str, dict[str, Any]] = {}
        semaphore = asyncio.Semaphore(IN_FLIGHT)
        settings = self.settings

        async def one(name: str, spelled: str) -> None:
            async with semaphore:
                if self.limited:
                    out[name] = self._limit(None)
                    return
                url = f"{settings.github_api}/repos/{quote(spelled, safe='/')}"
                try:
                    async with self.session.get(url, proxy=self.proxy) as resp:
                        remaining = resp.headers.get("X-RateLimit-Remaining")
                        reset = _number(resp.headers.get("X-RateLimit-Reset"))
                        if resp.status in (403, 429) and (remaining == "0" or resp.status == 429):
                            out[name] = self._limit(reset)
                            return
                        if resp.status == 200:
                            data = await resp.json(content_type=None)
                            out[name] = {
                                "status": 200,
                                "full_name": str(data.get("full_name", name)),
                                "archived": bool(data.get("archived", False)),
                            }
                            if remaining == "0":
                                self._limit(reset)
                        elif resp.status in (404, 451):
                            out[name] = {"status": resp.status}
                        else:
                            out[name] = {"status": "error", "detail": f"API answered {resp.status}"}
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                    out[name] = {
                        "status": "error",
                        "detail": f"API not reached: {exc or 'timeout'}",
                    }

        await asyncio.gather(*(one(key, spelled) for key, spelled in names.items()))
        return out


def graphql_url(api: str) -> str:
    """The GraphQL endpoint beside the REST base ``api``: ``https://api.github.com/graphql``,
    ``https://ghe.example/api/graphql`` for ``https://ghe.example/api/v3``."""
    if api.endswith("/api/v3"):
        return api[: -len("/v3")] + "/graphql"
    return api + "/graphql"


def _iso_time(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    from datetime import datetime

    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
