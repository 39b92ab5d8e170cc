"""`listlint server` when the client goes away: a real `listlint server` process over
pipes the test holds, closed under it as a client that crashes or quits closes them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from test_server import CONSOLE, HTTP_LINK, TIMEOUT
from test_server_settings import frame, unframe


class Pipes:
    """A `listlint server` process and the messages it has sent so far."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.received: list[dict[str, Any]] = []
        self.buffer = b""

    def send(self, method: str, params: Any = None, id: int | None = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if id is not None:
            message["id"] = id
        assert self.proc.stdin is not None
        self.proc.stdin.write(frame(message))

    async def until(self, found: Any) -> dict[str, Any]:
        """Read what the server sends until a message ``found`` says yes to."""

        async def read() -> dict[str, Any]:
            assert self.proc.stdout is not None
            while True:
                for message in self.received:
                    if found(message):
                        return message
                chunk = await self.proc.stdout.read(65536)
                assert chunk, "the server closed its output"
                self.buffer += chunk
                while (message := unframe(self.buffer)[0]) is not None:
                    self.buffer = unframe(self.buffer)[1]
                    self.received.append(message)

        return await asyncio.wait_for(read(), TIMEOUT)

    async def exit_code(self) -> int:
        return await asyncio.wait_for(self.proc.wait(), TIMEOUT)

    async def stderr(self) -> str:
        assert self.proc.stderr is not None
        return (await asyncio.wait_for(self.proc.stderr.read(), TIMEOUT)).decode()


async def started(folder: Path) -> Pipes:
    """A server, initialised, with a document open and its diagnostics published."""
    proc = await asyncio.create_subprocess_exec(
        CONSOLE,
        "server",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=folder,
    )
    pipes = Pipes(proc)
    params = {"processId": None, "rootUri": folder.as_uri(), "capabilities": {}}
    pipes.send("initialize", params, id=1)
    await pipes.until(lambda m: m.get("id") == 1)
    pipes.send("initialized", {})
    item = {
        "uri": (folder / "list.md").as_uri(),
        "languageId": "markdown",
        "version": 1,
        "text": "# Papers\n\n" + HTTP_LINK,
    }
    pipes.send("textDocument/didOpen", {"textDocument": item})
    published = await pipes.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert [d["code"] for d in published["params"]["diagnostics"]] == ["LL302"]
    return pipes


def hover(folder: Path) -> dict[str, Any]:
    return {
        "textDocument": {"uri": (folder / "list.md").as_uri()},
        "position": {"line": 2, "character": 12},
    }


@pytest.mark.asyncio
async def test_the_server_exits_when_its_input_closes(tmp_path: Path) -> None:
    """The client quit (or crashed) without shutdown and exit: standard input ends, and
    the server exits with 1 (LSP: exit without shutdown), saying nothing."""
    pipes = await started(tmp_path)
    assert pipes.proc.stdin is not None
    pipes.proc.stdin.close()
    assert await pipes.exit_code() == 1
    assert await pipes.stderr() == ""


@pytest.mark.asyncio
async def test_the_server_exits_when_its_output_closes(tmp_path: Path) -> None:
    """The client stopped reading (closed its end of the server's standard output) but
    keeps standard input open: the next thing the server writes fails, and it exits
    with 1, one line on standard error, instead of logging a traceback for every message
    and waiting for input for ever."""
    pipes = await started(tmp_path)
    assert pipes.proc.stdout is not None
    # Closing the transport of asyncio's stdout pipe closes the reading end.
    transport: Any = pipes.proc._transport  # type: ignore[attr-defined]
    transport.get_pipe_transport(1).close()
    pipes.send("textDocument/hover", hover(tmp_path), id=2)  # its answer cannot be written
    assert await pipes.exit_code() == 1
    stderr = await pipes.stderr()
    assert "Traceback" not in stderr, stderr
    assert stderr == "listlint server: the client closed standard output; exiting\n"


@pytest.mark.asyncio
async def test_shutdown_and_exit_after_the_output_closed(tmp_path: Path) -> None:
    """shutdown answered, then the client closes the server's output and sends exit: the
    exit code is still 0 (the console script's last flush finds standard output closed)."""
    pipes = await started(tmp_path)
    pipes.send("shutdown", id=2)
    await pipes.until(lambda m: m.get("id") == 2)
    transport: Any = pipes.proc._transport  # type: ignore[attr-defined]
    transport.get_pipe_transport(1).close()
    pipes.send("exit")
    assert await pipes.exit_code() == 0
    assert await pipes.stderr() == ""
