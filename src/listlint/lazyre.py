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
same pattern object from them without compiling. The file is keyed by the pattern and its
flags and is used only by the interpreter that wrote it (its full version and the engine's
magic number); anything unexpected (a missing, damaged or foreign file, an engine that
refuses the arguments) compiles as ``re.compile`` does.
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


# (pattern, flags) -> the marshalled arguments of _sre.compile after the pattern; loaded
# from the file on first use.
_table: dict[tuple[str, int], bytes] | None = None
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


def cache_path() -> str | None:
    """Where the compiled patterns are kept (None: nowhere, on this interpreter)."""
    if sys.implementation.name != "cpython" or getattr(sys, "pycache_prefix", None):
        return None
    tag = sys.implementation.cache_tag
    if tag is None:  # pragma: no cover - an interpreter that writes no bytecode
        return None
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__")
    return os.path.join(folder, f"lazyre.{tag}.patterns")


def _load() -> dict[tuple[str, int], bytes]:
    global _table
    if _table is None:
        table: dict[tuple[str, int], bytes] = {}
        path = cache_path()
        if path is not None:
            import marshal

            try:
                with open(path, "rb") as f:
                    interpreter, stored = marshal.loads(f.read())
                if interpreter == _interpreter() and isinstance(stored, dict):
                    table = stored
            except (OSError, ValueError, EOFError, TypeError):
                pass
        _table = table
    return _table


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, made from the kept compiled form when there is one
    (and kept for later processes when there is not)."""
    flags = int(flags)
    key = (pattern, flags)
    stored = _load().get(key)
    if stored is not None:
        import marshal

        try:
            args = marshal.loads(stored)
            compiled: re.Pattern[str] = _sre.compile(pattern, *args)
        except Exception:  # damaged, or refused by the engine: compile it instead
            pass
        else:
            if compiled.pattern == pattern:
                return compiled
    compiled, args = _compile_recorded(pattern, flags)
    if args is not None:
        _keep(key, args)
    return compiled


class _Recorder:
    """Stands in for ``_sre`` in ``re._compiler`` while one pattern is compiled: passes
    every call on, and notes the arguments of the compilation asked for (by the thread
    that asked, for that very pattern object)."""

    def __init__(self, engine: Any, pattern: str) -> None:
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


def _compile_recorded(pattern: str, flags: int) -> tuple[re.Pattern[str], tuple[Any, ...] | None]:
    """The pattern compiled as ``re.compile`` does, and the arguments ``re``'s compiler gave
    the engine for it (None when they cannot be kept)."""
    compiler = getattr(re, "_compiler", None)
    keep = not sys.dont_write_bytecode and not flags & re.DEBUG and cache_path() is not None
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


def _keep(key: tuple[str, int], args: tuple[Any, ...]) -> None:
    """Add one compiled pattern to the file (written whole, atomically; a write that fails
    or races another process loses nothing but time)."""
    import marshal

    path = cache_path()
    if path is None:  # pragma: no cover - checked before recording
        return
    try:
        entry = marshal.dumps(_plain(args))
    except ValueError:  # an argument marshal cannot write
        return
    table = _load()
    table[key] = entry
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(temporary, "wb") as f:
            f.write(marshal.dumps((_interpreter(), table)))
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
