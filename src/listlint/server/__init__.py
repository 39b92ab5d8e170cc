"""``listlint server``: the rules, fixes and table formatting of listlint in any editor,
over the Language Server Protocol (standard input and output).

Needs the optional dependencies (pygls 2, lsprotocol): the ``server`` extra.
"""

from __future__ import annotations

import sys

INSTALL = (
    "error: listlint server needs pygls 2 and lsprotocol; "
    "install listlint with its 'server' extra (in a clone: pip install '.[server]')"
)


def run() -> int:
    """Serve one client until it says exit; the exit code LSP asks for (0 after a
    shutdown request, 1 otherwise), or 2 when the dependencies are missing."""
    try:
        import lsprotocol.types  # noqa: F401
        import pygls.lsp.server  # noqa: F401
    except ImportError:
        print(INSTALL, file=sys.stderr)
        return 2
    from listlint.server.app import serve

    return serve()
