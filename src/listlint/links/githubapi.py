"""GitHub repositories through the REST API: archived, renamed or moved, missing.

Asked only with a token (``github-token-env``, default ``GITHUB_TOKEN``), once per
repository however many links point into it, a few at a time. The token goes only to the
API base (``github-api``): its own session, no other host. When the rate limit is reached
(403 or 429 with ``X-RateLimit-Remaining: 0``) nothing more is asked; the repositories not
asked are reported unverifiable with the time the limit resets.
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

    from listlint.links.settings import Settings

HOSTS = frozenset(("github.com", "www.github.com"))
_NAME = re.compile(r"/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/([A-Za-z0-9._-]{1,100})(/.*)?$")
# First path segments of github.com that are not users or organisations.
_RESERVED = """about account apps blog collections contact customer-stories codespaces
    enterprise events explore features github-copilot issues join login logout marketplace
    new notifications orgs organizations pricing pulls readme search security settings site
    sponsors team topics trending users"""
RESERVED = frozenset(_RESERVED.split())
IN_FLIGHT = 8


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
    names: Mapping[str, str], settings: Settings, token: str, user_agent: str
) -> dict[str, dict[str, Any]]:
    """``names``: key (owner/repo in lower case) -> owner/repo as written. Returns
    key -> answer: ``{"status": 200, "full_name", "archived"}``,
    ``{"status": 404}``, ``{"status": "limited", "reset": epoch}`` or
    ``{"status": "error", "detail"}``."""
    import aiohttp

    out: dict[str, dict[str, Any]] = {}
    limited: list[float] = []
    semaphore = asyncio.Semaphore(IN_FLIGHT)
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": user_agent,
    }
    timeout = aiohttp.ClientTimeout(total=settings.timeout, sock_connect=settings.connect_timeout)

    async def one(session: aiohttp.ClientSession, name: str, spelled: str) -> None:
        async with semaphore:
            if limited:
                out[name] = {"status": "limited", "reset": limited[0]}
                return
            url = f"{settings.github_api}/repos/{quote(spelled, safe='/')}"
            try:
                async with session.get(url) as resp:
                    remaining = resp.headers.get("X-RateLimit-Remaining")
                    reset = _number(resp.headers.get("X-RateLimit-Reset"))
                    if resp.status in (403, 429) and (remaining == "0" or resp.status == 429):
                        limited.append(reset or time.time() + 3600)
                        out[name] = {"status": "limited", "reset": limited[0]}
                        return
                    if resp.status == 200:
                        data = await resp.json(content_type=None)
                        out[name] = {
                            "status": 200,
                            "full_name": str(data.get("full_name", name)),
                            "archived": bool(data.get("archived", False)),
                        }
                        if remaining == "0":
                            limited.append(reset or time.time() + 3600)
                    elif resp.status in (404, 451):
                        out[name] = {"status": resp.status}
                    else:
                        out[name] = {"status": "error", "detail": f"API answered {resp.status}"}
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
                out[name] = {"status": "error", "detail": f"API not reached: {exc or 'timeout'}"}

    async with aiohttp.ClientSession(headers=headers, timeout=timeout, trust_env=False) as s:
        await asyncio.gather(*(one(s, key, spelled) for key, spelled in names.items()))
    return out


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None
