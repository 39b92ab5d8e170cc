"""The pages of the ``listlint links`` rules: complete, and their examples run for real.

As tests/test_rule_docs.py does for the other rules, with the network part made local:
``https://example.com`` in an example is replaced by a server on 127.0.0.1 that answers
as the page describes, and GitHub repositories are answered by a fake API there.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from helpers import all_rules
from markdown_it import MarkdownIt
from test_links_server import Answer, Site

from listlint.cli import main
from listlint.registry import Rule, option_names

pytest_plugins = ["test_links_server"]  # the fixture site

DOCS = Path(__file__).parent.parent / "rules"
SECTIONS = ["What it does", "Why is this bad?", "Example", "Options"]
ONLINE = [r for r in all_rules() if r.online]
HOST = "https://example.com"
CONFIG = "[links]\ntimeout = 2\nretries = 0\nbackoff = 0.01\n"
WALL = b"<html><head><title>Just a moment...</title></head><body>cf-chl</body></html>"
ANCHORS = b'<html><body><h2 id="installation">Installation</h2></body></html>'


def _routes(site: Site, rule: str) -> str:
    """Answers for the example of ``rule``; returns extra configuration."""
    site.route("/tools/parser", Answer())
    site.route("/projects/parser", Answer(404))
    site.route("/guide", Answer(301, {"Location": "/docs/guide/"}))
    site.route("/docs/guide/", Answer())
    site.route("/forum", Answer(403, {"Server": "cloudflare"}, WALL))
    site.route("/docs", Answer(body=ANCHORS))
    site.route(
        "/api/repos/octo-org/old-tool",
        Answer(body=b'{"full_name": "octo-org/old-tool", "archived": true}'),
    )
    site.route("/api/repos/octo-org/new-tool", Answer(body=b'{"full_name": "octo-org/new-tool"}'))
    extra = f'github-api = "{site.base}/api"\ngithub-token-env = "LL_DOC_TOKEN"\n'
    if rule == "link-anchor":
        extra += "check-fragments = true\n"
    return extra


def _blocks(text: str) -> tuple[list[str], list[str]]:
    tokens = MarkdownIt("commonmark").parse(text)
    headings: list[str] = []
    examples: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            headings.append(tokens[i + 1].content)
        elif tok.type == "fence" and tok.info.strip() == "markdown" and headings[-1] == "Example":
            examples.append(tok.content)
    return headings, examples


def _links(
    tmp: Path, capsys: pytest.CaptureFixture[str], site: Site, text: str, *args: str
) -> tuple[str, str]:
    page = tmp / "page.md"
    page.write_text(text.replace(HOST, site.base), encoding="utf-8")
    main(["links", "--no-cache", "--config", str(tmp / "listlint.toml"), *args, str(page)])
    out = capsys.readouterr().out
    return out, page.read_text(encoding="utf-8").replace(site.base, HOST)


@pytest.mark.parametrize("rule", ONLINE, ids=lambda r: r.name)
def test_online_rule_doc(
    rule: Rule,
    site: Site,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (DOCS / f"{rule.name}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {rule.name} ({rule.code})\n")
    headings, (example, use_instead) = _blocks(text)[0], _blocks(text)[1][:2]
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    if rule.fix in ("unsafe", "sometimes") or rule.fix_changes_html:
        assert "Fix safety" in headings
    what = text.split("## What it does\n", 1)[1].split("\n\n", 1)[0].replace("\n", " ")
    module = importlib.import_module(rule.check.__module__)
    assert (module.__doc__ or "").strip().split("\n")[0] == what.split(". ")[0].rstrip(".") + "."
    section = text.split("## Options\n", 1)[1].split("\n## ", 1)[0]
    listed = {line[3:].split("`", 1)[0] for line in section.splitlines() if line.startswith("- `")}
    assert listed == {f.replace("_", "-") for f in option_names(rule.options_type)}
    # The examples, against the local server.
    monkeypatch.setenv("LL_DOC_TOKEN", "t")
    (tmp_path / "listlint.toml").write_text(CONFIG + _routes(site, rule.name), encoding="utf-8")
    out, _ = _links(tmp_path, capsys, site, example)
    assert f"[{rule.name}]" in out
    out, _ = _links(tmp_path, capsys, site, use_instead)
    assert f"[{rule.name}]" not in out
    if rule.fix == "safe":
        _, fixed = _links(tmp_path, capsys, site, example, "--fix")
        assert fixed == use_instead
