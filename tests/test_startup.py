"""What a check imports: start-up is benchmarked, so a run loads only what it uses."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

from listlint.guard import validate_kind
from listlint.registry import builtin_modules, builtin_rules, from_module, index_source

ENTRIES = "".join(f"- [Tool {i}](https://example.com/t{i}) - a tool.\n" for i in range(100))
LISTING = (
    "import json, sys\n"
    "from listlint.cli import main\n"
    "main(['check', '--no-cache', sys.argv[1]])\n"
    "print(json.dumps(sorted(m for m in sys.modules if m.startswith('listlint'))))\n"
    "opt_in = vars(sys.modules['listlint.rules.sort_entries']).items()\n"
    "lazy = [n for n, v in opt_in if type(v).__name__ == '_Lazy']\n"
    "print(json.dumps([lazy, [n for n in lazy if 'match' in vars(opt_in.mapping[n])]]))\n"
)


def test_builtin_rules_declare_valid_changes() -> None:
    # Not validated when rules are loaded (that would import the fix guard on every run).
    for rule in builtin_rules():
        assert all(validate_kind(kind) is None for kind in rule.fix_may_change), rule.name


def test_a_check_loads_no_fix_machinery_and_compiles_no_opt_in_pattern(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text("# Tools\n\n" + ENTRIES, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", LISTING, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    listing, compiled = out.splitlines()[-2:]
    modules = set(json.loads(listing))
    assert "listlint.document" in modules  # the listing is of a real run
    assert not modules & {"listlint.guard", "listlint.adopt", "listlint.cache"}
    # Rules that a default check does not run are not imported (the index names them).
    assert not modules & {
        "listlint.rules.table_format",
        "listlint.rules.entry_format",
        "listlint.rules.arxiv_date",
        "listlint.rules.arxiv_text_style",
        "listlint.rules.unused_suppression",
    }
    assert not any(m.startswith("listlint.links.rules.") for m in modules)
    # An opt-in rule's patterns are compiled only when it runs.
    lazy, used = json.loads(compiled)
    assert lazy
    assert used == []


def test_the_rule_index_agrees_with_the_rule_modules() -> None:
    # listlint/rules/index.py lets a run choose rules without importing them; after adding
    # a rule or changing a rule's NAME, CODE, DEFAULT or ONLINE: python -m listlint.registry
    path = Path(__file__).parent.parent / "src" / "listlint" / "rules" / "index.py"
    assert path.read_text(encoding="utf-8") == index_source()


def test_indexed_rules_are_the_modules_rules() -> None:
    for module, rule in zip(builtin_modules(), builtin_rules(), strict=True):
        loaded = from_module(importlib.import_module(module), "builtin")
        for field in ("name", "code", "default", "online", "origin", "summary", "severity"):
            assert getattr(rule, field) == getattr(loaded, field), (module, field)
        for field in ("fix", "fix_may_change", "runs_last", "defers_to", "options_type", "check"):
            assert getattr(rule, field) == getattr(loaded, field), (module, field)
        assert (rule.check_run, rule.across) == (loaded.check_run, loaded.across)
