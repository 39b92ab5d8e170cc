"""File-level work: find files, read them safely, lint, fix, and write atomically."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint.document import _LF, NEWLINE, Document
from listlint.lint import LintResult, diagnostic_order, drop_deferred, lint_document, lint_text
from listlint.records import NamedTuple, Record

if TYPE_CHECKING:
    from collections.abc import Collection, Generator, Iterator, Mapping, Sequence

    from markdown_it.token import Token

    from listlint.cache import Cache
    from listlint.diagnostic import Diagnostic
    from listlint.fix import FixRun, Trail
    from listlint.guard import Withheld
    from listlint.registry import Rule

STDIN = "-"
# Parsing takes about 40 times a file's size in memory; refuse what would exhaust it.
MAX_BYTES = 64 * 2**20


class InputError(Exception):
    """A file that cannot be read or written; the message is one line naming the file
    (``path``, when given, is that file as named on the command line)."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message, path)
        self.message = message
        self.path = path

    def __str__(self) -> str:
        return self.message


class Outcome(Record):
    """What happened to one file (a plain class with the fields and defaults of the
    dataclass it was: start-up is benchmarked)."""

    _fields = (
        "path",
        "diagnostics",
        "errors",
        "fixed",
        "new_text",
        "document",
        "output",
        "final_text",
        "applied",
        "trail",
    )
    __slots__ = _fields
    path: str
    diagnostics: list[Diagnostic]
    errors: list[str]
    fixed: int
    new_text: str | None  # the fixed text when it differs from the input
    document: Document | None  # the final text, parsed, for cross-file rules
    output: str  # what goes to standard output for this file (a diff, fixed stdin)
    final_text: str | None  # kept when cross-file rules must see it again
    # The fixes that went in (or would, with --diff), where they are in the input text.
    applied: list[AppliedFix]
    # How the fixed text's offsets map back to the input (listlint.fix.Trail), while the
    # file is processed; never sent back from a worker.
    trail: Trail | None

    def __init__(
        self,
        path: str,
        diagnostics: list[Diagnostic] | None = None,
        errors: list[str] | None = None,
        fixed: int = 0,
        new_text: str | None = None,
        document: Document | None = None,
        output: str = "",
        final_text: str | None = None,
        applied: list[AppliedFix] | None = None,
        trail: Trail | None = None,
    ) -> None:
        self.path = path
        self.diagnostics = [] if diagnostics is None else diagnostics
        self.errors = [] if errors is None else errors
        self.fixed = fixed
        self.new_text = new_text
        self.document = document
        self.output = output
        self.final_text = final_text
        self.applied = [] if applied is None else applied
        self.trail = trail


class AppliedFix(NamedTuple):
    """One applied fix: 1-based line and column in the text as it was read, its rule, and
    what it fixed (the rule's summary)."""

    line: int
    column: int
    code: str
    rule: str
    title: str


class Job(NamedTuple):
    """The rules and options of a run, shared by every file (and worker process)."""

    rules: Sequence[Rule]
    options: Mapping[str, Any]
    unsafe: bool = False
    cache: Cache | None = None
    # (gitignore-style pattern, rule selectors) from the configuration's per-file-ignores,
    # matched against a file's path relative to ``root`` (the configuration's folder).
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str = ""

    def for_file(self, name: str) -> Job:
        """This job with the rules that ``per-file-ignores`` turns off for ``name`` left out."""
        if not self.per_file_ignores or name in (STDIN, "<stdin>"):
            return self
        from listlint.registry import matches

        ignored = ignored_selectors(self.per_file_ignores, self.root, name)
        if not ignored:
            return self
        rules = [r for r in self.rules if not any(matches(s, r) for s in ignored)]
        return self._replace(rules=rules, per_file_ignores=())

    @property
    def compares_files(self) -> bool:
        """Does a rule compare the files of this run (so their documents must be kept)?"""
        return any(r.compares_files(self.options[r.name]) for r in self.rules)


def ignored_selectors(
    table: Sequence[tuple[str, Sequence[str]]], root: str, name: str
) -> list[str]:
    """The selectors of every per-file-ignores pattern that matches ``name``."""
    import pathspec

    rel = os.path.relpath(os.path.abspath(name), root or os.getcwd())
    if rel.startswith(".."):
        return []
    rel = Path(rel).as_posix()
    out: list[str] = []
    for pattern, selectors in table:
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(rel):
            out += selectors
    return out


