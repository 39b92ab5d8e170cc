"""Rules: the module protocol, the built-in registry, plugins, and selectors."""

from __future__ import annotations

import dataclasses
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from listlint.diagnostic import Finding, Severity
    from listlint.document import Document

FIX_KINDS = ("none", "safe", "unsafe", "sometimes")
# What a rule's findings depend on (its module's SCOPE): "block", the text of the part of
# the document that begins at a heading after a blank line and ends before the next one
# (so a language server can check again only the parts an edit touched); "section", that
# and the headings enclosing it; "document" (the default, and what plugins get), anything.
# SCOPE may instead depend on one option: {"option": {value: scope, ...}} (a value not
# named: "document").
SCOPES = ("block", "section", "document")


class RuleError(Exception):
    """A rule set that cannot be used: duplicate names or codes, a broken plugin."""


class RuleModule(Protocol):
    """What a rule module provides."""

    NAME: str
    CODE: str
    SUMMARY: str
    SEVERITY: Severity
    DEFAULT: bool
    FIX: str
    # A NamedTuple (or a dataclass) whose fields all have defaults; the rule's config table
    # sets them, converted to the annotated types. An optional ``validate()`` method raises
    # ValueError on a bad combination.
    Options: type[Any]

    def check(self, doc: Document, options: Any) -> Iterable[Finding]: ...


class _Implementation(NamedTuple):
    """What a rule's module provides beyond the index (see ``Rule``)."""

    summary: str
    severity: Severity
    fix: str  # one of FIX_KINDS
    options_type: type[Any]
    check: Callable[[Document, Any], Iterable[Finding]]
    fix_may_change: tuple[str, ...]
    check_run: Callable[[Sequence[Document], Any], Iterable[tuple[Document, Finding]]] | None
    across: Callable[[Any], bool] | None
    runs_last: bool
    defers_to: tuple[str, ...]
    files_checked: Callable[[Document, Any], Iterable[str]] | None
    scope: str
    scope_by: tuple[str, tuple[tuple[Any, str], ...]] | None
    reads_tokens: bool


