"""Command line: a thin click adapter around ``main(argv) -> int``.

Exit codes: 0 no problem, 1 problems remain, 2 usage, configuration or input error (reported
after every other file has been processed).
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

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


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def common_options(f: Callable[..., Any]) -> Callable[..., Any]:
    opts = [
        click.option(
            "--select",
            multiple=True,
            help="Rules to run instead of the defaults: "
            "names, codes, code prefixes or ALL (comma-separated).",
        ),
        click.option("--extend-select", multiple=True, help="Rules to run besides the defaults."),
        click.option("--ignore", multiple=True, help="Rules not to run."),
        click.option(
            "--config",
            type=file_type(),
            default=None,
            help="Configuration file for every file (default: for each file, the nearest "
            "listlint.toml, .listlint.toml or pyproject.toml with [tool.listlint] above it).",
        ),
        click.option(
            "--output-format",
            type=click.Choice(OUTPUT_FORMATS),
            default="text",
            show_default=True,
            help="Report format.",
        ),
        click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found."),
        click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary."),
        click.option(
            "--color/--no-color",
            default=None,
            help="Colour (default: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces).",
        ),
        click.option(
            "--output-file",
            type=file_type(),
            default=None,
            help="Write the report to this file; the terminal gets the summary.",
        ),
        click.option(
            "--statistics",
            is_flag=True,
            help="Print how many findings each rule has, instead of the findings "
            "(a table, or JSON with --output-format json).",
        ),
        click.option(
            "--show-fixes",
            is_flag=True,
            help="List the fixes by file, code and line:column: those applied (fix), "
            "those that would be (--diff), or those available (check).",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            help="Do not read or write the result cache (.listlint_cache).",
        ),
        click.option(
            "--diff-base",
            envvar="LISTLINT_DIFF_BASE",
            default=None,
            metavar="REV",
            help="Report only findings on lines changed since the git commit REV, and "
            "findings the change introduces elsewhere (env: LISTLINT_DIFF_BASE).",
        ),
        click.option(
            "--stdin-filename",
            default=None,
            metavar="PATH",
            help="The name of the file read from standard input: used in reports, for "
            "relative links and to find its configuration.",
        ),
        click.option(
            "--force-exclude",
            is_flag=True,
            help="Leave out excluded and git-ignored files even when named on the command "
            "line (for pre-commit).",
        ),
        click.option(
            "--respect-gitignore/--no-respect-gitignore",
            default=True,
            show_default=True,
            help="Skip files that .gitignore ignores when searching folders.",
        ),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _common(kw: dict[str, Any]) -> Common:
    return Common(
        select=_split(kw.pop("select")),
        extend_select=_split(kw.pop("extend_select")),
        ignore=_split(kw.pop("ignore")),
        config=kw.pop("config"),
        output_format=kw.pop("output_format"),
        exit_zero=kw.pop("exit_zero"),
        quiet=kw.pop("quiet"),
        color=kw.pop("color"),
        output_file=kw.pop("output_file"),
        statistics=kw.pop("statistics"),
        show_fixes=kw.pop("show_fixes"),
        diff_base=kw.pop("diff_base") or None,
        no_cache=kw.pop("no_cache"),
        stdin_filename=kw.pop("stdin_filename") or None,
        force_exclude=kw.pop("force_exclude"),
        respect_gitignore=kw.pop("respect_gitignore"),
    )


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


def _echo(text: str, err: bool = False, color: bool = False) -> None:
    if text:
        click.echo(text, nl=False, err=err, color=color)


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
        click.echo(f"error: {e}", err=True)
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


def _run(common: Common, paths: tuple[str, ...], run: Run) -> int:
    from listlint.api import JobFinder, SetupError
    from listlint.runner import STDIN, cross_file, display_name, process_planned

    if (
        common.statistics
        and common.output_format not in (*TEXT_FORMATS, "json")
        and not common.output_file
    ):
        click.echo(
            f"error: --statistics prints a table (text formats) or JSON (json), not "
            f"--output-format {common.output_format} (use --output-file for the report)",
            err=True,
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
            click.echo(f"error: {line}", err=True)
        return 2
    if not planned and not setup_errors:
        click.echo("warning: no Markdown file found (nothing was checked)", err=True)
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
            click.echo(f"error: {exc}", err=True)
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


def _jobs_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Processes to spread files over (default: the number of CPUs).",
    )(f)


# click's own texts for --help, --version and a file option's name, given instead of looked
# up: each lookup (gettext) looks for message catalogues on disk, and the first imports
# locale; a check made five, about 1.5 ms of a 100-entry check (start-up is benchmarked).
HELP_TEXT = "Show this message and exit."
VERSION_TEXT = "Show the version and exit."


class FilePath(click.ParamType):  # type: ignore[type-arg]  # (generic from click 8.5 only)
    """A file option's value, checked as ``click.Path(dir_okay=False)`` checks it (a path
    that is there must not be a directory and must be readable) with click's messages, and
    named "file" as click names it. Written here because click.Path looks its texts up in
    gettext when it is made, at import, and start-up is benchmarked."""

    name = "file"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            is_dir = stat.S_ISDIR(os.stat(value).st_mode)
        except OSError:
            return value  # (not there: the run says so, as with click.Path)
        shown = click.format_filename(value)
        if is_dir:
            self.fail(f"File {shown!r} is a directory.", param, ctx)
        if not os.access(value, os.R_OK):
            self.fail(f"File {shown!r} is not readable.", param, ctx)
        return value

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[click.shell_completion.CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(incomplete, type="file")]


def file_type() -> FilePath:
    """The type of a file option (``FilePath``)."""
    return FilePath()


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """click's --help: the help page, then exit."""
    if value and not ctx.resilient_parsing:
        click.echo(ctx.get_help(), color=ctx.color)
        ctx.exit()


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    """What click's ``get_help_option`` makes (once, after the parameters), its text given."""
    names = command.get_help_option_names(ctx)
    if not names or not command.add_help_option:
        return None
    made: click.Option | None = command.__dict__.get("_listlint_help")
    if made is None:
        made = click.Option(
            [*names, "_click_default_help"],  # (click's own name for it, never a value)
            is_flag=True,
            expose_value=False,
            is_eager=True,
            help=HELP_TEXT,
            callback=_show_help,
        )
        command.__dict__["_listlint_help"] = made
    return made


