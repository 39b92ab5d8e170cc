"""listlint.lazyre: patterns compiled on first use, and their compiled form kept across
processes (as bytecode is) without changing what they match."""

from __future__ import annotations

import importlib
import marshal
import pkgutil
import re
import sys
from pathlib import Path

import pytest

import listlint
from listlint import lazyre

SAMPLES = (
    "",
    "- [Tool](https://example.com/a) - a tool.\n",
    "| a | b |\n|---|---|\n| `x|y` | [z](#z) |\n",
    "<!-- listlint-disable-next-line LL101 -->\n# Título\n\narXiv:2101.00001v2 ",
    "Ünïcödé ТЕКСТ 目录 ẞ ﬀ \r\n\t<h1 id='x'>",
)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache file of this test's own, written as when bytecode may be written."""
    path = tmp_path / "__pycache__" / "lazyre.test.patterns"
    monkeypatch.setattr(lazyre, "cache_path", lambda: str(path))
    monkeypatch.setattr(lazyre, "_table", None)
    monkeypatch.setattr(lazyre, "_preloaded", set())
    monkeypatch.setattr(lazyre, "_seen", set())
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    return path


def _later_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what this process compiled and kept, as a new process would."""
    monkeypatch.setattr(lazyre, "_table", None)
    monkeypatch.setattr(lazyre, "_preloaded", set())
    monkeypatch.setattr(lazyre, "_seen", set())
    monkeypatch.setattr(re, "_cache", {})


def _module_patterns() -> list[tuple[str, int]]:
    """Every module-level lazy pattern of listlint."""
    found: dict[tuple[str, int], None] = {}
    for info in pkgutil.walk_packages(listlint.__path__, "listlint."):
        if info.name.startswith("listlint.server") or info.name == "listlint.__main__":
            continue  # optional dependencies; __main__ runs the command line
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # an optional dependency not installed
            continue
        for value in vars(module).values():
            if isinstance(value, lazyre._Lazy):
                found[value._source] = None
    return list(found)


def _same(cached: re.Pattern[str], pattern: str, flags: int) -> None:
    expected = re.compile(pattern, flags)
    # Patterns compare equal only when their flags, source and compiled program agree.
    assert cached == expected
    assert (cached.pattern, cached.flags, cached.groups, cached.groupindex) == (
        expected.pattern,
        expected.flags,
        expected.groups,
        expected.groupindex,
    )
    for text in SAMPLES:
        assert [m.span() for m in cached.finditer(text)] == [
            m.span() for m in expected.finditer(text)
        ]


def test_every_module_pattern_comes_back_from_the_cache_as_compiled(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = _module_patterns()
    assert len(patterns) > 50  # the listing is of listlint's patterns
    for pattern, flags in patterns:
        _same(lazyre.compile_cached(pattern, flags), pattern, flags)
    assert cache.is_file()
    # A later process: nothing is compiled, every pattern is made from the file.
    monkeypatch.setattr(lazyre, "_table", None)

    def no_compiling(*args: object) -> None:
        raise AssertionError("compiled instead of read from the cache")

    monkeypatch.setattr(lazyre, "_compile_recorded", no_compiling)
    for pattern, flags in patterns:
        _same(lazyre.compile_cached(pattern, flags), pattern, flags)


def test_a_lazy_pattern_is_compiled_once_and_then_is_the_compiled_pattern(cache: Path) -> None:
    lazy = lazyre.lazy(r"(?P<word>\w+)-(\d+)", re.IGNORECASE)
    assert lazy.pattern == r"(?P<word>\w+)-(\d+)"
    match = lazy.search("see ABC-12")
    assert match is not None and match.group("word") == "ABC"
    assert lazy.groupindex == {"word": 1}
    assert lazy.flags == re.compile(r"(?P<word>\w+)-(\d+)", re.IGNORECASE).flags
    assert lazy.sub("x", "a-1 b-2") == "x x"
    stored = marshal.loads(cache.read_bytes())[1]
    assert list(stored) == [(r"(?P<word>\w+)-(\d+)", int(re.IGNORECASE))]


def test_nothing_is_written_when_bytecode_is_not(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _same(lazyre.compile_cached(r"a+b", 0), r"a+b", 0)
    assert not cache.exists()


def test_a_damaged_or_foreign_cache_is_compiled_past(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.parent.mkdir()
    for content in (
        b"not marshal data",
        marshal.dumps(("another interpreter", {("a+b", 0): marshal.dumps((0, [1, 2]))})),
        marshal.dumps((lazyre._interpreter(), {("a+b", 0): marshal.dumps((32, [1, 2, 3]))})),
        marshal.dumps((lazyre._interpreter(), {("a+b", 0): b"\xff"})),
    ):
        cache.write_bytes(content)
        monkeypatch.setattr(lazyre, "_table", None)
        _same(lazyre.compile_cached(r"a+b", 0), r"a+b", 0)
    # The last compile put a good entry back: the next process reads it.
    monkeypatch.setattr(lazyre, "_table", None)
    assert lazyre._load()[("a+b", 0)]


def test_an_unwritable_cache_folder_costs_only_the_compiling(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.parent.write_text("a file where the folder should be", encoding="utf-8")
    _same(lazyre.compile_cached(r"[a-z]+", 0), r"[a-z]+", 0)
    assert not list(cache.parent.parent.glob("**/*.tmp"))


def test_bad_patterns_still_raise_as_re_does(cache: Path) -> None:
    with pytest.raises(re.error):
        lazyre.lazy("a(").match("a")
    with pytest.raises(re.error):
        lazyre.compile_cached("[z-a]")


def test_the_patterns_a_run_compiled_through_re_are_in_res_cache_the_next_time(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(re, "_cache", {})
    patterns: list[tuple[str | bytes, int]] = [
        (r"(?P<a>x+)y|\1", 0),
        (rb"[\x00-\x1f]+", 0),
        (r"^\w+: [^\n]*$", int(re.MULTILINE | re.IGNORECASE)),
    ]
    for _ in range(2):  # kept once two runs in a row compiled them
        for pattern, flags in patterns:
            re.compile(pattern, flags)
        lazyre.keep_compiled()
        _later_process(monkeypatch)
        lazyre.preload()
    for pattern, flags in patterns:
        made = re._cache[type(pattern), pattern, flags]  # type: ignore[attr-defined]
        assert re.compile(pattern, flags) is made
        assert made == re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
    # Only what is new is compiled again and written.
    written = cache.stat().st_mtime_ns
    lazyre.keep_compiled()
    assert cache.stat().st_mtime_ns == written


def test_nothing_is_kept_from_res_cache_when_bytecode_is_not_written(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(re, "_cache", {})
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    re.compile("q+")
    lazyre.keep_compiled()
    assert not cache.exists()
    lazyre.preload()  # with nothing kept, nothing happens
    assert list(re._cache) == [(str, "q+", 0)]  # type: ignore[attr-defined]


def test_a_pattern_made_anew_by_every_process_is_never_kept(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A character class joined from a set in hash order (markdown-it-py's inline
    terminators) or a pattern made from a document's text differs from one process to the
    next: keeping each would grow the file and start-up by one pattern a run."""
    written = []
    for run in range(50):
        monkeypatch.setattr(re, "_cache", {})
        re.compile(f"[{run}ab]")
        re.compile("stable+")
        lazyre.keep_compiled()
        written.append(cache.stat().st_mtime_ns if cache.exists() else None)
        _later_process(monkeypatch)
        lazyre.preload()
    kept = marshal.loads(cache.read_bytes())
    assert set(kept[1]) == {("stable+", 0)}
    # The last run's candidates (kept only if the next run has them) are in a file of
    # their own: the table is written when a pattern joins it, not at every run's end.
    seen = marshal.loads(Path(f"{cache}.seen").read_bytes())
    assert seen == (lazyre._interpreter(), (("[49ab]", 0),))
    assert kept[3] == ()
    assert written[0] is None and len(set(written[1:])) == 1
    assert (str, "stable+", 0) in re._cache  # type: ignore[attr-defined]


