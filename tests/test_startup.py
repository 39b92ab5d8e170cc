"""What a check imports: start-up is benchmarked, so a run loads only what it uses."""

from __future__ import annotations

import copy
import importlib
import inspect
import io
import json
import pickle
import subprocess
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path

import pytest

from listlint import records
from listlint.guard import validate_kind
from listlint.registry import builtin_modules, builtin_rules, from_module, index_source

ENTRIES = "".join(f"- [Tool {i}](https://example.com/t{i}) - a tool.\n" for i in range(100))
LISTING = (
    "import json, sys\n"
    "from listlint.cli import main\n"
    "main(['check', '--no-cache', sys.argv[1]])\n"
    "print(json.dumps(sorted(sys.modules)))\n"
    "import importlib\n"
    "opt_in = vars(importlib.import_module('listlint.rules.sort_entries')).items()\n"
    "lazy = [n for n, v in opt_in if type(v).__name__ == '_Lazy']\n"
    "print(json.dumps([lazy, [n for n in lazy if 'match' in vars(opt_in.mapping[n])]]))\n"
    "import listlint.records as r, listlint.cli as c\n"
    "mods = [m for m in list(sys.modules.values()) if m.__name__.startswith('listlint')]\n"
    "classes = [(n, v) for m in mods for n, v in vars(m).items()\n"
    "           if isinstance(v, type) and v.__module__ == m.__name__]\n"
    "slow = [n for n, v in classes if issubclass(v, tuple) and hasattr(v, '_fields')\n"
    "        and v.__new__.__code__.co_filename != r.__file__]\n"
    "import re\n"
    "eager = [n for m in mods for n, v in vars(m).items() if isinstance(v, re.Pattern)]\n"
    "print(json.dumps([slow, sorted(c.cli.commands._made), eager]))\n"
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
    listing, compiled, made = out.splitlines()[-3:]
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
    # Nor section-order's opt-in neighbour, nor anything of `listlint links`.
    assert "listlint.rules.sort_entries" not in modules
    assert not any(m.startswith("listlint.links") for m in modules)
    # An opt-in rule's patterns are compiled only when it runs.
    lazy, used = json.loads(compiled)
    assert lazy
    assert used == []
    # Record classes are made by listlint.records (typing.NamedTuple compiles each
    # annotation and a __new__ per class), and no click command is built: a plain check's
    # command line is parsed without click (listlint.session.quick).
    slow, commands, eager = json.loads(made)
    assert slow == []
    assert commands == []
    # Module-level patterns are compiled on first use (listlint.lazyre.lazy).
    assert eager == []


HEAVY = (
    # Other commands and report formats, and what only they need.
    "listlint.commands",
    "listlint.server",
    "listlint.links",
    "listlint.fix",
    "listlint.fixrun",
    "listlint.workers",
    "listlint.guard",
    "listlint.pieces",
    "listlint.carried",
    "listlint.tablerows",
    "listlint.changes",
    "listlint.ruledocs",
    "listlint.report.json",
    "listlint.report.jsonlines",
    "listlint.report.sarif",
    "listlint.report.junit",
    "listlint.report.gitlab",
    "listlint.report.github",
    "listlint.report.full",
    # The standard library's heavier modules, and what is needed only with a
    # configuration, a .gitignore, several files, a plugin, a diff or the network.
    "json",
    "tomllib",
    "pathspec",
    "importlib.metadata",
    "concurrent.futures",
    "multiprocessing",
    "subprocess",
    "tempfile",
    "difflib",
    "asyncio",
    "ssl",
    "aiohttp",
    # gettext's first lookup imports it: click's texts for --help, --version and a file
    # option are given (listlint.cli), not looked up.
    "locale",
)


def test_the_options_made_without_gettext_are_clicks_own() -> None:
    import click

    from listlint import cli

    ours_type, clicks = cli.file_type(), click.Path(dir_okay=False)
    assert ours_type.name == clicks.name
    plain = click.Command("x", params=[click.Option(["--a"])])
    ours = cli.Command("x", params=[click.Option(["--a"])])
    ctx = click.Context(plain, help_option_names=["-h", "--help"])
    theirs, mine = plain.get_help_option(ctx), ours.get_help_option(ctx)
    assert theirs is not None and mine is not None
    assert mine is ours.get_help_option(ctx)  # made once, as click makes it
    fields = ("name", "opts", "secondary_opts", "is_flag", "expose_value", "is_eager", "help")
    assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert (cli.HELP_TEXT, cli.VERSION_TEXT) == (
        "Show this message and exit.",
        "Show the version and exit.",
    )
    quiet = cli.Command("x", add_help_option=False)
    assert quiet.get_help_option(click.Context(quiet)) is None


def test_the_file_type_judges_as_click_path_does(tmp_path: Path) -> None:
    import click

    from listlint import cli

    (tmp_path / "a.toml").write_text("", encoding="utf-8")
    (tmp_path / "locked.toml").write_text("", encoding="utf-8")
    (tmp_path / "locked.toml").chmod(0)
    cases = ["a.toml", "missing.toml", "", "locked.toml"]

    def verdict(kind: click.ParamType, name: str) -> str:
        try:
            return repr(kind.convert(str(tmp_path / name) if name else str(tmp_path), None, None))
        except click.BadParameter as e:
            return e.format_message()

    try:
        for name in cases:
            assert verdict(cli.file_type(), name) == verdict(click.Path(dir_okay=False), name)
    finally:
        (tmp_path / "locked.toml").chmod(0o644)
    assert "is a directory" in verdict(cli.file_type(), "")


@pytest.mark.parametrize("entry", ["cli", "check"])
def test_a_plain_check_imports_nothing_heavy(tmp_path: Path, entry: str) -> None:
    """Start-up is benchmarked (issue 18): importing the command line, and a default check
    of one file in a folder without configuration, import none of HEAVY."""
    path = tmp_path / "list.md"
    path.write_text("# Tools\n\n| a | b |\n| --- | --- |\n| c | d |\n\n" + ENTRIES, "utf-8")
    run = "main(['check', '--no-cache', '--quiet', sys.argv[1]])\n" if entry == "check" else ""
    listing = "mods = sorted(sys.modules)\nimport json\nprint(json.dumps(mods))\n"
    script = f"import sys\nfrom listlint.cli import main\n{run}{listing}"
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    modules = set(json.loads(out.splitlines()[-1]))
    assert ("listlint.document" in modules) == (entry == "check")  # a real run
    assert sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY)) == []


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


