"""Find a rule's documentation page: packaged in the wheel, or in the source checkout."""

from __future__ import annotations

from pathlib import Path


def docs_dir() -> Path | None:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_ruledocs", here.parents[1] / "rules"):
        if candidate.is_dir():
            return candidate
    return None


def rule_doc(name: str) -> str | None:
    folder = docs_dir()
    if folder is None:
        return None
    page = folder / f"{name}.md"
    return page.read_text(encoding="utf-8") if page.is_file() else None
