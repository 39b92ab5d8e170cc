"""Every rule's page in rules/ is complete and its examples run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import all_rules, check, fix
from markdown_it import MarkdownIt

from listlint.registry import Rule, option_names

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOCS = Path(__file__).parent.parent / "rules"
SECTIONS = ["What it does", "Why is this bad?", "Example", "Options"]


def _parse(rule: Rule) -> tuple[list[str], dict[str, list[str]], str]:
    text = (DOCS / f"{rule.name}.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings: list[str] = []
    blocks: dict[str, list[str]] = {}
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag == "h2":
            headings.append(tokens[i + 1].content)
        elif tok.type == "fence" and tok.info.strip() in ("markdown", "toml") and headings:
            blocks.setdefault(f"{headings[-1]}:{tok.info.strip()}", []).append(tok.content)
    return headings, blocks, text


# The rules of `listlint links` need the network: tests/test_links_docs.py runs their pages.
@pytest.mark.parametrize("rule", [r for r in all_rules() if not r.online], ids=lambda r: r.name)
def test_rule_doc(rule: Rule) -> None:
    headings, blocks, text = _parse(rule)
    assert text.startswith(f"# {rule.name} ({rule.code})\n")
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    if rule.fix in ("unsafe", "sometimes") or rule.fix_changes_html:
        assert "Fix safety" in headings
    # The first sentence of "What it does" is the module docstring's summary.
    what = text.split("## What it does\n", 1)[1].split("\n\n", 1)[0].replace("\n", " ")
    import importlib

    module = importlib.import_module(rule.check.__module__)
    assert (module.__doc__ or "").strip().split("\n")[0] == what.split(". ")[0].rstrip(".") + "."
    example, use_instead = blocks["Example:markdown"][:2]
    # A TOML block under Options configures the rule for the examples.
    config = None
    if "Options:toml" in blocks:
        table = tomllib.loads(blocks["Options:toml"][0])["tool"]["listlint"]["rules"]
        config = {rule.name: table[rule.name]}
    path = str(DOCS / f"{rule.name}.md")  # relative links resolve beside the page
    assert any(d.rule == rule.name for d in check(example, rule.name, config=config, path=path))
    clean = check(use_instead, rule.name, config=config, path=path)
    assert [d for d in clean if d.rule == rule.name] == []
    if rule.fix == "safe":
        assert fix(example, rule.name, config=config, path=path) == use_instead
    # The Options section lists exactly the fields of the rule's options type.
    section = text.split("## Options\n", 1)[1].split("\n## ", 1)[0]
    listed = {line[3:].split("`", 1)[0] for line in section.splitlines() if line.startswith("- `")}
    fields = {f.replace("_", "-") for f in option_names(rule.options_type)}
    assert listed == fields
