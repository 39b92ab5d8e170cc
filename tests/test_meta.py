"""Registry, docs, README and hook manifest agree."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import all_rules

ROOT = Path(__file__).parent.parent


def test_every_rule_has_a_doc_and_every_doc_a_rule() -> None:
    docs = {p.stem for p in (ROOT / "rules").glob("*.md")}
    assert docs == {r.name for r in all_rules()}


def test_readme_lists_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (LL\d{3}) \| \[([a-z0-9-]+)\]\(rules/\2\.md\) \|", readme, re.M)
    assert rows == [(r.code, r.name) for r in all_rules()]


def test_readme_names_every_hook() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    manifest = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    for hook in re.findall(r"^- id: (\S+)", manifest, re.M):
        assert f"id: {hook}" in readme


def test_codes_and_names_are_well_formed() -> None:
    for r in all_rules():
        assert re.fullmatch(r"LL\d{3}", r.code)
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", r.name)
