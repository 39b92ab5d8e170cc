"""``listlint.session.quick`` parses the common command lines without click: wherever it
takes a command line, click must read the same run from it (the same options, paths and
mode), and wherever click would refuse one, quick must leave it to click.

The command lines are made from every option of ``check`` and ``fix`` (each command's
own and the other's), values that are valid, invalid or look like options, and paths
that look like anything."""

from __future__ import annotations

import pytest
from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint import cli, session

FLAGS = [
    "--exit-zero", "-q", "--quiet", "--color", "--no-color", "--statistics", "--show-fixes",
    "--no-cache", "--force-exclude", "--respect-gitignore", "--no-respect-gitignore",
    "--fix", "--diff", "--unsafe-fixes", "--add-suppressions", "--no-fix", "--version",
    "--help", "-h", "--config", "--output-file", "--stdin-filename", "--diff-base", "-",
    "--", "-qq", "--quiet=1", "--select=A", "-j2",
]  # fmt: skip
VALUED = ["--select", "--extend-select", "--ignore", "--output-format", "-j", "--jobs"]
VALUES = [
    "", "A", "LL1", "table-format", "a,b", " c ", "json", "JSON", "text", "sarif", "concise",
    "github", "nope", "0", "1", "2", "02", "-1", "+3", " 3", "\u0663", "x", "-q", "--fix",
]  # fmt: skip
PATHS = ["a.md", "b", "", " ", "é.md", "dir/", "check", "fix", "=x", "a b"]
WORDS = st.one_of(
    st.sampled_from(FLAGS),
    st.tuples(st.sampled_from(VALUED), st.sampled_from(VALUES)).map(list),
    st.sampled_from(VALUED),  # an option with no value after it
    st.sampled_from(PATHS),
    st.text(alphabet="-abq=,. é", max_size=6),
)


def _flatten(words: list[str | list[str]]) -> list[str]:
    out: list[str] = []
    for w in words:
        out.extend(w if isinstance(w, list) else [w])
    return out


@explored(400)
@given(st.sampled_from(["check", "fix"]), st.lists(WORDS, max_size=8).map(_flatten))
def test_what_quick_takes_click_reads_alike(command: str, words: list[str]) -> None:
    argv = [command, *words]
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("LISTLINT_DIFF_BASE", raising=False)
        quick = session.quick(argv)
        if quick is None:
            return
        runs: list[object] = []

        def record(*args: object) -> int:
            runs.append(args)
            return 0

        mp.setattr(cli, "execute", record)
        mp.setattr(session, "quick", lambda args: None)  # click parses it
        code = cli.main(argv)
    assert code == 0, f"click refuses {argv} (exit {code}); quick took it"
    assert runs == [quick], argv
