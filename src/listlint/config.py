"""Configuration: found by walking up from each file's folder (the nearest wins), validated
strictly.

Sources, first found wins: ``listlint.toml``, ``.listlint.toml``, ``pyproject.toml`` with a
``[tool.listlint]`` table. Unknown keys and wrong types are errors naming file and key.
"""

from __future__ import annotations

import collections.abc
import os
import sys
import types
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint.records import Record
from listlint.registry import is_options_type, option_names

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from listlint.registry import Rule

CONFIG_NAMES = ("listlint.toml", ".listlint.toml", "pyproject.toml")
_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "plugins")
_KNOWN_KEYS = frozenset((*_LIST_KEYS, "rules", "per-file-ignores", "links"))


class ConfigError(Exception):
    """A configuration file that cannot be used."""


class Config(Record):
    """A validated configuration: rule selection, excluded paths, plugins, rule options.

    Frozen, as a frozen dataclass is (a plain class: start-up is benchmarked)."""

    _fields = (
        "select",
        "extend_select",
        "ignore",
        "exclude",
        "plugins",
        "rules",
        "source",
        "links",
        "per_file_ignores",
    )
    __slots__ = _fields
    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    exclude: tuple[str, ...]
    plugins: tuple[Path, ...]
    rules: Mapping[str, Mapping[str, Any]]
    source: Path | None
    links: Mapping[str, Any]  # validated by listlint.links.settings, when loaded
    # (gitignore-style pattern relative to the configuration's folder, rule selectors)
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...]

    def __init__(
        self,
        select: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        plugins: tuple[Path, ...] = (),
        rules: Mapping[str, Mapping[str, Any]] | None = None,
        source: Path | None = None,
        links: Mapping[str, Any] | None = None,
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        put = object.__setattr__
        put(self, "select", select)
        put(self, "extend_select", extend_select)
        put(self, "ignore", ignore)
        put(self, "exclude", exclude)
        put(self, "plugins", plugins)
        put(self, "rules", {} if rules is None else rules)
        put(self, "source", source)
        put(self, "links", {} if links is None else links)
        put(self, "per_file_ignores", per_file_ignores)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._values())

    @property
    def root(self) -> Path | None:
        """The folder the configuration's paths are relative to."""
        return self.source.parent if self.source else None

    @property
    def where(self) -> str:
        return str(self.source) if self.source else "configuration"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _load_toml(path: Path, raw: bytes | None = None) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads((_read(path) if raw is None else raw).decode())
        return data
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``."""
    for folder in (start, *start.parents):
        found = _config_in(folder)
        if found is not None:
            return found
    return None


class ConfigFinder:
    """``find_config`` for many folders, each folder looked at once."""

    def __init__(self) -> None:
        self._found: dict[Path, Path | None] = {}

    def find(self, folder: Path) -> Path | None:
        folder = Path(os.path.abspath(folder))
        seen = []
        found: Path | None = None
        for current in (folder, *folder.parents):
            if current in self._found:
                found = self._found[current]
                break
            seen.append(current)
            found = _config_in(current)
            if found is not None:
                break
        for current in seen:
            self._found[current] = found
        return found


def _config_in(folder: Path) -> Path | None:
    base = os.fspath(folder)
    for name in CONFIG_NAMES:
        # Every run looks in each folder up to the root, mostly at names that are not
        # there: one stat of a string first (a Path for each name costs several times the
        # stat; start-up is benchmarked); anything but "no such file" is judged as before.
        try:
            os.stat(os.path.join(base, name))
        except FileNotFoundError:
            continue
        except (OSError, ValueError):
            pass
        candidate = folder / name
        if candidate.is_file():
            if name != "pyproject.toml":
                return candidate
            # Most projects' pyproject.toml has no listlint table: a byte search spares
            # parsing it (and importing the TOML parser) on every run.
            raw = _read(candidate)
            if b"listlint" in raw and "listlint" in _load_toml(candidate, raw).get("tool", {}):
                return candidate
    return None


def load_config(path: Path | None) -> Config:
    """Read and validate ``path`` (None: defaults)."""
    if path is None:
        return Config()
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("listlint", {})
        prefix = "tool.listlint."
    else:
        prefix = ""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: [{prefix.rstrip('.') or 'listlint'}] must be a table")
    for key in data:
        if key not in _KNOWN_KEYS:
            raise ConfigError(f"{path}: unknown key '{prefix}{key}'")
    values: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        raw = data.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise ConfigError(f"{path}: '{prefix}{key}' must be a list of strings")
        values[key] = tuple(raw)
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise ConfigError(f"{path}: '{prefix}rules' must be a table of per-rule tables")
    links = data.get("links", {})
    if not isinstance(links, dict):
        raise ConfigError(f"{path}: '{prefix}links' must be a table")
    if links:
        _check_links(links, path, prefix)
    for plugin in values["plugins"]:
        if not (path.parent / plugin).exists():
            raise ConfigError(
                f"{path}: '{prefix}plugins': {plugin!r} does not exist next to this file"
            )
    per_file = data.get("per-file-ignores", {})
    if not isinstance(per_file, dict) or not all(
        isinstance(v, list) and all(isinstance(x, str) for x in v) for v in per_file.values()
    ):
        raise ConfigError(
            f"{path}: '{prefix}per-file-ignores' must be a table of lists of rule names "
            '(for example "docs/*.md" = ["LL101"])'
        )
    return Config(
        per_file_ignores=tuple((k, tuple(v)) for k, v in per_file.items()),
        select=values["select"],
        extend_select=values["extend-select"],
        ignore=values["ignore"],
        exclude=values["exclude"],
        plugins=tuple((path.parent / p) for p in values["plugins"]),
        rules=rules,
        source=path,
        links=links,
    )


def _check_links(links: Mapping[str, Any], path: Path, prefix: str) -> None:
    """The links table is validated with the rest of the file, so that every command
    (check and fix as well as links) reports a typo in it; only a file that has one pays
    for importing its validator."""
    from listlint.links.settings import SettingsError, load

    try:
        load(links, str(path), prefix)
    except SettingsError as exc:
        raise ConfigError(str(exc)) from None


def rule_options(config: Config, rules: Sequence[Rule]) -> RuleOptions:
    """Build each rule's options from its config table, validating keys and types (the
    options of a rule without a table are its defaults, made when first asked for)."""
    by_name = {r.name: r for r in rules}
    by_code = {r.code.upper(): r for r in rules}
    built: dict[str, Any] = {}
    for key, table in config.rules.items():
        rule = by_name.get(key) or by_code.get(key.upper())
        if rule is None:
            raise ConfigError(f"{config.where}: 'rules.{key}' names no rule")
        built[rule.name] = build_options(rule, table, config.where)
    return RuleOptions(rules, built, config.where)


class RuleOptions(collections.abc.Mapping[str, Any]):
    """Every loaded rule's options, by rule name. A rule without a configuration table
    gets its defaults when they are first asked for, so that building a run's options
    does not import the modules of the rules it does not run."""

    def __init__(self, rules: Sequence[Rule], built: dict[str, Any], where: str) -> None:
        self._rules = {r.name: r for r in rules}
        self._built = built
        self._where = where

    def __getitem__(self, name: str) -> Any:
        try:
            return self._built[name]
        except KeyError:
            value = self._built[name] = build_options(self._rules[name], {}, self._where)
            return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)

    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def __repr__(self) -> str:
        return f"RuleOptions({dict(self)!r})"


def _instantiate(cls: type[Any], kwargs: Mapping[str, Any]) -> Any:
    """``cls(**kwargs)``, then its ``validate()`` if it has one (NamedTuples cannot check
    their values in a constructor); both raise ValueError or TypeError on bad values."""
    value = cls(**kwargs)
    validate = getattr(value, "validate", None)
    if callable(validate):
        validate()
    return value


def build_options(rule: Rule, table: Mapping[str, Any], where: str) -> Any:
    cls = rule.options_type
    hints = typing.get_type_hints(cls) if table else {}  # resolving them is not free
    fields = option_names(cls)
    kwargs: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in fields:
            allowed = ", ".join(sorted(f.replace("_", "-") for f in fields)) or "none"
            raise ConfigError(
                f"{where}: unknown option 'rules.{rule.name}.{key}' (options: {allowed})"
            )
        converted = _convert(value, hints[name])
        if converted is _INVALID:
            raise ConfigError(
                f"{where}: 'rules.{rule.name}.{key}' must be {_describe(hints[name])}, "
                f"not {value!r}"
            )
        kwargs[name] = converted
    try:
        return _instantiate(cls, kwargs)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: rules.{rule.name}: {exc}") from None


_INVALID = object()


def _convert(value: Any, hint: Any) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if is_options_type(hint):
        return _convert_record(value, hint)
    if origin in (dict, collections.abc.Mapping):
        if not isinstance(value, dict):
            return _INVALID
        out = {}
        for k, v in value.items():
            converted = _convert(v, args[1])
            if converted is _INVALID:
                return _INVALID
            out[k] = converted
        return out
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            if arg is type(None) and value is None:
                return None
            out = _convert(value, arg)
            if out is not _INVALID:
                return out
        return _INVALID
    if origin is typing.Literal:
        return value if value in args else _INVALID
    if origin is tuple:
        if not isinstance(value, list):
            return _INVALID
        items = [_convert(v, args[0]) for v in value]
        return _INVALID if any(i is _INVALID for i in items) else tuple(items)
    if hint is bool:
        return value if isinstance(value, bool) else _INVALID
    if hint is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _INVALID
    if hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return float(value) if ok else _INVALID
    if hint is str:
        return value if isinstance(value, str) else _INVALID
    return _INVALID


def _convert_record(value: Any, cls: type[Any]) -> Any:
    if not isinstance(value, dict):
        return _INVALID
    hints = typing.get_type_hints(cls)
    names = option_names(cls)
    kwargs = {}
    for key, item in value.items():
        name = key.replace("-", "_")
        if name not in names:
            return _INVALID
        converted = _convert(item, hints[name])
        if converted is _INVALID:
            return _INVALID
        kwargs[name] = converted
    try:
        return _instantiate(cls, kwargs)
    except (TypeError, ValueError):
        return _INVALID


def _describe(hint: Any, many: bool = False) -> str:
    """What a value of ``hint`` must be, for an error message (``many``: the items of a
    list or the values of a table, "a list of strings" rather than "of a string")."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Literal:
        choices = ", ".join(repr(a) for a in args)
        return f"values among {choices}" if many else f"one of {choices}"
    if origin is tuple:
        return f"{'lists' if many else 'a list'} of {_describe(args[0], True)}"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a, many) for a in args)
    if hint is type(None):
        return "absent"
    if is_options_type(hint):
        keys = ", ".join(f.replace("_", "-") for f in option_names(hint))
        return f"{'tables' if many else 'a table'} with the keys {keys}"
    if origin in (dict, collections.abc.Mapping):
        return f"{'tables' if many else 'a table'} of {_describe(args[1], True)}"
    if many:
        plural = {bool: "true or false", int: "integers", float: "numbers", str: "strings"}
        return plural.get(hint, str(hint))
    return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(
        hint, str(hint)
    )
