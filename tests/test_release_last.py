"""A command-line run frees each file's document before the next file is read, and leaves
the last one to the end of the process (freeing it one object at a time would be work
for nothing: the command line exits without freeing)."""

from __future__ import annotations

from pathlib import Path

import pytest

from listlint.cli import main
from listlint.document import Document


@pytest.mark.parametrize("command", ["check", "fix"])
def test_every_document_but_the_last_is_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "listlint.toml").write_text("")
    names = []
    for k in range(3):
        path = tmp_path / f"list{k}.md"
        path.write_text(f"# List {k}\n\n- [a](https://a.example/{k}) - A.\n")
        names.append(str(path))
    released: list[str] = []
    original = Document.release

    def recording(self: Document) -> None:
        released.append(self.path)
        original(self)

    monkeypatch.setattr(Document, "release", recording)
    assert main([command, "--no-cache", "--jobs", "1", *names]) == 0
    assert names[0] in released and names[1] in released and names[2] not in released