class Command(click.Command):
    """A click command whose --help option is made without looking its text up."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)


class Group(click.Group):
    """A click group whose --help option is made without looking its text up."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """click's own --version (made when it is asked for: its help text is looked up)."""
    if not value or ctx.resilient_parsing:
        return

    def target() -> None:
        pass

    click.version_option(
        None,
        "-V",
        "--version",
        package_name="listlint",
        prog_name="listlint",
        message="%(prog)s, version %(version)s",
        help=VERSION_TEXT,
    )(target)
    version: click.Option = target.__click_params__[0]  # type: ignore[attr-defined]
    assert version.callback is not None
    version.callback(ctx, param, value)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-V",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    help=VERSION_TEXT,
    callback=_show_version,
)
def cli() -> None:
    """Lint and fix curated Markdown resource lists."""


class _Commands(MutableMapping[str, click.Command]):
    """The subcommands, each defined (its options built) when it is first looked up: a
    check does not build the options of fix, links or the server (start-up is benchmarked)."""

    def __init__(self, makers: dict[str, Callable[[], click.Command]]) -> None:
        self._makers = makers
        self._made: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        made = self._made.get(name)
        if made is None:
            made = self._made[name] = self._makers[name]()
        return made

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._makers[name] = lambda: command
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._makers[name]
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _check_command() -> click.Command:
    @click.command(cls=Command)
    @click.argument("paths", nargs=-1)
    @click.option("--fix", "apply_fixes", is_flag=True, help="Apply fixes, as `listlint fix` does.")
    @click.option("--diff", is_flag=True, help="With --fix: print a unified diff, write nothing.")
    @click.option("--unsafe-fixes", is_flag=True, help="With --fix: also apply unsafe fixes.")
    @click.option(
        "--add-suppressions",
        is_flag=True,
        help="Write a suppression comment for every problem found, so that the list passes as "
        "it stands and new entries are checked (for adopting listlint on a large list).",
    )
    @common_options
    @_jobs_option
    def check(
        paths: tuple[str, ...],
        apply_fixes: bool,
        diff: bool,
        unsafe_fixes: bool,
        add_suppressions: bool,
        jobs: int | None,
        **kw: Any,
    ) -> int:
        """Report problems in PATHS (files, folders, or - for standard input)."""
        if (diff or unsafe_fixes) and not apply_fixes:
            raise click.UsageError("--diff and --unsafe-fixes go with --fix (or `listlint fix`)")
        if add_suppressions and apply_fixes:
            raise click.UsageError("--add-suppressions and --fix cannot be combined")
        mode = "suppress" if add_suppressions else "check"
        if apply_fixes:
            mode = "diff" if diff else "fix"
        return _run(_common(kw), paths, Run(mode, unsafe_fixes, _cpus(jobs)))

    return check


def _fix_command() -> click.Command:
    @click.command(cls=Command)
    @click.argument("paths", nargs=-1)
    @click.option("--diff", is_flag=True, help="Print a unified diff instead of writing files.")
    @click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change rendering.")
    @common_options
    @_jobs_option
    def fix(
        paths: tuple[str, ...], diff: bool, unsafe_fixes: bool, jobs: int | None, **kw: Any
    ) -> int:
        """Apply fixes to PATHS and report what remains (- reads stdin, writes stdout)."""
        return _run(_common(kw), paths, Run("diff" if diff else "fix", unsafe_fixes, _cpus(jobs)))

    return fix


def _cpus(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


def _elsewhere(name: str) -> Callable[[], click.Command]:
    """The maker of a subcommand defined in ``listlint.commands``, imported when it runs."""

    def make() -> click.Command:
        from listlint import commands

        command: click.Command = getattr(commands, name)()
        return command

    return make


cli.commands = _Commands(
    {
        "check": _check_command,
        "fix": _fix_command,
        "rules": _elsewhere("rules_command"),
        "rule": _elsewhere("rule_command"),
        "links": _elsewhere("links_command"),
        "server": _elsewhere("server_command"),
    }
)


def console() -> None:
    """The console script: ``main``, then a hard exit.

    A large run leaves hundreds of thousands of parser tokens behind; freeing them one by
    one at interpreter shutdown costs a third of a second for nothing (mypy does the same).
    """
    code = main()
    from listlint import lazyre

    lazyre.keep_compiled()  # for the next run's start-up (only what is new is written)
    for stream in (sys.stdout, sys.stderr):
        # A language server's stdout is closed by the time it returns.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    # The cyclic garbage collector finds nothing to free in a lint run (tokens form no
    # cycles) but walks the growing heap again and again; pause it for the run.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if gc_was_enabled:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        with cli.make_context("listlint", args) as ctx:
            rv = cli.invoke(ctx)
    except KeyboardInterrupt:
        # Ctrl-C: one line and the shell's code for SIGINT (128 + 2); files are written
        # atomically and workers are stopped, so nothing is left half-done.
        click.echo("Aborted.", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return rv if isinstance(rv, int) else 0
