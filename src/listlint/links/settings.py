"""The ``[tool.listlint.links]`` table, validated strictly: unknown keys and wrong types are
errors naming the file and the key, as everywhere else in listlint's configuration."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Mapping

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)?\s*", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class SettingsError(Exception):
    """A links table that cannot be used; one line naming the file and the key."""


@dataclass(frozen=True)
class Settings:
    """What ``listlint links`` does, from ``[tool.listlint.links]`` (keys with dashes)."""

    exclude: tuple[str, ...] = ()  # URL regexes never checked
    include: tuple[str, ...] = ()  # when set, only URLs matching one are checked
    accept: frozenset[int] = frozenset(range(200, 300))  # statuses that mean alive
    timeout: float = 20.0  # seconds for one request, connecting and reading included
    connect_timeout: float = 10.0
    retries: int = 2  # further tries after a timeout, a connection error or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_retry_wait: float = 30.0  # the longest Retry-After honoured; longer ones give up
    concurrency: int = 64  # requests in flight
    host_concurrency: int = 4  # requests in flight to one host
    host_interval: float = 0.0  # seconds between the starts of two requests to one host
    user_agent: str = USER_AGENT
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # prefix -> name -> env
    max_age: float = 86400.0  # seconds a success is trusted without asking again
    failures_before_dead: int = 1  # failing runs in a row before a link is reported dead
    github_token_env: str = "GITHUB_TOKEN"
    github_api: str = "https://api.github.com"
    check_fragments: bool = False
    images: bool = False  # check image sources too
    max_body: int = 2 * 2**20  # bytes of a page read at most (fragments, bot walls)
    proxy: str = ""  # every request through this proxy ("": HTTPS_PROXY / HTTP_PROXY)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exclude", [re.compile(p) for p in self.exclude])
        object.__setattr__(self, "_include", [re.compile(p) for p in self.include])

    def wanted(self, url: str) -> bool:
        if any(p.search(url) for p in self.__dict__["_exclude"]):
            return False
        include = self.__dict__["_include"]
        return not include or any(p.search(url) for p in include)

    def fingerprint(self) -> str:
        """What changes the meaning of a cached answer (the cache ignores the rest)."""
        return f"{sorted(self.accept)}|{self.check_fragments}"


_KINDS: dict[str, str] = {
    "exclude": "regexes",
    "include": "regexes",
    "accept": "statuses",
    "timeout": "positive",
    "connect-timeout": "positive",
    "retries": "count",
    "backoff": "seconds",
    "max-retry-wait": "seconds",
    "concurrency": "limit",
    "host-concurrency": "limit",
    "host-interval": "seconds",
    "user-agent": "text",
    "headers": "headers",
    "max-age": "duration",
    "failures-before-dead": "limit",
    "github-token-env": "text",
    "github-api": "url",
    "check-fragments": "flag",
    "images": "flag",
    "max-body": "limit",
    "proxy": "url",
}
assert set(_KINDS) == {f.name.replace("_", "-") for f in fields(Settings)}


def load(table: Mapping[str, Any], where: str, prefix: str = "tool.listlint.") -> Settings:
    """Settings from the links table of the configuration at ``where``."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        kind = _KINDS.get(key)
        name = f"{prefix}links.{key}"
        if kind is None:
            raise SettingsError(f"{where}: unknown key '{name}'")
        try:
            values[key.replace("-", "_")] = _convert(kind, value, name)
        except _Bad as exc:
            raise SettingsError(f"{where}: '{name}' must be {exc}, not {value!r}") from None
        except re.error as exc:
            raise SettingsError(f"{where}: '{name}': invalid regex: {exc}") from None
    return Settings(**values)


class _Bad(Exception):
    pass


def _convert(kind: str, value: Any, name: str) -> Any:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "regexes":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Bad("a list of regular expressions")
        for v in value:
            re.compile(v)
        return tuple(value)
    if kind == "statuses":
        return frozenset(_statuses(value))
    if kind in ("positive", "seconds"):
        if not number or value < 0 or (kind == "positive" and value == 0):
            raise _Bad("a positive number of seconds" if kind == "positive" else "seconds (>= 0)")
        return float(value)
    if kind in ("count", "limit"):
        if not isinstance(value, int) or isinstance(value, bool) or value < (kind == "limit"):
            raise _Bad("an integer >= 1" if kind == "limit" else "an integer >= 0")
        return value
    if kind == "flag":
        if not isinstance(value, bool):
            raise _Bad("true or false")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise _Bad("a non-empty string")
        return value
    if kind == "url":
        if not isinstance(value, str) or not _http_url(value):
            raise _Bad("an http(s) URL")
        return value.rstrip("/")
    if kind == "duration":
        return _duration(value)
    return _headers(value)


def _http_url(value: str) -> bool:
    """An http(s) URL with a host and, when it has a port, a port number in range."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number in range)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _statuses(value: Any) -> set[int]:
    """``[200, "200-299", 403]``: codes and inclusive ranges."""
    if not isinstance(value, list):
        raise _Bad('a list of status codes and ranges ("200-299")')
    out: set[int] = set()
    for v in value:
        if isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599:
            out.add(v)
            continue
        m = re.fullmatch(r"\s*(\d{3})\s*(?:-|\.\.)\s*(\d{3})\s*", v) if isinstance(v, str) else None
        if m is None or not 100 <= int(m.group(1)) <= int(m.group(2)) <= 599:
            raise _Bad('a list of status codes and ranges ("200-299")')
        out.update(range(int(m.group(1)), int(m.group(2)) + 1))
    return out


def _duration(value: Any) -> float:
    """Seconds, or a string such as ``"12h"``, ``"1d"``, ``"30m"``."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
        return float(value)
    m = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        raise _Bad('seconds or a duration such as "12h" or "1d"')
    return float(m.group(1)) * _UNITS[(m.group(2) or "s").lower()]


def _headers(value: Any) -> dict[str, dict[str, str]]:
    """``{"https://host/prefix": {"Header-Name": "ENV_VAR"}}``."""
    bad = _Bad('a table of URL prefixes, each a table of header = "ENVIRONMENT_VARIABLE"')
    if not isinstance(value, dict):
        raise bad
    out: dict[str, dict[str, str]] = {}
    for prefix, table in value.items():
        if not _http_url(prefix):
            raise bad
        if not isinstance(table, dict) or not all(
            isinstance(v, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", v)
            for v in table.values()
        ):
            raise bad
        out[prefix] = dict(table)
    return out


def parse_duration(text: str) -> float:
    """A duration given on the command line (``--max-age``)."""
    try:
        return _duration(text)
    except _Bad as exc:
        raise SettingsError(f"--max-age must be {exc}, not {text!r}") from None
