"""A check or fix run from its options, and the command lines most runs are: parsed here,
without click (importing click is about 13 ms, a sixth of a 100-entry check; start-up is
benchmarked). ``quick`` takes a command line only when every word in it is one it knows,
and gives what click would give (tests/test_startup.py compares the two); anything else
(help, a usage error, a file option, an option's ``=`` form) goes to click (listlint.cli).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.config import Config
    from listlint.diagnostic import Diagnostic
    from listlint.registry import Rule
    from listlint.runner import InputError, Job, Outcome

TEXT_FORMATS = ("text", "concise", "full")
OUTPUT_FORMATS = (
    "text",
    "concise",
    "full",
    "json",
    "json-lines",
    "github",
    "gitlab",
    "sarif",
    "junit",
)


class Common(NamedTuple):
    """The options that check and fix share, as parsed from the command line."""

    select: tuple[str, ...]
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    config: str | None
    output_format: str
    exit_zero: bool
    quiet: bool
    color: bool | None
    output_file: str | None
    statistics: bool
    show_fixes: bool
    diff_base: str | None
    no_cache: bool
    stdin_filename: str | None
    force_exclude: bool
    respect_gitignore: bool


def split_selectors(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _use_color(flag: bool | None, stream: Any) -> bool:
    """--color/--no-color, else NO_COLOR (set and not empty: none), else FORCE_COLOR, else
    whether the stream is a terminal (https://no-color.org, https://force-color.org)."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def echo(text: str, err: bool = False, color: bool | None = None) -> None:
    """Write ``text`` as ``click.echo(text, nl=False, err=err, color=color)`` writes it.

    A text with no escape sequence, to a UTF-8 text stream on a POSIX system, is what
    click.echo writes and flushes as it is (it strips only escape sequences, and uses such
    a stream itself); it is written here, so that a run with findings does not import
    click (about 13 ms). Anything else goes to click.echo.
    """
    stream = sys.stderr if err else sys.stdout
    if "\x1b" not in text and os.name == "posix" and _as_is(stream):
        stream.write(text)
        stream.flush()
        return
    import click

    click.echo(text, nl=False, err=err, color=color)


def _as_is(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None)
    return (
        isinstance(stream, io.TextIOBase)
        and isinstance(encoding, str)
        and encoding.lower() in ("utf-8", "utf8")
    )


def _echo(text: str, err: bool = False, color: bool = False) -> None:
    if text:
        echo(text, err=err, color=color)


def _say(line: str) -> None:
    """One line to standard error, as click writes it."""
    echo(line + "\n", err=True)


class Run(NamedTuple):
    """What one check or fix run does, besides the shared options."""

    mode: str  # check, fix, diff, suppress
    unsafe: bool
    jobs: int


def _report(
    common: Common,
    run: Run,
    outcomes: Sequence[Outcome],
    rules: Sequence[Rule],
    to_stderr: bool,
    extra: Sequence[tuple[str, str]] = (),
) -> int:
    from listlint.report import Context, render

    diagnostics = [d for o in outcomes for d in o.diagnostics]
    errors = [(o.path if e.startswith(f"{o.path}:") else "", e) for o in outcomes for e in o.errors]
    errors += extra  # configurations that could not be used (their files not checked)
    stream = sys.stderr if to_stderr else sys.stdout
    color = _use_color(common.color, stream) and not common.output_file
    context = Context(
        rules,
        color,
        [o.path for o in outcomes if not o.errors],
        errors,
    )
    textual = common.output_format in TEXT_FORMATS
    if common.output_file:
        # The report goes to the file, whole; the terminal gets statistics and the summary.
        try:
            report = render(common.output_format, diagnostics, context)
            Path(common.output_file).write_text(report, encoding="utf-8")
        except OSError as exc:
            errors.append(("", f"{common.output_file}: cannot write the report: {exc.strerror}"))
        if common.statistics:
            _echo(_statistics(diagnostics, "text", run.unsafe), err=to_stderr)
    elif common.statistics:  # instead of the findings, in the format asked for
        _echo(_statistics(diagnostics, common.output_format, run.unsafe), err=to_stderr)
    else:
        _echo(render(common.output_format, diagnostics, context), err=to_stderr, color=color)
    if common.show_fixes and (textual or common.output_file):
        _echo(_fixes(outcomes, run), err=to_stderr)
    if (textual or common.output_file) and not common.quiet:
        line = _summary(common, run, outcomes, diagnostics)
        if errors:  # "No problems found." would hide that something was not checked
            n = len(errors)
            line += f" {n} error{'s' if n != 1 else ''} (below)."
        _echo(line + "\n", err=to_stderr)
    for _, e in errors:
        _say(f"error: {e}")
    if errors:
        return 2
    if common.exit_zero:
        return 0
    would_change = run.mode == "diff" and any(o.new_text is not None for o in outcomes)
    return 1 if diagnostics or would_change else 0


def _summary(
    common: Common, run: Run, outcomes: Sequence[Outcome], diagnostics: Sequence[Diagnostic]
) -> str:
    from listlint.report.text import summary

    fixed = sum(o.fixed for o in outcomes)
    if common.output_format == "concise":
        found = len(diagnostics)
        line = f"Found {found} problem{'s' if found != 1 else ''}." if found else ""
        if run.mode == "diff" and fixed:
            left = f" {found} would remain." if found else ""
            return f"Would fix {fixed} problem{'s' if fixed != 1 else ''}.{left}"
        if run.mode == "fix" and fixed:
            return f"Fixed {fixed} problem{'s' if fixed != 1 else ''}. {line}".rstrip()
        return line or "No problems found."
    safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "safe")
    unsafe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "unsafe")
    if run.mode == "diff":
        if not fixed:
            return f"Nothing to fix. {summary(len(diagnostics), safe, unsafe)}"
        # The findings listed are those the fix would leave; the diff shows the others.
        head = f"Would fix {fixed} problem{'s' if fixed != 1 else ''}."
        n = len(diagnostics)
        if not n:
            return f"{head} No problems would remain."
        extra = [f"{safe} fixable with `listlint fix`"] if safe else []
        if unsafe:
            extra.append(
                f"{unsafe} {'more ' if safe else 'fixable '}with `listlint fix --unsafe-fixes`"
            )
        notes = f" ({', '.join(extra)})" if extra else ""
        return f"{head} {n} problem{'s' if n != 1 else ''} would remain{notes}."
    return summary(len(diagnostics), safe, unsafe, fixed if run.mode == "fix" else 0)


