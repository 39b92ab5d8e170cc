"""Registry, docs, README and hook manifest agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import all_rules

from listlint.cli import main

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


def test_readme_rule_example_runs_as_a_plugin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Your own rules\n")[1]
    section = section.split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    toml = section.split("```toml\n", 1)[1].split("```", 1)[0]
    folder = tmp_path / "tools" / "listlint_rules"
    folder.mkdir(parents=True)
    (folder / "brand_spelling.py").write_text(code, encoding="utf-8")
    (tmp_path / "listlint.toml").write_text(toml, encoding="utf-8")
    page = tmp_path / "list.md"
    page.write_text(
        "# Tools\n\n- [Trainer](https://github.com/x/y) - built on Pytorch, on github.\n"
        "- [Hub](https://huggingface.co) - `github` in code stays; so does hugging face.\n",
        encoding="utf-8",
    )
    assert main(["check", "--config", str(tmp_path / "listlint.toml"), str(page)]) == 1
    out = capsys.readouterr().out
    assert "3:48: LL901 `Pytorch` is spelled `PyTorch` [brand-spelling]" in out
    assert "3:60: LL901 `github` is spelled `GitHub` [brand-spelling]" in out
    assert "4:67: LL901 `hugging face` is spelled `Hugging Face` [brand-spelling]" in out
    assert out.count("LL901") == 3
    assert main(["fix", "--config", str(tmp_path / "listlint.toml"), str(page)]) == 0
    assert page.read_text(encoding="utf-8") == (
        "# Tools\n\n- [Trainer](https://github.com/x/y) - built on PyTorch, on GitHub.\n"
        "- [Hub](https://huggingface.co) - `github` in code stays; so does Hugging Face.\n"
    )


def test_rules_that_read_the_tokens_declare_it() -> None:
    """A check drops the tokens after the token pass unless a rule of the run declares
    READS_TOKENS (any other rule reading them would parse the text again)."""
    import importlib

    from listlint.rules import BUILTIN

    for name in BUILTIN:
        module = importlib.import_module(f"listlint.rules.{name}")
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert ("doc.tokens" in source) == getattr(module, "READS_TOKENS", False), name
