"""Gaps left in issues 13-15 (the gaps helper, session 4), each through the real entry
point: one finding (and one fix) per defect, stdin named after a file not yet written,
a broken configuration that stops only its own folder, input errors in every machine
format, and what `fix --diff` reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listlint.cli import main

# A table of contents with an entry whose heading was renamed, and one that is dead.
TOC = (
    "# T\n\n## Contents\n\n- [Tools](#tools)\n- [Old name](#old-name)\n- [Gone](#gone)\n\n"
    "## Tools\n\nx\n\n## New name\n\ny\n"
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")
    for name in ("NO_COLOR", "FORCE_COLOR", "LISTLINT_DIFF_BASE"):
        monkeypatch.delenv(name, raising=False)


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def findings(capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


# 1. A dead link in the table of contents is one finding (toc's, with its fix), not two.


def test_dead_toc_link_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "toc.md", TOC)
    assert main(["check", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = findings(capsys)
    by_line: dict[object, list[object]] = {}
    for r in rows:
        by_line.setdefault(r["line"], []).append(r["rule"])
    assert by_line == {5: ["toc"], 6: ["toc"], 7: ["toc"]}, rows
    dead = [r for r in rows if r["line"] == 7]
    assert "#gone" in str(dead[0]["message"]) and dead[0]["fix"] is not None


def test_dead_toc_link_is_link_fragments_when_toc_is_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "toc.md", TOC)
    args = ["check", "--no-cache", "--output-format", "json", "--ignore", "toc", "toc.md"]
    assert main(args) == 1
    rows = findings(capsys)
    assert [(r["line"], r["rule"]) for r in rows] == [(6, "link-fragment"), (7, "link-fragment")]


def test_dead_toc_link_suppressed_for_toc_falls_to_link_fragment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = TOC.replace("- [Gone]", "<!-- listlint-disable-next-line toc -->\n- [Gone]")
    write(tmp_path / "toc.md", text)
    assert main(["check", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = [(r["line"], r["rule"]) for r in findings(capsys)]
    assert (8, "link-fragment") in rows and (8, "toc") not in rows


def test_dead_link_in_a_toc_toc_cannot_rewrite_is_reported_once_after_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A comment line among the entries: toc reports but does not regenerate the list.
    text = TOC.replace("- [Gone]", "  <!-- a note -->\n- [Gone]")
    write(tmp_path / "toc.md", text)
    assert main(["fix", "--no-cache", "--output-format", "json", "toc.md"]) == 1
    rows = [(r["line"], r["rule"]) for r in findings(capsys)]
    assert rows.count((8, "toc")) == 1 and (8, "link-fragment") not in rows, rows
