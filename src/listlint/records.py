"""``NamedTuple`` for listlint's record classes: the same classes, made cheaply at import.

``typing.NamedTuple`` spends most of a class's creation on two compilations: each string
annotation (``from __future__ import annotations``) is compiled as a ``ForwardRef``, and
``collections.namedtuple`` compiles the class's ``__new__`` from source. listlint defines
about 60 record classes on the path of a check, and start-up is benchmarked (issue 18):
together they cost a tenth of a 100-entry check. This ``NamedTuple`` is written and used
exactly as ``typing.NamedTuple`` (type checkers see that one); at run time it builds the
class collections.namedtuple builds (a tuple subclass with the same ``__new__`` signature
and defaults, field properties, ``_fields``, ``_field_defaults``, ``_make``, ``_replace``,
``_asdict``, ``__repr__``, ``__match_args__``, pickling), with its ``__new__`` made from a
precompiled function of the same number of fields whose parameters are renamed, and the
annotations kept as written (``typing.get_type_hints`` resolves them as before).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    try:
        from _collections import _tuplegetter
    except ImportError:  # pragma: no cover - other Pythons
        from operator import itemgetter

        def _tuplegetter(index: int, doc: str) -> Any:
            return property(itemgetter(index), doc=doc)

    _tuple_new = tuple.__new__
    _function = type(lambda: None)

    # ``lambda _cls, a, b: _tuple_new(_cls, (a, b))`` for each number of fields: the code
    # collections.namedtuple compiles for a class, here compiled once with this module.
    _NEW = (
        lambda _cls: _tuple_new(_cls, ()),
        lambda _cls, a: _tuple_new(_cls, (a,)),
        lambda _cls, a, b: _tuple_new(_cls, (a, b)),
        lambda _cls, a, b, c: _tuple_new(_cls, (a, b, c)),
        lambda _cls, a, b, c, d: _tuple_new(_cls, (a, b, c, d)),
        lambda _cls, a, b, c, d, e: _tuple_new(_cls, (a, b, c, d, e)),
        lambda _cls, a, b, c, d, e, f: _tuple_new(_cls, (a, b, c, d, e, f)),
        lambda _cls, a, b, c, d, e, f, g: _tuple_new(_cls, (a, b, c, d, e, f, g)),
        lambda _cls, a, b, c, d, e, f, g, h: _tuple_new(_cls, (a, b, c, d, e, f, g, h)),
        lambda _cls, a, b, c, d, e, f, g, h, i: _tuple_new(_cls, (a, b, c, d, e, f, g, h, i)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j: _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j)),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r, s: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r, s)
        ),
        lambda _cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r, s, t: _tuple_new(
            _cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q, r, s, t)
        ),
    )

    # What typing.NamedTuple does not let a class body define, and what it does not copy.
    _PROHIBITED = frozenset(
        (
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        )
    )
    _SPECIAL = frozenset(("__module__", "__name__", "__annotations__"))

    @classmethod  # type: ignore[misc]
    def _make(cls: Any, iterable: Any) -> Any:
        "Make a new object from a sequence or iterable"
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self: Any, /, **kwds: Any) -> Any:
        "Return a new object replacing specified fields with new values"
        result = self._make(map(kwds.pop, self._fields, self))
        if kwds:
            raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
        return result

    def __repr__(self: Any) -> str:
        "Return a nicely formatted representation string"
        pairs = ", ".join(
            f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True)
        )
        return f"{self.__class__.__name__}({pairs})"

    def _asdict(self: Any) -> dict[str, Any]:
        "Return a new dict which maps field names to their values."
        return dict(zip(self._fields, self, strict=True))

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        "Return self as a plain tuple.  Used by copy and pickle."
        return tuple(self)

    def _build(typename: str, ns: dict[str, Any]) -> type:
        annotations = ns.get("__annotations__", {})
        fields = tuple(annotations)
        if len(fields) >= len(_NEW):
            from collections import namedtuple

            return _copy_namespace(namedtuple(typename, fields), ns)  # pragma: no cover
        defaults = []
        default_names = []
        for name in fields:
            if name.startswith("_"):
                raise ValueError(f"Field names cannot start with an underscore: {name!r}")
            if name in ns:
                defaults.append(ns[name])
                default_names.append(name)
            elif defaults:
                raise TypeError(
                    f"Non-default namedtuple field {name} cannot follow default field"
                    f"{'s' if len(default_names) > 1 else ''} {', '.join(default_names)}"
                )
        template = _NEW[len(fields)]
        new = _function(
            template.__code__.replace(co_varnames=("_cls", *fields)),
            globals(),
            "__new__",
            tuple(defaults),
        )
        arg_list = ", ".join(fields)
        new.__qualname__ = f"{typename}.__new__"
        new.__doc__ = f"Create new instance of {typename}({arg_list})"
        namespace: dict[str, Any] = {
            "__doc__": f"{typename}({arg_list})",
            "__slots__": (),
            "_fields": fields,
            "_field_defaults": dict(zip(default_names, defaults, strict=True)),
            "__new__": new,
            "_make": _make,
            "_replace": _replace,
            "__repr__": __repr__,
            "_asdict": _asdict,
            "__getnewargs__": __getnewargs__,
            "__match_args__": fields,
        }
        for index, name in enumerate(fields):
            namespace[name] = _tuplegetter(index, sys.intern(f"Alias for field number {index}"))
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in fields:
                namespace[key] = value
        cls = type(typename, (tuple,), namespace)
        cls.__module__ = ns["__module__"]
        cls.__annotations__ = annotations
        return cls

    def _copy_namespace(cls: type, ns: dict[str, Any]) -> type:  # pragma: no cover
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
            if key not in _SPECIAL and key not in cls._fields:  # type: ignore[attr-defined]
                setattr(cls, key, value)
        cls.__module__ = ns["__module__"]
        cls.__annotations__ = ns.get("__annotations__", {})
        return cls

    class _NamedTupleMeta(type):
        def __new__(mcls, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
            if bases != (_NamedTuple,):
                raise TypeError("can only inherit from a NamedTuple type")
            return _build(typename, ns)

    _NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})

    def NamedTuple(typename: str, fields: Any = None, /, **kwargs: Any) -> Any:
        """The class syntax only (``class Point(NamedTuple): ...``), as listlint uses it."""
        raise TypeError("listlint.records.NamedTuple supports the class syntax only")

    NamedTuple.__mro_entries__ = lambda bases: (_NamedTuple,)


class Record:
    """A plain class with ``__slots__`` in place of a dataclass on start-up's path: the
    dataclass decorator compiles an ``__init__``, ``__repr__`` and ``__eq__`` from source
    for each class (about 1.5 million instructions a class; start-up is benchmarked).

    A subclass lists its fields in ``_fields``, in order (its ``__slots__`` too), and
    writes its ``__init__``; this gives what the dataclass gave: the same ``repr``,
    equality of instances of one class field by field (and no hash, as for a dataclass
    that is not frozen), pickling and copying by the fields.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    # (Defining __eq__ leaves the class without a hash, as a dataclass that is not frozen.)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), self._values())