class Rule:
    """A loaded rule: its metadata and check function, wherever it came from.

    A built-in rule is made from ``listlint.rules.index`` (name, code, default, command)
    and imports its module when anything else is first asked for: a check imports only
    the rules it runs (start-up is benchmarked).
    """

    __slots__ = ("_impl", "_module", "code", "default", "name", "online", "origin")

    def __init__(
        self,
        name: str,
        code: str,
        summary: str,
        severity: Severity,
        default: bool,
        fix: str,
        options_type: type[Any],
        check: Callable[[Document, Any], Iterable[Finding]],
        origin: str,  # "builtin", an entry point, or a file path
        # What the rule's fixes may change in GitHub's rendering (FIX_MAY_CHANGE; the fix
        # guard, listlint.guard, undoes exactly that and withholds a fix that changes more).
        fix_may_change: tuple[str, ...] = (),
        # Rules that compare files of one run (cross-file scope) also provide check_run.
        check_run: Callable[[Sequence[Document], Any], Iterable[tuple[Document, Finding]]]
        | None = None,
        across: Callable[[Any], bool] | None = None,  # do these options compare across files?
        runs_last: bool = False,  # reads what the other rules found (unused suppressions)
        online: bool = False,  # judges what `listlint links` found on the network; never in check
        # DEFERS_TO: rules that report this rule's defect themselves, with their own fix, where
        # they run (link-fragment defers to toc for the entries of a table of contents): a
        # finding of this rule inside a finding of one of them is left out (listlint.lint).
        defers_to: tuple[str, ...] = (),
        # files_checked(doc, options): the files whose existence the findings depend on (a
        # rule that reads the file system); the result cache checks them before answering.
        files_checked: Callable[[Document, Any], Iterable[str]] | None = None,
        scope: str = "document",  # one of SCOPES: what the rule's findings depend on
        # Or, when it depends on one option: (option, ((value, scope), ...)).
        scope_by: tuple[str, tuple[tuple[Any, str], ...]] | None = None,
        # READS_TOKENS: the rule reads ``doc.tokens`` (a check otherwise drops them once
        # the token pass has read them; read again, they are parsed again).
        reads_tokens: bool = False,
    ) -> None:
        self.name = name
        self.code = code
        self.default = default
        self.online = online
        self.origin = origin
        self._module: str | None = None
        self._impl: _Implementation | None = _Implementation(
            summary,
            severity,
            fix,
            options_type,
            check,
            fix_may_change,
            check_run,
            across,
            runs_last,
            defers_to,
            files_checked,
            scope,
            scope_by,
            reads_tokens,
        )

    @classmethod
    def indexed(cls, module: str, name: str, code: str, default: bool, online: bool) -> Rule:
        """A built-in rule whose module is imported when first needed."""
        rule = cls.__new__(cls)
        rule.name, rule.code, rule.default, rule.online = name, code, default, online
        rule.origin = "builtin"
        rule._module = module
        rule._impl = None
        return rule

    def _load(self) -> _Implementation:
        if self._impl is None:
            assert self._module is not None
            loaded = from_module(importlib.import_module(self._module), "builtin")
            index = (self.name, self.code, self.default, self.online)
            if (loaded.name, loaded.code, loaded.default, loaded.online) != index:
                raise RuleError(f"{self._module}: listlint.rules.index is out of date")
            self._impl = loaded._load()
        return self._impl

    @property
    def summary(self) -> str:
        return self._load().summary

    @property
    def severity(self) -> Severity:
        return self._load().severity

    @property
    def fix(self) -> str:
        return self._load().fix

    @property
    def options_type(self) -> type[Any]:
        return self._load().options_type

    @property
    def check(self) -> Callable[[Document, Any], Iterable[Finding]]:
        return self._load().check

    @property
    def fix_may_change(self) -> tuple[str, ...]:
        return self._load().fix_may_change

    @property
    def check_run(
        self,
    ) -> Callable[[Sequence[Document], Any], Iterable[tuple[Document, Finding]]] | None:
        return self._load().check_run

    @property
    def across(self) -> Callable[[Any], bool] | None:
        return self._load().across

    @property
    def runs_last(self) -> bool:
        return self._load().runs_last

    @property
    def defers_to(self) -> tuple[str, ...]:
        return self._load().defers_to

    @property
    def files_checked(self) -> Callable[[Document, Any], Iterable[str]] | None:
        return self._load().files_checked

    @property
    def scope(self) -> str:
        return self._load().scope

    @property
    def scope_by(self) -> tuple[str, tuple[tuple[Any, str], ...]] | None:
        return self._load().scope_by

    @property
    def reads_tokens(self) -> bool:
        return self._load().reads_tokens

    def scope_for(self, options: Any) -> str:
        """What the rule's findings depend on with these options (one of SCOPES)."""
        impl = self._load()
        if impl.scope_by is None:
            return impl.scope
        name, values = impl.scope_by
        value = getattr(options, name, None)
        return next((scope for v, scope in values if v == value), "document")

    def __repr__(self) -> str:
        return f"Rule({self.name!r}, {self.code!r}, origin={self.origin!r})"

    def compares_files(self, options: Any) -> bool:
        impl = self._load()
        return impl.check_run is not None and (impl.across is None or impl.across(options))

    @property
    def fixable(self) -> bool:
        return self.fix != "none"

    @property
    def fix_changes_html(self) -> bool:
        """Do the rule's fixes change the rendering at all (as declared)?"""
        return bool(self.fix_may_change)


class NoOptions(NamedTuple):
    """The options of a rule that has none: its configuration table must be empty."""


def is_options_type(cls: Any) -> bool:
    """A NamedTuple or a dataclass: what a rule's options (and nested tables) may be."""
    return isinstance(cls, type) and (
        (issubclass(cls, tuple) and hasattr(cls, "_fields")) or dataclasses.is_dataclass(cls)
    )


def option_names(cls: type[Any]) -> tuple[str, ...]:
    """The fields of an options type."""
    if issubclass(cls, tuple):
        return tuple(cls._fields)  # type: ignore[attr-defined]
    return tuple(f.name for f in dataclasses.fields(cls))


def from_module(module: Any, origin: str) -> Rule:
    try:
        rule = Rule(
            name=module.NAME,
            code=module.CODE,
            summary=module.SUMMARY,
            severity=module.SEVERITY,
            default=module.DEFAULT,
            fix=module.FIX,
            options_type=module.Options,
            check=module.check,
            origin=origin,
            fix_may_change=_fix_may_change(module, origin),
            check_run=getattr(module, "check_run", None),
            across=getattr(module, "runs_across_files", None),
            runs_last=bool(getattr(module, "RUNS_LAST", False)),
            online=bool(getattr(module, "ONLINE", False)),
            defers_to=tuple(getattr(module, "DEFERS_TO", ())),
            files_checked=getattr(module, "files_checked", None),
            # Built-in rules declare it; a plugin is taken to read the tokens unless it
            # says otherwise (README: "Your own rules").
            reads_tokens=bool(getattr(module, "READS_TOKENS", origin != "builtin")),
            **_scope(module, origin),
        )
    except AttributeError as exc:
        raise RuleError(f"rule module {origin} lacks {exc.name or exc}") from None
    if rule.fix not in FIX_KINDS or rule.severity not in ("error", "warning"):
        raise RuleError(f"rule {rule.name} ({origin}) has an invalid FIX or SEVERITY")
    if rule.scope not in SCOPES or any(
        scope not in SCOPES for _, scope in (rule.scope_by[1] if rule.scope_by else ())
    ):
        raise RuleError(f"rule {rule.name} ({origin}): SCOPE must be one of {', '.join(SCOPES)}")
    if not is_options_type(rule.options_type):
        raise RuleError(f"rule {rule.name} ({origin}): Options must be a NamedTuple or a dataclass")
    return rule


