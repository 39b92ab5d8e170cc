"""Regular expressions compiled on first use, and compiled once per installation.

Compiling a pattern runs Python code (``re._parser``, ``re._compiler``); a large one costs a
good part of a millisecond, and start-up is benchmarked. ``lazy`` gives an object used like
the compiled pattern that compiles it the first time one of its methods is asked for; from
then on the methods are the compiled pattern's own (looked up as plain attributes, no
indirection).

What compiling makes is kept, as Python keeps bytecode: the arguments that ``re``'s compiler
hands to the C engine (``_sre.compile``: the flags, the pattern's program, its groups) are
written to ``__pycache__/lazyre.<interpreter>.patterns`` next to this module, under the
same rules as bytecode (not with ``PYTHONDONTWRITEBYTECODE`` or ``-B``, not with a
``PYTHONPYCACHEPREFIX``, not where the folder is read-only), and a later process makes the
same pattern object from them without compiling: the lazy patterns, and, for the command
line's process, the patterns its imports compile through ``re`` (``preload`` puts them in
``re``'s own cache before the imports, ``keep_compiled`` notes new ones at the end of a
run: a pattern found in ``re``'s cache at the end of two runs in a row, so that patterns
made anew by each process, as a character class joined from a set in hash order, or from
a document's content, are not kept; and no more than ``LIMIT`` patterns in all; the last
run's candidates are noted in a small file of their own, ``...patterns.seen``, so that the
table is written only when a pattern joins it, not at the end of every run). The
file is keyed by pattern and flags and is used only by the interpreter that wrote it (its
full version and the engine's magic number); anything unexpected (a missing, damaged or
foreign file, an engine that refuses the arguments) compiles as ``re.compile`` does. A
pattern made so equals the compiled one (``==`` compares the compiled programs).
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]  # re's engine, loaded with re
import contextlib
import os
import re
import sys
import threading
from typing import Any, cast

_METHODS = ("match", "fullmatch", "search", "finditer", "findall", "sub", "subn", "split")
_ATTRIBUTES = (*_METHODS, "scanner", "flags", "groups", "groupindex")


class _Lazy:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)
        self.pattern = pattern

    def __getattr__(self, name: str) -> Any:  # only until compiled
        compiled = compile_cached(*self._source)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, compiled when first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))


# (pattern, flags) -> the marshalled arguments of _sre.compile after the pattern, loaded
# from the file on first use; and the patterns to put in re's own cache at start-up.
_table: dict[tuple[Any, int], bytes] | None = None
_preloaded: set[tuple[Any, int]] = set()
# The patterns found in re's cache at the end of the last run and not kept (yet).
_seen: set[tuple[Any, int]] = set()
LIMIT = 1024
_lock = threading.Lock()


def _interpreter() -> tuple[Any, ...]:
    """What the compiled form depends on: the interpreter and its regular-expression engine."""
    return (
        sys.implementation.name,
        sys.version,
        sys.byteorder,
        sys.maxunicode,
        _sre.MAGIC,
        _sre.CODESIZE,
        _sre.MAXREPEAT,
        _sre.MAXGROUPS,
    )


def kept_file(name: str) -> str | None:
    """Where a file that listlint keeps for later processes, as bytecode is kept, goes:
    ``__pycache__/<name>.<interpreter>`` in listlint's folder (None: nowhere, on this
    interpreter or with ``PYTHONPYCACHEPREFIX``). Written only as bytecode is
    (``may_keep``), with ``write_kept``."""
    if sys.implementation.name != "cpython" or getattr(sys, "pycache_prefix", None):
        return None
    tag = sys.implementation.cache_tag
    if tag is None:  # pragma: no cover - an interpreter that writes no bytecode
        return None
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    stem, _, suffix = name.partition(".")
    return os.path.join(folder, f"{stem}.{tag}.{suffix}" if suffix else f"{stem}.{tag}")


def may_keep() -> bool:
    """May files be kept for later processes (not with ``PYTHONDONTWRITEBYTECODE``, -B)?"""
    return not sys.dont_write_bytecode


def write_kept(path: str, data: bytes) -> None:
    """Write a kept file whole and atomically (a write that fails, or races another
    process, loses nothing but time)."""
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def cache_path() -> str | None:
    """Where the compiled patterns are kept (None: nowhere, on this interpreter)."""
    return kept_file("lazyre.patterns")


def _load() -> dict[tuple[Any, int], bytes]:
    global _table
    if _table is None:
        table: dict[tuple[Any, int], bytes] = {}
        path = cache_path()
        if path is not None:
            import marshal

            try:
                with open(path, "rb") as f:
                    interpreter, stored, preloaded, seen = marshal.loads(f.read())
                if interpreter == _interpreter() and isinstance(stored, dict):
                    table = stored
                    _preloaded.update(key for key in preloaded if key in table)
                    _seen.update(seen)  # (noted here by earlier versions)
            except (OSError, ValueError, EOFError, TypeError):
                pass
            _seen.update(_load_seen(path))
        _table = table
    return _table


def _seen_path(path: str) -> str:
    return f"{path}.seen"


def _load_seen(path: str) -> tuple[tuple[Any, int], ...]:
    """The candidates noted by the last run (``keep_compiled``), or none."""
    import marshal

    try:
        with open(_seen_path(path), "rb") as f:
            interpreter, seen = marshal.loads(f.read())
    except (OSError, ValueError, EOFError, TypeError):
        return ()
    return tuple(seen) if interpreter == _interpreter() and isinstance(seen, tuple) else ()


def _make(pattern: Any, stored: bytes) -> Any:
    """The pattern object from its kept form, or None when that cannot be used."""
    import marshal

    try:
        compiled = _sre.compile(pattern, *marshal.loads(stored))
    except Exception:  # damaged, or refused by the engine: compiled instead
        return None
    return compiled if compiled.pattern == pattern else None


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, made from the kept compiled form when there is one
    (and kept for later processes when there is not)."""
    flags = int(flags)
    key = (pattern, flags)
    stored = _load().get(key)
    if stored is not None:
        made: re.Pattern[str] | None = _make(pattern, stored)
        if made is not None:
            return made
    compiled: re.Pattern[str]
    compiled, args = _compile_recorded(pattern, flags)
    if args is not None and _add(key, args):
        _write()
    return compiled


