"""Command line: a thin click adapter around ``main(argv) -> int``.

Exit codes: 0 no problem, 1 problems remain, 2 usage, configuration or input error (reported
after every other file has been processed).
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.registry import Rule
    from listlint.runner import InputError, Job, Outcome

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
            type=click.Path(dir_okay=False),
            default=None,
            help="Configuration file (default: nearest listlint.toml, .listlint.toml "
            "or pyproject.toml with [tool.listlint]).",
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
        click.option("--color/--no-color", default=None, help="Colour (default: on a terminal)."),
        click.option(
            "--output-file",
            type=click.Path(dir_okay=False),
            default=None,
            help="Write the report to this file; the terminal gets the summary.",
        ),
        click.option("--statistics", is_flag=True, help="Print how many findings each rule has."),
        click.option("--show-fixes", is_flag=True, help="List what the available fixes change."),
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
    )


def _setup(common: Common, unsafe: bool = False) -> tuple[Job, tuple[str, ...]]:
    from listlint.api import load_job

    job, config = load_job(
        Path.cwd(),
        config_file=common.config,
        select=common.select,
        extend_select=common.extend_select,
        ignore=common.ignore,
        unsafe=unsafe,
        cache=not common.no_cache,
    )
    return job, config.exclude


def _echo(text: str, err: bool = False) -> None:
    if text:
        click.echo(text, nl=False, err=err)


def _report(
    common: Common, job: Job, outcomes: Sequence[Outcome], fixing: bool, to_stderr: bool
) -> int:
    from listlint.report import Context, render
    from listlint.report.text import summary

    diagnostics = [d for o in outcomes for d in o.diagnostics]
    errors = [e for o in outcomes for e in o.errors]
    color = common.color if common.color is not None else sys.stdout.isatty()
    context = Context(
        job.rules,
        color and not to_stderr and not common.output_file,
        [o.path for o in outcomes if not o.errors],
    )
    report = render(common.output_format, diagnostics, context)
    if common.output_file:
        try:
            Path(common.output_file).write_text(report, encoding="utf-8")
        except OSError as exc:
            errors.append(f"{common.output_file}: cannot write the report: {exc.strerror}")
    else:
        _echo(report, err=to_stderr)
    textual = common.output_format in ("text", "concise", "full") or common.output_file
    if common.show_fixes:
        _echo(_fixes(diagnostics), err=to_stderr)
    if common.statistics:
        _echo(_statistics(diagnostics), err=to_stderr)
    if textual and not common.quiet:
        safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "safe")
        unsafe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "unsafe")
        fixed = sum(o.fixed for o in outcomes) if fixing else 0
        _echo(summary(len(diagnostics), safe, unsafe, fixed) + "\n", err=to_stderr)
    for e in errors:
        click.echo(f"error: {e}", err=True)
    if errors:
        return 2
    return 1 if diagnostics and not common.exit_zero else 0


def _statistics(diagnostics: Sequence[Diagnostic]) -> str:
    counts: dict[tuple[str, str], list[int]] = {}
    for d in diagnostics:
        row = counts.setdefault((d.code, d.rule), [0, 0])
        row[0] += 1
        row[1] += d.fix is not None
    lines = [
        f"{n:>6}  {code}  {rule}" + (f"  ({fixable} fixable)" if fixable else "")
        for (code, rule), (n, fixable) in sorted(counts.items(), key=lambda kv: -kv[1][0])
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def _fixes(diagnostics: Sequence[Diagnostic]) -> str:
    out = []
    for d in diagnostics:
        if d.fix is None:
            continue
        out.append(f"{d.path}:{d.line}:{d.column}: {d.code} {d.fix.title} ({d.fix.applicability})")
        for e in d.fix.edits:
            shown = e.replacement if len(e.replacement) <= 80 else e.replacement[:77] + "..."
            out.append(f"    chars {e.start}-{e.end} -> {shown!r}")
    return "\n".join(out) + ("\n" if out else "")


def _run(
    common: Common,
    paths: tuple[str, ...],
    fixing: bool,
    unsafe: bool,
    diff: bool,
    jobs: int,
    suppress: bool = False,
) -> int:
    from listlint.api import SetupError
    from listlint.runner import STDIN, cross_file, process_all

    try:
        job, exclude = _setup(common, unsafe)
    except SetupError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    outcomes: list[Outcome] = []
    items = collect_items(paths, exclude)
    mode = "diff" if diff else "fix" if fixing else "suppress" if suppress else "check"
    for outcome in process_all(items, job, mode, jobs):
        outcomes.append(outcome)
        _echo(outcome.output)
    cross_file(outcomes, job)
    if common.diff_base:
        from listlint.changes import DiffBaseError

        try:
            _only_changed(outcomes, job, common.diff_base)
        except DiffBaseError as exc:
            click.echo(f"error: {exc}", err=True)
            return 2
    to_stderr = diff or ((fixing or suppress) and STDIN in items)
    if suppress and not common.quiet:
        added = sum(o.fixed for o in outcomes)
        files = sum(1 for o in outcomes if o.new_text is not None)
        _echo(
            f"Suppressed {added} problem{'s' if added != 1 else ''} with comments in "
            f"{files} file{'s' if files != 1 else ''}.\n",
            err=to_stderr,
        )
    return _report(common, job, outcomes, fixing, to_stderr=to_stderr)


def _only_changed(outcomes: Sequence[Outcome], job: Job, base: str) -> None:
    from listlint.changes import only_changed, verify_base
    from listlint.lint import lint_text

    verify_base(base, Path.cwd())
    for o in outcomes:
        if o.errors or o.path == "<stdin>":
            continue

        def lint_base(text: str, path: str = o.path) -> list[Diagnostic]:
            return lint_text(text, job.rules, job.options, path).diagnostics

        o.diagnostics = only_changed(o.diagnostics, o.path, base, lint_base)


def collect_items(paths: tuple[str, ...], exclude: tuple[str, ...]) -> list[str | InputError]:
    from listlint.runner import collect

    return list(collect(paths or (".",), exclude))


def _jobs_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-j",
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        help="Processes to spread files over (default: the number of CPUs).",
    )(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="listlint", prog_name="listlint")
def cli() -> None:
    """Lint and fix curated Markdown resource lists."""


@cli.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--add-suppressions",
    is_flag=True,
    help="Write a suppression comment for every problem found, so that the list passes as "
    "it stands and new entries are checked (for adopting listlint on a large list).",
)
@common_options
@_jobs_option
def check(paths: tuple[str, ...], add_suppressions: bool, jobs: int | None, **kw: Any) -> int:
    """Report problems in PATHS (files, folders, or - for standard input)."""
    return _run(
        _common(kw),
        paths,
        fixing=False,
        unsafe=False,
        diff=False,
        jobs=_cpus(jobs),
        suppress=add_suppressions,
    )


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--diff", is_flag=True, help="Print a unified diff instead of writing files.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change rendering.")
@common_options
@_jobs_option
def fix(paths: tuple[str, ...], diff: bool, unsafe_fixes: bool, jobs: int | None, **kw: Any) -> int:
    """Apply fixes to PATHS and report what remains (- reads stdin, writes stdout)."""
    return _run(_common(kw), paths, fixing=True, unsafe=unsafe_fixes, diff=diff, jobs=_cpus(jobs))


def _cpus(jobs: int | None) -> int:
    return jobs or os.cpu_count() or 1


@cli.command(name="rules")
@click.option("--markdown", is_flag=True, help="Print a Markdown table (as in the README).")
def list_rules(markdown: bool) -> int:
    """List every rule: code, name, fix, default, summary."""
    rules = _rules_or_none()
    if rules is None:
        return 2
    if markdown:
        click.echo("| Code | Name | Fix | Default | Summary |\n| --- | --- | --- | --- | --- |")
        for r in rules:
            click.echo(
                f"| {r.code} | [{r.name}](rules/{r.name}.md) | {r.fix} | "
                f"{'yes' if r.default else 'no'} | {r.summary} |"
            )
        return 0
    width = max(len(r.name) for r in rules)
    click.echo(f"{'code':<6} {'name':<{width}} {'fix':<9} {'default':<7} summary")
    for r in rules:
        click.echo(
            f"{r.code:<6} {r.name:<{width}} {r.fix:<9} {'yes' if r.default else 'no':<7} "
            f"{r.summary}"
        )
    return 0


@cli.command(name="rule")
@click.argument("name")
def show_rule(name: str) -> int:
    """Print the documentation of rule NAME (a name or a code)."""
    from listlint.registry import find
    from listlint.ruledocs import rule_doc

    rules = _rules_or_none()
    if rules is None:
        return 2
    rule = find(rules, name)
    if rule is None:
        click.echo(f"error: no rule named {name!r} (see `listlint rules`)", err=True)
        return 2
    click.echo(rule_doc(rule.name) or f"{rule.code} {rule.name}: {rule.summary}\n", nl=False)
    return 0


@cli.command()
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the only transport; editors pass it).",
)
def server(stdio: bool) -> int:
    """Run the language server for editors (LSP over standard input and output)."""
    from listlint.server import run

    return run()


def _rules_or_none() -> list[Rule] | None:
    from listlint.config import ConfigError, find_config, load_config
    from listlint.registry import RuleError, load_rules

    try:
        return load_rules(load_config(find_config(Path.cwd())).plugins)
    except (ConfigError, RuleError) as exc:
        click.echo(f"error: {exc}", err=True)
        return None


def console() -> None:
    """The console script: ``main``, then a hard exit.

    A large run leaves hundreds of thousands of parser tokens behind; freeing them one by
    one at interpreter shutdown costs a third of a second for nothing (mypy does the same).
    """
    code = main()
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
    try:
        rv = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="listlint",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return rv if isinstance(rv, int) else 0