def _scope(module: Any, origin: str) -> dict[str, Any]:
    """SCOPE: one of SCOPES, or {option: {value: scope}} (see SCOPES)."""
    declared = getattr(module, "SCOPE", "document")
    if isinstance(declared, str):
        return {"scope": declared}
    if isinstance(declared, dict) and len(declared) == 1:
        ((name, values),) = declared.items()
        if isinstance(name, str) and isinstance(values, dict):
            return {"scope": "document", "scope_by": (name, tuple(values.items()))}
    name = getattr(module, "NAME", origin)
    raise RuleError(
        f"rule {name} ({origin}): SCOPE must be a scope or {{option: {{value: scope}}}}"
    )


def _fix_may_change(module: Any, origin: str) -> tuple[str, ...]:
    """FIX_MAY_CHANGE, a tuple of the kinds in listlint.guard.CHANGE_KINDS; the older
    ``FIX_CHANGES_HTML = True`` means "visible": anything, checked as an unsafe fix is."""
    declared = getattr(module, "FIX_MAY_CHANGE", None)
    if declared is None:
        return ("visible",) if getattr(module, "FIX_CHANGES_HTML", False) else ()
    if isinstance(declared, str):
        declared = (declared,)
    kinds = tuple(declared)
    if origin == "builtin":
        # Checked by tests/test_startup.py instead: a check need not import the fix guard.
        return kinds
    from listlint.guard import validate_kind

    for kind in kinds:
        problem = validate_kind(kind)
        if problem:
            name = getattr(module, "NAME", origin)
            raise RuleError(f"rule {name} ({origin}): FIX_MAY_CHANGE {kind!r}: {problem}")
    return kinds


def builtin_modules() -> list[str]:
    """The modules of the built-in rules, in their order."""
    from listlint.links.rules import ONLINE
    from listlint.rules import BUILTIN

    return [
        *(f"listlint.rules.{m}" for m in BUILTIN),
        *(f"listlint.links.rules.{m}" for m in ONLINE),
    ]


def builtin_rules() -> list[Rule]:
    """The built-in rules, from the index (``listlint.rules.index``): a module is imported
    when its rule is used. A module of ``listlint.rules`` the index does not list yet is
    imported now; the rules of ``listlint links`` are the index's (so that a check does
    not import ``listlint.links``; tests/test_startup.py checks that the index is whole)."""
    from listlint.rules import BUILTIN
    from listlint.rules.index import INDEX

    indexed = {entry[0]: entry for entry in INDEX}
    online = [entry[0] for entry in INDEX if entry[4]]
    out = []
    for module in [*(f"listlint.rules.{m}" for m in BUILTIN), *online]:
        entry = indexed.get(module)
        if entry is None:
            out.append(from_module(importlib.import_module(module), "builtin"))
        else:
            out.append(Rule.indexed(*entry))
    return out


def index_source() -> str:
    """The text of ``listlint/rules/index.py``, from the rule modules themselves."""
    rows = []
    for module in builtin_modules():
        rule = from_module(importlib.import_module(module), "builtin")
        fields = (f'"{module}"', f'"{rule.name}"', f'"{rule.code}"', rule.default, rule.online)
        rows.append(f"    ({', '.join(map(str, fields))}),\n")
    return (
        '"""What a run needs to know of each built-in rule before importing it: module, name,\n'
        "code, on by default, run by `listlint links` (online). Generated from the rule modules\n"
        "by ``python -m listlint.registry``; tests/test_startup.py checks that it agrees.\n"
        '"""\n\n'
        "INDEX: tuple[tuple[str, str, str, bool, bool], ...] = (\n" + "".join(rows) + ")\n"
    )


def write_index() -> None:
    from listlint.rules import __file__ as rules_init

    Path(rules_init).with_name("index.py").write_text(index_source(), encoding="utf-8")


