"""Fixture-driven rule tests.

``tests/fixtures/<rule>/<case>.md`` is an input checked with that rule alone (options from
``<case>.toml`` when present, as the rule's table). ``<case>.expected.txt`` holds the
expected findings (``LINE:COL CODE message``), ``<case>.expected.md`` the expected output of
the fix (absent: the fix must change nothing). Cases whose name contains ``unsafe`` apply
unsafe fixes too. Set LISTLINT_UPDATE_FIXTURES=1 to rewrite the expected files for review.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from helpers import all_rules, check, fix, html, report_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures"
UPDATE = os.environ.get("LISTLINT_UPDATE_FIXTURES") == "1"
CASES = sorted(p for p in FIXTURES.glob("*/*.md") if not p.name.endswith(".expected.md"))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture(case: Path) -> None:
    rule = case.parent.name
    text = _read(case)
    options = case.with_suffix(".toml")
    config = {rule: tomllib.loads(options.read_text())} if options.exists() else None
    unsafe = "unsafe" in case.stem

    found = report_lines(check(text, rule, config=config, path=str(case)))
    expected_txt = case.with_name(case.stem + ".expected.txt")
    expected_md = case.with_name(case.stem + ".expected.md")
    fixed = fix(text, rule, unsafe=unsafe, config=config, path=str(case))
    if UPDATE:
        expected_txt.write_text("".join(line + "\n" for line in found), encoding="utf-8")
        if fixed != text:
            expected_md.write_bytes(fixed.encode("utf-8"))
        elif expected_md.exists():
            expected_md.unlink()
    assert found == _read(expected_txt).splitlines()
    assert fixed == (_read(expected_md) if expected_md.exists() else text)
    # Laws: idempotent, nothing fixable left, safe fixes keep the rendering.
    assert fix(fixed, rule, unsafe=unsafe, config=config, path=str(case)) == fixed
    remaining = check(fixed, rule, config=config, path=str(case))
    assert not [d for d in remaining if d.fix and (unsafe or d.fix.applicability == "safe")]
    spec = next(r for r in all_rules() if r.name == rule)
    if not unsafe and not spec.fix_changes_html:
        assert html(fixed) == html(text)


def test_every_rule_has_fixtures() -> None:
    names = {r.name for r in all_rules() if not r.online}  # online: tests/test_links*.py
    folders = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert names == folders
    for name in names:
        cases = list((FIXTURES / name).glob("*.md"))
        assert any(
            c.with_name(c.stem + ".expected.txt").read_text() == ""
            for c in cases
            if not c.name.endswith(".expected.md")
        ), f"{name} needs a clean case"