RECORDS = """
from __future__ import annotations

class Point(NamedTuple):
    \"\"\"A point.\"\"\"

    x: int
    y: tuple[str, ...] | None = None
    z: str = "z"

    def total(self) -> int:
        return self.x

    @property
    def double(self) -> int:
        return 2 * self.x

class Bare(NamedTuple):
    a: int
    b: str
"""


def _records(factory: object, name: str) -> dict[str, type]:
    module = types.ModuleType(name)
    module.NamedTuple = factory  # type: ignore[attr-defined]
    sys.modules[name] = module
    exec(RECORDS, module.__dict__)
    return {"Point": module.Point, "Bare": module.Bare}


def _outcome(call: Callable[..., object], *args: object) -> object:
    try:
        return call(*args)
    except Exception as exc:
        return (type(exc).__name__, str(exc))


def test_records_are_the_classes_typing_namedtuple_makes() -> None:
    ours = _records(records.NamedTuple, "_listlint_records_ours")
    theirs = _records(typing.NamedTuple, "_listlint_records_typing")
    for name in ("Point", "Bare"):
        a, b = ours[name], theirs[name]
        assert a.__mro__[1:] == b.__mro__[1:] == (tuple, object)
        assert set(vars(a)) - {"__orig_bases__"} == set(vars(b)) - {"__orig_bases__"}
        for attr in ("_fields", "_field_defaults", "__doc__", "__match_args__", "__qualname__"):
            assert getattr(a, attr) == getattr(b, attr), attr
        assert a.__new__.__defaults__ == b.__new__.__defaults__
        assert a.__new__.__doc__ == b.__new__.__doc__
        assert a.__new__.__qualname__ == b.__new__.__qualname__
        assert typing.get_type_hints(a) == typing.get_type_hints(b)
        for field in a._fields:  # type: ignore[attr-defined]
            assert getattr(a, field).__doc__ == getattr(b, field).__doc__
    calls = [
        lambda P: P(1),
        lambda P: P(1, ("s",), "w"),
        lambda P: P(x=2, z="q"),
        lambda P: repr(P(3, None)),
        lambda P: P(3)._replace(y=("t",)),
        lambda P: P(3)._replace(w=1),
        lambda P: P(3)._asdict(),
        lambda P: P._make([1, 2, 3]),
        lambda P: P._make([1]),
        lambda P: P(),
        lambda P: P(1, 2, 3, 4),
        lambda P: P(q=1),
        lambda P: (P(4).total(), P(4).double, P(4)[0], tuple(P(4)), P(4) == (4, None, "z")),
        lambda P: pickle.loads(pickle.dumps(P(5, ("a",)))),
        lambda P: copy.deepcopy(P(6)),
        lambda P: hash(P(7)) == hash((7, None, "z")),
    ]
    for call in calls:
        mine, typings = _outcome(call, ours["Point"]), _outcome(call, theirs["Point"])
        if isinstance(mine, tuple) and hasattr(mine, "_fields"):
            assert type(mine).__name__ == type(typings).__name__
            mine, typings = tuple(mine), tuple(typings)  # type: ignore[arg-type]
        assert mine == typings
    bad = "class Bad(NamedTuple):\n    a: int = 1\n    b: int\n"
    for factory in (records.NamedTuple, typing.NamedTuple):
        namespace: dict[str, object] = {"NamedTuple": factory}
        assert _outcome(exec, bad, namespace) == (
            "TypeError",
            "Non-default namedtuple field b cannot follow default field a",
        )


