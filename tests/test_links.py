"""``listlint links`` against real HTTP servers on 127.0.0.1 (tests/test_links_server.py).

Every test configures small timeouts and backoffs, so the whole file runs in seconds; no
request leaves this machine (GitHub links are answered by a fake API on loopback).
"""

from __future__ import annotations

import json
import os
import socket
from email.utils import formatdate
from pathlib import Path

import pytest
from helpers import git
from test_links_server import Answer, Certificates, GraphQL, Proxy, Request, Site

from listlint.cli import main

pytest_plugins = ["test_links_server"]  # the fixtures site, other_site, tls_site, proxy

FAST = """\
[links]
timeout = 2
connect-timeout = 1
retries = 1
backoff = 0.01
max-retry-wait = 1.5
"""


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("LISTLINT_DIFF_BASE", raising=False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    (tmp_path / "listlint.toml").write_text(FAST, encoding="utf-8")
    return tmp_path


def config(work: Path, extra: str) -> None:
    """FAST with the keys of ``extra`` (replacing FAST's), then the tables of ``extra``."""
    keys, sep, tables = extra.partition("[")
    mine = {line.split("=", 1)[0].strip() for line in keys.splitlines() if "=" in line}
    kept = [line for line in FAST.splitlines() if line.split("=", 1)[0].strip() not in mine]
    text = "\n".join(kept) + "\n" + keys + sep + tables
    (work / "listlint.toml").write_text(text, encoding="utf-8")


def write(work: Path, text: str, name: str = "list.md") -> Path:
    p = work / name
    p.write_bytes(text.encode("utf-8"))
    return p


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["links", *args])
    out, err = capsys.readouterr()
    return code, out, err


def findings(out: str) -> list[str]:
    """``LINE:COL CODE message`` of each finding in a text report."""
    lines = []
    for line in out.splitlines():
        if line.startswith(("Checked ", "Found ", "No problems", "Fixed ")):
            continue
        _, rest = line.split(".md:", 1)
        lines.append(rest)
    return lines


# -- verdicts by status ------------------------------------------------------------------