_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(data: bytes, name: str) -> str:
    """UTF-8 text, or an InputError that says why not."""
    for bom, encoding in _OTHER_BOMS:  # (UTF-32's marks start as UTF-16's: tried first)
        if data.startswith(bom):
            raise InputError(
                f"{name}: {encoding} (it starts with its byte-order mark); save it as UTF-8"
            )
    nul = data.find(b"\x00")
    if nul != -1:
        raise InputError(f"{name}: binary file (NUL byte at offset {nul}); not checked")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 (byte offset {exc.start}); save it as UTF-8"
        ) from None


def read(path: str, stdin_name: str = "<stdin>") -> tuple[str, bytes]:
    if path == STDIN:
        data = sys.stdin.buffer.read()
        return decode(data, stdin_name), data
    try:
        size = os.stat(path).st_size
        if size > MAX_BYTES:
            raise InputError(
                f"{path}: {size / 2**20:.0f} MiB is larger than listlint reads "
                f"({MAX_BYTES // 2**20} MiB); not checked"
            )
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return decode(data, path), data


def write_atomic(path: str, text: str, original: bytes) -> None:
    """Replace the file's contents through a temporary file in the same folder.

    A symlink is followed (the target is written, the link kept); permissions are kept;
    a file that changed since it was read is not overwritten.
    """
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(path)  # the file a link names (a pipe's /dev/fd/N has no real path)
        if not stat.S_ISREG(st.st_mode):
            # A named pipe (or a device) read once has nothing to compare with, and
            # cannot be replaced: reading it again would wait for a writer for ever.
            raise InputError(
                f"{path}: not a regular file; not written (`listlint fix -` reads standard "
                "input and prints the fixed text)"
            )
        current = target.read_bytes()
        mode = stat.S_IMODE(st.st_mode)
    except OSError as exc:
        raise InputError(f"{path}: not written: {exc.strerror or exc}") from None
    if current != original:
        raise InputError(f"{path}: changed on disk while it was being fixed; not written")
    # Root (and CI runs as root) may write anything: honour the owner's write bits, of the
    # file and of its folder (the new file is created there), not only what open() allows.
    if not mode & stat.S_IWUSR:
        raise InputError(f"{path}: read-only (mode {mode:04o}); not written")
    try:
        folder_mode = target.parent.stat().st_mode
    except OSError as exc:  # pragma: no cover - the file was just read from there
        raise InputError(f"{path}: not written: {exc.strerror or exc}") from None
    if not folder_mode & stat.S_IWUSR:
        raise InputError(f"{path}: its folder is read-only; not written")
    import tempfile

    data = text.encode("utf-8")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        _keep_owner(tmp, st)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError(f"{path}: not written: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _keep_owner(tmp: str, st: os.stat_result) -> None:
    """Give the new file the old one's group (and owner, where allowed): a fix must not
    move a file out of its group."""
    if not hasattr(os, "chown"):  # pragma: no cover - Windows
        return
    try:
        os.chown(tmp, st.st_uid, st.st_gid)
    except PermissionError:
        with contextlib.suppress(OSError):
            os.chown(tmp, -1, st.st_gid)


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def check_text(text: str, job: Job, name: str) -> Outcome:
    result = lint_text(text, job.rules, job.options, name)
    return Outcome(name, result.diagnostics, result.errors, document=result.document)


def fix_text(text: str, job: Job, name: str) -> Outcome:
    """Fix to a fixed point; on a rule error or no convergence the text is left as it was.
    Every fixed text passes the fix guard (listlint.guard): a fix that would change GitHub's
    rendering beyond what its rule declares is withheld, and the others still go in."""
    return _fixed(text, job, name)[0]


def _fixed(
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


def split_keepends(text: str) -> list[str]:
    lines = []
    pos = 0
    for m in NEWLINE.finditer(text):
        lines.append(text[pos : m.end()])
        pos = m.end()
    if pos < len(text):
        lines.append(text[pos:])
    return lines


def unified_diff(old: str, new: str, name: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            split_keepends(old),
            split_keepends(new),
            fromfile=f"a/{name.lstrip('/')}",
            tofile=f"b/{name.lstrip('/')}",
        )
    )


def cross_file(outcomes: Sequence[Outcome], job: Job) -> None:
    """Add the findings of rules that compare the files of one run."""
    if not job.compares_files:
        return
    from listlint.lint import lint_run

    docs = [o.document for o in outcomes if o.document is not None]
    by_path = {o.path: o for o in outcomes}
    result = lint_run(docs, job.rules, job.options)
    for d in result.diagnostics:
        by_path[d.path].diagnostics.append(d)
    if result.errors and outcomes:
        outcomes[0].errors += result.errors
    for o in outcomes:
        o.diagnostics.sort(key=lambda d: (d.start, d.code))


def process(
    item: str | InputError,
    job: Job,
    mode: str,
    stdin_name: str = "<stdin>",
    release: bool = True,
) -> Outcome:
    """Read one file, check or fix it, write it back (``mode``: check, fix, diff, or
    suppress: add suppression comments for every finding). Positions always refer to the
    file as it is on disk: after ``diff``, or a write that failed, those of the text read.
    Without ``release``, the document is dropped without freeing its views one by one (the
    last file of a run: the process ends without freeing them)."""
    if isinstance(item, InputError):
        return Outcome(item.path or str(item), errors=[str(item)])
    name = stdin_name if item == STDIN else item
    job = job.for_file(name)
    try:
        text, original = read(item, name)
    except InputError as exc:
        return Outcome(name, errors=[str(exc)])
    cache = job.cache if mode == "check" and not job.compares_files else None
    key = cache.key(name, original) if cache is not None else ""
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return Outcome(name, hit)
    if mode == "check":
        original = b""  # a check writes nothing back: the bytes read need not stay
    input_checked: Outcome | None = None
    if mode == "suppress":
        outcome = suppress_text(text, job, name)
    elif mode == "check":
        outcome = check_text(text, job, name)
    elif mode == "diff":
        outcome, input_checked = _fixed(text, job, name, check_input=True)
    else:
        outcome = fix_text(text, job, name)
    new = outcome.new_text
    if mode == "diff" and new is not None:
        outcome = _would_remain(outcome, text, job, name, input_checked)
        outcome.output = unified_diff(text, new, name)
    elif mode != "check" and item == STDIN:
        outcome.output = new if new is not None else text
    elif mode != "check" and new is not None:
        try:
            write_atomic(item, new, original)
        except InputError as exc:
            outcome = _on_disk(outcome, text, job, name)
            outcome.errors.append(str(exc))
            outcome.fixed = 0
            outcome.applied = []
            outcome.new_text = None
    outcome.trail = None
    if cache is not None and not outcome.errors:
        cache.put(key, outcome.diagnostics, _files_checked(outcome.document, job))
    if not job.compares_files and outcome.document is not None:
        if release:
            outcome.document.release()  # nothing needs it again: free it file by file
        outcome.document = None
    return outcome


def _files_checked(doc: Document | None, job: Job) -> list[str]:
    """The files the findings of ``doc`` depend on (rules that read the file system)."""
    if doc is None:
        return []
    out: list[str] = []
    for rule in job.rules:
        if rule.files_checked is not None:
            out += rule.files_checked(doc, job.options[rule.name])
    return out


def _on_disk(
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


def _would_remain(
    outcome: Outcome, text: str, job: Job, name: str, input_checked: Outcome | None = None
) -> Outcome:
    """For ``fix --diff``: what the fix would leave (``outcome``'s findings, of the fixed
    text), placed in ``text``, the file on disk. A finding that is on disk too (same rule,
    same line once the fixed text is mapped back) is taken from the check of the file, so
    its position, span and fix fit the file; one the fix would bring in is mapped back
    without a fix. What the fix resolves is the diff, and is not listed."""
    trail = outcome.trail
    remaining = outcome.diagnostics
    checked = _on_disk(outcome, text, job, name, input_checked)
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


def _process_in_worker(
    planned: tuple[str | InputError, int],
    jobs: Sequence[Job],
    mode: str,
    keep_text: bool,
    stdin_name: str,
) -> Outcome:
    item, index = planned
    outcome = process(item, jobs[index], mode, stdin_name)
    # A parsed document is large to send back; cross-file rules get its text instead.
    if keep_text and outcome.document is not None:
        outcome.final_text = outcome.document.text
    outcome.document = None
    return outcome


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it cancels what has not started and
    waits for the files being written); a worker never dies half-way through a file."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back while workers start (they inherit the mask, so none can be hit
    before it ignores the signal); a Ctrl-C that came meanwhile is delivered after."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def process_all(
    items: Sequence[str | InputError],
    job: Job,
    mode: str,
    jobs: int,
    stdin_name: str = "<stdin>",
) -> Iterator[Outcome]:
    """Process files in order, over ``jobs`` processes when there are several files."""
    return process_planned([(item, job) for item in items], mode, jobs, stdin_name)


