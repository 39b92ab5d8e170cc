"""The link checker's pieces without a server: verdicts, settings, targets, the cache."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from listlint.document import Document
from listlint.links.githubapi import moved_url, repo_of
from listlint.links.requests import Hop, Probe, _retry_after
from listlint.links.settings import Settings, SettingsError, load
from listlint.links.store import Store
from listlint.links.targets import request_key, targets
from listlint.links.verdict import judge

S = Settings()


def rules(probe: Probe, fragment: str = "", streak: int = 1, history: str = "d") -> list[str]:
    return [f"{v.rule}: {v.message}" for v in judge(probe, S, fragment, streak, history)]


def test_no_such_host_is_dead_and_tls_is_not() -> None:
    dns = Probe(
        "https://gone.example/", error="dns", detail="host name gone.example does not exist"
    )
    assert rules(dns) == ["link-dead: dead link: host name gone.example does not exist"]
    tls = Probe("https://x.example/", error="tls", detail="TLS error: bad certificate")
    assert rules(tls) == ["link-unverifiable: TLS error: bad certificate: check it in a browser"]


@pytest.mark.parametrize(
    ("url", "location", "reported"),
    [
        ("http://a.example/x", "https://a.example/x", False),  # https upgrade: followed
        ("https://a.example/x", "https://a.example/x/", False),  # trailing slash
        ("http://a.example/x", "https://a.example/x/", False),  # both
        ("https://a.example/x", "https://b.example/x", True),
        ("https://a.example/x", "https://a.example/y", True),
        ("https://a.example/x?q=1", "https://a.example/x?q=2", True),
    ],
)
def test_trivial_redirects_are_followed(url: str, location: str, reported: bool) -> None:
    probe = Probe(url, 200, location, (Hop(301, location),))
    assert bool(rules(probe)) is reported


def test_temporary_after_permanent_keeps_the_permanent_target() -> None:
    chain = (Hop(301, "https://b.example/new"), Hop(302, "https://b.example/new?session=1"))
    probe = Probe("https://a.example/old", 200, chain[-1].location, chain)
    [v] = judge(probe, S, "part", 0, "")
    assert (v.rule, v.fix_url) == ("link-redirect", "https://b.example/new#part")
    temporary = Probe(
        "https://a.example/old", 200, "https://b.example/x", (Hop(307, "https://b.example/x"),)
    )
    assert judge(temporary, S, "", 0, "") == []


def test_fragments() -> None:
    s = load({"check-fragments": True}, "t")
    page = Probe(
        "https://github.com/o/r",
        200,
        "https://github.com/o/r",
        anchors=("user-content-usage", "top"),
    )
    assert judge(page, s, "usage", 0, "") == []
    assert judge(page, s, "L10-L20", 0, "") == []
    [v] = judge(page, s, "install", 0, "")
    assert v.rule == "link-anchor"


def test_accept_and_streaks() -> None:
    s = load({"accept": ["200-299", 403], "failures-before-dead": 3}, "t")
    assert judge(Probe("https://a.example/", 403), s, "", 0, "") == []
    [v] = judge(Probe("https://a.example/", 404), s, "", 2, "adad")
    assert v.rule == "link-unverifiable" and "failed only 2 of the last 3 runs" in v.message
    [v] = judge(Probe("https://a.example/", 404), s, "", 3, "ddd")
    assert v.rule == "link-dead"


def test_retry_after_forms() -> None:
    assert _retry_after("120") == 120.0
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert _retry_after("soon") is None and _retry_after(None) is None


def test_request_keys() -> None:
    assert request_key("HTTPS://Example.COM:443/a#b") == ("https://example.com/a", "b")
    assert request_key("http://example.com") == ("http://example.com/", "")
    assert request_key("mailto:x@example.com") is None
    assert request_key("http://[::1]:8080/x") == ("http://[::1]:8080/x", "")
    assert request_key("http://bad:port/") is None


def test_targets_skip_code_comments_unused_definitions_and_images() -> None:
    text = (
        "- [a](https://a.example/) `https://code.example/` <!-- https://comment.example/ -->\n"
        "- ![img](https://img.example/x.png) [ref][r] https://bare.example/x\n\n"
        "```\nhttps://fenced.example/\n```\n\n"
        "[r]: https://ref.example/\n[unused]: https://unused.example/\n"
    )
    found = [t.key for t in targets(Document(text), S)]
    assert found == ["https://a.example/", "https://bare.example/x", "https://ref.example/"]
    with_images = load({"images": True, "exclude": ["bare"]}, "t")
    found = [t.key for t in targets(Document(text), with_images)]
    assert found == ["https://a.example/", "https://img.example/x.png", "https://ref.example/"]


def test_github_repositories() -> None:
    repo = repo_of("https://github.com/Octo/Tool/tree/main/docs?x=1")
    assert repo is not None and repo.key == "octo/tool" and not repo.is_root
    assert repo_of("https://github.com/octo/tool.git").name == "tool"  # type: ignore[union-attr]
    assert repo_of("https://github.com/topics/python") is None
    assert repo_of("https://gitlab.com/octo/tool") is None
    url = "https://github.com/octo/tool/blob/main/x.md#y"
    moved = moved_url(url, repo_of(url), "neworg/tool2")  # type: ignore[arg-type]
    assert moved == "https://github.com/neworg/tool2/blob/main/x.md#y"


def test_settings_errors_name_the_key() -> None:
    with pytest.raises(SettingsError, match=r"^f\.toml: unknown key 'tool\.listlint\.links\.x'$"):
        load({"x": 1}, "f.toml")
    with pytest.raises(SettingsError, match=r"'links\.concurrency' must be an integer >= 1"):
        load({"concurrency": 0}, "f.toml", prefix="")
    assert load({"max-age": "12h"}, "f").max_age == 43200


def test_two_runs_at_once_share_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / ".listlint_cache"
    errors: list[str] = []

    def one_run() -> None:
        store = Store(folder)
        for _ in range(20):
            store.record({"https://a.example/": ("dead", {"url": "https://a.example/"})})
        errors.append(store.warning)
        store.close()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join()
    assert errors == ["", ""]
    row = Store(folder).urls(["https://a.example/"])["https://a.example/"]
    assert row.streak == 40 and row.history == "d" * 10  # every write counted, none lost
    assert (folder / ".gitignore").read_text().endswith("*\n")


def test_unusable_cache_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = Store(blocker / ".listlint_cache")
    assert store.warning.startswith("link cache ")
    rows = store.record({"https://a.example/": ("dead", {})})
    assert rows["https://a.example/"].streak == 1


def test_host_hands_slots_to_follow_ups_first() -> None:
    import asyncio

    from listlint.links.requests import Host

    async def scenario() -> list[str]:
        host = Host(1)
        order: list[str] = []

        async def request(name: str, urgent: bool) -> None:
            await host.acquire(urgent)
            order.append(name)
            await asyncio.sleep(0)
            host.release()

        await host.acquire(False)  # the slot is taken: everyone below waits
        tasks = [asyncio.ensure_future(request(f"first{i}", False)) for i in range(3)]
        tasks.append(asyncio.ensure_future(request("retry", True)))
        await asyncio.sleep(0)
        tasks[1].cancel()  # a cancelled waiter gives its turn away
        await asyncio.sleep(0)
        host.release()
        await asyncio.gather(*tasks, return_exceptions=True)
        assert host.free == 1 and not host.queue
        return order

    assert asyncio.run(scenario()) == ["retry", "first0", "first2"]


def test_a_429_pauses_the_host_only_when_the_host_limits_everything() -> None:
    from listlint.links.requests import Host

    host = Host(4)
    # One URL limited; a request sent after its 429 is answered: only that URL waits.
    assert host.limited(started=0.0, status=429, now=1.0) is False
    assert host.limited(started=0.5, status=200, now=1.1) is False  # sent before the 429
    assert host.limited(started=1.2, status=200, now=1.4) is False  # sent after: answered
    assert host.limited(started=1.5, status=429, now=1.7) is False  # a new streak
    assert host.limited(started=1.8, status=200, now=1.9) is False
    # Every request refused, also those sent after the first 429: the host waits.
    other = Host(4)
    assert other.limited(started=0.0, status=429, now=1.0) is False
    assert other.limited(started=0.1, status=429, now=1.05) is False  # sent before it
    assert other.limited(started=1.1, status=429, now=1.3) is True
    assert other.limited(started=1.4, status=429, now=1.6) is True


@pytest.mark.parametrize(
    ("no_proxy", "url", "direct"),
    [
        ("example.org", "http://example.org/x", True),
        ("example.org", "http://www.example.org/x", True),
        (".example.org", "http://www.example.org/x", True),
        ("*.example.org", "http://www.example.org/x", True),
        ("example.org", "http://notexample.org/x", False),
        ("*", "http://anything.test/", True),
        ("example.org:8080", "http://example.org:8080/", True),
        ("example.org:8080", "http://example.org/", False),
        ("example.org:80", "http://example.org/", True),  # the default port
        ("127.0.0.1", "http://127.0.0.1:9000/", True),
        ("127.0.0.0/8", "http://127.1.2.3/", True),
        ("10.0.0.0/8", "http://127.0.0.1/", False),
        ("10.0.0.0/8", "http://10.example.org/", False),  # a name, not an address
        ("[::1]", "http://[::1]:8000/", True),
        ("::1", "http://[::1]/", True),
        ("[::1]:8000", "http://[::1]:8000/", True),
        ("[::1]:8000", "http://[::1]:9000/", False),
        ("fd00::/8", "http://[fd12:3456::1]/", True),
        ("fd00::/8", "http://10.0.0.1/", False),
        ("127.0.0.1", "http://localhost/", False),  # names are not resolved
        (" Example.ORG , 10.0.0.0/8 ", "https://EXAMPLE.org/", True),
    ],
)
def test_no_proxy_reads_as_curl_does(no_proxy: str, url: str, direct: bool) -> None:
    from listlint.links.requests import Proxies

    proxies = Proxies("", {"HTTP_PROXY": "http://proxy:3128", "HTTPS_PROXY": "http://proxy:3128"})
    assert proxies.for_url(url) == "http://proxy:3128"
    proxies = Proxies(
        "",
        {
            "HTTP_PROXY": "http://proxy:3128",
            "https_proxy": "http://proxy:3128",
            "NO_PROXY": no_proxy,
        },
    )
    assert (proxies.for_url(url) is None) is direct


def test_bad_ports_are_one_line_never_a_traceback() -> None:
    from listlint.links.requests import Proxies, ProxyError

    with pytest.raises(ProxyError, match=r"^HTTPS_PROXY: 'http://proxy:99999' is not a usable"):
        Proxies("", {"HTTPS_PROXY": "http://proxy:99999"})
    with pytest.raises(ProxyError, match=r"^http_proxy: 'proxy:3128' is not a usable"):
        Proxies("", {"http_proxy": "proxy:3128"})
    proxies = Proxies("", {"HTTP_PROXY": "http://proxy:3128"})
    assert proxies.for_url("http://example.org:99999/") == "http://proxy:3128"
    assert proxies.for_url("http://example.org:port/") == "http://proxy:3128"
    for key in ("github-api", "proxy"):
        with pytest.raises(SettingsError, match=rf"'links\.{key}' must be an http\(s\) URL"):
            load({key: "https://api.example:99999"}, "f.toml", prefix="")
    with pytest.raises(SettingsError, match=r"'links\.headers' must be a table of URL prefixes"):
        load({"headers": {"https://h:x/": {"A": "B"}}}, "f.toml", prefix="")


def test_a_host_that_limits_everything_is_paced_slower_then_faster_again() -> None:
    from listlint.links.requests import PACE_MIN, Host

    host = Host(4)
    for t in (0.0, 0.05, 0.1, 0.15):  # sent 20 a second
        host.starts.append(t)
    assert host.limited(started=0.0, status=429, now=0.2) is False  # one URL's 429 so far
    assert host.pace == 0.0
    assert host.limited(started=0.1, status=429, now=0.3) is False  # sent before it arrived
    assert host.limited(started=0.25, status=429, now=0.45) is True  # the host limits all
    assert host.pace == pytest.approx(0.1)  # half the rate it was sent requests at
    # The other 429s to requests sent at that rate do not slow it down again ...
    assert host.limited(started=0.3, status=429, now=0.5) is True
    assert host.pace == pytest.approx(0.1)
    # ... nor do answers to them speed it up; answers to requests sent since do.
    host.limited(started=0.4, status=200, now=0.6)
    assert host.pace == pytest.approx(0.1)
    host.limited(started=1.5, status=200, now=1.7)
    assert host.pace == pytest.approx(1 / 10.1)
    # A 429 to a request sent at the new pace slows it again (the rate halves).
    host.starts.extend([1.6, 1.7, 1.8])
    host.limited(started=1.9, status=429, now=2.0)  # a new streak of 429s begins
    assert host.limited(started=2.1, status=429, now=2.2) is True
    assert host.pace == pytest.approx(2 / 10.1)
    # Enough answers bring it back to no pacing at all (host-interval = 0).
    for i in range(200):
        host.limited(started=3.0 + i, status=200, now=3.1 + i)
    assert host.pace == 0.0
    # With host-interval, never faster than that.
    paced = Host(4, 0.5)
    paced.limited(started=0.0, status=429, now=0.2)
    assert paced.limited(started=0.3, status=429, now=0.4) is True
    assert paced.pace == 1.0 and PACE_MIN < 1.0
    for i in range(100):
        paced.limited(started=1.0 + i, status=200, now=1.1 + i)
    assert paced.pace == 0.5