def _as_dataclass(cls: type, frozen: bool = False) -> type:
    """The dataclass ``cls`` was written as before it became a plain class (its fields,
    types and defaults, a fresh list for each list field)."""
    import dataclasses

    parameters = inspect.signature(cls).parameters
    fields = []
    for name in cls._fields:  # type: ignore[attr-defined]
        default = parameters[name].default
        if default is inspect.Parameter.empty:
            fields.append((name, object))
        elif default is None and name in ("diagnostics", "errors", "applied"):
            fields.append((name, list, dataclasses.field(default_factory=list)))
        elif default is None and name in ("rules", "links"):
            fields.append((name, dict, dataclasses.field(default_factory=dict)))
        else:
            fields.append((name, object, dataclasses.field(default=default)))
    made: type = dataclasses.make_dataclass(cls.__name__, fields, frozen=frozen)
    made.__qualname__ = cls.__qualname__
    return made


def test_the_plain_result_classes_behave_as_the_dataclasses_they_were() -> None:
    from listlint.config import Config
    from listlint.lint import LintResult
    from listlint.runner import Outcome

    cases: list[tuple[type, bool, tuple[object, ...], dict[str, object]]] = [
        (Config, True, (), {"select": ("LL1",), "rules": {"toc": {"x": 1}}}),
        (Outcome, False, ("a.md",), {"fixed": 2, "errors": ["e"], "new_text": "t"}),
        (LintResult, False, (), {"errors": ["boom"]}),
    ]
    for cls, frozen, args, kwargs in cases:
        old = _as_dataclass(cls, frozen)
        for call_args, call_kwargs in ((args, {}), (args, kwargs)):
            ours, theirs = cls(*call_args, **call_kwargs), old(*call_args, **call_kwargs)
            assert repr(ours) == repr(theirs)
            assert ours == cls(*call_args, **call_kwargs)
            assert ours != cls(*call_args, **{**call_kwargs, cls._fields[-1]: ("x",)})
            assert pickle.loads(pickle.dumps(ours)) == ours
            assert copy.deepcopy(ours) == ours
            assert _outcome(hash, ours) == _outcome(hash, theirs)
            for value in (ours, theirs):
                changed = _outcome(setattr, value, cls._fields[0], "v")
                assert (changed is None) is not frozen
        # Fields whose default is a list or a dict get a fresh one each time.
        first, second = cls(*args), cls(*args)
        for name in cls._fields:
            if isinstance(getattr(first, name), (list, dict)):
                assert getattr(first, name) is not getattr(second, name)
        if frozen:
            with pytest.raises(AttributeError):
                first.select = ()  # type: ignore[misc]
        else:
            first.errors.append("x")
            assert second.errors == []


