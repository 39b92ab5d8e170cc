"""``listlint links``: the online link checker.

Modules, in the order a run uses them: ``settings`` (the ``[tool.listlint.links]`` table),
``targets`` (which URLs of a document are checked), ``store`` (the SQLite memory between
runs), ``requests`` (the HTTP client: limits, retries, redirects), ``githubapi`` (GitHub
repositories through the REST API), ``verdict`` (from a response to a rule's finding),
``rules`` (the rule modules, registered like the others but run only here) and ``command``
(the run: files in, report out). Only ``requests`` and ``githubapi`` import aiohttp, and
``tls`` makes it skip the CA loading it does on import (the store is loaded once, for the
first https request).
"""
