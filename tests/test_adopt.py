"""check --add-suppressions: every finding gets a comment, the list renders as before."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from helpers import html_without_suppressions

from listlint.cli import main

LIST = """# Tools

Intro with a [dead](#nowhere) anchor.

- [A](https://example.com/a) - first.
- [B](https://example.com/a) - the same link again.
  - [C](http://github.com/x/c) - nested, first child.
  - [D](http://github.com/x/d) - nested, second child.

| Name | Link |
| --- | --- |
| E | [e](https://example.com/e) |
| F | [f](https://example.com/e) | extra |

> - [G](http://github.com/x/g) - in a quote.

A paragraph whose second line
has a [dead](#gone) anchor.

[unused]: https://example.com/unused
"""

# A comment line above each finding where one keeps the rendering (a block's first line,
# a list item, at the item's content column, a definition); the block wrapped where it
# would not (a table row, a paragraph's second line, a list in a block quote).
EXPECTED = """# Tools

<!-- listlint-disable-next-line link-fragment -->
Intro with a [dead](#nowhere) anchor.

- [A](https://example.com/a) - first.
  <!-- listlint-disable-next-line duplicate-url -->
- [B](https://example.com/a) - the same link again.
    <!-- listlint-disable-next-line link-http -->
  - [C](http://github.com/x/c) - nested, first child.
    <!-- listlint-disable-next-line link-http -->
  - [D](http://github.com/x/d) - nested, second child.

<!-- listlint-disable duplicate-url table-column-count -->
| Name | Link |
| --- | --- |
| E | [e](https://example.com/e) |
| F | [f](https://example.com/e) | extra |
<!-- listlint-enable duplicate-url table-column-count -->

<!-- listlint-disable-next-line link-http -->
> - [G](http://github.com/x/g) - in a quote.

<!-- listlint-disable link-fragment -->
A paragraph whose second line
has a [dead](#gone) anchor.
<!-- listlint-enable link-fragment -->

<!-- listlint-disable-next-line link-reference -->
[unused]: https://example.com/unused
"""


def test_every_finding_is_suppressed_and_nothing_else_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.md"
    path.write_text(LIST, encoding="utf-8")
    assert main(["check", "--no-cache", str(path)]) == 1
    capsys.readouterr()
    assert main(["check", "--add-suppressions", "--no-cache", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Suppressed 9 problems with comments in 1 file." in out
    assert "No problems found." in out
    assert path.read_text(encoding="utf-8") == EXPECTED
    assert html_without_suppressions(LIST) == html_without_suppressions(EXPECTED)
    # Nothing left to suppress: the file is not written again.
    before = path.stat().st_mtime_ns
    assert main(["check", "--add-suppressions", "--no-cache", str(path)]) == 0
    assert "Suppressed 0 problems with comments in 0 files." in capsys.readouterr().out
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # CRLF kept, no final newline added: the closing comment follows the last row.
        (
            b"| a | b |\r\n| --- | --- |\r\n| x | y | z |",
            b"<!-- listlint-disable table-column-count -->\r\n| a | b |\r\n| --- | --- |\r\n"
            b"| x | y | z |\r\n<!-- listlint-enable table-column-count -->",
        ),
        # The byte-order mark stays first.
        (
            b"\xef\xbb\xbf- [A](http://github.com/a)\n",
            b"\xef\xbb\xbf<!-- listlint-disable-next-line link-http -->\n"
            b"- [A](http://github.com/a)\n",
        ),
    ],
)
def test_line_endings_and_bom_are_kept(tmp_path: Path, raw: bytes, expected: bytes) -> None:
    path = tmp_path / "list.md"
    path.write_bytes(raw)
    assert main(["check", "--add-suppressions", "--no-cache", "--quiet", str(path)]) == 0
    assert path.read_bytes() == expected


def test_standard_input_to_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(LIST.encode())))
    assert main(["check", "--add-suppressions", "--no-cache", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out == EXPECTED
    assert "Suppressed 9 problems" in captured.err


def test_where_github_reads_a_commented_list_otherwise_one_comment_covers_the_file(
    tmp_path: Path,
) -> None:
    """After a link reference definition, cmark-gfm reads a line ``-`` as a paragraph, and
    as an empty list item once a comment line comes between them (markdown-it-py reads a
    list item either way, so a check made with it let the rendering change)."""
    text = "[ref]: https://example.org/ref\n-\n- 0\n||\n|---|\n"
    path = tmp_path / "list.md"
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--add-suppressions", "--no-cache", "--quiet", str(path)]) == 0
    new = path.read_text(encoding="utf-8")
    assert new == "<!-- listlint-disable-file link-reference table-broken -->\n" + text
    assert html_without_suppressions(new) == html_without_suppressions(text)
