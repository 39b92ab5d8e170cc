"""Fixing one file's text: to a fixed point under the fix guard, what ``fix --diff``
lists, and suppression comments (``listlint.runner`` for any run that is not a check:
a check does not import this module; start-up is benchmarked)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from listlint.document import _LF, NEWLINE, Document
from listlint.lint import LintResult, diagnostic_order, drop_deferred, lint_document, lint_text
from listlint.runner import AppliedFix, Job, Outcome, check_text

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from markdown_it.token import Token

    from listlint.diagnostic import Diagnostic
    from listlint.fix import FixRun
    from listlint.guard import Withheld
    from listlint.registry import Rule


def fixed(
    text: str, job: Job, name: str, check_input: bool = False
) -> tuple[Outcome, Outcome | None]:
    """``fix_text``'s outcome and, with ``check_input``, when the text changed, the check of
    ``text`` itself with every rule (what ``check_text`` gives: for ``fix --diff``), made on
    the first pass's document before the next text is parsed (not a third lint)."""
    from listlint.fix import FixDidNotConverge
    from listlint.guard import Apart, guarded_fix

    errors: list[str] = []
    last: list[LintResult] = []
    # Between passes only the rules that may fix something in this run matter; the others
    # run once, on the final text (its parse and views are shared, not rebuilt).
    kinds = ("safe", "sometimes", "unsafe") if job.unsafe else ("safe", "sometimes")
    fixing = [r for r in job.rules if r.fix in kinds]
    others = [r for r in job.rules if r.fix not in kinds]

    # Each pass's text differs from the last only where fixes went in: the pieces that did
    # not change keep their tokens (listlint.pieces; every earlier document is released
    # before the next is parsed, as the pieces require).
    from listlint import carried
    from listlint.pieces import Pieces

    pieces = Pieces()
    checked: list[Outcome] = []
    if check_input and _defers_in_chain(job.rules):
        check_input = False  # (one lint drops deferred findings as two cannot)

    def lint(t: str, names: Collection[str] | None = None) -> list[Diagnostic]:
        rules = fixing if names is None else [r for r in fixing if r.name in names]
        before = None
        if last and last[0].document is not None:
            # An intermediate text: done with it. Released before the next text is parsed
            # (its tokens are shared with the next and shifted); its token pass and links
            # view are kept until the next text's are made from them (listlint.carried).
            before = carried.taken(last[0].document, pieces)
            last[0].document.release()
        last[:] = []
        doc = Document(t, name)
        doc.__dict__["tokens"] = pieces.parse(t[doc.body_start :])
        if before is not None:
            carried.carry(doc, before, pieces)
            before = None
        result = lint_document(doc, rules, job.options)
        errors.extend(result.errors)
        if check_input and not checked and names is None and t == text:
            checked.append(_checked_too(doc, result, others, job))
        last[:] = [result]
        return result.diagnostics

    def lint_apart(t: str, names: Collection[str], tokens: list[Token]) -> list[Diagnostic] | None:
        """A piece of a text (``tokens``, its parse) linted on its own, for the guard's
        search of the fixes to withhold."""
        doc = Document(t, name)
        doc.__dict__["tokens"] = tokens
        result = lint_document(doc, [r for r in fixing if r.name in names], job.options)
        doc.release()
        return None if result.errors else result.diagnostics

    apart = Apart(
        lint_apart,
        frozenset(r.name for r in fixing if r.scope_for(job.options[r.name]) == "block"),
    )
    try:
        guarded = guarded_fix(
            text,
            lint,
            unsafe=job.unsafe,
            declared={r.name: r.fix_may_change for r in fixing},
            apart=apart,
        )
    except FixDidNotConverge as exc:  # pragma: no cover - a listlint bug, reported
        outcome = check_text(text, job, name)
        outcome.errors.append(f"{name}: internal error: {exc}; file left unchanged")
        return outcome, None
    run = guarded.run
    new = run.text
    final = last[0]  # the lint of the final text: nothing left to fix there
    withheld_lines: list[int] = []
    if guarded.withheld:
        final.diagnostics = _mark_withheld(final.diagnostics, run, guarded.withheld, job.unsafe)
        withheld_lines = [d.line for d in final.diagnostics if _WITHHELD in d.message]
    if checked and checked[0].document is final.document and not guarded.withheld:
        # Nothing changed: the input's check (``check_input``) is the final lint's result.
        final.diagnostics = list(checked[0].diagnostics)
        errors.extend(e for e in checked[0].errors if e not in final.errors)
    elif others and final.document is not None:
        rest = lint_document(final.document, others, job.options)
        errors.extend(rest.errors)
        merged = drop_deferred([*final.diagnostics, *rest.diagnostics], job.rules)
        final.diagnostics = sorted(merged, key=diagnostic_order)
    if errors:
        outcome = check_text(text, job, name)
        outcome.errors = sorted(set(errors))
        return outcome, None
    outcome = Outcome(name, final.diagnostics, final.errors, run.fixed, document=final.document)
    if new != text:
        outcome.new_text = new
        outcome.applied = applied_fixes(text, run, job)
        outcome.trail = run.trail
    elif guarded.withheld:  # nothing could be fixed safely
        lines = sorted(set(withheld_lines) or {u.line + 1 for u in guarded.withheld})
        outcome.errors.extend(
            f"{name}:{n}: {_WITHHELD} line {n}; nothing else to fix, file left unchanged"
            for n in lines
        )
    return outcome, (checked[0] if checked and new != text else None)


_WITHHELD = "fix withheld: it would change how GitHub renders"