def _any_plugin_installed() -> bool:
    """A quick look for a ``[listlint.rules]`` entry-point section in installed metadata,
    so that a run without plugins does not pay for importing importlib.metadata.

    What each folder of ``sys.path`` held is kept (``registry.<interpreter>.plugins`` in
    ``__pycache__``, as bytecode is) with the folder's modification time: installing,
    upgrading or removing a distribution adds or removes its metadata folder, which
    changes the time; a folder whose time is unchanged is not listed again."""
    from listlint.lazyre import kept_file

    path = kept_file("registry.plugins")
    known = _kept_folders(path)
    now: dict[str, tuple[int, bool]] = {}
    for entry in sys.path:
        folder = os.path.abspath(entry or ".")
        try:
            stamp = os.stat(folder).st_mtime_ns
        except OSError:
            continue
        seen = known.get(folder)
        if isinstance(seen, tuple) and len(seen) == 2 and seen[0] == stamp:
            found = bool(seen[1])
        else:
            found = _has_plugin(folder)
        now[folder] = (stamp, found)
        if found:
            break
    if path is not None and now != {f: known[f] for f in now if f in known}:
        from listlint.lazyre import may_keep, write_kept

        if may_keep():
            import marshal

            write_kept(path, marshal.dumps(now))
    return any(found for _, found in now.values())


def _kept_folders(path: str | None) -> dict[str, tuple[int, bool]]:
    if path is None:
        return {}
    import marshal

    try:
        with open(path, "rb") as f:
            kept = marshal.loads(f.read())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _has_plugin(folder: str) -> bool:
    """Does a distribution's metadata in ``folder`` declare a ``[listlint.rules]`` entry point?"""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), "rb") as f:
                    if b"[listlint.rules]" in f.read():
                        return True
            except OSError:
                continue
    return False


def _entry_point_rules() -> list[Rule]:
    if not _any_plugin_installed():
        return []
    from importlib.metadata import entry_points

    out = []
    for ep in entry_points(group="listlint.rules"):
        try:
            module = ep.load()
        except Exception as exc:
            raise RuleError(f"cannot load rule plugin {ep.name!r}: {exc}") from None
        out.append(from_module(module, f"entry point {ep.name}"))
    return out


def _path_rules(path: Path) -> list[Rule]:
    import importlib.util

    files = sorted(path.glob("*.py")) if path.is_dir() else [path]
    out = []
    for file in files:
        if file.name.startswith("_"):
            continue
        name = f"listlint_local_rule_{abs(hash(str(file.resolve())))}"
        spec = importlib.util.spec_from_file_location(name, file)
        if spec is None or spec.loader is None:
            raise RuleError(f"cannot load rule file {file}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            raise RuleError(f"cannot load rule file {file}: {exc}") from None
        out.append(from_module(module, str(file)))
    return out


def load_rules(plugin_paths: Sequence[Path] = (), *, entry_points: bool = True) -> list[Rule]:
    """Built-in rules, then entry-point plugins, then a repository's own rule files."""
    rules = builtin_rules()
    if entry_points:
        rules += _entry_point_rules()
    for path in plugin_paths:
        if not path.exists():
            raise RuleError(f"rule plugin path {path} does not exist")
        rules += _path_rules(path)
    seen: dict[str, Rule] = {}
    for rule in rules:
        for key in (rule.name, rule.code):
            other = seen.get(key.lower())
            if other is not None:
                raise RuleError(
                    f"duplicate rule {key!r}: defined by {other.origin} and {rule.origin}"
                )
            seen[key.lower()] = rule
    return rules


def matches(selector: str, rule: Rule) -> bool:
    """A selector is ALL, a rule name, a code, or a code prefix (LL1)."""
    s = selector.strip()
    if s.upper() == "ALL":
        return True
    return s.lower() == rule.name.lower() or rule.code.upper().startswith(s.upper())


def validate_selectors(selectors: Iterable[str], rules: Sequence[Rule], where: str) -> None:
    for s in selectors:
        if not any(matches(s, r) for r in rules):
            raise RuleError(f"{where}: {s!r} selects no rule (see `listlint rules`)")


def select(
    rules: Sequence[Rule],
    select: Sequence[str],
    ignore: Sequence[str],
    extend_select: Sequence[str] = (),
    *,
    online: bool = False,
) -> list[Rule]:
    """``select`` replaces the default set (as in ruff); ``extend_select`` adds to it;
    ``ignore`` removes. Opt-in rules run only when a selector names them. The rules of
    ``listlint links`` (``online``) and those of check and fix are chosen apart."""
    chosen = []
    for rule in rules:
        if rule.online != online:
            continue
        on = any(matches(s, rule) for s in select) if select else rule.default
        on = on or any(matches(s, rule) for s in extend_select)
        if on and not any(matches(s, rule) for s in ignore):
            chosen.append(rule)
    return chosen


def find(rules: Sequence[Rule], key: str) -> Rule | None:
    return next(
        (r for r in rules if key.lower() == r.name.lower() or key.upper() == r.code.upper()), None
    )


if __name__ == "__main__":
    write_index()