def test_a_class_joined_in_hash_order_is_noted_once_and_writes_nothing_after(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """markdown-it-py's inline terminators are joined from a frozenset: each process has
    them in another order. Once the stable pattern is kept (the second run), no run
    writes either file."""
    import random

    chars = list("!#$%&*+-:<=>@[\\]^_`{}~")
    rng = random.Random(7)
    stamps = []
    for _ in range(30):
        monkeypatch.setattr(re, "_cache", {})
        rng.shuffle(chars)
        re.compile("[" + re.escape("".join(chars)) + "]")
        re.compile("stable+")
        lazyre.keep_compiled()
        stamps.append(Path(f"{cache}.seen").stat().st_mtime_ns)
        _later_process(monkeypatch)
        lazyre.preload()
    table = marshal.loads(cache.read_bytes())[1]
    assert set(table) == {("stable+", 0)}
    assert len(set(stamps[1:])) == 1
    written = cache.stat().st_mtime_ns
    lazyre.keep_compiled()
    assert cache.stat().st_mtime_ns == written


def test_the_kept_patterns_are_bounded(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazyre, "LIMIT", 5)
    for _ in range(2):
        monkeypatch.setattr(re, "_cache", {})
        for k in range(20):
            re.compile(f"x{k}+")
        lazyre.keep_compiled()
        _later_process(monkeypatch)
    assert len(marshal.loads(cache.read_bytes())[1]) <= 5
