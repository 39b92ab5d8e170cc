"""Parse again only the part of a document that changed: ``listlint.pieces`` (the fix loop
uses it too, between its passes)."""

from __future__ import annotations

from listlint.pieces import Pieces

__all__ = ["Pieces"]
