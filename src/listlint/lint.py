"""Run rules over a document and turn their findings into diagnostics."""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from listlint.diagnostic import Diagnostic
from listlint.document import Document
from listlint.records import Record
from listlint.suppress import Suppressions

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from listlint.diagnostic import Finding, Fix
    from listlint.registry import Rule


class LintResult(Record):
    """One document's diagnostics, and the errors of rules that raised on it (a plain
    class with the fields and defaults of the dataclass it was: start-up is benchmarked)."""

    _fields = ("diagnostics", "errors", "document")
    __slots__ = _fields
    diagnostics: list[Diagnostic]
    errors: list[str]  # rules that raised
    document: Document | None

    def __init__(
        self,
        diagnostics: list[Diagnostic] | None = None,
        errors: list[str] | None = None,
        document: Document | None = None,
    ) -> None:
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.errors = [] if errors is None else errors
        self.document = document


def lint_document(doc: Document, rules: Sequence[Rule], options: Mapping[str, Any]) -> LintResult:
    """Every rule's findings on ``doc``, suppression applied, sorted by position."""
    result = LintResult(document=doc)
    suppressions = doc.suppressions
    suppressions.known.update(options)  # every loaded rule, selected or not
    for rule in rules:
        if not rule.compares_files(options[rule.name]):
            suppressions.judged[rule.name] = rule
    for rule in sorted(rules, key=lambda r: r.runs_last):
        try:
            findings = list(rule.check(doc, options[rule.name]))
        except RecursionError:
            result.errors.append(f"{doc.path}: rule {rule.name} failed: input nests too deeply")
            continue
        except Exception as exc:
            result.errors.append(
                f"{doc.path}: rule {rule.name} failed (a listlint bug): {type(exc).__name__}: {exc}"
            )
            continue
        result.diagnostics += to_diagnostics(doc, rule, findings, suppressions)
    result.diagnostics = drop_deferred(result.diagnostics, rules)
    result.diagnostics.sort(key=diagnostic_order)
    return result


def drop_deferred(diagnostics: list[Diagnostic], rules: Sequence[Rule]) -> list[Diagnostic]:
    """Without the findings of a rule that defers to another (``DEFERS_TO``) which lie
    inside a finding of that other rule: one defect, one finding, the one with the fix.
    Where the other rule is not selected, or its finding is suppressed, the deferring
    rule's finding stays."""
    deferring = {r.name: r.defers_to for r in rules if r.defers_to}
    if not deferring:
        return diagnostics
    owners = {name for names in deferring.values() for name in names}
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for d in diagnostics:
        if d.rule in owners:
            spans.setdefault((d.rule, d.line), []).append((d.start, d.end))
    if not spans:
        return diagnostics
    return [
        d
        for d in diagnostics
        if d.rule not in deferring
        or not any(
            start <= d.start and d.end <= end
            for owner in deferring[d.rule]
            for start, end in spans.get((owner, d.line), ())
        )
    ]


def diagnostic_order(d: Diagnostic) -> tuple[int, str]:
    return d.start, d.code


def to_diagnostics(
    doc: Document, rule: Rule, findings: Iterable[Finding], suppressions: Suppressions
) -> list[Diagnostic]:
    """Bind findings to their rule and file, drop suppressed ones, clamp spans."""
    out = []
    text = doc.text
    size = len(text)
    starts, ends = doc.line_starts, doc.line_ends
    last = len(starts) - 1
    path, name, code, default = doc.path, rule.name, rule.code, rule.severity
    # ``suppressions.suppressed`` is False on every line of a document without a listlint
    # comment that suppresses something (most): not asked then.
    suppressing = bool(
        suppressions.file_all
        or suppressions.file_names
        or suppressions.next_line
        or suppressions.lines
    )
    suppressed = suppressions.suppressed
    as_declared = rule.fix in ("none", "unsafe")  # fixes kept as they are otherwise
    # Each finding's positions as ``doc.position`` gives them (the end's line found from the
    # start's when it is the same, as it mostly is).
    for start, end, message, fix, severity in findings:
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
        index = bisect_right(starts, start) - 1
        if index < 0:
            index = 0
        if suppressing and suppressed(rule, index):
            continue
        line_start = starts[index]
        if index == last or end < starts[index + 1]:
            end_index = index
        else:
            end_index = bisect_right(starts, end) - 1
        out.append(
            _new_tuple(
                Diagnostic,
                (
                    path,
                    name,
                    code,
                    severity or default,
                    message,
                    start,
                    end,
                    index + 1,
                    max(0, start - line_start) + 1,
                    end_index + 1,
                    max(0, end - starts[end_index]) + 1,
                    _declared(rule, fix) if as_declared else fix,
                    text[line_start : ends[index]],
                ),
            )
        )
    return out


# A Diagnostic made from its 13 fields in order, as ``Diagnostic(...)`` makes it, without
# the call to its ``__new__`` (thousands of findings on a table-format run).
_new_tuple = tuple.__new__


def _declared(rule: Rule, fix: Fix | None) -> Fix | None:
    """A fix as the rule declares its fixes: none from a rule without fixes, and unsafe
    from a rule whose fixes are all unsafe (what ``listlint rules`` tells users)."""
    if fix is None or rule.fix == "none":
        return None
    if rule.fix == "unsafe" and fix.applicability != "unsafe":
        return fix._replace(applicability="unsafe")
    return fix


def lint_run(
    docs: Sequence[Document], rules: Sequence[Rule], options: Mapping[str, Any]
) -> LintResult:
    """Findings of rules that compare across all files of one run (cross-file scope)."""
    result = LintResult()
    for rule in rules:
        if rule.check_run is None or not rule.compares_files(options[rule.name]):
            continue
        try:
            found = list(rule.check_run(docs, options[rule.name]))
        except Exception as exc:
            result.errors.append(
                f"rule {rule.name} failed across files (a listlint bug): "
                f"{type(exc).__name__}: {exc}"
            )
            continue
        by_doc: dict[int, list[Finding]] = {}
        for doc, finding in found:
            by_doc.setdefault(id(doc), []).append(finding)
        for doc in docs:
            if id(doc) in by_doc:
                result.diagnostics += to_diagnostics(doc, rule, by_doc[id(doc)], Suppressions(doc))
    return result


def lint_text(
    text: str, rules: Sequence[Rule], options: Mapping[str, Any], path: str = "-"
) -> LintResult:
    doc = Document(text, path)
    doc.keep_rendering = False  # nothing renders this text again (unlike a fix's passes)
    # Nor reads its tokens once the token pass has, unless a rule reads them itself.
    doc.keep_tokens = any(rule.reads_tokens for rule in rules)
    from listlint.views.tables import may_have_tables

    if not may_have_tables(doc):
        return lint_document(doc, rules, options)
    # The table view will ask for GitHub's rendering (cmark-gfm, in C, without the
    # interpreter lock): started now, it is made on another CPU while the text is parsed
    # and the views are built, instead of after them.
    from listlint import github

    with github.reading_ahead(text, doc.line_starts):
        # Read by the table view; where no selected rule read it, waited for all the same.
        return lint_document(doc, rules, options)
