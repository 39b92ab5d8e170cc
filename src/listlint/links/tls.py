"""TLS for ``listlint links``: aiohttp imported without loading the CA store, and one
verifying context of our own, made on the first https request.

aiohttp builds two SSL contexts when it is imported (``aiohttp.connector``): a verifying
one and a non-verifying one, and both load the system's CA store (``ssl`` reads every
certificate of the bundle: 470M instructions, 28 % of a run of ``listlint links`` on one
URL). listlint uses neither: each of its requests to an https URL, or through an https
proxy, is given the context of ``Tls.context``, made the first time one is needed, so a
run with no https URL loads no CA at all and a run with some loads the store once.

While aiohttp is imported, ``ssl.SSLContext.set_default_verify_paths`` does nothing: the
two contexts it makes then hold no CA, so anything that still used them would fail
verification, never pass it.
"""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_LOADER = "set_default_verify_paths"


@contextmanager
def no_ca_loading() -> Iterator[None]:
    """Within: no SSL context made loads the default CA store (used around the first
    import of aiohttp only)."""
    if "aiohttp.connector" in sys.modules:
        yield  # imported already: its contexts are made
        return
    own = vars(ssl.SSLContext).get(_LOADER)
    setattr(ssl.SSLContext, _LOADER, _skip)
    try:
        yield
    finally:
        if own is None:
            delattr(ssl.SSLContext, _LOADER)
        else:
            setattr(ssl.SSLContext, _LOADER, own)


def _skip(self: ssl.SSLContext) -> None:
    pass


class Tls:
    """The run's verifying context, made on first use: ``ssl.create_default_context()``,
    as aiohttp makes its own: certificates and host names verified against the system's
    CA store as OpenSSL finds it (``SSL_CERT_FILE`` and ``SSL_CERT_DIR`` of the process
    environment honoured); HTTP/1.1 offered by ALPN."""

    def __init__(self) -> None:
        self._context: ssl.SSLContext | None = None

    def context(self) -> ssl.SSLContext:
        if self._context is None:
            context = ssl.create_default_context()
            context.set_alpn_protocols(("http/1.1",))
            self._context = context
        return self._context

    def for_url(self, url: str, proxy: str | None = None) -> ssl.SSLContext | bool:
        """aiohttp's ``ssl`` argument for a request to ``url`` (through ``proxy``): the
        context when TLS is spoken, else True (aiohttp's default, never used then)."""
        if url[:6].lower() == "https:" or (proxy is not None and proxy[:6].lower() == "https:"):
            return self.context()
        return True