def test_the_look_for_plugins_lists_a_folder_again_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from listlint import lazyre, registry

    kept = tmp_path / "kept" / "registry.test.plugins"
    site = tmp_path / "site"
    (site / "other-1.0.dist-info").mkdir(parents=True)
    (site / "other-1.0.dist-info" / "entry_points.txt").write_text(
        "[console_scripts]\nother = other:main\n", encoding="utf-8"
    )
    monkeypatch.setattr(lazyre, "kept_file", lambda name: str(kept))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    monkeypatch.setattr(sys, "path", [str(site), str(tmp_path / "missing")])
    listed: list[str] = []
    has_plugin = registry._has_plugin

    def counting(folder: str) -> bool:
        listed.append(folder)
        return has_plugin(folder)

    monkeypatch.setattr(registry, "_has_plugin", counting)
    assert not registry._any_plugin_installed()
    assert kept.is_file() and listed == [str(site)]
    assert not registry._any_plugin_installed()
    assert listed == [str(site)]  # unchanged: not listed again
    plugin = site / "listlint_extra-0.1.dist-info"
    plugin.mkdir()  # installing a distribution changes its folder's time
    (plugin / "entry_points.txt").write_text(
        "[listlint.rules]\nextra = listlint_extra.rule\n", encoding="utf-8"
    )
    assert registry._any_plugin_installed()
    assert registry._any_plugin_installed()
    (plugin / "entry_points.txt").unlink()
    plugin.rmdir()
    assert not registry._any_plugin_installed()
    assert listed == [str(site)] * 3  # after each change only
    kept.write_bytes(b"damaged")
    assert not registry._any_plugin_installed()
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    kept.unlink()
    assert not registry._any_plugin_installed()
    assert not kept.exists()


