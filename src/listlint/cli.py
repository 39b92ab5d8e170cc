"""Command line: a thin click adapter around ``main(argv) -> int``.

Exit codes: 0 no problem, 1 problems remain, 2 usage, configuration or input error (reported
after every other file has been processed).
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from collections.abc import MutableMapping
from typing import TYPE_CHECKING, Any

import click

from listlint.session import (
    OUTPUT_FORMATS,
    Common,
    Run,
    cpus,
    execute,
    finish,
    quick_main,
    split_selectors,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence


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
        select=split_selectors(kw.pop("select")),
        extend_select=split_selectors(kw.pop("extend_select")),
        ignore=split_selectors(kw.pop("ignore")),
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
        return execute(_common(kw), paths, Run(mode, unsafe_fixes, cpus(jobs)))

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
        return execute(_common(kw), paths, Run("diff" if diff else "fix", unsafe_fixes, cpus(jobs)))

    return fix


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
    """The console script: ``main``, then a hard exit (``listlint.session.finish``)."""
    finish(main())


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
    code = quick_main(args)  # the common command lines, parsed without click's parser
    if code is not None:
        return code
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
