"""Allow ``python -m listlint``."""

from listlint.cli import console

console()
