"""``listlint links``: read the files, ask the network once per distinct URL, report.

The run: configuration and rules through ``listlint.api.load_job`` (the rules marked
ONLINE); files as ``check`` finds them; the URLs of each document from its links view
(``--diff-base``: only those on changed lines); answers from the cache when fresh, from
the network otherwise; verdicts; then the verdict rules through ``lint_text`` (suppression
comments apply) or ``fix_text`` with the engine's atomic write (``--fix``, ``--diff``).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from listlint.links.settings import Settings, SettingsError, load
from listlint.links.targets import Target, targets

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from listlint.api import JobFinder
    from listlint.diagnostic import Diagnostic
    from listlint.document import Document
    from listlint.links.githubapi import Repo
    from listlint.links.requests import Probe
    from listlint.links.verdict import Verdict
    from listlint.runner import Job

INSTALL_HINT = (
    "listlint links needs the optional HTTP client (aiohttp): install listlint with its "
    "'links' extra (in a clone: pip install '.[links]')"
)


class Options(NamedTuple):
    """The command line of ``listlint links``."""

    paths: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None
    output_format: str = "text"
    output_file: str | None = None
    diff_base: str | None = None
    exit_zero: bool = False
    quiet: bool = False
    strict: bool = False
    fix: bool = False
    diff: bool = False
    no_cache: bool = False
    refresh: bool = False
    color: bool | None = None
    max_age: float | None = None


@dataclass
class _File:
    item: str  # as named (``-`` for standard input)
    name: str  # as reported
    text: str
    original: bytes
    targets: list[Target]
    changed: set[int] | None  # 1-based lines kept by --diff-base (None: all)
    job: Job  # the rules of the configuration nearest the file
    doc: Document | None  # the parse, kept for the report (None when fixing)


@dataclass
class Stats:
    links: int = 0
    urls: int = 0
    from_cache: int = 0
    requests: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    redirected: int = 0
    seconds: float = 0.0


def main(opts: Options, environ: Mapping[str, str] | None = None) -> int:
    """Run the command; return the exit code (0 clean, 1 findings, 2 errors)."""
    from listlint.links.tls import no_ca_loading

    try:
        with no_ca_loading():  # every request brings its own context (tls.py)
            import aiohttp  # noqa: F401
    except ImportError:
        _err(f"error: {INSTALL_HINT}")
        return 2
    env = os.environ if environ is None else environ
    started = time.monotonic()
    from listlint.api import JobFinder, SetupError

    try:
        # Each file gets the configuration nearest it (rules, per-file-ignores, exclude);
        # the network settings are the run's: those of the configuration nearest here.
        finder = JobFinder(
            config_file=opts.config, select=opts.select, ignore=opts.ignore, online=True
        )
        job, config = finder.for_folder(Path.cwd())
        in_pyproject = config.source is not None and config.source.name == "pyproject.toml"
        prefix = "tool.listlint." if in_pyproject else ""
        settings = load(config.links, config.where, prefix)
    except (SetupError, SettingsError) as exc:
        return _unusable(opts, str(exc))
    from listlint.links.requests import Proxies, ProxyError

    try:
        Proxies(settings.proxy, env)  # a proxy URL that cannot be used stops the run here
    except ProxyError as exc:
        return _unusable(opts, str(exc))
    if opts.max_age is not None:
        from dataclasses import replace

        settings = replace(settings, max_age=opts.max_age)
    if opts.diff_base:
        from listlint.changes import DiffBaseError, verify_base

        try:
            verify_base(opts.diff_base, Path.cwd())
        except DiffBaseError as exc:
            _err(f"error: {exc}")
            return 2
    errors: list[tuple[str, str]] = []  # (the file it names or "", the message)
    files = _read_files(opts, finder, settings, errors)
    if not files and not errors:
        _err("warning: no Markdown file found (nothing was checked)")
    root = config.root or Path.cwd()
    stats = Stats(seconds=0.0)
    table = _verdicts(files, settings, env, opts, root / ".listlint_cache", stats)
    stats.seconds = time.monotonic() - started
    return _report(opts, job, files, table, settings, stats, errors)


def max_age(text: str | None) -> float | None:
    """``--max-age``: seconds or a duration (``12h``, ``1d``); ValueError when neither."""
    if text is None:
        return None
    from listlint.links.settings import parse_duration

    try:
        return parse_duration(text)
    except SettingsError as exc:
        raise ValueError(str(exc)) from None


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


def _error(path: str, message: str) -> tuple[str, str]:
    """An input error as the reports take it: (the file, when the message names it, else
    "", the message), as ``check`` gives them to the report formats."""
    return (path if path and message.startswith(f"{path}:") else "", message)


def _config_error(message: str, names: Sequence[str] = ()) -> tuple[str, str]:
    """A configuration that cannot be used (and the files it governs, not checked), named
    by the configuration file when the message starts with it, relative to here."""
    where, _, rest = message.partition(": ")
    path = where if rest and Path(where).is_file() else ""
    if path and Path(path).is_absolute() and Path(path).is_relative_to(Path.cwd()):
        path = str(Path(path).relative_to(Path.cwd()))
        message = f"{path}: {rest}"
    if names:
        n = len(names)
        shown = ", ".join(names[:3]) + (f" and {n - 3} more" if n > 3 else "")
        message += f" ({n} file{'s' if n != 1 else ''} not checked: {shown})"
    return path, message


def _unusable(opts: Options, message: str) -> int:
    """The run's configuration cannot be used: one line, exit 2; a machine-readable report
    still comes out, holding the input-error record (as ``check``'s does)."""
    error = _config_error(message)
    _err(f"error: {error[1]}")
    if opts.output_format not in ("text", "concise", "full"):
        from listlint.report import Context, render

        report = render(opts.output_format, [], Context(errors=[error]))
        if opts.output_file:
            try:
                Path(opts.output_file).write_text(report, encoding="utf-8")
            except OSError as exc:
                _err(f"error: {opts.output_file}: cannot write the report: {exc.strerror}")
        else:
            sys.stdout.write(report)
    return 2


def _read_files(
    opts: Options, finder: JobFinder, settings: Settings, errors: list[tuple[str, str]]
) -> list[_File]:
    from listlint.api import SetupError
    from listlint.discover import collect, matches_exclude
    from listlint.document import Document
    from listlint.runner import STDIN, InputError, display_name, read

    def excluded(path: Path) -> bool:
        try:
            _, config = finder.for_file(path)
        except SetupError:
            return False  # reported below, with the files it governs
        return matches_exclude(path, config.exclude, config.root or Path.cwd())

    # A configuration that cannot be used stops only the files it governs (as in check).
    not_checked: dict[str, list[str]] = {}
    files = []
    for item in collect(opts.paths or (".",), excluded):
        if isinstance(item, InputError):
            errors.append(_error(item.path, str(item)))
            continue
        name = display_name(item)
        try:
            found_job = finder.for_folder(Path.cwd()) if item == STDIN else finder.for_file(item)
        except SetupError as exc:
            not_checked.setdefault(str(exc), []).append(name)
            continue
        try:
            text, original = read(item)
        except InputError as exc:
            errors.append(_error(exc.path or name, str(exc)))
            continue
        changed = None
        if opts.diff_base and item != STDIN:
            from listlint.changes import changed_lines

            changed = changed_lines(item, opts.diff_base)
        doc = Document(text, name)
        found = [t for t in targets(doc, settings) if changed is None or t.link.line + 1 in changed]
        kept: Document | None = doc
        if opts.fix or opts.diff:
            doc.release()  # fix_text parses each text again as it changes it
            kept = None
        job = found_job[0].for_file(name)
        files.append(_File(item, name, text, original, found, changed, job, kept))
    errors += [_config_error(message, names) for message, names in not_checked.items()]
    return files


# -- asking ------------------------------------------------------------------------------


def _verdicts(
    files: Sequence[_File],
    settings: Settings,
    env: Mapping[str, str],
    opts: Options,
    cache_folder: Path,
    stats: Stats,
) -> dict[str, tuple[Verdict, ...]]:
    from listlint.links.githubapi import repo_of
    from listlint.links.requests import Probe
    from listlint.links.store import Store
    from listlint.links.verdict import judge, outcome

    written: dict[str, tuple[str, str]] = {}  # URL as written -> (request key, fragment)
    want_anchors: set[str] = set()
    for f in files:
        for t in f.targets:
            stats.links += 1
            written[t.link.url] = (t.key, t.fragment)
            if t.fragment and settings.check_fragments:
                want_anchors.add(t.key)
    keys = sorted({k for k, _ in written.values()})
    stats.urls = len(keys)
    store = Store(None if opts.no_cache else cache_folder)
    if store.warning:
        _err(f"warning: {store.warning}")
    now = time.time()
    rows = store.urls(keys)
    # Failures are asked again every run, with GET first: a dead HEAD answer would need
    # GET to confirm it, and a page back to life answers GET as well as HEAD.
    failed = {key for key, row in rows.items() if row.outcome != "alive"}
    probes: dict[str, Probe] = {}
    for key, row in rows.items():
        if opts.refresh or row.outcome != "alive" or now - row.checked > settings.max_age:
            continue
        probe = Probe.from_json(row.answer)
        if key in want_anchors and probe.anchors is None:
            continue
        probes[key] = probe
    stats.from_cache = len(probes)
    # GitHub repositories through the API, with a token.
    token = env.get(settings.github_token_env, "")
    repos: dict[str, Repo] = {}
    if token:
        for key in keys:
            repo = repo_of(key)
            if repo is not None:
                repos[key] = repo
    repo_answers: dict[str, dict[str, Any]] = {}
    if repos:
        names = {r.key for r in repos.values()}
        for name, (checked, answer) in store.repos(names).items():
            fresh_enough = now - checked <= settings.max_age
            if not opts.refresh and answer.get("status") == 200 and fresh_enough:
                repo_answers[name] = answer
    # What the API answers makes an HTTP request unnecessary: the repository itself, and
    # any page of a repository that is missing, moved or not asked for the rate limit.
    todo = [k for k in keys if k not in probes]
    client_requests, fresh, api = asyncio.run(
        _ask(todo, repos, repo_answers, want_anchors, failed, settings, env, opts, token)
    )
    stats.requests = client_requests
    repo_answers.update(api)
    store.record_repos({n: a for n, a in api.items() if a.get("status") in (200, 404)})
    probes.update(fresh)
    recorded = store.record({k: (outcome(p, settings), p.to_json()) for k, p in fresh.items()})
    if store.warning:
        _err(f"warning: {store.warning}")
    store.close()
    for p in probes.values():
        kind = outcome(p, settings)
        stats.outcomes[kind] = stats.outcomes.get(kind, 0) + 1
    table: dict[str, tuple[Verdict, ...]] = {}
    redirected: set[str] = set()
    for url, (key, fragment) in written.items():
        found: list[Verdict] = []
        repo = repos.get(key)
        covered = False
        if repo is not None and repo.key in repo_answers:
            found, covered = _repo_verdicts(url, repo, repo_answers[repo.key])
        seen = probes.get(key)
        if seen is not None and not covered:
            last = recorded.get(key) or rows.get(key)
            streak = last.streak if last is not None else 0
            history = last.history if last is not None else ""
            found += judge(seen, settings, fragment, streak, history)
        if any(v.rule == "link-redirect" for v in found):
            redirected.add(key)
        if found:
            table[url] = tuple(found)
    stats.redirected = len(redirected)
    return table


def _repo_verdicts(url: str, repo: Repo, answer: Mapping[str, Any]) -> tuple[list[Verdict], bool]:
    """The API's verdicts on ``url``, and whether they make its HTTP answer irrelevant."""
    from listlint.links.githubapi import moved_url
    from listlint.links.verdict import Verdict

    name = f"{repo.owner}/{repo.name}"
    status = answer.get("status")
    if status in (404, 451):
        return [
            Verdict(
                "link-dead", f"dead link: GitHub repository {name} does not exist (or is private)"
            )
        ], True
    if status == "limited":
        reset = time.strftime("%H:%M UTC", time.gmtime(float(answer.get("reset", 0))))
        message = f"GitHub API rate limit reached (resets at {reset}): {name} not checked"
        return [Verdict("link-unverifiable", message)], True
    if status != 200:
        return [], False
    out = []
    full = str(answer.get("full_name", name))
    if answer.get("archived"):
        out.append(Verdict("github-archived", f"GitHub repository {full} is archived (read-only)"))
    moved = full.lower() != name.lower()
    if moved:
        new = moved_url(url, repo, full)
        out.append(
            Verdict(
                "link-redirect",
                f"GitHub repository {name} moved to {full}: update the link",
                fix_url=new,
            )
        )
    return out, moved or repo.is_root


async def _ask(
    keys: Sequence[str],
    repos: Mapping[str, Repo],
    repo_answers: Mapping[str, dict[str, Any]],
    want_anchors: set[str],
    failed: set[str],
    settings: Settings,
    env: Mapping[str, str],
    opts: Options,
    token: str,
) -> tuple[int, dict[str, Probe], dict[str, dict[str, Any]]]:
    from listlint.links.githubapi import ask
    from listlint.links.requests import Client

    api: dict[str, dict[str, Any]] = {}
    unknown = {
        repos[k].key: f"{repos[k].owner}/{repos[k].name}"
        for k in keys
        if k in repos and repos[k].key not in repo_answers
    }
    answers = dict(repo_answers)

    def needs_http(key: str) -> bool:
        repo = repos.get(key)
        if repo is None or repo.key not in answers:
            return True
        a = answers[repo.key]
        if a.get("status") != 200:
            return a.get("status") == "error"
        return not repo.is_root and a.get("full_name", "").lower() == repo.key

    # What the API will answer for is asked after it; everything else at once, while the
    # API is being asked.
    now = [k for k in keys if not (k in repos and repos[k].key in unknown) and needs_http(k)]
    later = [k for k in keys if k in repos and repos[k].key in unknown]
    fresh: dict[str, Probe] = {}
    async with Client(settings, env) as client:
        for missing in client.missing_env:
            _err(f"warning: environment variable {missing} is not set")
        total = len(now) + len(later)
        progress = _Progress(client, total) if _show_progress(opts) else None
        ticker = asyncio.ensure_future(progress.run()) if progress else None

        async def one(key: str) -> None:
            fresh[key] = await client.probe(
                key, anchors=key in want_anchors, get_first=key in failed
            )
            if progress is not None:
                progress.done += 1

        async def github() -> None:
            api.update(await ask(unknown, settings, token, settings.user_agent, env, client.tls))
            limited = [a for a in api.values() if a.get("status") == "limited"]
            if limited:
                reset = time.strftime("%H:%M UTC", time.gmtime(float(limited[0]["reset"])))
                _err(
                    f"warning: GitHub API rate limit reached (resets at {reset}); "
                    f"{len(limited)} repositories not checked"
                )
            answers.update(api)
            asked = [k for k in later if needs_http(k)]
            if progress is not None:
                progress.total -= len(later) - len(asked)
            await asyncio.gather(*(one(k) for k in asked))

        try:
            await asyncio.gather(*(one(k) for k in now), *([github()] if unknown else ()))
        finally:
            if ticker is not None and progress is not None:
                ticker.cancel()
                progress.clear()
        return client.requests, fresh, api


def _show_progress(opts: Options) -> bool:
    return not opts.quiet and sys.stderr.isatty()


class _Progress:
    """One line on standard error: URLs done of the total, hosts being waited on."""

    def __init__(self, client: Any, total: int, stream: TextIO | None = None) -> None:
        self.client = client
        self.total = total
        self.done = 0
        self.stream = stream or sys.stderr

    def line(self) -> str:
        waiting = sorted(
            ((h.waiting, name) for name, h in self.client.hosts.items() if h.waiting),
            reverse=True,
        )[:3]
        hosts = ", ".join(f"{name} ({n})" for n, name in waiting)
        return f"{self.done}/{self.total} URLs checked" + (f"; waiting on {hosts}" if hosts else "")

    async def run(self) -> None:
        while True:
            self.stream.write("\r\x1b[K" + self.line()[:200])
            self.stream.flush()
            await asyncio.sleep(0.2)

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


# -- reporting -----------------------------------------------------------------------------


def _report(
    opts: Options,
    job: Job,
    files: Sequence[_File],
    table: Mapping[str, tuple[Verdict, ...]],
    settings: Settings,
    stats: Stats,
    errors: list[tuple[str, str]],
) -> int:
    from listlint.api import fix_text, lint_document, lint_text
    from listlint.links.verdict import CURRENT, Table
    from listlint.report import Context, render
    from listlint.report.text import summary
    from listlint.runner import STDIN, InputError, unified_diff, write_atomic

    diagnostics: list[Diagnostic] = []
    fixed = 0
    fixing = opts.fix or opts.diff
    out = sys.stdout
    token = CURRENT.set(Table(table, settings.images))
    try:
        for f in files:
            if fixing:
                result = fix_text(f.text, f.job, f.name)
                errors += [_error(f.name, e) for e in result.errors]
                found = result.diagnostics
                new = result.new_text
                if new is not None and not result.errors:
                    fixed += result.fixed
                    if opts.diff:
                        out.write(unified_diff(f.text, new, f.name))
                    elif f.item == STDIN:
                        out.write(new)
                    else:
                        try:
                            write_atomic(f.item, new, f.original)
                        except InputError as exc:
                            errors.append(_error(f.name, str(exc)))
                elif f.item == STDIN and not opts.diff:
                    out.write(f.text)
            else:
                lint = (
                    lint_document(f.doc, f.job)
                    if f.doc is not None
                    else lint_text(f.text, f.job, f.name)
                )
                errors += [_error(f.name, e) for e in lint.errors]
                found = lint.diagnostics
            if f.changed is not None:
                lines = f.changed
                found = [d for d in found if any(n in lines for n in range(d.line, d.end_line + 1))]
            diagnostics += found
    finally:
        CURRENT.reset(token)
    to_stderr = opts.diff or (opts.fix and any(f.item == STDIN for f in files))
    color = opts.color if opts.color is not None else sys.stdout.isatty()
    # Input errors go into the machine-readable reports too (LL000 input-error records),
    # as in check's.
    context = Context(
        job.rules,
        color and not to_stderr and not opts.output_file,
        [f.name for f in files],
        list(errors),
    )
    report = render(opts.output_format, diagnostics, context)
    stream = sys.stderr if to_stderr else sys.stdout
    if opts.output_file:
        try:
            Path(opts.output_file).write_text(report, encoding="utf-8")
        except OSError as exc:
            errors.append(("", f"{opts.output_file}: cannot write the report: {exc.strerror}"))
    elif report:
        stream.write(report)
    textual = opts.output_format in ("text", "concise", "full") or opts.output_file
    if textual and not opts.quiet:
        safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "safe")
        unsafe = sum(1 for d in diagnostics if d.fix and d.fix.applicability == "unsafe")
        stream.write(closing(stats) + "\n")
        line = summary(len(diagnostics), safe, unsafe, fixed)
        if errors:  # "No problems found." would hide that something was not checked
            line += f" {len(errors)} error{'s' if len(errors) != 1 else ''} (below)."
        stream.write(line + "\n")
    stream.flush()
    for _, e in errors:
        _err(f"error: {e}")
    if errors:
        return 2
    failing = [d for d in diagnostics if opts.strict or d.rule != "link-unverifiable"]
    return 1 if failing and not opts.exit_zero else 0


def closing(stats: Stats) -> str:
    """The closing summary: what was checked, what it came to, how long it took."""
    o = stats.outcomes
    links = f"{stats.links} link{'s' if stats.links != 1 else ''}"
    urls = f"{stats.urls} URL{'s' if stats.urls != 1 else ''}"
    return (
        f"Checked {links} ({urls}, {stats.from_cache} from cache, {stats.requests} requests) "
        f"in {stats.seconds:.1f} s: {o.get('alive', 0)} alive, {o.get('dead', 0)} dead, "
        f"{stats.redirected} redirected, {o.get('unverifiable', 0)} unverifiable."
    )
