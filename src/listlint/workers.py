"""Files spread over worker processes (``listlint.runner.process_planned`` with several
files and jobs): imported only then (start-up is benchmarked)."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Any

from listlint.document import Document
from listlint.lint import lint_text
from listlint.runner import InputError, Job, Outcome, process, read

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Sequence


def process_pooled(
    planned: Sequence[tuple[str | InputError, Job]],
    mode: str,
    jobs: int,
    stdin_name: str = "<stdin>",
) -> Generator[Outcome, None, None]:
    """``process_planned`` over worker processes (several files, none of them stdin)."""
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
