"""The README's usage and options sections match ``--help``: every option of every command
(the click group's commands, whichever are registered, so a new command is covered as soon
as it is added) is documented under its command, with its choices, and the README names no
option a command does not have."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from listlint.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


def _section(heading: str, level: str = "### ") -> str:
    lines = README.splitlines()
    start = lines.index(heading) + 1  # ValueError: the heading is missing
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith(("## ", level))),
        len(lines),
    )
    return "\n".join(lines[start:end])


def _options(command: click.Command) -> list[click.Option]:
    return [p for p in command.params if isinstance(p, click.Option)]


def _spellings(command: click.Command) -> set[str]:
    return {o for p in _options(command) for o in (*p.opts, *p.secondary_opts)}


@pytest.mark.parametrize("name", ["", *COMMANDS])
def test_every_option_is_documented_under_its_command(name: str) -> None:
    command = cli.commands[name] if name else cli
    heading = f"### `listlint {name}`" if name else "### `listlint`"
    assert heading in README.splitlines(), f"README has no '{heading}' under Options"
    section = _section(heading)
    for option in _options(command):
        for spelling in (*option.opts, *option.secondary_opts):
            assert f"`{spelling}" in section, f"{heading}: {spelling} is not documented"
        if isinstance(option.type, click.Choice):
            for choice in option.type.choices:
                assert f"`{choice}`" in section, f"{heading}: {option.name}={choice}"
    named = set(re.findall(r"`(--?[a-zA-Z][a-zA-Z-]*)", section))
    assert named <= _spellings(command) | {"-h", "--help"}, "README names options that do not exist"


def test_every_command_is_in_the_usage_examples() -> None:
    usage = _section("## Usage", level="## ")
    for name in COMMANDS:
        assert re.search(rf"^listlint {name}\b", usage, re.MULTILINE), name


def test_the_readme_promises_no_release_that_does_not_exist() -> None:
    import subprocess

    root = Path(__file__).parent.parent
    tags = subprocess.run(
        ["git", "-C", str(root), "tag", "--list"], capture_output=True, text=True, check=False
    ).stdout.split()
    for rev in re.findall(r"(?:rev: |listlint/listlint@|listlint==)(v?\d[\w.]*)", README):
        assert rev in tags, f"README names {rev}, which is not a tag of this repository"
    assert "pip install listlint\n" not in README and "pip install listlint " not in README
