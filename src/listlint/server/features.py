"""What the language server computes, in listlint's own terms (offsets, findings, texts):
linting a version of a document, its fixes, suppression comments, table formatting and
hover text. Nothing here knows LSP; ``listlint.server.app`` translates.

Everything here runs on the server's one worker thread, never on the message loop.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from listlint.api import Job, SetupError, fix_text, lint_text, load_job

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.config import Config
    from listlint.diagnostic import Diagnostic, Edit, Fix
    from listlint.document import Document
    from listlint.lint import LintResult
    from listlint.registry import Rule
    from listlint.server.incremental import Lints

DOCS_URL = "https://github.com/listlint/listlint/blob/main/rules/{name}.md"
CONFIG_FILES = ("listlint.toml", ".listlint.toml", "pyproject.toml")
# The rules whose fixes are also offered as refactorings where they apply, even when the
# configuration does not select them, under the names an editor user looks for.
REWRITES = {"toc": "Regenerate table of contents", "sort-entries": "Sort this section"}


class Setup(NamedTuple):
    """A loaded configuration: the job it gives, and what it was loaded from."""

    job: Job
    config: Config
    stamp: tuple[Any, ...]


def _stat(path: Path) -> tuple[str, int, int]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), st.st_mtime_ns, st.st_size)


def _stamp(config_file: Path | None, plugins: Sequence[Path] = ()) -> tuple[Any, ...]:
    """What must stay the same for a loaded configuration to still hold: the file and the
    plugin files it names."""
    parts: list[Any] = [_stat(config_file) if config_file else None]
    for plugin in plugins:
        files = sorted(plugin.glob("*.py")) if plugin.is_dir() else [plugin]
        parts += [_stat(f) for f in files]
    return tuple(parts)


class Setups:
    """Configurations by file, loaded once and loaded again when a file they come from
    changes (the check costs a few ``stat`` calls per lint)."""

    def __init__(self) -> None:
        self._loaded: dict[str, Setup] = {}

    def clear(self) -> None:
        self._loaded.clear()

    def for_folder(self, folder: Path) -> Setup:
        """The configuration that applies to files in ``folder``, found as the command
        line finds it; raises SetupError."""
        from listlint.config import ConfigError, find_config

        try:
            source = find_config(folder)
        except ConfigError as exc:
            raise SetupError(str(exc)) from None
        key = str(source) if source else ""
        setup = self._loaded.get(key)
        if setup is not None and setup.stamp == _stamp(source, setup.config.plugins):
            return setup
        job, config = load_job(folder, config_file=str(source) if source else None)
        setup = Setup(job, config, _stamp(source, config.plugins))
        self._loaded[key] = setup
        return setup


@dataclass
class Snapshot:
    """One version of one document, linted."""

    uri: str
    version: int | None
    text: str
    path: str | None  # on disk; None for unsaved buffers
    diagnostics: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # rules that raised
    setup_error: str | None = None
    document: Document | None = None
    setup: Setup | None = None
    rewrites: list[tuple[str, Diagnostic]] | None = None  # computed on first request

    @property
    def name(self) -> str:
        return self.path or "-"

    @property
    def job(self) -> Job:
        """The configuration's job for this file: ``per-file-ignores`` applied, as the
        command line applies it."""
        assert self.setup is not None
        job = self.setup.job
        return job.for_file(self.name) if hasattr(job, "for_file") else job

    def release(self) -> None:
        if self.document is not None:
            self.document.release()
            self.document = None


def folder_of(path: str | None, root: str | None) -> Path:
    if path:
        return Path(path).parent
    return Path(root) if root else Path.cwd()


def lint_snapshot(
    setups: Setups,
    uri: str,
    version: int | None,
    text: str,
    path: str | None,
    root: str | None,
    lints: Lints | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Snapshot | None:
    """Lint one version of a document; None when ``cancelled()`` said, between two rules,
    that it is no longer wanted. With ``lints`` (kept between the versions of one
    document) only the parts that changed are parsed again, and checked again by the rules
    whose findings depend on those parts alone; every document built from them before
    must have been released."""
    from listlint.document import Document

    snap = Snapshot(uri, version, text, path)
    try:
        snap.setup = setups.for_folder(folder_of(path, root))
    except SetupError as exc:
        snap.setup_error = str(exc)
        return snap
    doc = Document(text, snap.name)
    job = snap.job
    if lints is not None and _can_share_tokens():
        if cancelled is not None and cancelled():
            return None
        doc.__dict__["tokens"] = lints.tokens(doc)
        result = lints.lint(doc, job.rules, job.options, cancelled or (lambda: False))
    else:
        result = lint_rules(doc, job, cancelled or (lambda: False))
    if result is None:
        doc.release()
        return None
    snap.diagnostics = result.diagnostics
    snap.errors = result.errors
    snap.document = doc
    return snap


def lint_rules(doc: Document, job: Job, cancelled: Callable[[], bool]) -> LintResult | None:
    """``lint_text``'s result, one rule at a time so that a lint of a version that is
    already outdated stops at the next rule (None). The rules run in the same order, on
    one parse and one set of views, with the same suppressions."""
    from listlint.lint import LintResult, diagnostic_order, drop_deferred, lint_document

    total = LintResult(document=doc)
    for rule in sorted(job.rules, key=lambda r: r.runs_last):
        if cancelled():
            return None
        part = lint_document(doc, [rule], job.options)
        total.diagnostics += part.diagnostics
        total.errors += part.errors
    total.diagnostics = drop_deferred(total.diagnostics, job.rules)  # as lint_text does
    total.diagnostics.sort(key=diagnostic_order)
    return total


def _can_share_tokens() -> bool:
    """Are a document's tokens parsed on first use (so that they can be given instead)?"""
    import functools
    import inspect

    from listlint.document import Document

    return isinstance(inspect.getattr_static(Document, "tokens", None), functools.cached_property)


