"""The language server: pygls wiring, open documents, debounced linting on a worker.

The message loop only keeps the documents' texts and schedules work; linting, fixing and
formatting run on one worker thread, in the order they were asked for, so that typing is
never blocked by a lint and a result is never computed twice at once. A lint result is
published only if the document is still at the version that was linted, and not before
DEBOUNCE after the change; a lint whose version is outdated when its turn comes is
dropped without running, and one that becomes outdated while it runs stops at its next
rule. A lint is started so that it ends when the debounce does: DEBOUNCE after the change
less the time the document's last lint took (at once for a long list).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import MsgId, RPCMessage, RPCRequest
from pygls.uris import to_fs_path

from listlint import __version__
from listlint.server import features
from listlint.server.incremental import Lints
from listlint.server.positions import Encoding, LineIndex
from listlint.server.settings import SECTION, Settings, merge, read

if TYPE_CHECKING:
    from collections.abc import Callable, Generator, Sequence

    from listlint.diagnostic import Diagnostic, Edit
    from listlint.server.features import Snapshot

T = TypeVar("T")

DEBOUNCE = 0.15  # seconds from the last change to publishing its diagnostics
# The cyclic garbage collector runs when the server is idle (and every COLLECT_EVERY lints
# at the latest), not on its own: a full collection walks every object of the documents
# kept open (120 ms for a 10,000-entry list), and started by an allocation it would land
# between a keystroke and its diagnostics. Lints make no cycles that outlive them
# (documents are released, which breaks theirs).
IDLE = 2.0
# Changes less than TYPING seconds apart are typing; typing has paused once no change came
# for PAUSE times the usual time between them (then the lint starts, if it is not due yet).
TYPING = 1.0
PAUSE = 1.5
COLLECT_EVERY = 50
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
FIX_ALL_KIND = "source.fixAll.listlint"
WATCHED = ("**/listlint.toml", "**/.listlint.toml", "**/pyproject.toml")
ENCODINGS: dict[str, Encoding] = {"utf-8": "utf-8", "utf-16": "utf-16", "utf-32": "utf-32"}
PULL_TIMEOUT = 10.0  # seconds a client has to answer workspace/configuration


class OpenDocument:
    """A document the editor has open: its current text and version."""

    def __init__(self, uri: str, text: str, version: int | None, language: str) -> None:
        self.uri = uri
        self.text = text
        self.version = version
        self.language = language
        self.path = to_fs_path(uri) if uri.startswith("file:") else None
        self.publish_after = 0.0  # monotonic time before which no lint is published
        self.changed_at = 0.0  # monotonic time of the last change
        self.gap = 0.0  # the time between changes while typing (a moving average)
        self.index: LineIndex | None = None  # of ``text``, once a change needed it

    @property
    def is_markdown(self) -> bool:
        if self.language == "markdown":
            return True
        return (self.path or self.uri).lower().endswith(MARKDOWN_SUFFIXES)


class Output:
    """pygls's writer of standard output, except that a write to an output the client has
    closed (BrokenPipeError) is not raised where it happens (a publish, the answer to a
    request: pygls logs a traceback and goes on, waiting for input that may never come),
    but says once that the connection is lost; later writes are dropped."""

    def __init__(self, writer: Any, lost: Callable[[], None]) -> None:
        self.writer = writer
        self.lost = lost
        self.closed = False

    def write(self, data: bytes) -> None:
        if self.closed:
            return
        try:
            self.writer.write(data)
        except (OSError, ValueError):  # a broken pipe, or a closed file
            self.closed = True
            self.lost()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.writer.close()


class Protocol(LanguageServerProtocol):
    """pygls's protocol, except that open documents are kept by the server itself: their
    lines split as Markdown splits them (pygls splits at form feeds and U+2028 too); that
    what a client may send at any time and a server may ignore (``$/`` notifications it
    does not know, the cancelling of a request already answered, an answer that comes
    after shutdown) is ignored without a warning on standard error (which Helix logs as
    an error); that a request after shutdown is answered with an error (pygls 2.1 leaves
    it unanswered); and that a notification's handler is not kept once it has run (pygls
    2.1 keeps one per notification, for ever)."""

    _server: ListlintServer
    # The task that reads the client's messages (and its loop): cancelled when the client
    # closes the server's standard output, which leaves nobody to answer.
    reading: tuple[asyncio.AbstractEventLoop, asyncio.Task[Any]] | None = None

    def set_writer(self, writer: Any, include_headers: bool = True) -> None:
        super().set_writer(Output(writer, self._server.connection_lost), include_headers)

    def handle_message(self, message: RPCMessage) -> None:
        if self.reading is None:
            task = asyncio.current_task()  # messages are handled by the reading task
            if task is not None:
                self.reading = (asyncio.get_running_loop(), task)
        if self._shutdown and getattr(message, "method", "") != lsp.EXIT:
            # After shutdown a request is answered with InvalidRequest (LSP), not left
            # unanswered; anything else (an answer to a request of ours) is dropped.
            if isinstance(message, RPCRequest):
                error = JsonRpcInvalidRequest("the server is shutting down")
                self._send_response(message.id, None, error.to_response_error())
            return
        super().handle_message(message)

    def _handle_cancel_notification(self, msg_id: MsgId) -> None:
        future = self._request_futures.pop(msg_id, None)
        if future is not None:
            future.cancel()  # answered with RequestCancelled, unless it is running

    def _handle_notification(self, method_name: str, params: Any) -> None:
        if method_name.startswith("$/") and method_name != lsp.CANCEL_REQUEST:
            known = self.fm.builtin_features.get(method_name) or self.fm.features.get(method_name)
            if known is None:
                return  # "free to ignore" (LSP: $ notifications and requests)
        super()._handle_notification(method_name, params)

    def _execute_handler(
        self,
        msg_id: MsgId,
        handler: Any,
        callback: Any,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
    ) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        if isinstance(callback, functools.partial) and callback.func == self._send_handler_result:
            return  # a request's: dropped once it is answered
        future = self._request_futures.get(msg_id)
        if future is not None:
            # Not at once: shutdown cancels the futures as it goes through them.
            loop = asyncio.get_running_loop()
            future.add_done_callback(
                lambda _: loop.call_soon_threadsafe(self._request_futures.pop, msg_id, None)
            )

    @lsp_method(lsp.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(
        self, params: lsp.DidOpenTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(lsp.TEXT_DOCUMENT_DID_OPEN)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(
        self, params: lsp.DidChangeTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None

    @lsp_method(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(
        self, params: lsp.DidCloseTextDocumentParams
    ) -> Generator[Any, Any, None]:
        handler = self.fm.features.get(lsp.TEXT_DOCUMENT_DID_CLOSE)
        if handler is not None:
            yield handler, (params,), None


class ListlintServer(LanguageServer):
    protocol: Protocol

    def __init__(self) -> None:
        super().__init__(
            "listlint",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=Protocol,
        )
        self.documents: dict[str, OpenDocument] = {}
        self.snapshots: dict[str, Snapshot] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.logged: dict[str, frozenset[str]] = {}
        self.setups = features.Setups()
        self.incremental: dict[str, Lints] = {}  # the worker's, by document
        self.costs: dict[str, float] = {}  # how long the last lint of each document took
        self.idle_timer: asyncio.TimerHandle | None = None
        self.lints = 0
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="listlint-worker")
        self.shutdown_requested = False
        self.exit_code = 1  # until the client asks for shutdown, then exit
        self.lost = False  # the client closed standard output
        self.root: str | None = None
        self.encoding: Encoding = "utf-16"
        self.document_changes = False
        self.resolve_edits = False
        # The client's settings (listlint.settings): initializationOptions, overridden by
        # the last workspace/didChangeConfiguration, overridden by the last answer to
        # workspace/configuration.
        self.settings = Settings()
        self.initial_settings: dict[str, Any] = {}
        self.pushed_settings: dict[str, Any] = {}
        self.pulled_settings: dict[str, Any] = {}
        self.pulls = 0
        self.pending: asyncio.Future[None] | None = None  # the last workspace/configuration

    # -- plumbing ------------------------------------------------------------------------
    def connection_lost(self) -> None:
        """The client closed standard output: stop reading its messages (``serve`` returns
        1), without waiting for the input it may never close."""
        if self.lost:
            return
        self.lost = True
        logging.getLogger(__name__).warning("the client closed standard output; exiting")
        reading = self.protocol.reading
        if reading is not None:
            loop, task = reading
            loop.call_soon_threadsafe(task.cancel)

    def shutdown(self) -> None:
        if self.lost and self._thread_pool is not None:
            # Its thread may be blocked reading standard input: not waited for.
            self._thread_pool.shutdown(wait=False, cancel_futures=True)
            self._thread_pool = None
        super().shutdown()  # type: ignore[no-untyped-call]

    def current(self, uri: str) -> OpenDocument | None:
        return self.documents.get(uri)

    def is_current(self, uri: str, version: int | None) -> bool:
        doc = self.documents.get(uri)
        return doc is not None and doc.version == version

    async def on_worker(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.worker, fn, *args)

    def log(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))

    # -- settings ------------------------------------------------------------------------
    def take_settings(self, value: Any, source: str, *, sectioned: bool = True) -> dict[str, Any]:
        """The listlint settings in what the client sent, its mistakes logged."""
        found, problems = read(value, sectioned=sectioned)
        for problem in problems:
            self.log(f"listlint: {source}: {problem}", lsp.MessageType.Warning)
        return found

    def apply_settings(self) -> bool:
        """Make the settings the client gave the ones in use; did they change?"""
        new = merge(self.initial_settings, self.pushed_settings, self.pulled_settings)
        changed = new != self.settings
        self.settings = new
        return changed

    async def pull_settings(self) -> None:
        """Ask the client for the ``listlint`` section of its settings, when it can say."""
        caps = self.client_capabilities.workspace
        if caps is None or not caps.configuration:
            return
        self.pulls += 1
        self.pending = asyncio.ensure_future(self._pull(self.pulls))
        await self.pending

    async def current_settings(self) -> Settings:
        """The settings, once the client has answered the last time it was asked."""
        pending = self.pending
        if pending is not None and not pending.done():
            await asyncio.shield(pending)
        return self.settings

    async def _pull(self, pull: int) -> None:
        try:
            answer = await asyncio.wait_for(
                self.workspace_configuration_async(
                    lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section=SECTION)])
                ),
                PULL_TIMEOUT,
            )
        except Exception as exc:  # an error answer, or none: the settings stay as they are
            self.log(f"listlint: workspace/configuration failed: {exc!r}", lsp.MessageType.Warning)
            return
        if pull != self.pulls:
            return  # a later pull is under way: its answer is the one to use
        value = answer[0] if answer else None
        self.pulled_settings = self.take_settings(value, "workspace/configuration", sectioned=False)
        self.apply_settings()

    def relint_all(self) -> None:
        """Lint every open document again, from its configuration as it is now."""
        for uri in list(self.documents):
            snap = self.snapshots.pop(uri, None)
            if snap is not None:
                self.worker.submit(snap.release)
            self.schedule(uri, 0)

    # -- linting -------------------------------------------------------------------------
    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Lint ``uri`` after ``delay`` seconds (instead of any lint scheduled before)."""
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_running_loop()
        self.timers[uri] = loop.call_later(delay, self._start_lint, uri)

    def idle(self) -> None:
        """Collect cyclic garbage once nothing has happened for IDLE seconds."""
        if self.idle_timer is not None:
            self.idle_timer.cancel()
        loop = asyncio.get_running_loop()
        self.idle_timer = loop.call_later(IDLE, lambda: self.worker.submit(gc.collect))

    def changed(self, doc: OpenDocument) -> None:
        """A change: its diagnostics are due DEBOUNCE after it, and the lint is started so
        that it ends then (at once for a document whose lint takes longer). A lint that
        costs more than a pause in typing starts no earlier than that pause: one started
        between two keystrokes is outdated by the next, and the CPU it took (until it
        stops at its next rule or piece) delays the lint that is published, above all on
        a busy machine."""
        if self.idle_timer is not None:
            self.idle_timer.cancel()
            self.idle_timer = None
        now = time.monotonic()
        gap = now - doc.changed_at
        if gap < TYPING:
            doc.gap = gap if not doc.gap else 0.7 * doc.gap + 0.3 * gap
        doc.changed_at = now
        doc.publish_after = now + DEBOUNCE
        cost = 1.25 * self.costs.get(doc.uri, 0.0)
        due = max(0.0, DEBOUNCE - cost)
        pause = min(DEBOUNCE, PAUSE * doc.gap)  # no change for that long: typing paused
        if due < pause and cost > pause:  # a lint that costs more than waiting for it
            due = pause
        self.schedule(doc.uri, due)

    def _start_lint(self, uri: str) -> None:
        self.timers.pop(uri, None)
        doc = self.documents.get(uri)
        if doc is None or not doc.is_markdown:
            return
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.worker, self._lint, uri, doc.version, doc.text, doc.path)
        future.add_done_callback(lambda f: self._finish_lint(uri, f))

    def _lint(
        self, uri: str, version: int | None, text: str, path: str | None
    ) -> tuple[Snapshot, list[lsp.Diagnostic]] | None:
        """On the worker: lint one version, unless it is (or becomes) outdated."""
        if not self.is_current(uri, version):
            return None
        snap = self.snapshots.get(uri)
        if snap is not None and snap.version == version and snap.text == text:
            return snap, self.to_lsp(snap)  # e.g. saved without a change: linted already
        if snap is not None:
            snap.release()  # its tokens are shared with this version's, which moves them
        lints = self.incremental.setdefault(uri, Lints())
        began = time.monotonic()
        try:
            new = features.lint_snapshot(
                self.setups,
                uri,
                version,
                text,
                path,
                self.root,
                lints,
                cancelled=lambda: not self.is_current(uri, version),
            )
            if new is None:
                return None
            self.costs[uri] = time.monotonic() - began
            return new, self.to_lsp(new)
        finally:
            self.lints += 1
            if self.lints % COLLECT_EVERY == 0:
                gc.collect()

    def forget(self, uri: str) -> None:
        """On the worker: drop what was kept for a closed document."""
        self.incremental.pop(uri, None)
        self.costs.pop(uri, None)

    def _finish_lint(
        self, uri: str, future: asyncio.Future[tuple[Snapshot, list[lsp.Diagnostic]] | None]
    ) -> None:
        if future.cancelled():
            return
        exc = future.exception()
        if exc is not None:
            self.log(f"listlint: linting {uri} failed: {exc!r}", lsp.MessageType.Error)
            return
        done = future.result()
        if done is None:
            return
        snap, diagnostics = done
        if not self.is_current(uri, snap.version):
            snap.release()  # outdated while it ran: never published
            return
        self.keep(snap)
        doc = self.documents[uri]
        wait = doc.publish_after - time.monotonic()
        if wait > 0:  # the debounce: not before DEBOUNCE after the last change
            loop = asyncio.get_running_loop()
            loop.call_later(wait, self.publish, snap, diagnostics)
        else:
            self.publish(snap, diagnostics)

    def publish(self, snap: Snapshot, diagnostics: list[lsp.Diagnostic]) -> None:
        """Publish a lint, unless its version is outdated by now."""
        if not self.is_current(snap.uri, snap.version) or self.snapshots.get(snap.uri) is not snap:
            return
        self.report_errors(snap)
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=snap.uri, diagnostics=diagnostics, version=snap.version
            )
        )
        self.idle()

    def keep(self, snap: Snapshot) -> None:
        old = self.snapshots.get(snap.uri)
        if old is not None and old is not snap:
            # Its views are still read by work queued on the worker: drop them there.
            self.worker.submit(old.release)
        self.snapshots[snap.uri] = snap

    def report_errors(self, snap: Snapshot) -> None:
        errors = frozenset(snap.errors + ([snap.setup_error] if snap.setup_error else []))
        if errors == self.logged.get(snap.uri, frozenset()):
            return
        self.logged[snap.uri] = errors
        for error in sorted(errors):
            self.log(f"listlint: {error}", lsp.MessageType.Error)
        if snap.setup_error:
            self.window_show_message(
                lsp.ShowMessageParams(
                    type=lsp.MessageType.Error, message=f"listlint: {snap.setup_error}"
                )
            )

    async def snapshot(self, uri: str) -> Snapshot | None:
        """The lint of the document as it is now (linted now if the last one is outdated)."""
        doc = self.documents.get(uri)
        if doc is None or not doc.is_markdown:
            return None
        snap = self.snapshots.get(uri)
        if snap is not None and snap.version == doc.version and snap.text == doc.text:
            return snap
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        done = await self.on_worker(self._lint, uri, doc.version, doc.text, doc.path)
        if done is None:
            return None
        if not self.is_current(uri, done[0].version):
            done[0].release()
            return None
        self.keep(done[0])
        self.publish(*done)  # asked for now: the debounce is over
        return done[0]

    # -- conversions ---------------------------------------------------------------------
    def index(self, snap: Snapshot) -> LineIndex:
        index: LineIndex | None = getattr(snap, "_index", None)
        if index is None or index.encoding != self.encoding:
            index = LineIndex(snap.text, self.encoding)
            snap._index = index  # type: ignore[attr-defined]
        return index

    def range(self, snap: Snapshot, start: int, end: int) -> lsp.Range:
        a, b = self.index(snap).span(start, end)
        return lsp.Range(
            start=lsp.Position(line=a.line, character=a.character),
            end=lsp.Position(line=b.line, character=b.character),
        )

    def offsets(self, snap: Snapshot, rng: lsp.Range) -> tuple[int, int]:
        index = self.index(snap)
        start = index.offset(rng.start.line, rng.start.character)
        return start, max(start, index.offset(rng.end.line, rng.end.character))

    def diagnostic(self, snap: Snapshot, d: Diagnostic) -> lsp.Diagnostic:
        rule = features.rule_of(snap, d.rule)
        url = features.docs_url(rule) if rule is not None else None
        return lsp.Diagnostic(
            range=self.range(snap, d.start, d.end),
            message=d.message,
            severity=lsp.DiagnosticSeverity.Error
            if d.severity == "error"
            else lsp.DiagnosticSeverity.Warning,
            code=d.code,
            code_description=lsp.CodeDescription(href=url) if url else None,
            source="listlint",
            data={"rule": d.rule, "fixable": d.fix is not None},
        )

    def to_lsp(self, snap: Snapshot) -> list[lsp.Diagnostic]:
        if snap.setup_error:
            return [
                lsp.Diagnostic(
                    range=lsp.Range(
                        start=lsp.Position(line=0, character=0),
                        end=lsp.Position(line=0, character=0),
                    ),
                    message=f"listlint cannot check this file: {snap.setup_error}",
                    severity=lsp.DiagnosticSeverity.Error,
                    source="listlint",
                )
            ]
        return [self.diagnostic(snap, d) for d in snap.diagnostics]

    def text_edits(self, snap: Snapshot, edits: Sequence[Edit]) -> list[lsp.TextEdit]:
        return [
            lsp.TextEdit(range=self.range(snap, e.start, e.end), new_text=e.replacement)
            for e in sorted(edits)
        ]

    def workspace_edit(self, snap: Snapshot, edits: Sequence[Edit]) -> lsp.WorkspaceEdit:
        text_edits = self.text_edits(snap, edits)
        if self.document_changes:
            return lsp.WorkspaceEdit(
                document_changes=[
                    lsp.TextDocumentEdit(
                        text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                            uri=snap.uri, version=snap.version
                        ),
                        edits=list(text_edits),
                    )
                ]
            )
        return lsp.WorkspaceEdit(changes={snap.uri: text_edits})


def create() -> ListlintServer:
    ls = ListlintServer()
    from listlint.server import handlers

    handlers.register(ls)
    return ls


def serve() -> int:
    """Run the server over standard input and output until the client says exit."""
    logging.basicConfig(level=logging.WARNING, format="listlint server: %(message)s")
    # The collector runs when the server is idle (see IDLE); what start-up imported is
    # never walked again.
    gc.disable()
    gc.freeze()
    ls = create()
    try:
        ls.start_io()
    except asyncio.CancelledError:
        ls.exit_code = 1  # the client closed standard output (connection_lost)
    ls.worker.shutdown(wait=False, cancel_futures=True)
    return ls.exit_code
