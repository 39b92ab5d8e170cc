"""File-level work: find files, read them safely, lint, fix, and write atomically."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint.document import NEWLINE, Document
from listlint.lint import lint_text
from listlint.records import NamedTuple, Record

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping, Sequence

    from listlint.cache import Cache
    from listlint.diagnostic import Diagnostic
    from listlint.fix import Trail
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
    from listlint.fixrun import fixed

    return fixed(text, job, name)[0]


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
    if mode == "check":
        outcome = check_text(text, job, name)
    else:
        outcome = _changed(item, text, original, job, mode, name)
    outcome.trail = None
    if cache is not None and not outcome.errors:
        cache.put(key, outcome.diagnostics, _files_checked(outcome.document, job))
    if not job.compares_files and outcome.document is not None:
        if release:
            outcome.document.release()  # nothing needs it again: free it file by file
        outcome.document = None
    return outcome


def _changed(item: str, text: str, original: bytes, job: Job, mode: str, name: str) -> Outcome:
    """``process`` for the modes that change the text (fix, diff, suppress)."""
    from listlint import fixrun

    input_checked: Outcome | None = None
    if mode == "suppress":
        outcome = fixrun.suppress_text(text, job, name)
    elif mode == "diff":
        outcome, input_checked = fixrun.fixed(text, job, name, check_input=True)
    else:
        outcome = fix_text(text, job, name)
    new = outcome.new_text
    if mode == "diff" and new is not None:
        outcome = fixrun.would_remain(outcome, text, job, name, input_checked)
        outcome.output = unified_diff(text, new, name)
    elif item == STDIN:
        outcome.output = new if new is not None else text
    elif new is not None:
        try:
            write_atomic(item, new, original)
        except InputError as exc:
            outcome = fixrun.as_on_disk(outcome, text, job, name)
            outcome.errors.append(str(exc))
            outcome.fixed = 0
            outcome.applied = []
            outcome.new_text = None
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
    from listlint.workers import process_pooled

    yield from process_pooled(planned, mode, jobs, stdin_name)