def document_of(snap: Snapshot) -> Document:
    if snap.document is None:
        from listlint.document import Document

        snap.document = Document(snap.text, snap.name)
    return snap.document


# -- fixes -------------------------------------------------------------------------------


def fix_all(snap: Snapshot) -> str | None:
    """The text with every safe fix applied (to a fixed point); None when nothing changes."""
    if snap.setup is None:
        return None
    outcome = fix_text(snap.text, snap.job._replace(unsafe=False), snap.name)
    if outcome.errors:
        return None
    return outcome.new_text


def suppress(snap: Snapshot, diagnostics: Sequence[Diagnostic]) -> str:
    """The text with the comment ``listlint check --add-suppressions`` writes for these
    findings."""
    from listlint.adopt import add_suppressions

    return add_suppressions(document_of(snap), diagnostics)


def _builtin(name: str) -> Rule | None:
    from listlint.registry import builtin_rules, find

    return find(builtin_rules(), name)


def rewrites(snap: Snapshot) -> list[tuple[str, Diagnostic]]:
    if snap.rewrites is None:
        snap.rewrites = _rewrites(snap)
    return snap.rewrites


def _rewrites(snap: Snapshot) -> list[tuple[str, Diagnostic]]:
    """Findings of the rules in REWRITES that have a fix, from this lint when the rule ran,
    else from running it now (it is opt-in or ignored): what "Regenerate table of contents"
    and "Sort this section" apply."""
    if snap.setup is None:
        return []
    from listlint.lint import lint_document

    ran = {r.name for r in snap.job.rules}
    out = [(REWRITES[d.rule], d) for d in snap.diagnostics if d.rule in REWRITES and d.fix]
    missing = [
        rule
        for name in REWRITES
        if name not in ran and (rule := _builtin(name)) is not None
        if name in snap.setup.job.options
    ]
    if missing:
        result = lint_document(document_of(snap), missing, snap.setup.job.options)
        out += [(REWRITES[d.rule], d) for d in result.diagnostics if d.fix]
    return out


def fix_span(d: Diagnostic) -> tuple[int, int]:
    """The span a finding and its fix cover together (a table of contents, a section)."""
    start, end = d.start, d.end
    if d.fix:
        start = min([start, *(e.start for e in d.fix.edits)])
        end = max([end, *(e.end for e in d.fix.edits)])
    return start, end


# -- formatting --------------------------------------------------------------------------


def _format_job(snap: Snapshot) -> Job | None:
    rule = _builtin("table-format")
    if rule is None or snap.setup is None:
        return None
    options = dict(snap.setup.job.options)
    own = options.get(rule.name, rule.options_type())
    if getattr(own, "style", None) == "any":
        # Either layout passes the rule; Format Document chooses the aligned one.
        own = own._replace(style="aligned")
    options[rule.name] = own
    return Job([rule], options)