def test_a_plain_check_does_not_import_click(tmp_path: Path) -> None:
    """``python -m listlint check`` with the options a plain run gives is parsed by
    listlint.session.quick, so click (about 13 ms of a 100-entry check) is not imported."""
    path = tmp_path / "list.md"
    path.write_text("# Tools\n\n" + ENTRIES, "utf-8")
    script = (
        "import json, sys\nfrom listlint.session import quick_main\n"
        "code = quick_main(['check', '--no-cache', '-q', '--exit-zero', sys.argv[1]])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    code, modules = json.loads(out.splitlines()[-1])
    assert code == 0
    assert "listlint.document" in modules  # a real run
    assert [m for m in modules if m == "click" or m.startswith(("click.", "listlint.cli"))] == []


QUICK = [
    ["check", "--no-cache", "a.md"],
    ["check"],
    ["fix"],
    ["check", ""],
    ["check", "--select", ""],
    ["check", "-q", "--exit-zero", "--select", "A, b,", "--select", " c ", "a", "b"],
    ["check", "--ignore", "x", "--extend-select", "y", "--ignore", "z,w", "a"],
    ["check", "a", "--color", "--no-color", "--output-format", "json", "b", "-j", "2"],
    ["check", "--no-color", "--color", "--jobs", "3", "-j", "4", "--statistics", "p"],
    ["check", "--show-fixes", "--force-exclude", "--no-respect-gitignore", "p"],
    ["check", "--no-respect-gitignore", "--respect-gitignore", "--quiet", "p"],
    ["check", "--output-format", "sarif", "--output-format", "concise", "p"],
    ["check", "--fix", "p"],
    ["check", "--fix", "--diff", "--unsafe-fixes", "p"],
    ["check", "--add-suppressions", "p"],
    ["fix", "--diff", "--unsafe-fixes", "-j", "007", "x", "y"],
    ["fix", "--diff", "--diff", "--exit-zero", "x"],
]
NOT_QUICK = [
    [],
    ["-V"],
    ["--help"],
    ["rules"],
    ["Check", "a"],
    ["check", "--help"],
    ["check", "-h"],
    ["check", "a", "--help"],
    ["check", "--diff", "a"],
    ["check", "--unsafe-fixes", "a"],
    ["check", "--fix", "--add-suppressions", "a"],
    ["fix", "--fix", "a"],
    ["fix", "--add-suppressions", "a"],
    ["check", "-j", "0", "a"],
    ["check", "-j", "x", "a"],
    ["check", "-j", "+2", "a"],
    ["check", "-j2", "a"],
    ["check", "-qj1", "a"],
    ["check", "--output-format", "nope", "a"],
    ["check", "--output-format"],
    ["check", "--select"],
    ["check", "--select", "-q", "a"],
    ["check", "--select=x", "a"],
    ["check", "--", "a"],
    ["check", "-"],
    ["check", "--config", "c.toml", "a"],
    ["check", "--output-file", "o.txt", "a"],
    ["check", "--diff-base", "HEAD", "a"],
    ["check", "--stdin-filename", "a.md", "-"],
    ["check", "--bogus", "a"],
]


@pytest.mark.parametrize("argv", QUICK, ids=" ".join)
def test_quick_parses_as_click_does(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from listlint import cli, session

    runs: list[object] = []

    def record(*args: object) -> int:
        runs.append(args)
        return 0

    monkeypatch.setattr(session, "execute", record)
    monkeypatch.setattr(cli, "execute", record)
    monkeypatch.delenv("LISTLINT_DIFF_BASE", raising=False)
    assert session.quick(argv) is not None
    assert cli.main(argv) == 0
    monkeypatch.setattr(session, "quick", lambda args: None)  # click parses it
    assert cli.main(argv) == 0
    assert len(runs) == 2
    assert runs[0] == runs[1]


@pytest.mark.parametrize("argv", NOT_QUICK, ids=" ".join)
def test_quick_leaves_the_rest_to_click(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from listlint import session

    monkeypatch.delenv("LISTLINT_DIFF_BASE", raising=False)
    assert session.quick(argv) is None


def test_quick_leaves_a_diff_base_from_the_environment_to_click(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from listlint import session

    monkeypatch.setenv("LISTLINT_DIFF_BASE", "HEAD")
    assert session.quick(["check", "a"]) is None


def test_an_interrupted_quick_run_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from listlint import cli, session

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(session, "execute", interrupted)
    assert cli.main(["check", "a.md"]) == 130
    assert capsys.readouterr().err == "Aborted.\n"


class _Bytes(io.BytesIO):
    def close(self) -> None:  # the wrapper's value is read after it is dropped
        pass


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "ascii", "latin-1", None])
@pytest.mark.parametrize("err", [False, True])
@pytest.mark.parametrize("color", [None, False, True])
def test_echo_writes_what_click_echo_writes(
    encoding: str | None, err: bool, color: bool | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click

    from listlint import session

    texts = ["a.md:1:1: E1 x\n", "é ü 中\n", "\x1b[1mbold\x1b[0m\n", "no newline", "\r\n\t"]
    written = []

    def clicks(text: str, err: bool, color: bool | None) -> None:
        click.echo(text, nl=False, err=err, color=color)

    for write in (session.echo, clicks):
        buffer = _Bytes()
        stream: typing.TextIO
        if encoding is None:
            stream = io.StringIO()
        else:
            stream = io.TextIOWrapper(buffer, encoding=encoding, errors="replace")
        monkeypatch.setattr(sys, "stderr" if err else "stdout", stream)
        for text in texts:
            write(text, err=err, color=color)
        monkeypatch.undo()
        written.append(stream.getvalue() if isinstance(stream, io.StringIO) else buffer.getvalue())
    assert written[0] == written[1]


def test_a_check_with_findings_does_not_import_click(tmp_path: Path) -> None:
    path = tmp_path / "list.md"
    path.write_text("# Tools\n\n" + ENTRIES + ENTRIES, "utf-8")  # every URL twice
    script = (
        "import json, sys\nfrom listlint.session import quick_main\n"
        "code = quick_main(['check', '--no-cache', sys.argv[1]])\n"
        "print(json.dumps([code, sorted(sys.modules)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    *findings, listing = out.splitlines()
    code, modules = json.loads(listing)
    assert code == 1
    assert len(findings) > 100
    assert "click" not in modules