def preload() -> None:
    """Put the patterns that earlier runs of the command line compiled through ``re``
    (listlint's dependencies' too: markdown-it-py compiles about 70 when it is imported)
    into ``re``'s own cache, made from their kept form, so that ``re.compile`` finds them
    compiled. For the command line's own process (``listlint.__main__``) only."""
    cache = getattr(re, "_cache", None)
    table = _load()
    if not isinstance(cache, dict) or not _preloaded:
        return
    room = getattr(re, "_MAXCACHE", 512) // 2
    for key in list(_preloaded)[:room]:
        pattern, flags = key
        cache_key = (type(pattern), pattern, flags)
        if cache_key not in cache:
            made = _make(pattern, table[key])
            if made is not None:
                cache[cache_key] = made


def keep_compiled() -> None:
    """Keep the compiled form of every pattern in ``re``'s cache that ``preload`` does not
    put there yet (at the end of a command-line run: the first run after installing or
    upgrading listlint or a dependency compiles them once more, later runs none)."""
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict) or not may_keep() or cache_path() is None:
        return
    table = _load()
    changed = False
    seen: set[tuple[Any, int]] = set()
    # The last run's candidates by their characters in order: a pattern that has the
    # characters of one of them in another order is that pattern joined anew (a set in
    # this process's hash order: markdown-it-py's inline terminators, made by every
    # process); it stands noted as it was, and the file is not written for it.
    families = {_family(key): key for key in _seen}
    for cache_key in list(cache):
        if not (isinstance(cache_key, tuple) and len(cache_key) == 3):
            continue
        kind, pattern, flags = cache_key
        key = (pattern, flags)
        if kind not in (str, bytes) or not isinstance(flags, int) or key in _preloaded:
            continue
        if key not in table:
            if key not in _seen or len(table) >= LIMIT:
                seen.add(families.get(_family(key), key))  # kept if the next run has it too
                continue
            try:
                _, args = _compile_recorded(pattern, flags)
            except Exception:  # pragma: no cover - it compiled before
                continue
            if args is None or not _add(key, args):
                continue
        _preloaded.add(key)
        changed = True
    if seen != _seen:  # (the table is written only when a pattern joins it)
        _seen.clear()
        _seen.update(seen)
        _write_seen()
    if changed:
        _write()


def _family(key: tuple[Any, int]) -> tuple[Any, ...]:
    """A pattern's characters in sorted order, and its type and flags."""
    pattern, flags = key
    ordered = sorted(pattern)
    return (
        type(pattern),
        "".join(ordered) if isinstance(pattern, str) else bytes(ordered),
        flags,
    )


class _Recorder:
    """Stands in for ``_sre`` in ``re._compiler`` while one pattern is compiled: passes
    every call on, and notes the arguments of the compilation asked for (by the thread
    that asked, for that very pattern object)."""

    def __init__(self, engine: Any, pattern: Any) -> None:
        self._engine = engine
        self._pattern = pattern
        self._thread = threading.get_ident()
        self.args: tuple[Any, ...] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    def compile(self, pattern: Any, *args: Any) -> Any:
        compiled = self._engine.compile(pattern, *args)
        if pattern is self._pattern and threading.get_ident() == self._thread:
            self.args = args
        return compiled


def _compile_recorded(pattern: Any, flags: int) -> tuple[Any, tuple[Any, ...] | None]:
    """The pattern compiled as ``re.compile`` does, and the arguments ``re``'s compiler gave
    the engine for it (None when they cannot be kept)."""
    compiler = getattr(re, "_compiler", None)
    keep = may_keep() and not flags & re.DEBUG and cache_path() is not None
    if compiler is None or not keep:
        return re.compile(pattern, flags), None
    with _lock:
        engine = compiler._sre
        recorder = _Recorder(engine, pattern)
        compiler._sre = recorder
        try:
            compiled = compiler.compile(pattern, flags)
        finally:
            compiler._sre = engine
    return compiled, recorder.args


def _plain(value: Any) -> Any:
    """``value`` with the engine's named opcodes (int subclasses) as plain ints."""
    if isinstance(value, (list, tuple)):
        items = [_plain(item) for item in value]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    return value


def _add(key: tuple[Any, int], args: tuple[Any, ...]) -> bool:
    """Put one compiled form in the table (False: marshal cannot write it)."""
    import marshal

    try:
        _load()[key] = marshal.dumps(_plain(args))
    except ValueError:
        return False
    return True


def _write() -> None:
    """Write the table to the file."""
    import marshal

    path = cache_path()
    if path is None:  # pragma: no cover - checked before recording
        return
    table = _load()
    preloaded = tuple(key for key in _preloaded if key in table)
    write_kept(path, marshal.dumps((_interpreter(), table, preloaded, ())))


def _write_seen() -> None:
    """Write the candidates of this run (``keep_compiled``) to their own file."""
    import marshal

    path = cache_path()
    if path is None:  # pragma: no cover - checked before recording
        return
    try:
        data = marshal.dumps((_interpreter(), tuple(_seen)))
    except ValueError:  # pragma: no cover - keys are strings or bytes and ints
        return
    write_kept(_seen_path(path), data)