def _checked_too(doc: Document, fixing: LintResult, others: Sequence[Rule], job: Job) -> Outcome:
    """``check_text``'s outcome for ``doc``, which the fixing rules have just linted
    (``fixing``): the other rules run on the same document, and the two are merged as one
    lint of every rule merges them (suppressions are the document's, shared)."""
    rest = lint_document(doc, others, job.options) if others else LintResult()
    merged = drop_deferred([*fixing.diagnostics, *rest.diagnostics], job.rules)
    return Outcome(
        doc.path,
        sorted(merged, key=diagnostic_order),
        [*fixing.errors, *rest.errors],
        document=doc,
    )


def _defers_in_chain(rules: Sequence[Rule]) -> bool:
    """Does a rule defer to one that defers too (then dropping deferred findings twice,
    as two lints merged do, could keep what one lint of every rule drops)?"""
    deferring = {r.name for r in rules if r.defers_to}
    return any(name in deferring for r in rules for name in r.defers_to)


def _mark_withheld(
    diagnostics: Sequence[Diagnostic], run: FixRun, withheld: Collection[Withheld], unsafe: bool
) -> list[Diagnostic]:
    """The final findings, those whose fix the guard withheld without it and saying so."""
    from listlint.guard import Withheld

    out = []
    for d in diagnostics:
        fix = d.fix
        if (
            fix is not None
            and (unsafe or fix.applicability == "safe")
            and Withheld(d.rule, run.trail.origin_line(d.start)) in withheld
        ):
            d = d._replace(fix=None, message=f"{d.message} ({_WITHHELD} line {d.line})")
        out.append(d)
    return out


def applied_fixes(text: str, run: FixRun, job: Job) -> list[AppliedFix]:
    """The fixes the run applied, each where its finding is in ``text`` (the text read)."""
    from bisect import bisect_right

    rules = {r.name: r for r in job.rules}
    # (one-character newlines found by the plain pattern: the alternation of the three
    # newlines costs several times as much on a long text)
    newline = NEWLINE if "\r" in text else _LF
    starts = [0] + [m.end() for m in newline.finditer(text)]
    out = []
    for a in run.applied:
        line = bisect_right(starts, a.origin) - 1
        column = a.origin - starts[line] + 1
        rule = rules.get(a.rule)
        code, title = (rule.code, rule.summary) if rule else ("", "")
        out.append(AppliedFix(line + 1, column, code, a.rule, title))
    return sorted(out)


def suppress_text(text: str, job: Job, name: str) -> Outcome:
    """Add a suppression comment for every finding; report what is left (nothing, unless
    the comments themselves give a rule something new to say)."""
    from listlint.adopt import suppress_all

    found: list[int] = []

    def lint(t: str) -> LintResult:
        result = lint_text(t, job.rules, job.options, name)
        found.append(len(result.diagnostics))
        return result

    new, final = suppress_all(text, lint)
    if final.errors:
        outcome = check_text(text, job, name)
        outcome.errors = final.errors
        return outcome
    outcome = Outcome(name, final.diagnostics, [], sum(found[:-1]), document=final.document)
    if new != text:
        outcome.new_text = new
    return outcome


def as_on_disk(
    outcome: Outcome, text: str, job: Job, name: str, checked: Outcome | None = None
) -> Outcome:
    """``outcome`` with the findings of ``text`` (what is on disk: ``checked``, or checked
    here) instead of the fixed text's, keeping what the fixing did (the count, the fixes,
    the new text)."""
    if outcome.document is not None:
        outcome.document.release()
    if checked is None:
        checked = check_text(text, job, name)
    checked.errors = outcome.errors + [e for e in checked.errors if e not in outcome.errors]
    checked.fixed, checked.applied = outcome.fixed, outcome.applied
    checked.new_text = outcome.new_text
    return checked


def would_remain(
    outcome: Outcome, text: str, job: Job, name: str, input_checked: Outcome | None = None
) -> Outcome:
    """For ``fix --diff``: what the fix would leave (``outcome``'s findings, of the fixed
    text), placed in ``text``, the file on disk. A finding that is on disk too (same rule,
    same line once the fixed text is mapped back) is taken from the check of the file, so
    its position, span and fix fit the file; one the fix would bring in is mapped back
    without a fix. What the fix resolves is the diff, and is not listed."""
    trail = outcome.trail
    remaining = outcome.diagnostics
    checked = as_on_disk(outcome, text, job, name, input_checked)
    if trail is None:  # pragma: no cover - a diff always comes with its trail
        return checked
    doc = checked.document
    on_disk: dict[tuple[str, int], list[Diagnostic]] = {}
    for d in checked.diagnostics:
        on_disk.setdefault((d.rule, d.line - 1), []).append(d)
    out = []
    for r in remaining:
        start = trail.origin(r.start)
        line = trail.original_line(start)
        same = on_disk.get((r.rule, line))
        if same:
            d = same.pop(0)
            if r.fix is None and d.fix is not None:  # withheld by the fix guard
                d = d._replace(fix=None, message=f"{d.message} ({_WITHHELD} line {d.line})")
            out.append(d)
        elif doc is not None:
            end = max(start, trail.origin(r.end))
            (ln, col), (end_ln, end_col) = doc.position(start), doc.position(end)
            out.append(
                r._replace(
                    start=start,
                    end=end,
                    line=ln,
                    column=col,
                    end_line=end_ln,
                    end_column=end_col,
                    fix=None,
                    source=doc.line(ln - 1),
                )
            )
    checked.diagnostics = sorted(out, key=diagnostic_order)
    return checked
