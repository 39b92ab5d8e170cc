"""`listlint server` and the client's settings, end to end (pytest-lsp over stdio): changed
at run time by ``workspace/didChangeConfiguration``, pushed (Helix, Neovim) or pulled with
``workspace/configuration`` (VS Code); and the notifications editors send that the server
has nothing to do with are taken without an error."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types as lsp
from test_server import (
    ABS_LINK,
    ALIGNED,
    CONSOLE,
    HTTP_LINK,
    MISALIGNED,
    TIMEOUT,
    Client,
    apply,
    session,
    until,
)

TEXT = "# Papers\n\n" + HTTP_LINK + "\n" + MISALIGNED
FORMATTED = "# Papers\n\n" + HTTP_LINK + "\n" + ALIGNED  # the tables only
FIXED_AND_FORMATTED = "# Papers\n\n" + ABS_LINK + "\n" + ALIGNED  # and every safe fix


async def formatted(client: Client, uri: str) -> str:
    edits = await client.lsp.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            lsp.TextDocumentIdentifier(uri=uri), lsp.FormattingOptions(4, True)
        )
    )
    return apply(client.texts[uri], list(edits or []))


async def change_settings(client: Client, uri: str, settings: Any) -> None:
    """Send didChangeConfiguration; return once the open document was linted again (which
    the server does once it has the new settings)."""
    before = len(client.published)
    client.lsp.workspace_did_change_configuration(lsp.DidChangeConfigurationParams(settings))
    await client.diagnostics(uri, after=before)


@pytest.mark.asyncio
async def test_a_setting_pushed_at_run_time_applies_at_once(tmp_path: Path) -> None:
    async with session(tmp_path) as client:  # VS Code: {"listlint": {...}}
        uri = client.open("list.md", TEXT)
        assert [d.code for d in await client.diagnostics(uri)] == ["LL302"]
        assert await formatted(client, uri) == FORMATTED
        await change_settings(client, uri, {"listlint": {"fixAllOnFormat": True}})
        assert await formatted(client, uri) == FIXED_AND_FORMATTED
        await change_settings(client, uri, {"listlint": {"fixAllOnFormat": False}})
        assert await formatted(client, uri) == FORMATTED
        # VS Code is asked to send the listlint section when it changes.
        (registration,) = [
            r
            for p in client.registrations
            for r in p.registrations
            if r.method == lsp.WORKSPACE_DID_CHANGE_CONFIGURATION
        ]
        assert isinstance(registration.register_options, dict)
        assert registration.register_options["section"] == "listlint"


@pytest.mark.asyncio
async def test_helix_and_neovim_push_their_settings_as_they_are(tmp_path: Path) -> None:
    # Helix sends its `config` table right after initialized, without a section; the
    # initialization option said otherwise and the later push wins.
    async with session(tmp_path, options={"fixAllOnFormat": False}, editor="neovim") as client:
        uri = client.open("list.md", TEXT)
        await client.diagnostics(uri)
        await change_settings(client, uri, {"fixAllOnFormat": True})
        assert await formatted(client, uri) == FIXED_AND_FORMATTED
        # Neovim's default settings ({}) say nothing: the initialization option holds again.
        await change_settings(client, uri, {})
        assert await formatted(client, uri) == FORMATTED
        assert not [m for m in client.lsp.log_messages if m.type <= lsp.MessageType.Warning]


@pytest.mark.asyncio
async def test_settings_are_pulled_when_the_client_sends_none(tmp_path: Path) -> None:
    async with session(tmp_path) as client:
        uri = client.open("list.md", TEXT)
        await client.diagnostics(uri)
        # VS Code's pull model: settings null means "ask me" (workspace/configuration).
        client.lsp.set_configuration({"fixAllOnFormat": True}, section="listlint")
        await change_settings(client, uri, None)
        assert await formatted(client, uri) == FIXED_AND_FORMATTED
        # What the client answers wins over what it pushed.
        client.lsp.set_configuration({"fixAllOnFormat": False}, section="listlint")
        await change_settings(client, uri, {"listlint": {"fixAllOnFormat": True}})
        assert await formatted(client, uri) == FORMATTED


@pytest.mark.asyncio
async def test_settings_are_pulled_at_start_up(tmp_path: Path) -> None:
    # The client's answer to the workspace/configuration the server sends once it is
    # initialised; a formatting asked for meanwhile waits for that answer.
    async with session(tmp_path, settings={"fixAllOnFormat": True}) as client:
        uri = client.open("list.md", TEXT)
        assert await formatted(client, uri) == FIXED_AND_FORMATTED


@pytest.mark.asyncio
async def test_a_setting_of_the_wrong_type_is_reported_and_ignored(tmp_path: Path) -> None:
    async with session(tmp_path, options={"fixAllOnFormat": True}) as client:
        uri = client.open("list.md", TEXT)
        await client.diagnostics(uri)
        await change_settings(client, uri, {"listlint": {"fixAllOnFormat": "yes"}})
        await asyncio.wait_for(
            until(
                lambda: any(
                    "listlint.fixAllOnFormat must be a bool" in m.message
                    and m.type == lsp.MessageType.Warning
                    for m in client.lsp.log_messages
                )
            ),
            TIMEOUT,
        )
        assert await formatted(client, uri) == FIXED_AND_FORMATTED  # as it was


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def unframe(data: bytes) -> tuple[dict[str, Any] | None, bytes]:
    """The first whole message in ``data`` (None when there is none yet), and the rest."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    if not sep:
        return None, data
    fields = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
    size = int(fields[b"Content-Length"])
    if len(rest) < size:
        return None, data
    return json.loads(rest[:size]), rest[size:]