def process_planned(
    planned: Sequence[tuple[str | InputError, Job]],
    mode: str,
    jobs: int,
    stdin_name: str = "<stdin>",
) -> Generator[Outcome, None, None]:
    """Process each file with its own job, in order, over ``jobs`` processes when there are
    several files. Close the iterator when stopping early (an interrupt): it cancels the
    files not started, waits for those being processed and leaves no process behind."""
    if jobs <= 1 or len(planned) < 2 or any(item == STDIN for item, _ in planned):
        # The last file's document is left to the end of the process (freeing the views
        # of 10,000 entries one by one took 14 ms, for nothing: the command line exits
        # without freeing them; in a process that goes on, the collector frees them).
        for k, (item, job) in enumerate(planned):
            yield process(item, job, mode, stdin_name, release=k + 1 < len(planned))
        return
    # Files the cache answers for need no worker: with fewer than two left, no pool.
    done: dict[int, Outcome] = {}
    for i, (item, job) in enumerate(planned):
        hit = _cached(item, job, mode)
        if hit is not None:
            done[i] = hit
    todo = [i for i in range(len(planned)) if i not in done]
    at = {i: k for k, i in enumerate(todo)}  # file i is indexed[at[i]]
    if len(todo) < 2:
        for i, (item, job) in enumerate(planned):
            yield done[i] if i in done else process(item, job, mode, stdin_name)
        return
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    distinct: list[Job] = []
    indexed = []
    for item, job in (planned[i] for i in todo):
        index = next((i for i, j in enumerate(distinct) if j is job), -1)
        if index < 0:
            distinct.append(job)
            index = len(distinct) - 1
        indexed.append((item, index))
    keep = any(j.compares_files for j in distinct)
    work = partial(
        _process_in_worker, jobs=distinct, mode=mode, keep_text=keep, stdin_name=stdin_name
    )
    _warm(distinct, mode)
    # The largest files first (a small one last leaves no worker idle while the other
    # finishes a large one); the outcomes still come in the order of the files.
    order = sorted(range(len(indexed)), key=lambda i: -_size(indexed[i][0]))
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_ignore_interrupts)
    try:
        with _interrupts_held():  # the workers start here, as the files are handed out
            futures = {i: pool.submit(work, indexed[i]) for i in order}
        for i in range(len(planned)):
            if i in done:
                yield done.pop(i)
                continue
            outcome = futures[at[i]].result()
            if outcome.final_text is not None:
                outcome.document = Document(outcome.final_text, outcome.path)
                outcome.final_text = None
            yield outcome
    except BaseException:  # an interrupt, or the caller stopped early
        _stop(pool)
        raise
    pool.shutdown()