def format_tables(
    snap: Snapshot, span: tuple[int, int] | None = None, *, fix_first: bool = False
) -> str | None:
    """The text with its tables laid out as table-format lays them out (only the tables
    that overlap ``span`` when given; after every safe fix with ``fix_first``, for editors
    that run formatting but no code action on save); None when nothing changes."""
    job = _format_job(snap)
    if job is None:
        return None
    if span is None:
        text = (fix_all(snap) or snap.text) if fix_first else snap.text
        outcome = fix_text(text, job, snap.name)
        if outcome.errors:
            return None
        new = outcome.new_text or text
        return new if new != snap.text else None
    from listlint.fix import apply_edits

    doc = document_of(snap)
    wanted = [
        (t.header.line_start, t.rows[-1].end)
        for t in doc.tables
        if t.header.line_start <= span[1] and span[0] <= t.rows[-1].end
    ]
    if not wanted:
        return None
    result = lint_text(snap.text, job, snap.name)
    edits: list[Edit] = []
    taken: set[Fix] = set()  # table-format gives each odd row of a table the same fix
    for d in result.diagnostics:
        if d.fix and d.fix not in taken and any(start <= d.start <= end for start, end in wanted):
            taken.add(d.fix)
            edits += d.fix.edits
    if result.document is not None:
        result.document.release()
    if not edits:
        return None
    new = apply_edits(snap.text, sorted(edits))
    return new if new != snap.text else None


# -- hover -------------------------------------------------------------------------------


def rule_of(snap: Snapshot, name: str) -> Rule | None:
    if snap.setup is None:
        return None
    return next((r for r in snap.setup.job.rules if r.name == name), None)


def docs_url(rule: Rule) -> str | None:
    return DOCS_URL.format(name=rule.name) if rule.origin == "builtin" else None


def _section(doc: str, heading: str) -> str:
    start = doc.find(f"\n## {heading}\n")
    if start == -1:
        return ""
    start += len(heading) + 5
    end = doc.find("\n## ", start)
    return doc[start : end if end != -1 else len(doc)].strip()


def finding_hover(snap: Snapshot, d: Diagnostic) -> str:
    """Markdown for a finding: the rule, what is wrong, and how to fix it."""
    from listlint.ruledocs import rule_doc

    rule = rule_of(snap, d.rule)
    summary = rule.summary if rule else ""
    lines = [f"**{d.code} {d.rule}**: {summary}", "", d.message, ""]
    if d.fix is not None:
        how = "applied by Fix all and `listlint fix`"
        if d.fix.applicability == "unsafe":
            how = "unsafe: it changes the rendering; applied with `listlint fix --unsafe-fixes`"
        lines += [f"Fix: {d.fix.title} ({how}).", ""]
    else:
        lines += ["No automatic fix: edit the line as the rule's documentation shows.", ""]
    doc = rule_doc(d.rule) if rule is not None and rule.origin == "builtin" else None
    if doc:
        example = _section(doc, "Example")
        _, sep, instead = example.partition("Use instead:")
        if sep and instead.count("\n") <= 16:
            lines += ["Use instead:", instead.strip(), ""]
    url = docs_url(rule) if rule is not None else None
    if url:
        lines.append(f"[Documentation of {d.rule}]({url})")
    return "\n".join(lines).strip()


def link_hover(snap: Snapshot, offset: int) -> str | None:
    """Markdown for the link at ``offset``: its normalised identity, the arXiv paper it
    names, and the cached verdict of `listlint links`."""
    doc = document_of(snap)
    links = doc.links
    link = next(
        (
            link
            for link in (*links.links, *links.definitions)
            if link.start <= offset < max(link.end, link.start + 1)
        ),
        None,
    )
    if link is None or not link.url:
        return None
    from listlint.arxiv import parse_url
    from listlint.urlnorm import url_key

    lines = [f"**Link** `{link.url}`", ""]
    key = url_key(link.url)
    if key is not None:
        lines.append(f"- identity (what duplicate-url compares): `{key}`")
    paper = parse_url(link.url)
    if paper is not None:
        lines.append(
            f"- arXiv paper `{paper.id.canonical}`: https://arxiv.org/abs/{paper.id.canonical}"
        )
    verdict = _cached_verdict(snap, link.url)
    if verdict:
        lines.append(verdict)
    return "\n".join(lines).strip()


def _cached_verdict(snap: Snapshot, url: str) -> str | None:
    """What the last `listlint links` run found for ``url``, from its cache beside the
    document (read only), with its age; None when nothing was cached."""
    if snap.path is None:
        return None
    import time

    from listlint.links.store import age, cached_verdict

    found = cached_verdict(Path(snap.path).parent, url)
    if found is None:
        return None
    status = f" ({found.status})" if found.status is not None else ""
    streak = f", failed the last {found.streak} runs" if found.streak > 1 else ""
    when = age(time.time() - found.checked)
    return f"- `listlint links`: {found.outcome}{status}{streak}, checked {when} ago"


def is_config_file(path: str) -> bool:
    return os.path.basename(path) in CONFIG_FILES
