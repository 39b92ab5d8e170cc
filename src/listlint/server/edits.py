"""The smallest edits that turn one text into another, for edits sent to the editor.

Whole-document replacements move the cursor and scroll the view; edits limited to the
lines that changed leave the rest of the buffer (and its folds and marks) alone.
"""

from __future__ import annotations

from listlint.diagnostic import Edit
from listlint.document import NEWLINE

# Above this many changed lines a line diff costs more than it saves: one edit.
_MAX_DIFF_LINES = 20_000


def _lines(text: str) -> list[str]:
    out = []
    pos = 0
    for m in NEWLINE.finditer(text):
        out.append(text[pos : m.end()])
        pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


def diff_edits(old: str, new: str) -> list[Edit]:
    """Non-overlapping edits of ``old``, in order, that give ``new``."""
    if old == new:
        return []
    # The common prefix and suffix, kept to whole lines so that edits replace lines.
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    prefix = _line_start(old, prefix)
    suffix = 0
    limit -= prefix
    while suffix < limit and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    suffix = _line_end_suffix(old, suffix)
    old_mid = old[prefix : len(old) - suffix]
    new_mid = new[prefix : len(new) - suffix]
    a, b = _lines(old_mid), _lines(new_mid)
    if len(a) + len(b) > _MAX_DIFF_LINES or len(a) <= 1:
        return [Edit(prefix, prefix + len(old_mid), new_mid)]
    import difflib

    edits = []
    offsets = [prefix]
    for line in a:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(offsets[i1], offsets[i2], "".join(b[j1:j2])))
    return edits


def _line_start(text: str, offset: int) -> int:
    """The start of the line holding ``offset`` (an offset right after a newline is one)."""
    i = offset
    while i > 0 and text[i - 1] not in "\r\n":
        i -= 1
    if i > 0 and text[i - 1] == "\r" and i < len(text) and text[i] == "\n" and i == offset:
        # Between \r and \n: the line started before the \r\n pair.
        return _line_start(text, i - 1)
    return i


def _line_end_suffix(text: str, suffix: int) -> int:
    """Shrink a common suffix so that it starts at the beginning of a line."""
    start = len(text) - suffix
    while start < len(text) and start > 0 and text[start - 1] not in "\r\n":
        start += 1
    if 0 < start < len(text) and text[start - 1] == "\r" and text[start] == "\n":
        start += 1
    return len(text) - start
