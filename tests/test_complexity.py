"""Operation counts, not times: each file is parsed once per pass, views are built once and
shared by the rules, and rules that cannot fix run once per fix, on the final text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import listlint.document
import listlint.github
import listlint.rules.arxiv_id
import listlint.views.links
import listlint.views.tables
from listlint.cli import main

CATALOG = """# Papers

## Models

| Name | Paper |
| --- | --- |
| A | [x](https://arxiv.org/abs/2101.00001) |
| Bee   |  [y](https://arxiv.org/abs/2101.00002)   |

- [Tool](https://example.com/tool) - a tool.
"""


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    seen: Counter[str] = Counter()

    def counting(name: str, target: Any, attr: str) -> None:
        original = getattr(target, attr)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seen[name] += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(target, attr, wrapper)

    counting("parse", listlint.document, "parse")
    counting("tables", listlint.views.tables.Tables, "__init__")
    counting("links", listlint.views.links.Links, "__init__")
    counting("arxiv-id", listlint.rules.arxiv_id, "check")
    return seen


def test_check_parses_each_file_once_and_builds_each_view_once(
    tmp_path: Path, counts: Counter[str]
) -> None:
    files = []
    for k in range(3):
        path = tmp_path / f"list{k}.md"
        path.write_text(CATALOG, encoding="utf-8")
        files.append(str(path))
    main(["check", "--no-cache", "--jobs", "1", *files])
    assert counts == {"parse": 3, "tables": 3, "links": 3, "arxiv-id": 3}


def test_fix_parses_once_per_pass_and_runs_non_fixing_rules_once(
    tmp_path: Path, counts: Counter[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(CATALOG, encoding="utf-8")
    # table-format is opt-in (session 3): turned on, it formats the table in one pass.
    assert main(["fix", "--no-cache", "--extend-select", "table-format", str(path)]) == 0
    assert "| Bee | [y](https://arxiv.org/abs/2101.00002) |" in path.read_text(encoding="utf-8")
    # One pass formats the table, one confirms nothing is left; arxiv-id (no fixes) runs
    # once, on the final text, with the views that pass built.
    assert counts == {"parse": 2, "tables": 2, "links": 2, "arxiv-id": 1}
    counts.clear()
    assert main(["fix", "--no-cache", "--extend-select", "table-format", str(path)]) == 0
    assert counts == {"parse": 1, "tables": 1, "links": 1, "arxiv-id": 1}


# What the views and rules read from the tokens: headings (one followed by a comment and
# the next heading), a table of contents, a reference definition inside a list item, a
# table-shaped paragraph that is no table.
TOKEN_FACTS = """# List

- [One](#one)
- [Two](#two)

## One
<!-- nothing yet -->
## Two

- [Ref][r] and more
  text

  [r]: https://example.com/r

a | b | c
--- | ---
"""


@pytest.mark.parametrize("select", [[], ["--select", "ALL"]])
def test_check_drops_the_tokens_and_parses_once(
    tmp_path: Path, counts: Counter[str], monkeypatch: pytest.MonkeyPatch, select: list[str]
) -> None:
    """A check drops the tokens after the token pass (what the views and rules read of them
    is in ``Document.blocks``), so it parses once; with a rule that reads the tokens itself
    (sort-entries and entry-format are in ALL) it keeps them."""
    from listlint import lint

    path = tmp_path / "list.md"
    path.write_text(TOKEN_FACTS, encoding="utf-8")
    kept: list[bool] = []
    original = lint.lint_document

    def recording(doc: Any, *args: Any) -> Any:
        result = original(doc, *args)
        kept.append("tokens" in doc.__dict__)
        return result

    monkeypatch.setattr(lint, "lint_document", recording)
    main(["check", "--no-cache", *select, str(path)])
    assert counts["parse"] == 1
    assert kept == [bool(select)]


GITHUB_CATALOG = """# Papers

## Contents

- [Models](#models)
- [Tools](#tools)

## Models

| Name | Paper |
| --- | --- |
| A | [x](https://arxiv.org/abs/2101.00001) |
| Bee   |  [y](https://arxiv.org/abs/2101.00002)   |

## Tools

- [Tool](https://example.com/tool) - a tool, see [models](#models).
"""


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often cmark-gfm rendered each text (with or without source positions) or
    parsed it for its syntax tree (``listlint.github.outline``)."""
    seen: Counter[str] = Counter()
    original = listlint.github._render
    outline = listlint.github._Tree.outline

    def counting(body: str, sourcepos: bool) -> str:
        seen[body] += 1
        return original(body, sourcepos)

    def counting_outline(self: Any, body: str, *args: Any) -> Any:
        seen[body] += 1
        return outline(self, body, *args)

    monkeypatch.setattr(listlint.github, "_render", counting)
    monkeypatch.setattr(listlint.github._Tree, "outline", counting_outline)
    monkeypatch.setattr(listlint.github, "_memo", {})
    monkeypatch.setattr(listlint.github, "_outlines", {})
    return seen


def test_github_renders_each_text_once_in_check_and_fix(
    tmp_path: Path, renders: Counter[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(GITHUB_CATALOG, encoding="utf-8")
    main(["check", "--no-cache", "--extend-select", "table-format", str(path)])
    assert dict(renders) == {GITHUB_CATALOG: 1}  # the anchors, the table view: one rendering
    renders.clear()
    listlint.github._memo.clear()
    main(["fix", "--no-cache", "--extend-select", "table-format", str(path)])
    fixed = path.read_text(encoding="utf-8")
    assert fixed != GITHUB_CATALOG
    # Each pass's text once, the guard's comparisons included.
    assert set(renders) == {GITHUB_CATALOG, fixed}
    assert max(renders.values()) == 1


def test_github_rendering_is_skipped_when_no_rule_needs_it(
    tmp_path: Path, renders: Counter[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text("# Title\n\n- [Tool](https://example.com/tool) - a tool.\n", encoding="utf-8")
    main(["check", "--no-cache", str(path)])
    assert renders == {}