def _statistics(diagnostics: Sequence[Diagnostic], output_format: str, unsafe: bool) -> str:
    """Findings per rule: how many, and how many ``listlint fix`` fixes (safe fixes, and
    unsafe ones apart: only --unsafe-fixes applies those)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for d in diagnostics:
        row = counts.setdefault((d.code, d.rule), [0, 0, 0])
        row[0] += 1
        if d.fix is not None:
            row[1 if d.fix.applicability == "safe" or unsafe else 2] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0][0]))
    if output_format == "json":
        import json

        rows = [
            {"code": c, "rule": r, "count": n, "fixable": f, "fixable_unsafe": u}
            for (c, r), (n, f, u) in ordered
        ]
        return json.dumps(rows, indent=2) + "\n"
    lines = []
    for (code, rule), (n, fixable, unsafe_only) in ordered:
        notes = []
        if fixable:
            notes.append(f"{fixable} fixable")
        if unsafe_only:
            notes.append(f"{unsafe_only} with --unsafe-fixes")
        lines.append(f"{n:>6}  {code}  {rule}" + (f"  ({', '.join(notes)})" if notes else ""))
    return "\n".join(lines) + ("\n" if lines else "")


def _fixes(outcomes: Sequence[Outcome], run: Run) -> str:
    """Per file, the fixes applied (or that --diff would apply), or for check those that
    ``listlint fix`` would apply, by position and code."""
    out = []
    for o in outcomes:
        if run.mode in ("fix", "diff"):
            rows = [(f.line, f.column, f.code, f.rule, f.title) for f in o.applied]
        else:
            rows = [
                (d.line, d.column, d.code, d.rule, d.fix.title)
                for d in o.diagnostics
                if d.fix is not None and (d.fix.applicability == "safe" or run.unsafe)
            ]
        out += [
            f"{o.path}:{ln}:{col}: {code} {title} [{rule}]" for ln, col, code, rule, title in rows
        ]
    head = {"fix": "Fixes applied", "diff": "Fixes that would be applied"}.get(
        run.mode, "Fixes available"
    )
    return f"{head}:\n" + ("\n".join(f"  {line}" for line in out) if out else "  none") + "\n"


def execute(common: Common, paths: tuple[str, ...], run: Run) -> int:
    """Check or fix the files: report, and return the exit code."""
    from listlint.api import JobFinder, SetupError
    from listlint.runner import STDIN, cross_file, display_name, process_planned

    if (
        common.statistics
        and common.output_format not in (*TEXT_FORMATS, "json")
        and not common.output_file
    ):
        _say(
            f"error: --statistics prints a table (text formats) or JSON (json), not "
            f"--output-format {common.output_format} (use --output-file for the report)"
        )
        return 2
    finder = JobFinder(
        config_file=common.config,
        select=common.select,
        extend_select=common.extend_select,
        ignore=common.ignore,
        unsafe=run.unsafe,
        cache=not common.no_cache,
    )
    from listlint.runner import InputError, Job

    stdin_name = common.stdin_filename or "<stdin>"
    # A configuration that cannot be used stops only the files it governs: they are left
    # out, with one line per problem at the end (exit 2); every other file is checked.
    found: dict[Path, tuple[Job, Config] | SetupError] = {}

    def job_of(path: str | Path) -> tuple[Job, Config]:
        folder = Path(os.path.abspath(path)).parent
        if folder not in found:
            try:
                found[folder] = finder.for_folder(folder)
            except SetupError as exc:
                found[folder] = exc
        result = found[folder]
        if isinstance(result, SetupError):
            raise result
        return result

    items = collect_items(paths, job_of, common)
    planned: list[tuple[str | InputError, Job]] = []
    not_checked: dict[str, list[str]] = {}
    no_rules = Job((), {})  # a file that could not be read is never linted
    for item in items:
        if isinstance(item, InputError):
            planned.append((item, no_rules))
            continue
        name = stdin_name if item == STDIN else item
        try:
            planned.append((item, job_of(name)[0]))
        except SetupError as exc:
            not_checked.setdefault(str(exc), []).append(display_name(name))
    setup_errors = [_not_checked(message, names) for message, names in not_checked.items()]
    selectors = (*common.select, *common.extend_select, *common.ignore)
    if selectors and not setup_errors and all(isinstance(i, InputError) for i, _ in planned):
        # No file to check (all missing, say): a selector that names no rule is still
        # reported, as ruff reports it, not only once a path is right.
        try:
            job_of(Path.cwd() / "-")
        except SetupError as exc:
            setup_errors.append(_named_from_here(str(exc)))
    machine = common.output_format not in TEXT_FORMATS or bool(common.output_file)
    if not planned and setup_errors and not machine:
        for _, line in setup_errors:
            _say(f"error: {line}")
        return 2
    if not planned and not setup_errors:
        _say("warning: no Markdown file found (nothing was checked)")
    outcomes: list[Outcome] = []
    results = process_planned(planned, run.mode, run.jobs, stdin_name)
    try:
        for outcome in results:
            outcomes.append(outcome)
            _echo(outcome.output)
    finally:
        results.close()  # on an interrupt: no worker left behind
    for job in {id(j): j for _, j in planned}.values():
        group = [o for o, (_, j) in zip(outcomes, planned, strict=True) if j is job]
        cross_file(group, job)
    if common.diff_base:
        from listlint.changes import DiffBaseError

        try:
            _only_changed(outcomes, planned, common.diff_base)
        except DiffBaseError as exc:
            _say(f"error: {exc}")
            return 2
    to_stderr = run.mode == "diff" or (run.mode in ("fix", "suppress") and STDIN in items)
    if run.mode == "suppress" and not common.quiet:
        added = sum(o.fixed for o in outcomes)
        files = sum(1 for o in outcomes if o.new_text is not None)
        _echo(
            f"Suppressed {added} problem{'s' if added != 1 else ''} with comments in "
            f"{files} file{'s' if files != 1 else ''}.\n",
            err=to_stderr,
        )
    if not planned and common.output_format in TEXT_FORMATS and not common.output_file:
        return 0
    rules = {r.name: r for _, job in planned for r in job.rules}
    return _report(
        common, run, outcomes, list(rules.values()), to_stderr=to_stderr, extra=setup_errors
    )


def _not_checked(message: str, names: Sequence[str]) -> tuple[str, str]:
    """(the configuration file, one line): a configuration that cannot be used, and the
    files it governs, which were not checked."""
    n = len(names)
    shown = ", ".join(names[:3]) + (f" and {n - 3} more" if n > 3 else "")
    path, message = _named_from_here(message)
    return path, f"{message} ({n} file{'s' if n != 1 else ''} not checked: {shown})"


def _named_from_here(message: str) -> tuple[str, str]:
    """(the configuration file a message starts with, or "", the message), the file named
    relative to the current folder when it is inside it, as the files checked are."""
    where, _, rest = message.partition(": ")
    path = where if rest and Path(where).is_file() else ""
    if path and Path(path).is_absolute() and Path(path).is_relative_to(Path.cwd()):
        path = str(Path(path).relative_to(Path.cwd()))
        message = f"{path}: {rest}"
    return path, message


def _only_changed(
    outcomes: Sequence[Outcome], planned: Sequence[tuple[object, Job]], base: str
) -> None:
    from listlint.changes import only_changed, verify_base
    from listlint.lint import lint_text

    verify_base(base, Path.cwd())
    for o, (_, job) in zip(outcomes, planned, strict=True):
        if o.errors or o.path == "<stdin>":
            continue

        def lint_base(text: str, path: str = o.path, job: Job = job) -> list[Diagnostic]:
            return lint_text(text, job.rules, job.options, path).diagnostics

        o.diagnostics = only_changed(o.diagnostics, o.path, base, lint_base)


def collect_items(
    paths: tuple[str, ...], job_of: Callable[[Path], tuple[Job, Config]], common: Common
) -> list[str | InputError]:
    """The files to check: paths as given, folders searched (each folder's configuration
    deciding what it excludes; a folder whose configuration cannot be read excludes
    nothing, and its files are reported as not checked)."""
    from listlint.api import SetupError
    from listlint.discover import collect, matches_exclude

    def excluded(path: Path) -> bool:
        try:
            _, config = job_of(path)
        except SetupError:
            return False
        return matches_exclude(path, config.exclude, config.root or Path.cwd())

    return list(
        collect(
            paths or (".",),
            excluded,
            respect_gitignore=common.respect_gitignore,
            force_exclude=common.force_exclude,
        )
    )


def cpus(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


# The words of a command line that ``quick`` takes: flags (option -> (field, value)),
# options with a value, and the commands' own flags.
_FLAGS: dict[str, tuple[str, bool]] = {
    "--exit-zero": ("exit_zero", True),
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--statistics": ("statistics", True),
    "--show-fixes": ("show_fixes", True),
    "--no-cache": ("no_cache", True),
    "--force-exclude": ("force_exclude", True),
    "--respect-gitignore": ("respect_gitignore", True),
    "--no-respect-gitignore": ("respect_gitignore", False),
}
_OWN_FLAGS = {
    "check": {
        "--fix": "apply_fixes",
        "--diff": "diff",
        "--unsafe-fixes": "unsafe_fixes",
        "--add-suppressions": "add_suppressions",
    },
    "fix": {"--diff": "diff", "--unsafe-fixes": "unsafe_fixes"},
}
_VALUED = {
    "--select": "select",
    "--extend-select": "extend_select",
    "--ignore": "ignore",
    "--output-format": "output_format",
    "-j": "jobs",
    "--jobs": "jobs",
}


def quick(args: Sequence[str]) -> tuple[Common, tuple[str, ...], Run] | None:
    """What ``listlint check`` or ``listlint fix`` with these words would run, as click
    parses them, or None when click is to parse them: a word that is not a path nor one
    of the options above, an option's value that starts with ``-`` or is not valid, an
    option not followed by a value, ``--``, ``-`` (stdin), options that do not go together,
    or LISTLINT_DIFF_BASE set (click reads it)."""
    if not args or args[0] not in _OWN_FLAGS or "LISTLINT_DIFF_BASE" in os.environ:
        return None
    own = _OWN_FLAGS[args[0]]
    flags = dict.fromkeys(own.values(), False)
    fields: dict[str, Any] = {
        "exit_zero": False,
        "quiet": False,
        "color": None,
        "statistics": False,
        "show_fixes": False,
        "no_cache": False,
        "force_exclude": False,
        "respect_gitignore": True,
        "output_format": "text",
    }
    lists: dict[str, list[str]] = {"select": [], "extend_select": [], "ignore": []}
    jobs: int | None = None
    paths: list[str] = []
    words = iter(args[1:])
    for word in words:
        if not word.startswith("-"):
            paths.append(word)
        elif word in _FLAGS:
            field, flag = _FLAGS[word]
            fields[field] = flag
        elif word in own:
            flags[own[word]] = True
        else:
            key, value = _VALUED.get(word), next(words, None)
            if key is None or value is None or value.startswith("-"):
                return None
            if key in lists:
                lists[key].append(value)
            elif key == "output_format" and value in OUTPUT_FORMATS:
                fields[key] = value
            elif key == "jobs" and value.isascii() and value.isdigit() and int(value) >= 1:
                jobs = int(value)
            else:
                return None
    mode = "diff" if flags["diff"] else "fix"
    if args[0] == "check":
        if (flags["diff"] or flags["unsafe_fixes"]) and not flags["apply_fixes"]:
            return None
        if flags["add_suppressions"] and flags["apply_fixes"]:
            return None
        if not flags["apply_fixes"]:
            mode = "suppress" if flags["add_suppressions"] else "check"
    common = Common(
        select=split_selectors(tuple(lists["select"])),
        extend_select=split_selectors(tuple(lists["extend_select"])),
        ignore=split_selectors(tuple(lists["ignore"])),
        config=None,
        output_file=None,
        diff_base=None,
        stdin_filename=None,
        **fields,
    )
    return common, tuple(paths), Run(mode, flags["unsafe_fixes"], cpus(jobs))


def quick_main(args: Sequence[str]) -> int | None:
    """Run a command line ``quick`` takes; None for one it does not (click's, then)."""
    parsed = quick(args)
    if parsed is None:
        return None
    try:
        return execute(*parsed)
    except KeyboardInterrupt:
        _say("Aborted.")  # as listlint.cli says it
        return 130


def finish(code: int) -> None:
    """The end of a process of its own: keep the compiled patterns, flush, exit at once.

    A large run leaves hundreds of thousands of parser tokens behind; freeing them one by
    one at interpreter shutdown costs a third of a second for nothing (mypy does the same).
    """
    from listlint import lazyre

    lazyre.keep_compiled()  # for the next run's start-up (only what is new is written)
    for stream in (sys.stdout, sys.stderr):
        # A language server's stdout is closed by the time it returns.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