def _cached(item: str | InputError, job: Job, mode: str) -> Outcome | None:
    """What the cache holds for checking ``item``, as ``process`` would return it, or None."""
    if mode != "check" or isinstance(item, InputError):
        return None
    job = job.for_file(item)
    if job.cache is None or job.compares_files:
        return None
    try:
        _, original = read(item, item)
    except InputError:
        return None
    hit = job.cache.get(job.cache.key(item, original))
    return None if hit is None else Outcome(item, hit)


def _size(item: str | InputError) -> int:
    if isinstance(item, InputError):
        return 0
    try:
        return os.stat(item).st_size
    except OSError:
        return 0


# A small list with what the views look for (headings and a table of contents, entries,
# links, an arXiv link, code, a table), linted once in the parent before the workers fork.
_WARM_TEXT = (
    "# List\n\n## Contents\n\n- [Tools](#tools)\n\n## Tools\n\n"
    "- [A](https://example.com/a) - One, with `code`.\n"
    "- [B](https://arxiv.org/abs/2101.00001) - Two.\n\n"
    "| Name | Link |\n| --- | --- |\n| c | [d](https://example.org/d) |\n"
)


def _warm(jobs: Sequence[Job], mode: str) -> None:
    """Import and compile in the parent, once, what each worker would otherwise import and
    compile for its first file (markdown-it-py, the rule modules and views, cmark-gfm, the
    patterns): forked workers share it. About 140 ms of CPU per worker saved."""
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return
    for job in jobs:
        with contextlib.suppress(Exception):
            lint_text(_WARM_TEXT, job.rules, job.options, "warm.md")
    if mode != "check":
        import listlint.fix
        import listlint.guard  # noqa: F401


def _stop(pool: Any) -> None:
    """Cancel the files not started and wait for the workers to finish the ones they are
    writing; a second Ctrl-C ends them at once."""
    try:
        pool.shutdown(wait=True, cancel_futures=True)
    except KeyboardInterrupt:
        processes = getattr(pool, "_processes", None) or {}
        for proc in list(processes.values()):
            proc.terminate()
        raise