def test_each_status(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    urls = {
        code: site.route(f"/s{code}", Answer(code, body=b"x"))
        for code in (200, 204, 401, 403, 404, 410, 429, 500, 503, 418)
    }
    write(work, "# L\n\n" + "".join(f"- [s{c}]({u})\n" for c, u in urls.items()))
    code, out, _ = run(capsys, "--no-cache", "list.md")
    assert code == 1
    got = findings(out)
    assert got == [
        "5:10: LL603 401 Unauthorized: the page needs a login; check it in a browser "
        "[link-unverifiable]",
        "6:10: LL603 403 Forbidden: the site refuses automated checks; check it in a browser "
        "[link-unverifiable]",
        "7:10: LL601 dead link: 404 Not Found [link-dead]",
        "8:10: LL601 dead link: 410 Gone [link-dead]",
        "9:10: LL603 429 Too Many Requests (2 tries): the site is busy or rate limiting; try "
        "later [link-unverifiable]",
        "10:10: LL603 500 Internal Server Error (2 tries): the server is failing now; try again "
        "later [link-unverifiable]",
        "11:10: LL603 503 Service Unavailable (2 tries): the site is busy or rate limiting; try "
        "later [link-unverifiable]",
        "12:10: LL603 answers 418 I'm a Teapot, which does not say the page is gone; check it in "
        "a browser [link-unverifiable]",
    ]
    assert "dead" not in " ".join(g for g in got if "LL603" in g)
    assert "Checked 10 links (10 URLs, 0 from cache" in out
    assert "2 alive, 2 dead, 0 redirected, 6 unverifiable." in out
    # A dead answer to HEAD is confirmed by GET before it is reported.
    assert site.paths("GET").count("/s404") == 1 and site.paths("HEAD").count("/s404") == 1
    # 500 retried once (retries = 1), after HEAD.
    assert site.paths("GET").count("/s500") == 2


def test_unverifiable_does_not_fail_unless_strict(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    write(work, f"- [a]({site.route('/f', Answer(403))})\n")
    assert run(capsys, "--no-cache")[0] == 0
    assert run(capsys, "--no-cache", "--strict")[0] == 1
    write(work, f"- [a]({site.route('/gone', Answer(404))})\n")
    assert run(capsys, "--no-cache", "--exit-zero")[0] == 0


def test_refused_port_is_dead(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    write(work, f"See <http://127.0.0.1:{port}/x>.\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert findings(out) == [
        f"1:6: LL601 dead link: connection refused by 127.0.0.1:{port} (2 tries) [link-dead]"
    ]  # retried (retries = 1): a server restarting refuses for a moment


# -- TLS ---------------------------------------------------------------------------------------


def test_https_is_verified_against_the_store_ssl_cert_file_names(
    work: Path,
    tls_site: Site,
    certificates: Certificates,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The run makes its context when it needs it, after SSL_CERT_FILE is set; aiohttp's
    # own, made when it was imported (here, if not before), does not know this CA.
    import aiohttp.connector  # noqa: F401

    ok = tls_site.route("/ok", Answer(200))
    gone = tls_site.route("/gone", Answer(404))
    write(work, f"- [ok]({ok})\n- [gone]({gone})\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (1, ["2:10: LL601 dead link: 404 Not Found [link-dead]"])
    assert sorted(tls_site.paths()) == ["/gone", "/gone", "/ok"]  # HEAD, GET; HEAD


def test_an_untrusted_certificate_is_unverifiable_never_dead(
    work: Path, tls_site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # the system's store: not this CA
    write(work, f"- [ok]({tls_site.route('/ok', Answer(200))})\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 0
    [finding] = findings(out)
    assert finding.startswith("1:8: LL603 TLS certificate error: ")
    assert "certificate verify failed" in finding
    assert finding.endswith(": check it in a browser [link-unverifiable]")
    assert tls_site.paths() == []  # no request was sent over the refused connection


def test_github_api_over_https_uses_the_runs_context(
    work: Path,
    tls_site: Site,
    certificates: Certificates,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import aiohttp.connector  # noqa: F401 (its contexts made before SSL_CERT_FILE is set)

    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    monkeypatch.setenv("LL_GH", "token-123")
    config(work, f'github-token-env = "LL_GH"\ngithub-api = "{tls_site.base}/api/v3"\n')
    tls_site.route("/api/graphql", GraphQL({"octo/archived": ("octo/archived", True)}))
    write(work, "- [a](https://github.com/octo/archived)\n")
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (
        1,
        ["1:7: LL604 GitHub repository octo/archived is archived (read-only) [github-archived]"],
    )
    assert [r.method for r in tls_site.requests] == ["POST"]


IMPORT_AND_RUN = """\
import gc, ssl, sys
from listlint.cli import main
main(["links", "--no-cache", sys.argv[1]])
print([c.cert_store_stats()["x509_ca"] for c in gc.get_objects() if isinstance(c, ssl.SSLContext)])
"""


def test_a_run_without_https_loads_no_ca_store(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    # aiohttp loads the CA store twice when imported; listlint's import skips it and its
    # requests bring their own context, made for the first https request.
    import subprocess
    import sys

    write(work, f"- [ok]({site.route('/ok', Answer(200))})\n")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_AND_RUN, "list.md"],
        capture_output=True,
        text=True,
        check=True,
        cwd=work,
    )
    assert "1 alive" in done.stdout
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert loaded and set(loaded) == {0}, loaded  # aiohttp's two, with no CA in them


def test_slow_answer_times_out(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    config(work, "timeout = 0.3\nretries = 0\n")
    write(work, f"- [slow]({site.route('/slow', Answer(delay=1.5))})\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 0
    assert findings(out) == [
        "1:10: LL603 no answer within 0.3 s: check it in a browser [link-unverifiable]"
    ]


def test_head_refused_falls_back_to_get(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    a = site.route("/a", Answer(head_status=405))
    b = site.route("/b", Answer(head_status=405))
    write(work, f"- [a]({a})\n- [b]({b})\n")
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])
    # After one 405 the host is asked with GET only.
    assert site.paths("HEAD") == ["/a"] or sorted(site.paths("HEAD")) == ["/a", "/b"]
    assert sorted(site.paths("GET")) == ["/a", "/b"]


def test_bot_wall(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    page = (
        b"<html><head><title>Just a moment...</title></head><body>"
        b"<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script></body>"
    )
    # Headers that name the wall: HEAD's answer is enough, no GET.
    cf = site.route("/cf", Answer(403, {"Server": "cloudflare"}, page))
    challenge = site.route("/challenge", Answer(503, {"cf-mitigated": "challenge"}, page))
    # Only the page tells: GET reads its start.
    hidden = site.route("/hidden", Answer(403, {}, b"<html>" + b"x" * 5000 + b"datadome"))
    write(work, f"- [wall]({cf})\n- [c]({challenge})\n- [h]({hidden})\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 0
    assert findings(out) == [
        "1:10: LL603 403 from a bot wall (Cloudflare): check it in a browser [link-unverifiable]",
        "2:7: LL603 503 from a bot wall (Cloudflare challenge): check it in a browser "
        "[link-unverifiable]",
        "3:7: LL603 403 from a bot wall (bot protection page): check it in a browser "
        "[link-unverifiable]",
    ]
    assert sorted(site.paths("HEAD")) == ["/cf", "/challenge", "/hidden"]
    assert site.paths("GET") == ["/hidden"]


# -- retries and waits -----------------------------------------------------------------------


def test_fails_once_then_succeeds(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    def flaky(n: int, r: Request) -> Answer:
        return Answer(502) if n == 1 else Answer(200)

    write(work, f"- [flaky]({site.route('/flaky', flaky)})\n")
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])
    assert site.counts["/flaky"] == 2


def test_retry_after_seconds_and_date(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    def seconds(n: int, r: Request) -> Answer:
        return Answer(429, {"Retry-After": "1"}) if n == 1 else Answer(200)

    def date(n: int, r: Request) -> Answer:
        when = formatdate(__import__("time").time() + 1, usegmt=True)
        return Answer(503, {"Retry-After": when}) if n == 1 else Answer(200)

    long = Answer(429, {"Retry-After": "3600"})
    write(
        work,
        f"- [s]({site.route('/s', seconds)})\n- [d]({site.route('/d', date)})\n"
        f"- [l]({site.route('/l', long)})\n",
    )
    code, out, _ = run(capsys, "--no-cache")
    assert code == 0
    assert findings(out) == [
        "3:7: LL603 429 Too Many Requests: the site asked to wait 3600 s, longer than "
        "max-retry-wait; check again later [link-unverifiable]"
    ]
    assert site.counts["/s"] == 2 and site.counts["/d"] == 2
    assert site.counts["/l"] == 1  # a wait longer than max-retry-wait is not waited for


# -- redirects ---------------------------------------------------------------------------------


def test_redirects(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    b = site.base
    site.route("/new", Answer())
    site.route("/chain1", Answer(301, {"Location": "/chain2"}))
    site.route("/chain2", Answer(308, {"Location": f"{b}/new"}))
    site.route("/temp", Answer(302, {"Location": "/new"}))
    site.route("/dir", Answer(301, {"Location": "/dir/"}))
    site.route("/dir/", Answer())
    site.route("/page", Answer(301, {"Location": "/"}))
    site.route("/", Answer())
    site.route("/private", Answer(302, {"Location": "/login?return_to=/private"}))
    site.route("/login", Answer())
    site.route("/to-gone", Answer(301, {"Location": "/gone"}))
    site.route("/loop1", Answer(301, {"Location": "/loop2"}))
    site.route("/loop2", Answer(301, {"Location": "/loop1"}))
    site.route("/ftp", Answer(301, {"Location": "ftp://example.org/file"}))
    for i in range(12):
        site.route(f"/r{i}", Answer(302, {"Location": f"/r{i + 1}"}))
    names = ["chain1", "temp", "dir", "page", "private", "to-gone", "loop1", "ftp", "r0"]
    write(work, "".join(f"- [{n}]({b}/{n})\n" for n in names))
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert findings(out) == [
        f"1:12: LL602 moved permanently (308) to {b}/new: update the link [link-redirect] [*]",
        f"4:10: LL601 probably dead: redirects to the site's front page ({b}/); check it and "
        "update or remove the link [link-dead]",
        f"5:13: LL601 probably dead: redirects to a login page ({b}/login?return_to=/private); "
        "check it and update or remove the link [link-dead]",
        f"6:13: LL601 dead link: redirects to {b}/gone, which answers 404 Not Found [link-dead]",
        f"7:11: LL603 redirect loop ({b}/loop1 -> {b}/loop2 -> {b}/loop1): check it in a "
        "browser [link-unverifiable]",
        "8:9: LL603 redirects to a ftp: URL, not followed: check it in a browser "
        "[link-unverifiable]",
        "9:8: LL603 more than 10 redirects: check it in a browser [link-unverifiable]",
    ]
    assert "/r11" not in site.paths()  # at most 10 redirects followed


def test_fix_rewrites_redirects_byte_exactly_in_crlf(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    b = site.base
    site.route("/old", Answer(301, {"Location": "/new"}))
    site.route("/new", Answer())
    site.route("/ref-old", Answer(308, {"Location": f"{b}/ref-new"}))
    site.route("/ref-new", Answer())
    text = (
        "\ufeff# List\r\n\r\n"
        f"- [Old]({b}/old#usage) - moved.\r\n"
        f"- [Again]({b}/old) - the same page.\r\n"
        f"- <{b}/old>\r\n"
        f"- Bare {b}/old stays: its URL is its text.\r\n"
        "- [Ref][r]\r\n\r\n"
        f"[r]: {b}/ref-old\r\n"
    )
    path = write(work, text)
    os.chmod(path, 0o640)
    _, out, _ = run(capsys, "--no-cache", "--diff")
    assert path.read_bytes() == text.encode()  # --diff writes nothing
    assert f"+- [Old]({b}/new#usage) - moved.\r\n" in out
    code, out, _ = run(capsys, "--no-cache", "--fix")
    expected = (
        text.replace(f"{b}/old#", f"{b}/new#")
        .replace(f"({b}/old)", f"({b}/new)")
        .replace(f"{b}/ref-old", f"{b}/ref-new")
    )
    assert path.read_bytes() == expected.encode()
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert code == 1  # the autolink and the bare URL remain, reported without a fix
    assert findings(out) == [
        f"5:4: LL602 moved permanently (301) to {b}/new: update the link [link-redirect]",
        f"6:8: LL602 moved permanently (301) to {b}/new: update the link [link-redirect]",
    ]
    assert "Fixed 3 problems." in out


# -- limits ------------------------------------------------------------------------------------


def test_host_concurrency_is_kept(
    work: Path, site: Site, other_site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    config(work, "host-concurrency = 2\nconcurrency = 3\n")
    lines = []
    for i in range(8):
        lines.append(f"- [a{i}]({site.route(f'/p{i}', Answer(delay=0.15))})\n")
        lines.append(f"- [b{i}]({other_site.route(f'/p{i}', Answer(delay=0.15))})\n")
    write(work, "".join(lines))
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])
    assert site.max_in_flight == 2 and other_site.max_in_flight == 2
    assert len(site.paths()) == 8 and len(other_site.paths()) == 8


def test_host_interval(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    config(work, "host-interval = 0.4\n")
    stamps: list[float] = []

    def stamp(n: int, r: Request) -> Answer:
        stamps.append(time.monotonic())
        return Answer()

    write(work, "".join(f"- [x]({site.route(f'/i{i}', stamp)})\n" for i in range(4)))
    assert run(capsys, "--no-cache")[0] == 0
    gaps = [b - a for a, b in zip(sorted(stamps), sorted(stamps)[1:], strict=False)]
    assert (
        len(gaps) == 3 and min(gaps) >= 0.2
    )  # spaced by the client (0.2 s of arrival jitter allowed)


def test_one_request_per_url(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    gone = site.route("/gone", Answer(404))
    host = site.base.replace("127.0.0.1", "127.0.0.1")
    write(
        work,
        f"- [a]({gone})\n- [b]({gone}#part)\n- [c]({gone}#other)\n"
        f"- [d]({host.replace('http', 'HTTP')}/gone)\n",
    )
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert len(findings(out)) == 4  # every occurrence reported
    assert site.paths() == ["/gone", "/gone"]  # HEAD, then GET to confirm: one URL


def test_spellings_sent_as_one_request_line_share_it(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    # The client sends all three as GET /a/~b: escapes in either case, an escaped
    # unreserved character and dot segments are one request line.
    site.route("/a/~b", Answer(404))
    b = site.base
    write(work, f"- [a]({b}/a/%7eb)\n- [b]({b}/a/%7Eb)\n- [c]({b}/x/../a/./~b)\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert len(findings(out)) == 3  # every occurrence reported
    assert site.paths() == ["/a/~b", "/a/~b"]  # HEAD, then GET to confirm: one URL


def test_a_redirect_target_reached_twice_is_asked_once(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    config(work, "host-concurrency = 1\n")
    site.route("/old1", Answer(302, {"Location": "/new"}))
    site.route("/old2", Answer(302, {"Location": "/new"}))
    site.route("/new", Answer(200))
    site.route("/listed", Answer(200))
    site.route("/to-listed", Answer(307, {"Location": "/listed"}))
    b = site.base
    write(
        work,
        "".join(f"- [x]({b}{p})\n" for p in ("/old1", "/old2", "/listed", "/to-listed")),
    )
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])  # temporary redirects to live pages
    assert sorted(site.paths()) == ["/listed", "/new", "/old1", "/old2", "/to-listed"]


def test_dead_head_answers_are_confirmed_and_a_lying_head_is_dropped(
    work: Path, site: Site, other_site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    config(work, "host-concurrency = 1\n")
    # site: HEAD tells the truth; other: HEAD answers 404 for pages GET finds, but not
    # for all of them (the first dead answer there is true).
    dead = [site.route(f"/gone{i}", Answer(404)) for i in range(3)]
    gone = other_site.route("/gone", Answer(404))
    lying = [other_site.route(f"/page{i}", Answer(head_status=404)) for i in range(3)]
    write(work, "".join(f"- [x]({u})\n" for u in [*dead, gone, *lying]))
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert findings(out) == [
        f"{n}:7: LL601 dead link: 404 Not Found [link-dead]" for n in (1, 2, 3, 4)
    ]
    # Every dead HEAD answer is confirmed by GET, even after one was confirmed.
    assert site.paths("HEAD") == site.paths("GET") == ["/gone0", "/gone1", "/gone2"]
    # Once a GET found a page HEAD called dead, the host is asked with GET only.
    assert other_site.paths("HEAD") == ["/gone", "/page0"]
    assert other_site.paths("GET") == ["/gone", "/page0", "/page1", "/page2"]


# -- credentials ------------------------------------------------------------------------------


def test_headers_only_under_their_prefix(
    work: Path,
    site: Site,
    other_site: Site,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LL_TEST_TOKEN", "s3cret-value")
    config(work, f'[links.headers."{site.base}/private/"]\nAuthorization = "LL_TEST_TOKEN"\n')
    site.route("/private/a", Answer(301, {"Location": f"{other_site.base}/landing"}))
    site.route("/public", Answer(404))
    other_site.route("/landing", Answer(404))
    write(work, f"- [a]({site.base}/private/a)\n- [b]({site.base}/public)\n")
    _, out, err = run(capsys, "--no-cache", "--output-format", "json")
    sent = {r.path: r.headers.get("Authorization") for r in site.requests}
    assert sent == {"/private/a": "s3cret-value", "/public": None}
    assert all("Authorization" not in r.headers for r in other_site.requests)
    assert "s3cret" not in out + err
    assert len(json.loads(out)) == 2


# -- proxies ---------------------------------------------------------------------------------


def test_proxy_from_environment_and_configuration(
    work: Path,
    site: Site,
    proxy: Proxy,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ok = site.route("/ok", Answer())
    gone = site.route("/gone", Answer(404))
    write(work, f"- [ok]({ok})\n- [gone]({gone})\n")
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    code, out, _ = run(capsys, "--no-cache")
    assert (code, len(findings(out))) == (1, 1)
    # Every request went through the proxy, with the absolute URL, and on to the site.
    assert sorted((r.method, r.path) for r in proxy.requests) == [
        ("GET", gone),
        ("HEAD", gone),
        ("HEAD", ok),
    ]
    assert sorted(site.paths()) == ["/gone", "/gone", "/ok"]
    # NO_PROXY names the host: straight to the site.
    monkeypatch.setenv("no_proxy", "example.org, 127.0.0.1")
    before = len(proxy.requests)
    run(capsys, "--no-cache")
    assert len(proxy.requests) == before and len(site.paths()) == 6
    # The configuration's proxy, without the environment's.
    monkeypatch.delenv("HTTP_PROXY")
    monkeypatch.delenv("no_proxy")
    config(work, f'proxy = "{proxy.url}"\n')
    run(capsys, "--no-cache")
    assert len(proxy.requests) == before + 3 and len(site.paths()) == 9


# -- memory between runs ------------------------------------------------------------------------


def test_cache_hits_make_no_request(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = site.route("/ok", Answer())
    gone = site.route("/gone", Answer(404))
    write(work, f"- [ok]({ok})\n- [gone]({gone})\n")
    run(capsys)
    first = len(site.requests)
    code, out, _ = run(capsys)
    assert code == 1
    # The success is trusted; the failure is asked again, with GET alone (no HEAD: its
    # dead answer would need GET's word).
    assert "(2 URLs, 1 from cache" in out
    assert [(r.method, r.path) for r in site.requests[first:]] == [("GET", "/gone")]
    assert (work / ".listlint_cache" / "links.sqlite3").is_file()
    code, out, _ = run(capsys, "--refresh")
    assert "/ok" in [r.path for r in site.requests[first + 1 :]]
    before = len(site.requests)
    run(capsys, "--max-age", "0")
    assert "/ok" in [r.path for r in site.requests[before:]]
    before = len(site.requests)
    run(capsys, "--no-cache")
    assert "/ok" in [r.path for r in site.requests[before:]]


def test_failure_streak(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    config(work, "failures-before-dead = 2\n")
    state = {"status": 404}
    site.route("/outage", lambda n, r: Answer(state["status"]))
    write(work, f"- [x]({site.base}/outage)\n")
    code, out, _ = run(capsys)
    assert code == 0
    assert findings(out) == [
        "1:7: LL603 404 Not Found, but it failed only 1 of the last 1 runs: reported as dead "
        "after 2 failing runs in a row [link-unverifiable]"
    ]
    code, out, _ = run(capsys)
    assert (code, findings(out)) == (1, ["1:7: LL601 dead link: 404 Not Found [link-dead]"])
    state["status"] = 200
    assert run(capsys)[0] == 0
    state["status"] = 404
    code, out, _ = run(capsys, "--refresh")
    assert code == 0
    assert "failed only 1 of the last 2 runs" in out
    # HEAD and GET's confirmation; then, after a failing run, GET alone (also the run
    # that found the page back); after a good run, HEAD first again.
    assert [r.method for r in site.requests] == ["HEAD", "GET", "GET", "GET", "HEAD", "GET"]


# -- pull requests ------------------------------------------------------------------------------


def test_diff_base_checks_only_added_links(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    old = site.route("/old-dead", Answer(404))
    new = site.route("/new-dead", Answer(404))
    write(work, f"# L\n\n- [old]({old})\n")
    git(work, "init", "-q")
    git(work, "add", "list.md")
    git(work, "commit", "-q", "-m", "base")
    base = git(work, "rev-parse", "HEAD")
    write(work, f"# L\n\n- [old]({old})\n- [new]({new})\n")
    code, out, _ = run(capsys, "--no-cache", "--diff-base", base, "list.md")
    assert code == 1
    assert findings(out) == ["4:9: LL601 dead link: 404 Not Found [link-dead]"]
    assert "/old-dead" not in site.paths()
    code, _, err = run(capsys, "--diff-base", "0" * 40)
    assert code == 2 and "no such commit" in err


# -- GitHub -------------------------------------------------------------------------------


LIST = (
    "- [a](https://github.com/octo/archived)\n"
    "- [r](https://github.com/octo/old-name)\n"
    "- [r2](https://github.com/octo/old-name/tree/main/docs#setup)\n"
    "- [m](https://github.com/octo/missing)\n"
    "- [s](https://github.com/octo/Same)\n"
)
API_VERDICTS = [
    "1:7: LL604 GitHub repository octo/archived is archived (read-only) [github-archived]",
    "2:7: LL602 GitHub repository octo/old-name moved to neworg/new-name: update the link "
    "[link-redirect] [*]",
    "3:8: LL602 GitHub repository octo/old-name moved to neworg/new-name: update the link "
    "[link-redirect] [*]",
    "4:7: LL601 dead link: GitHub repository octo/missing does not exist (or is private) "
    "[link-dead]",
]


def enterprise_api(work: Path, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A token in LL_GH and a GitHub Enterprise API base on ``site`` (``/api/v3``)."""
    monkeypatch.setenv("LL_GH", "token-123")
    config(work, f'github-token-env = "LL_GH"\ngithub-api = "{site.base}/api/v3"\n')


def test_github_graphql(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    enterprise_api(work, site, monkeypatch)  # GraphQL at /api/graphql beside /api/v3
    api = GraphQL(
        {
            "octo/archived": ("octo/archived", True),
            "octo/old-name": ("neworg/new-name", False),
            "octo/same": ("octo/same", False),
        }
    )
    site.route("/api/graphql", api)
    write(work, LIST)
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (1, API_VERDICTS)
    # One query for the four repositories, each asked once; no REST request, and no
    # HTTP request for the repositories the API answered.
    posts = [r for r in site.requests if r.method == "POST"]
    assert len(posts) == 1 and len(site.requests) == 1
    assert sorted(api.asked[0]) == ["octo/Same", "octo/archived", "octo/missing", "octo/old-name"]
    assert posts[0].headers["Authorization"] == "Bearer token-123"
    run(capsys, "--no-cache", "--fix")
    assert (work / "list.md").read_text().splitlines()[1:3] == [
        "- [r](https://github.com/neworg/new-name)",
        "- [r2](https://github.com/neworg/new-name/tree/main/docs#setup)",
    ]


def test_github_rest_where_graphql_is_missing(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    enterprise_api(work, site, monkeypatch)
    repo = "application/json"
    site.route(
        "/api/v3/repos/octo/archived",
        Answer(
            body=b'{"full_name": "octo/archived", "archived": true}', headers={"Content-Type": repo}
        ),
    )
    site.route("/api/v3/repos/octo/old-name", Answer(301, {"Location": "/api/v3/repositories/7"}))
    site.route(
        "/api/v3/repositories/7",
        Answer(body=b'{"full_name": "neworg/new-name", "archived": false}'),
    )
    site.route("/api/v3/repos/octo/Same", Answer(body=b'{"full_name": "octo/same"}'))
    write(work, LIST)
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (1, API_VERDICTS)
    # /api/graphql answered 404 (no route): one try, then REST, a repository a request.
    assert [r.path for r in site.requests if r.method == "POST"] == ["/api/graphql"]
    asked = [r for r in site.requests if r.path.startswith("/api/v3/repos/")]
    assert sorted(r.path for r in asked) == [
        "/api/v3/repos/octo/Same",
        "/api/v3/repos/octo/archived",
        "/api/v3/repos/octo/missing",
        "/api/v3/repos/octo/old-name",
    ]  # each repository once
    assert all(r.headers["Authorization"] == "Bearer token-123" for r in asked)


@pytest.mark.parametrize("how", ["refused", "remaining", "error"])
def test_github_graphql_rate_limit(
    work: Path,
    site: Site,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    import time

    from listlint.links import githubapi

    monkeypatch.setattr(githubapi, "BATCH", 2)
    monkeypatch.setattr(githubapi, "QUERIES", 1)
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    config(work, f'github-api = "{site.base}"\n')
    repos = {f"o/r{i}": (f"o/r{i}", False) for i in range(5)}
    if how == "error":
        # A 200 whose errors say RATE_LIMITED (the GraphQL form of the limit).
        body = b'{"data": null, "errors": [{"type": "RATE_LIMITED", "message": "limit"}]}'
        site.route("/graphql", Answer(200, {"X-RateLimit-Reset": "1900000000"}, body))
        answered = 0
    else:
        api = GraphQL(repos, remaining=0 if how == "refused" else 1)
        site.route("/graphql", api)
        answered = 0 if how == "refused" else 2  # the first query spends the last point
    write(work, "".join(f"- [r{i}](https://github.com/o/r{i})\n" for i in range(5)))
    code, out, err = run(capsys, "--no-cache")
    assert code == 0
    # X-RateLimit-Reset and rateLimit.resetAt (2030-03-17T17:46:40Z) say the same time.
    at = time.strftime("%H:%M UTC", time.gmtime(1_900_000_000))
    limited = [f for f in findings(out) if "rate limit reached" in f]
    assert len(limited) == 5 - answered
    assert limited[0].endswith(f"(resets at {at}): o/r{answered} not checked [link-unverifiable]")
    assert f"GitHub API rate limit reached (resets at {at}); {5 - answered} repositories" in err
    # Nothing more asked once limited: one query, and no REST or page request.
    assert [r.method for r in site.requests] == ["POST"]
    assert len(findings(out)) == 5 - answered


def test_github_rate_limit(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    config(work, f'github-api = "{site.base}"\n')
    reset = 1_900_000_000
    limited = Answer(
        403,
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
        b'{"message": "API rate limit exceeded"}',
    )
    for i in range(3):
        site.route(f"/repos/o/r{i}", limited)
    write(work, "".join(f"- [r{i}](https://github.com/o/r{i})\n" for i in range(3)))
    code, out, err = run(capsys, "--no-cache")
    assert code == 0
    at = __import__("time").strftime("%H:%M UTC", __import__("time").gmtime(reset))
    assert findings(out)[0] == (
        f"1:8: LL603 GitHub API rate limit reached (resets at {at}): o/r0 not checked "
        "[link-unverifiable]"
    )
    assert len(findings(out)) == 3
    assert f"GitHub API rate limit reached (resets at {at})" in err
    # /graphql answered 404: REST, which stopped asking once limited (8 in flight at most).
    assert [r.path for r in site.requests if r.method == "POST"] == ["/graphql"]
    assert len(site.paths("GET")) < 3 + 1
    assert b'r0: repository(owner: \\"o\\", name: \\"r0\\")' in site.requests[0].body


# -- configuration, command line, registry ------------------------------------------------------


def test_readme_configuration_is_the_default() -> None:
    import tomllib

    from listlint.links.settings import Settings, load

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Checking links online (`listlint links`)\n", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    table = tomllib.loads(block)["tool"]["listlint"]["links"]
    headers = table.pop("headers")
    assert load(table, "README.md") == Settings()
    assert load({"headers": headers}, "README.md").headers == {
        "https://gitlab.example.com/": {"PRIVATE-TOKEN": "GITLAB_TOKEN"}
    }


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("colour = 1", "unknown key 'links.colour'"),
        ("timeout = 0", "'links.timeout' must be a positive number of seconds, not 0"),
        ("retries = -1", "'links.retries' must be an integer >= 0"),
        ('accept = ["2xx"]', "'links.accept' must be a list of status codes and ranges"),
        ('exclude = ["("]', "'links.exclude': invalid regex"),
        ('max-age = "soon"', "'links.max-age' must be seconds or a duration"),
        ('github-api = "ftp://x"', "'links.github-api' must be an http(s) URL"),
        ('headers = {"x" = {}}', "'links.headers' must be a table of URL prefixes"),
    ],
)
def test_bad_configuration(
    work: Path, capsys: pytest.CaptureFixture[str], toml: str, message: str
) -> None:
    (work / "listlint.toml").write_text(f"[links]\n{toml}\n", encoding="utf-8")
    write(work, "- [a](http://127.0.0.1:9/)\n")
    code, _, err = run(capsys)
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_pyproject_names_the_full_key(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "listlint.toml").unlink()
    (work / "pyproject.toml").write_text("[tool.listlint.links]\nspeed = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "--no-cache")
    assert code == 2 and "unknown key 'tool.listlint.links.speed'" in err


def test_every_output_format(work: Path, site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    from listlint.cli import OUTPUT_FORMATS

    write(work, f"- [a]({site.route('/gone', Answer(404))})\n")
    for fmt in OUTPUT_FORMATS:
        code, out, _ = run(capsys, "--output-format", fmt)
        assert code == 1 and ("LL601" in out or "link-dead" in out), fmt
    code, out, _ = run(capsys, "--output-format", "json")
    [finding] = json.loads(out)
    assert (finding["code"], finding["line"], finding["column"]) == ("LL601", 1, 7)
    code, out, _ = run(capsys, "--output-file", "report.txt", "--quiet")
    assert code == 1 and out == ""
    assert "LL601" in (work / "report.txt").read_text()


def test_select_ignore_and_suppression(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = site.route("/gone", Answer(404))
    moved = site.route("/moved", Answer(301, {"Location": "/new"}))
    site.route("/new", Answer())
    write(
        work,
        f"- [a]({gone})\n- [b]({moved})\n"
        "<!-- listlint-disable-next-line link-dead -->\n"
        f"- [c]({gone}#x)\n",
    )
    _, out, _ = run(capsys, "--select", "link-redirect")
    assert [f.split(" ")[1] for f in findings(out)] == ["LL602"]
    _, out, _ = run(capsys, "--ignore", "LL602")
    assert [f.split(" ")[0] for f in findings(out)] == ["1:7:"]  # the suppressed one is gone
    code, _, err = run(capsys, "--select", "nothing-like-this")
    assert code == 2 and "selects no rule" in err


def test_check_and_fix_never_run_link_rules(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    write(work, f"# L\n\n- [a]({site.route('/gone', Answer(404))})\n")
    assert main(["check", "--select", "ALL", "--no-cache", "list.md"]) in (0, 1)
    assert main(["fix", "--no-cache", "list.md"]) in (0, 1)
    assert site.requests == []
    capsys.readouterr()
    assert main(["rules"]) == 0
    listed = capsys.readouterr().out
    assert "LL601  link-dead" in listed and "links" in listed.split("link-dead", 1)[1].split()[1]
    assert main(["rule", "link-dead"]) == 0
    assert capsys.readouterr().out.startswith("# link-dead (LL601)\n")


def test_without_aiohttp_says_how_to_install(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "aiohttp", None)
    code, _, err = run(capsys)
    assert code == 2
    assert err == (
        "error: listlint links needs the optional HTTP client (aiohttp): install listlint with "
        "its 'links' extra (in a clone: pip install '.[links]')\n"
    )


def test_input_errors_and_stdin(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    (work / "binary.md").write_bytes(b"\x00\x01")
    moved = site.route("/moved", Answer(308, {"Location": "/new"}))
    site.route("/new", Answer())
    write(work, f"- [a]({moved})\n")
    code, out, err = run(capsys, "--no-cache", "missing.md", "binary.md", "list.md")
    assert code == 2
    assert "missing.md: no such file or directory" in err and "binary.md: binary file" in err
    assert "LL602" in out  # the other file is still checked
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(f"[a]({moved})\n".encode())))
    code, out, err = run(capsys, "--no-cache", "--fix", "-")
    assert out == f"[a]({site.base}/new)\n"
    assert "Fixed 1 problem." in err


def test_progress_line() -> None:
    import io

    from listlint.links.command import _Progress
    from listlint.links.requests import Host

    class FakeClient:
        def __init__(self) -> None:
            self.hosts: dict[str, Host] = {}

    stream = io.StringIO()
    client = FakeClient()
    p = _Progress(client, 10, stream)
    assert p.line() == "0/10 URLs checked"
    p.done = 3
    for name, waiting in (("a.example", 2), ("b.example", 0), ("c.example", 5)):
        client.hosts[name] = Host(4)
        client.hosts[name].waiting = waiting
    assert p.line() == "3/10 URLs checked; waiting on c.example (5), a.example (2)"
    p.clear()
    assert stream.getvalue() == "\r\x1b[K"


def test_configuration_nearest_each_file(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    moved = site.route("/moved", Answer(301, {"Location": "/new"}))
    site.route("/new", Answer())
    gone = site.route("/gone", Answer(404))
    config(work, '[per-file-ignores]\n"legacy.md" = ["link-dead"]\n')
    write(work, f"- [a]({moved})\n- [b]({gone})\n")
    write(work, f"- [a]({gone})\n", "legacy.md")
    (work / "docs").mkdir()
    (work / "docs" / "listlint.toml").write_text('ignore = ["link-redirect"]\n')
    write(work, f"- [a]({moved})\n- [b]({gone})\n", "docs/page.md")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert sorted(line.split(": ", 1)[0] for line in out.splitlines() if "[link-" in line) == [
        "docs/page.md:2:7",
        "list.md:1:7",
        "list.md:2:7",
    ]


def test_input_errors_are_records_of_the_machine_readable_reports(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "binary.md").write_bytes(b"\x00\x01")
    write(work, f"- [a]({site.route('/gone', Answer(404))})\n")
    (work / "docs").mkdir()
    (work / "docs" / "listlint.toml").write_text("select = [\n", encoding="utf-8")
    write(work, "- [b](http://127.0.0.1:9/never-asked)\n", "docs/page.md")
    args = ("--no-cache", "missing.md", "binary.md", "list.md", "docs/page.md")
    code, out, err = run(capsys, *args, "--output-format", "json")
    assert code == 2
    records = json.loads(out)
    assert [(r["path"], r["code"], r["rule"]) for r in records] == [
        ("list.md", "LL601", "link-dead"),
        ("missing.md", "LL000", "input-error"),
        ("binary.md", "LL000", "input-error"),
        ("docs/listlint.toml", "LL000", "input-error"),
    ]
    assert records[1]["message"] == "missing.md: no such file or directory"
    assert records[3]["line"] == 1 and "1 file not checked: docs/page.md" in records[3]["message"]
    assert "error: missing.md: no such file or directory" in err
    assert site.paths() == ["/gone", "/gone"]  # the file under the broken configuration: none
    lines = run(capsys, *args, "--output-format", "json-lines")[1].splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["LL601", "LL000", "LL000", "LL000"]
    code, out, _ = run(capsys, *args, "--output-format", "gitlab")
    issues = json.loads(out)
    assert code == 2 and [i["check_name"] for i in issues] == [
        "LL601 link-dead",
        "LL000 input-error",
        "LL000 input-error",
        "LL000 input-error",
    ]
    assert issues[1]["location"]["path"] == "missing.md" and issues[1]["severity"] == "critical"


def test_an_unusable_configuration_still_writes_the_report(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (work / "listlint.toml").write_text("[links]\ntimeout = -1\n", encoding="utf-8")
    write(work, "- [a](http://127.0.0.1:9/never-asked)\n")
    code, out, err = run(capsys, "--no-cache", "--output-format", "json")
    assert code == 2
    [record] = json.loads(out)
    assert (record["path"], record["code"]) == ("listlint.toml", "LL000")
    assert err == f"error: {record['message']}\n"
    assert "links.timeout" in record["message"]
    code, out, err = run(capsys, "--no-cache")
    assert (code, out) == (2, "") and err.count("\n") == 1


def test_bad_ports_in_a_proxy_or_a_redirect(
    work: Path,
    site: Site,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    odd = site.route("/odd", Answer(301, {"Location": "http://127.0.0.1:99999/x"}))
    write(work, f"- [odd]({odd})\n")
    code, out, err = run(capsys, "--no-cache")
    assert (code, err) == (0, "")
    assert findings(out) == [
        "1:9: LL603 redirects to http://127.0.0.1:99999/x, which is not a valid URL (its "
        "port): check it in a browser [link-unverifiable]"
    ]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128x")
    code, out, err = run(capsys, "--no-cache")
    assert (code, out) == (2, "")
    assert err == (
        "error: HTTPS_PROXY: 'http://proxy.example:3128x' is not a usable proxy URL: Port "
        "could not be cast to integer value as '3128x'\n"
    )
    assert site.paths() == ["/odd"]


# -- audit of issue 16: the promises not yet proven elsewhere ---------------------------------


def test_global_concurrency_is_kept(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    # The host would take 4 at once; the run's limit of 2 is what holds.
    config(work, "host-concurrency = 4\nconcurrency = 2\n")
    write(
        work, "".join(f"- [p{i}]({site.route(f'/p{i}', Answer(delay=0.15))})\n" for i in range(6))
    )
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])
    assert 1 <= site.max_in_flight <= 2 and len(site.paths()) == 6


@pytest.mark.parametrize("refusal", [405, 501])
def test_head_refused_or_not_implemented_means_get_for_the_host(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], refusal: int
) -> None:
    config(work, "host-concurrency = 1\n")
    urls = [site.route(f"/p{i}", Answer(head_status=refusal)) for i in range(3)]
    write(work, "".join(f"- [p]({u})\n" for u in urls))
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (0, [])
    assert site.paths("HEAD") == ["/p0"]  # one refusal, then GET only
    assert site.paths("GET") == ["/p0", "/p1", "/p2"]


def test_hosts_known_to_mishandle_head_get_get() -> None:
    from listlint.links.requests import Client
    from listlint.links.settings import Settings

    client = Client(Settings(), {})
    assert client.host("https://twitter.com/someone").head_ok is False
    assert client.host("https://www.linkedin.com/in/x").head_ok is False
    assert client.host("https://example.org/x").head_ok is True


def test_user_agent_include_and_exclude(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    keep = site.route("/keep/a", Answer())
    skip = site.route("/skip/b", Answer(404))
    write(work, f"- [k]({keep})\n- [s]({skip})\n")
    config(work, 'include = ["/keep/"]\n')
    assert run(capsys, "--no-cache")[0] == 0
    assert site.paths() == ["/keep/a"]
    assert site.requests[0].headers["User-Agent"].startswith("Mozilla/5.0 (")  # a browser's
    assert site.requests[0].headers["Accept"].startswith("text/html")
    config(work, 'exclude = ["/keep/"]\nuser-agent = "list-checker/1.0"\n')
    assert run(capsys, "--no-cache")[0] == 1
    assert site.paths()[1:] == ["/skip/b", "/skip/b"]
    assert {r.headers["User-Agent"] for r in site.requests[1:]} == {"list-checker/1.0"}
    assert not (work / ".listlint_cache").exists()  # --no-cache writes no cache either


def test_a_page_is_read_no_further_than_max_body(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str]
) -> None:
    config(work, "check-fragments = true\nmax-body = 4096\n")
    early = b'<html><h2 id="early">E</h2>' + b"x" * 10_000 + b'<h2 id="late">L</h2></html>'
    page = site.route("/page", Answer(body=early))
    write(work, f"- [e]({page}#early)\n- [l]({page}#late)\n")
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (
        1,
        ["2:7: LL605 the page has no anchor #late [link-anchor]"],
    )
    assert site.paths() == ["/page"]  # one GET for both fragments (ids read), no HEAD


def test_without_a_token_github_links_are_asked_over_http(
    work: Path, site: Site, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # github.com resolves to the loopback site here, and no other name resolves at all:
    # nothing leaves the machine, whatever the run asks.
    real = socket.getaddrinfo

    def loopback_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("github.com", "127.0.0.1"):
            raise socket.gaierror(socket.EAI_NONAME, "no such host in this test")
        return real("127.0.0.1", *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    gh = f"http://github.com:{site.port}"
    site.route("/octo/gone", Answer(404))
    site.route("/octo/here", Answer(200))
    write(work, f"- [g]({gh}/octo/gone)\n- [h]({gh}/octo/here)\n")
    code, out, _ = run(capsys, "--no-cache")
    assert (code, findings(out)) == (1, ["1:7: LL601 dead link: 404 Not Found [link-dead]"])
    # The pages themselves, over HTTP; no API request (it would be a POST).
    assert sorted(site.paths()) == ["/octo/gone", "/octo/gone", "/octo/here"]
    assert {r.method for r in site.requests} == {"HEAD", "GET"}


def test_a_connection_not_accepted_in_time_is_a_connect_timeout(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A listener whose accept queue is full: the kernel drops further SYNs, so connecting
    # waits until connect-timeout (well before the total timeout).
    config(work, "connect-timeout = 0.3\ntimeout = 5\nretries = 0\n")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    held = []
    for _ in range(3):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        held.append(c)
    try:
        write(work, f"- [x](http://127.0.0.1:{port}/x)\n")
        code, out, _ = run(capsys, "--no-cache")
    finally:
        for c in [*held, listener]:
            c.close()
    assert code == 0
    assert findings(out) == [
        "1:7: LL603 no connection within 0.3 s: check it in a browser [link-unverifiable]"
    ]


class _Closer:
    """A loopback listener that accepts each connection and closes it at once."""

    def __init__(self) -> None:
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            conn.close()


def test_retries_back_off_exponentially_with_jitter(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from listlint.links import requests
    from listlint.links.settings import load

    settings = load({"retries": 3, "backoff": 0.5, "timeout": 0.2, "connect-timeout": 1}, "t")
    gone = socket.socket()
    gone.bind(("127.0.0.1", 0))
    refused = gone.getsockname()[1]
    gone.close()
    closer = _Closer()
    urls = {
        "5xx": site.route("/fail", Answer(500)),
        "timeout": site.route("/slow", Answer(delay=0.5)),
        "connection": f"http://127.0.0.1:{closer.port}/x",
        "refused": f"http://127.0.0.1:{refused}/x",
    }
    spread: list[tuple[float, float]] = []

    def uniform(a: float, b: float) -> float:
        spread.append((a, b))
        return b  # the longest wait the jitter allows

    monkeypatch.setattr(requests.random, "uniform", uniform)

    async def probe(url: str) -> tuple[requests.Probe, list[float]]:
        waits: list[float] = []

        async def sleep(seconds: float) -> None:
            waits.append(seconds)

        async with requests.Client(settings, {}) as client:
            client.sleep = sleep
            return await client.probe(url), waits

    try:
        for kind, url in urls.items():
            spread.clear()
            probe_, waits = asyncio.run(probe(url))
            assert probe_.tries == 4, kind  # retries = 3
            assert waits == [0.75, 1.5, 3.0], kind  # 0.5 s doubled each time, times 1.5
            assert spread == [(0.5, 1.5)] * 3, kind  # jittered by +-50 %
    finally:
        closer.sock.close()
    assert site.counts["/fail"] == 5  # HEAD, then GET and its three retries
    assert closer.accepted >= 4


def test_a_host_name_that_does_not_exist_is_dead_one_that_fails_now_is_not(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The resolver answers here: no name is looked up beyond this machine.
    def resolve(host: object, *args: object, **kwargs: object) -> object:
        if host == "busy.example":
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    write(work, "- [g](http://gone.example/x)\n- [b](http://busy.example/y)\n")
    code, out, _ = run(capsys, "--no-cache")
    assert code == 1
    assert findings(out) == [
        "1:7: LL601 dead link: host name gone.example does not exist [link-dead]",
        "2:7: LL603 host name busy.example could not be resolved now (2 tries): check it in a "
        "browser [link-unverifiable]",
    ]


def test_readme_workflows_for_pull_requests_and_every_week() -> None:
    yaml = pytest.importorskip("yaml")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Checking links online (`listlint links`)\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```yaml\n")[1:]]
    pull, weekly = (yaml.safe_load(b) for b in blocks)
    pr_steps = pull["jobs"]["links"]["steps"]
    assert "pull_request" in str(pull.get("on", pull.get(True)))
    assert any("--diff-base" in s.get("run", "") for s in pr_steps)  # only the added links
    assert pr_steps[0]["with"] == {"fetch-depth": 0}  # the base commit is there
    schedule = weekly.get("on", weekly.get(True))
    assert schedule["schedule"][0]["cron"].split()[-1] == "1"  # weekly
    cache = [s for s in weekly["jobs"]["links"]["steps"] if "cache" in s.get("uses", "")]
    assert cache and cache[0]["with"]["path"] == ".listlint_cache"  # kept between runs
    assert "failures-before-dead = 2" in section
