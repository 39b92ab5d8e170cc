"""The subcommands besides check and fix (rules, rule, links, server): defined here and
imported when one of them runs, so that a check does not load them (start-up is
benchmarked). ``listlint.cli`` holds the group they belong to.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from listlint.cli import Command, file_type
from listlint.session import OUTPUT_FORMATS, _named_from_here, split_selectors

if TYPE_CHECKING:
    from listlint.registry import Rule


def rules_command() -> click.Command:
    @click.command(cls=Command, name="rules")
    @click.option("--markdown", is_flag=True, help="Print a Markdown table (as in the README).")
    @click.option(
        "--output-format",
        type=click.Choice(("text", "json")),
        default="text",
        show_default=True,
        help="A table, or a JSON array of the rules.",
    )
    def list_rules(markdown: bool, output_format: str) -> int:
        """List every rule: code, name, fix, default, summary."""
        rules = _rules_or_none()
        if rules is None:
            return 2
        if output_format == "json":
            import json

            rows = [
                {
                    "code": r.code,
                    "name": r.name,
                    "summary": r.summary,
                    "fix": r.fix,
                    "default": r.default,  # on without being selected, in its command
                    "command": "links" if r.online else "check",  # the command that runs it
                    "severity": r.severity,
                    "origin": r.origin,
                }
                for r in rules
            ]
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return 0
        if markdown:
            click.echo("| Code | Name | Fix | Default | Summary |\n| --- | --- | --- | --- | --- |")
            for r in rules:
                click.echo(
                    f"| {r.code} | [{r.name}](rules/{r.name}.md) | {r.fix} | "
                    f"{_default(r)} | {r.summary} |"
                )
            return 0
        width = max(len(r.name) for r in rules)
        click.echo(f"{'code':<6} {'name':<{width}} {'fix':<9} {'default':<7} summary")
        for r in rules:
            click.echo(f"{r.code:<6} {r.name:<{width}} {r.fix:<9} {_default(r):<7} {r.summary}")
        return 0

    return list_rules


def _default(rule: Rule) -> str:
    """yes or no; ``links`` for the rules only ``listlint links`` runs."""
    return "links" if rule.online else "yes" if rule.default else "no"


def rule_command() -> click.Command:
    @click.command(cls=Command, name="rule")
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

    return show_rule


def links_command() -> click.Command:
    @click.command(cls=Command)
    @click.argument("paths", nargs=-1)
    @click.option("--select", multiple=True, help="Link rules to report instead of all of them.")
    @click.option("--ignore", multiple=True, help="Link rules not to report.")
    @click.option("--config", type=file_type(), default=None, help="Configuration file.")
    @click.option(
        "--output-format", type=click.Choice(OUTPUT_FORMATS), default="text", help="Report format."
    )
    @click.option("--output-file", type=file_type(), default=None, help="Report file.")
    @click.option(
        "--diff-base",
        envvar="LISTLINT_DIFF_BASE",
        default=None,
        metavar="REV",
        help="Check only the URLs on lines changed since the git commit REV.",
    )
    @click.option("--fix", is_flag=True, help="Rewrite moved links to their new URL.")
    @click.option("--diff", is_flag=True, help="Print the rewrites as a diff instead of writing.")
    @click.option("--strict", is_flag=True, help="Unverifiable links fail the run too.")
    @click.option("--no-cache", is_flag=True, help="Neither read nor write the link cache.")
    @click.option("--refresh", is_flag=True, help="Ask again about links the cache trusts.")
    @click.option(
        "--max-age", default=None, help="Trust cached successes this long (1d, 12h, 600)."
    )
    @click.option("--exit-zero", is_flag=True, help="Exit 0 even when problems are found.")
    @click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
    @click.option("--color/--no-color", default=None, help="Colour (default: on a terminal).")
    def links(paths: tuple[str, ...], **kw: Any) -> int:
        """Check the links of PATHS on the network: dead, moved, unverifiable (needs the
        'links' extra)."""
        from listlint.links.command import Options, main, max_age

        age = kw.pop("max_age")
        kw["select"], kw["ignore"] = split_selectors(kw["select"]), split_selectors(kw["ignore"])
        try:
            seconds = max_age(age)
        except ValueError as exc:
            click.echo(f"error: {exc}", err=True)
            return 2
        return main(Options(paths=paths, max_age=seconds, **kw))

    return links


def server_command() -> click.Command:
    @click.command(cls=Command)
    @click.option(
        "--stdio",
        is_flag=True,
        help="Talk over standard input and output (the only transport; editors pass it).",
    )
    def server(stdio: bool) -> int:
        """Run the language server for editors (LSP over standard input and output)."""
        from listlint.server import run

        return run()

    return server


def _rules_or_none() -> list[Rule] | None:
    from listlint.config import ConfigError, find_config, load_config
    from listlint.registry import RuleError, load_rules

    try:
        return load_rules(load_config(find_config(Path.cwd())).plugins)
    except (ConfigError, RuleError) as exc:
        click.echo(f"error: {_named_from_here(str(exc))[1]}", err=True)
        return None
