"""A document's findings and fixes do not depend on what the process linted or fixed before
it: the language server lints many documents in one process, and a check of many files
with --jobs 1 does too, while listlint keeps renderings, pieces and views of the texts it
saw last (listlint.github's memo and pieces, the render thread, the fix passes' carried
views). The oracle is a fresh process (``listlint check/fix -``) for long texts, and the
same text linted in another order for generated ones."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from explore import explored
from helpers import all_rules, options_for
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from strategies import documents, edit_versions
from test_fix_passes import BLOCKS

from listlint.api import Job, fix_text
from listlint.lint import lint_text

CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus"
ALL = list(all_rules())
DEFAULT = [r for r in ALL if r.default]
OPTIONS = options_for()
SAFE = Job(DEFAULT, OPTIONS)
UNSAFE_ALL = Job(ALL, OPTIONS, unsafe=True)


def _found(text: str, rules: list[Any]) -> list[tuple[Any, ...]]:
    result = lint_text(text, rules, OPTIONS, "list.md")
    assert result.errors == []
    return [
        (d.line, d.column, d.end_line, d.end_column, d.code, d.message, d.fix)
        for d in result.diagnostics
    ]


def _fixed(text: str, job: Job) -> tuple[str | None, list[tuple[Any, ...]], list[str]]:
    out = fix_text(text, job, "list.md")
    found = [(d.line, d.column, d.code, d.message, d.fix) for d in out.diagnostics]
    return out.new_text, found, out.errors


@explored(60, HealthCheck.data_too_large)
@given(
    st.lists(
        st.one_of(documents(), edit_versions(BLOCKS, 3).map("\n\n".join)), min_size=2, max_size=4
    )
)
def test_findings_and_fixes_do_not_depend_on_the_documents_before(texts: list[str]) -> None:
    forward = [(_found(t, ALL), _fixed(t, SAFE), _fixed(t, UNSAFE_ALL)) for t in texts]
    backward = [(_found(t, ALL), _fixed(t, SAFE), _fixed(t, UNSAFE_ALL)) for t in reversed(texts)]
    assert forward == backward[::-1]


def _large_versions() -> list[tuple[str, str]]:
    """A long corpus list (rendered and parsed in pieces: 100,000 characters and more) and
    edits of it, as an editor's buffer or a fix's passes go; and a second long list
    between them, as a second open document."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the checkout")
    paths = sorted(CORPUS.glob("*.md"), key=lambda p: p.stat().st_size)
    big = [p for p in paths if p.stat().st_size >= 100_000][:2]  # the two shortest
    rng = random.Random(8)
    out = []
    for path in big:
        text = path.read_text(encoding="utf-8")
        out.append((path.name, text))
        lines = text.split("\n")
        for k in range(1):
            lines = list(lines)
            i = rng.randrange(len(lines))
            lines.insert(i, "| a | b |\n|---|---|\n| c |")  # a short table row
            j = rng.randrange(len(lines))
            lines[j] = lines[j].replace("https://", "http://", 1)
            del lines[rng.randrange(len(lines))]
            out.append((f"{path.name}~{k}", "\n".join(lines)))
    # interleave the two documents' versions
    return out[0::2] + out[1::2] if len(big) == 2 else out


def _fresh(args: list[str], text: str, where: Path) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    done = subprocess.run(
        [sys.executable, "-m", "listlint", *args, "--no-cache", "--stdin-filename", "list.md", "-"],
        input=text.encode(),
        capture_output=True,
        env=env,
        cwd=where,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_long_lists_edited_in_one_process_match_a_fresh_process(tmp_path: Path) -> None:
    (tmp_path / "listlint.toml").write_text("")  # no configuration from above
    versions = _large_versions()
    for name, text in versions:
        expected = json.loads(
            _fresh(["check", "--output-format", "json", "--select", "ALL"], text, tmp_path)
        )
        found = lint_text(text, ALL, OPTIONS, "list.md")
        assert found.errors == []
        got = [
            {"line": d.line, "column": d.column, "code": d.code, "message": d.message}
            for d in found.diagnostics
        ]
        assert got == [
            {k: e[k] for k in ("line", "column", "code", "message")} for e in expected
        ], name
        if "~" not in name:
            continue  # (the edited versions are fixed: a fix's passes and pieces)
        fixed = fix_text(text, SAFE, "list.md")
        assert (fixed.new_text or text).encode() == _fresh(
            ["fix", "-q", "--exit-zero"], text, tmp_path
        ), name