def test_what_editors_send_besides_is_taken_without_an_error(tmp_path: Path) -> None:
    """Over plain stdio, as Helix starts it: every notification a common client sends
    after initialized, then shutdown and exit. Nothing on standard error (Helix logs it as
    errors), no error answer or message, exit code 0."""
    folder = tmp_path.as_uri()
    notifications: list[tuple[str, Any]] = [
        ("initialized", {}),
        ("workspace/didChangeConfiguration", {"settings": {"fixAllOnFormat": True}}),
        ("$/setTrace", {"value": "verbose"}),
        (
            "workspace/didChangeWatchedFiles",
            {"changes": [{"uri": folder + "/listlint.toml", "type": 1}]},
        ),
        (
            "workspace/didChangeWorkspaceFolders",
            {"event": {"added": [{"uri": folder, "name": "x"}], "removed": []}},
        ),
        ("$/cancelRequest", {"id": 1}),  # answered already
        ("$/cancelRequest", {"id": 12345}),  # never sent
        ("$/progress", {"token": "t", "value": {"kind": "end"}}),
        ("$/somethingNew", {}),  # a $/ notification the server does not know
        (
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": folder + "/a.md",
                    "languageId": "markdown",
                    "version": 1,
                    "text": "# A\n",
                }
            },
        ),
        ("textDocument/didSave", {"textDocument": {"uri": folder + "/a.md"}}),
        ("textDocument/didClose", {"textDocument": {"uri": folder + "/a.md"}}),
    ]
    messages = [
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "processId": None,
                "rootUri": folder,
                "capabilities": {"workspace": {"configuration": True}},
            },
        },
        *({"jsonrpc": "2.0", "method": m, "params": p} for m, p in notifications),
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
    ]
    stdin = b"".join(frame(m) for m in messages)
    # The exit notification only once shutdown is answered: the server is asked, in the
    # meantime, for its settings (workspace/configuration) and gets an answer.
    proc = subprocess.Popen(
        [CONSOLE, "server"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(stdin)
    proc.stdin.flush()
    received: list[dict[str, Any]] = []
    buffer = b""

    def read_until(answered: int) -> None:
        """Read what the server sends until it answers request ``answered``; answer its
        workspace/configuration requests (with nothing: Helix has no listlint section)."""
        nonlocal buffer
        assert proc.stdin is not None and proc.stdout is not None
        while not any(m.get("id") == answered and "method" not in m for m in received):
            chunk = proc.stdout.read1(65536)
            assert chunk, f"the server closed its output before answering {answered}"
            buffer += chunk
            while (message := unframe(buffer)[0]) is not None:
                buffer = unframe(buffer)[1]
                received.append(message)
                if message.get("method") == "workspace/configuration":
                    answer = {"jsonrpc": "2.0", "id": message["id"], "result": [None]}
                    proc.stdin.write(frame(answer))
                    proc.stdin.flush()

    read_until(2)
    # After shutdown a request is answered, with InvalidRequest.
    hover = {"textDocument": {"uri": folder + "/a.md"}, "position": {"line": 0, "character": 0}}
    proc.stdin.write(
        frame({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": hover})
    )
    proc.stdin.flush()
    read_until(3)
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.close()
    buffer += proc.stdout.read()
    assert proc.wait(timeout=TIMEOUT) == 0
    while (message := unframe(buffer)[0]) is not None:
        buffer = unframe(buffer)[1]
        received.append(message)
    assert buffer == b""
    (after,) = [m for m in received if m.get("id") == 3]
    assert after["error"]["code"] == -32600
    stderr = proc.stderr.read() if proc.stderr else b""
    assert stderr == b"", stderr.decode()
    assert not [m for m in received if "error" in m and m is not after]
    logged = [
        m["params"]
        for m in received
        if m.get("method") in ("window/logMessage", "window/showMessage")
    ]
    assert not [p for p in logged if p["type"] <= lsp.MessageType.Warning], logged
    assert [m["result"] for m in received if m.get("id") == 2] == [None]
    assert any(m.get("method") == "textDocument/publishDiagnostics" for m in received)


def test_notifications_are_not_kept_once_handled() -> None:
    """pygls 2.1 keeps a future for every notification a client sends, for ever (a long
    day of typing: tens of thousands); the server's protocol drops them."""
    from listlint.server.app import create

    async def main() -> int:
        ls = create()
        protocol = ls.protocol
        uri = "untitled:a.md"
        item = lsp.TextDocumentItem(uri=uri, language_id="markdown", version=1, text="# A\n")
        protocol._handle_notification(
            lsp.TEXT_DOCUMENT_DID_OPEN, lsp.DidOpenTextDocumentParams(item)
        )
        for version in range(2, 102):
            protocol._handle_notification(
                lsp.TEXT_DOCUMENT_DID_CHANGE,
                lsp.DidChangeTextDocumentParams(
                    lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                    [lsp.TextDocumentContentChangeWholeDocument(text=f"# A{version}\n")],
                ),
            )
        for _ in range(100):
            if not protocol._request_futures:
                break
            await asyncio.sleep(0.01)
        for timer in ls.timers.values():
            timer.cancel()
        ls.worker.shutdown(wait=True)
        return len(protocol._request_futures)

    assert asyncio.run(main()) == 0
