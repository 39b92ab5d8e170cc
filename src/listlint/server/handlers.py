"""The LSP methods the server answers, each a thin translation to ``features``."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from listlint.server import features
from listlint.server.app import ENCODINGS, FIX_ALL_KIND, WATCHED, ListlintServer, OpenDocument
from listlint.server.edits import diff_edits
from listlint.server.positions import Change, LineIndex, Position, apply_to_index
from listlint.server.settings import SECTION

if TYPE_CHECKING:
    from listlint.diagnostic import Diagnostic
    from listlint.server.features import Snapshot

CODE_ACTION_KINDS = [
    lsp.CodeActionKind.QuickFix,
    lsp.CodeActionKind.RefactorRewrite,
    lsp.CodeActionKind.SourceFixAll,
    FIX_ALL_KIND,
]


def register(ls: ListlintServer) -> None:
    @ls.feature(lsp.INITIALIZE)
    def initialize(ls: ListlintServer, params: lsp.InitializeParams) -> None:
        ls.encoding = ENCODINGS.get(str(ls.workspace.position_encoding), "utf-16")
        root = ls.workspace.root_path
        ls.root = root or None
        caps = params.capabilities
        edit = caps.workspace.workspace_edit if caps.workspace else None
        ls.document_changes = bool(edit and edit.document_changes)
        action = caps.text_document.code_action if caps.text_document else None
        resolve = action.resolve_support if action else None
        ls.resolve_edits = bool(resolve and "edit" in resolve.properties)
        ls.initial_settings = ls.take_settings(
            params.initialization_options, "initializationOptions"
        )
        ls.apply_settings()

    @ls.feature(lsp.INITIALIZED)
    async def initialized(ls: ListlintServer, params: lsp.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            # (Without: configuration changes are still seen at the next lint, by stamps.)
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="listlint-configuration",
                            method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[lsp.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
                            ),
                        )
                    ]
                )
            )
        settings = caps.did_change_configuration if caps else None
        if settings is not None and settings.dynamic_registration:
            # VS Code sends workspace/didChangeConfiguration only to a server that asks.
            ls.client_register_capability(
                lsp.RegistrationParams(
                    registrations=[
                        lsp.Registration(
                            id="listlint-settings",
                            method=lsp.WORKSPACE_DID_CHANGE_CONFIGURATION,
                            register_options=lsp.DidChangeConfigurationRegistrationOptions(
                                section=SECTION
                            ),
                        )
                    ]
                )
            )
        await ls.pull_settings()

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: ListlintServer, params: lsp.DidChangeConfigurationParams
    ) -> None:
        """The client's settings changed (Helix and Neovim also send theirs once, right
        after initialized): take the ones it pushed (``null`` from VS Code means "ask"), ask
        for them when it can answer, and lint the open documents again."""
        ls.pushed_settings = ls.take_settings(params.settings, "workspace/didChangeConfiguration")
        ls.apply_settings()
        await ls.pull_settings()
        ls.worker.submit(ls.setups.clear)
        ls.relint_all()

    @ls.feature(lsp.SHUTDOWN)
    def shutdown(ls: ListlintServer, params: Any) -> None:
        ls.shutdown_requested = True
        for timer in ls.timers.values():
            timer.cancel()
        ls.timers.clear()
        if ls.idle_timer is not None:
            ls.idle_timer.cancel()

    @ls.feature(lsp.EXIT)
    def exit_(ls: ListlintServer, params: Any) -> None:
        ls.exit_code = 0 if ls.shutdown_requested else 1

    # -- documents -----------------------------------------------------------------------
    @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ListlintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        item = params.text_document
        ls.documents[item.uri] = OpenDocument(item.uri, item.text, item.version, item.language_id)
        ls.schedule(item.uri, 0)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ListlintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return
        changes = []
        for c in params.content_changes:
            if isinstance(c, lsp.TextDocumentContentChangePartial):
                r = c.range
                changes.append(
                    Change(
                        (
                            Position(r.start.line, r.start.character),
                            Position(r.end.line, r.end.character),
                        ),
                        c.text,
                    )
                )
            else:
                changes.append(Change(None, c.text))
        # The index of the text is kept between changes and updated around each one.
        index = doc.index if doc.index is not None else LineIndex(doc.text, ls.encoding)
        doc.index = apply_to_index(index, changes)
        doc.text = doc.index.text
        doc.version = params.text_document.version
        ls.changed(doc)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=True))
    def did_save(ls: ListlintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        doc = ls.documents.get(params.text_document.uri)
        if doc is None:
            return
        if params.text is not None and params.text != doc.text:
            doc.text = params.text
            doc.index = None
        ls.schedule(doc.uri, 0)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ListlintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.documents.pop(uri, None)
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        snap = ls.snapshots.pop(uri, None)
        if snap is not None:
            ls.worker.submit(snap.release)
        ls.worker.submit(ls.forget, uri)
        ls.logged.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: ListlintServer, params: lsp.DidChangeWatchedFilesParams) -> None:
        if not any(features.is_config_file(ch.uri) for ch in params.changes):
            return
        ls.worker.submit(ls.setups.clear)
        ls.relint_all()

    # -- code actions --------------------------------------------------------------------
    @ls.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS, resolve_provider=True),
    )
    async def code_action(
        ls: ListlintServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        snap = await ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        span = ls.offsets(snap, params.range)
        only = [str(k) for k in params.context.only or ()]
        return await ls.on_worker(_code_actions, ls, snap, span, only)

    @ls.feature(lsp.CODE_ACTION_RESOLVE)
    async def resolve(ls: ListlintServer, action: lsp.CodeAction) -> lsp.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if action.edit is not None or not isinstance(uri, str):
            return action
        snap = await ls.snapshot(uri)
        if snap is None or snap.version != data.get("version"):
            return action
        new = await ls.on_worker(features.fix_all, snap)
        if new is not None:
            action.edit = ls.workspace_edit(snap, diff_edits(snap.text, new))
        return action

    # -- formatting ----------------------------------------------------------------------
    @ls.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    async def formatting(
        ls: ListlintServer, params: lsp.DocumentFormattingParams
    ) -> list[lsp.TextEdit] | None:
        snap = await ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        settings = await ls.current_settings()
        new = await ls.on_worker(
            functools.partial(features.format_tables, fix_first=settings.fix_all_on_format), snap
        )
        return ls.text_edits(snap, diff_edits(snap.text, new)) if new is not None else []

    @ls.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
    async def range_formatting(
        ls: ListlintServer, params: lsp.DocumentRangeFormattingParams
    ) -> list[lsp.TextEdit] | None:
        snap = await ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        span = ls.offsets(snap, params.range)
        new = await ls.on_worker(features.format_tables, snap, span)
        return ls.text_edits(snap, diff_edits(snap.text, new)) if new is not None else []

    # -- hover ---------------------------------------------------------------------------
    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(ls: ListlintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        snap = await ls.snapshot(params.text_document.uri)
        if snap is None:
            return None
        index = ls.index(snap)
        offset = index.offset(params.position.line, params.position.character)
        text = await ls.on_worker(_hover, snap, offset)
        if text is None:
            return None
        return lsp.Hover(
            contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        )


def _overlaps(d: Diagnostic, span: tuple[int, int]) -> bool:
    start, end = span
    return d.start <= end and start <= max(d.end, d.start)


def _wanted(kind: str, only: list[str]) -> bool:
    """Does the client's ``only`` filter let actions of ``kind`` through?"""
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def _code_actions(
    ls: ListlintServer, snap: Snapshot, span: tuple[int, int], only: list[str]
) -> list[lsp.CodeAction]:
    """On the worker: the actions for ``span`` (quick fixes, suppression comments,
    rewrites), and Fix all."""
    actions: list[lsp.CodeAction] = []
    here = [d for d in snap.diagnostics if _overlaps(d, span)]
    if _wanted(lsp.CodeActionKind.QuickFix, only):
        for d in here:
            if d.fix is None or d.rule in features.REWRITES:
                continue
            unsafe = d.fix.applicability == "unsafe"
            actions.append(
                lsp.CodeAction(
                    title=f"{d.fix.title} ({d.code})" + (" [unsafe fix]" if unsafe else ""),
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[ls.diagnostic(snap, d)],
                    is_preferred=not unsafe,
                    edit=ls.workspace_edit(snap, d.fix.edits),
                )
            )
    if _wanted(lsp.CodeActionKind.RefactorRewrite, only) or _wanted(
        lsp.CodeActionKind.QuickFix, only
    ):
        for title, d in features.rewrites(snap):
            start, end = features.fix_span(d)
            if d.fix is None or not (start <= span[1] and span[0] <= end):
                continue
            reported = d in snap.diagnostics
            kind = lsp.CodeActionKind.QuickFix if reported else lsp.CodeActionKind.RefactorRewrite
            if not _wanted(kind, only):
                continue
            actions.append(
                lsp.CodeAction(
                    title=title,
                    kind=kind,
                    diagnostics=[ls.diagnostic(snap, d)] if reported else None,
                    is_preferred=reported and d.fix.applicability == "safe",
                    edit=ls.workspace_edit(snap, d.fix.edits),
                )
            )
    if _wanted(lsp.CodeActionKind.QuickFix, only):
        by_line: dict[tuple[int, str], list[Diagnostic]] = {}
        for d in here:
            by_line.setdefault((d.line, d.rule), []).append(d)
        for (_, rule), found in sorted(by_line.items()):
            new = features.suppress(snap, found)
            edits = diff_edits(snap.text, new)
            if not edits:
                continue
            where = (
                "line" if "disable-next-line" in "".join(e.replacement for e in edits) else "block"
            )
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {rule} for this {where}",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[ls.diagnostic(snap, d) for d in found],
                    edit=ls.workspace_edit(snap, edits),
                )
            )
    if _wanted(FIX_ALL_KIND, only) and any(
        d.fix is not None and d.fix.applicability == "safe" for d in snap.diagnostics
    ):
        action = lsp.CodeAction(
            title="Fix all listlint problems",
            kind=FIX_ALL_KIND,
            data={"uri": snap.uri, "version": snap.version},
        )
        if not ls.resolve_edits:
            fixed = features.fix_all(snap)
            if fixed is None:
                return actions
            action.edit = ls.workspace_edit(snap, diff_edits(snap.text, fixed))
        actions.append(action)
    return actions


def _hover(snap: Snapshot, offset: int) -> str | None:
    parts = [
        features.finding_hover(snap, d)
        for d in snap.diagnostics
        if d.start <= offset < max(d.end, d.start + 1)
    ]
    link = features.link_hover(snap, offset)
    if link is not None:
        parts.append(link)
    return "\n\n---\n\n".join(parts) if parts else None
