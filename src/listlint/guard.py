"""The fix guard: no fix changes how GitHub renders a file beyond what its rule declares.

Every fixing rule declares, as data (``FIX_MAY_CHANGE``, a tuple of the kinds in
``CHANGE_KINDS``), what its fixes may change in GitHub's rendering. Before a fixed text is
returned, its rendering (``listlint.github.render_html``, cmark-gfm) is compared with the
original's after undoing exactly the declared changes of the rules whose fixes went in:

- safe fixes: the two renderings, so normalised, must be identical;
- unsafe fixes (and rules declaring ``visible``): no visible word may be lost, beyond the
  words of what a rule declaring ``entry-removal`` removed.

When the check fails, the guard finds the fixes responsible (rule by rule, then by the
line of the finding, bisecting), withholds them and fixes again with the rest; what is
withheld is reported by the caller ("fix withheld: it would change how GitHub renders
line N"). The guard never skips a changed text; when nothing changed, there is nothing to
compare. The fixes of a rule whose findings depend on their piece of the text alone are
looked for piece by piece, each piece fixed and rendered on its own (``_Local``): the
search costs about the pieces' size times the fixes, not the text's.
"""

from __future__ import annotations

import html as htmllib
import re
import sys
import threading
from collections import Counter
from typing import TYPE_CHECKING

from listlint.fix import FixRun, Trail, run_fixes
from listlint.lazyre import lazy
from listlint.records import NamedTuple

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Collection, Mapping, Sequence

    from markdown_it.token import Token

    from listlint.diagnostic import Diagnostic

CHANGE_KINDS = {
    "href-scheme": "the scheme of a link's href (http:// to https://)",
    "arxiv-href": "the href of arXiv links (the same paper at another URL)",
    "toc-list": "the table of contents: a list whose items start with in-page links",
    "block-order": "the order of blocks: sections, list items, table rows",
    "entry-removal": "whole entries removed: only the words of the removed text may go",
    "visible": "anything visible; checked as an unsafe fix is: no visible word is lost",
    "text:REGEX": "visible text matching REGEX may appear, disappear or change",
}
# Containers whose children a "block-order" fix may reorder.
_ORDERED = frozenset(("", "ul", "ol", "tbody", "blockquote"))
_BLOCK_HOLDERS = _ORDERED | {"li", "table", "thead", "tr"}
_VOID = frozenset(("img", "br", "hr", "input", "meta", "link", "area", "col", "embed", "wbr"))
_TOKEN = lazy(r"<!--.*?-->|</?[A-Za-z][^<>]*>|[^<]+|<", re.DOTALL)
_TAG_NAME = lazy(r"</?([A-Za-z][A-Za-z0-9-]*)")
_HREF_HTTP = lazy(r'(<a href=")http://', re.IGNORECASE)
_HREF_ARXIV = lazy(r'(<a href=")([a-z]+://[^"/]*(?:arxiv|lanl)[^"]*)"', re.IGNORECASE)
_TEXT_RUN = lazy(r"(?<=>)[^<]+|^[^<]+")
# A comment is not shown (an unclosed one hides the rest of the page).
_COMMENT = lazy(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = lazy(r"<[^>]*>")
_ALT = lazy(r'\balt="([^"]*)"')
_WORD = lazy(r"\w+")


def validate_kind(kind: object) -> str | None:
    """Why ``kind`` is not a change a rule can declare, or None."""
    if not isinstance(kind, str):
        return "must be a string"
    if kind.startswith("text:"):
        try:
            re.compile(kind[5:])
        except re.error as exc:
            return f"not a regular expression ({exc})"
        return None
    if kind not in CHANGE_KINDS:
        return "unknown; one of " + ", ".join(CHANGE_KINDS)
    return None


class Withheld(NamedTuple):
    """A fix held back: its rule and the 0-based line of its finding in the original."""

    rule: str
    line: int


class Guarded(NamedTuple):
    run: FixRun
    withheld: frozenset[Withheld]


class Apart(NamedTuple):
    """How to judge the fixes of one piece of a text on that piece alone (``_Local``):
    ``lint(piece, rule_names)`` lints a text of its own with the named fixing rules (None
    when a rule failed); ``rules``, the fixing rules whose findings depend on their piece
    alone (SCOPE "block" with their options)."""

    lint: Callable[[str, Collection[str], list[Token]], Sequence[Diagnostic] | None]
    rules: frozenset[str]


def guarded_fix(
    text: str,
    lint: Callable[[str, Collection[str] | None], Sequence[Diagnostic]],
    *,
    unsafe: bool,
    declared: Mapping[str, tuple[str, ...]],
    render: Callable[[str], str] | None = None,
    apart: Apart | None = None,
) -> Guarded:
    """Fix ``text`` to a fixed point with every fix that keeps GitHub's rendering as
    declared. ``lint(text, rule_names)`` lints with the fixing rules (all when None).
    ``apart``: when fixes must be withheld, those of these rules are looked for piece by
    piece, each piece fixed and judged on its own (see ``_Local``)."""
    ahead = _Ahead(render is None)
    if render is None:
        from listlint.github import render_html

        render = render_html
    judge = _Judge(text, render, declared)

    def run(names: Collection[str] | None, allowed: Callable[[Withheld], bool] | None) -> FixRun:
        def lint_names(t: str) -> Sequence[Diagnostic]:
            ahead(t)
            return lint(t, names)

        allow = None
        if allowed is not None:
            check = allowed

            def allow(d: Diagnostic, trail: Trail) -> bool:
                return check(Withheld(d.rule, trail.origin_line(d.start)))

        return run_fixes(text, lint_names, unsafe=unsafe, allow=allow)

    trail = Trail(text)

    def lint_first(t: str) -> Sequence[Diagnostic]:
        fixed = t is not text
        ahead(t, fixed, fixed and _rows_only(*trail.last_pass()))
        found = lint(t, None)
        if t is text and any(d.fix is not None for d in found):
            judge.prefetch()  # the text will change: render the original meanwhile
        return found

    try:
        first = run_fixes(text, lint_first, unsafe=unsafe, trail=trail)
        if judge.ok(first):
            return Guarded(first, frozenset())
        local = None if apart is None or unsafe else _Local(text, apart, judge, render)
        if not ahead.on:
            return _withhold(text, first, run, judge, lint, local)
        from listlint.github import pinned

        with pinned(text):  # each retry lints the original again: render it once
            return _withhold(text, first, run, judge, lint, local)
    finally:
        ahead.wait()  # no rendering started for the fix outlives it


def _withhold(
    text: str,
    first: FixRun,
    run: Callable[[Collection[str] | None, Callable[[Withheld], bool] | None], FixRun],
    judge: _Judge,
    lint: Callable[[str, Collection[str] | None], Sequence[Diagnostic]],
    local: _Local | None = None,
) -> Guarded:
    """Fix again without the fixes that change the rendering beyond their declaration,
    found by bisection (at most three rounds); the original text when none is safe."""
    withheld: set[Withheld] = set()
    current = first
    for _ in range(3):
        units = {_unit(current.trail, a.rule, a.origin) for a in current.applied} - withheld
        if not units:
            break
        withheld |= _blame(units, current, run, judge, local)
        blocked = frozenset(withheld)
        current = run(None, lambda u, b=blocked: u not in b)  # type: ignore[misc]
        if judge.ok(current):
            return Guarded(current, frozenset(withheld))
    # Still not safe (fixes that only together change the rendering): keep the text.
    units = {_unit(first.trail, a.rule, a.origin) for a in first.applied}
    unchanged = FixRun(text, [], lint(text, None), Trail(text))
    return Guarded(unchanged, frozenset(withheld | units))


# A line with a pipe next to a dash: the text may hold a table, and the table view then
# renders each text of the fix with source positions (as the guard needs it rendered).
_MAY_HOLD_TABLE = lazy(r"\|[ \t:]*-|-[ \t:]*\|")
_PREFETCH_SIZE = 50_000
# In the lines of a pass's edits, each after a newline: one that is no table row (no pipe
# after at most three spaces), and one that is a delimiter row (or blank).
_NO_ROW = lazy(r"\n(?! {0,3}\|)")
_DELIMITER_ROW = lazy(r"\n[-|: \t]*(?:\n|\Z)")


def _rows_only(replaced: Sequence[str], replacements: Sequence[str]) -> bool:
    """Did a pass replace only table rows by table rows, one line each (no delimiter
    row)? Then the next pass's views most likely read nothing of its text's rendering with
    positions (``listlint.carried``: each changed row stays one): a guess, which decides
    only what is rendered ahead (what is asked for and not rendered ahead is rendered
    when asked for). (Each side's lines are searched joined: a pattern a line cost 8 ms
    on the 4,193 rows of a catalog whose every table was re-padded, this 2 ms.)"""
    if not replacements:
        return False
    for lines in (replaced, replacements):
        joined = "\n" + "\n".join(lines)
        if joined.count("\n") != len(lines) or "\r" in joined:
            return False
        if _NO_ROW.search(joined) or _DELIMITER_ROW.search(joined):
            return False
    return True


def _prefetch(text: str, fixed: bool = False, rows: bool = False) -> Callable[[], None]:
    """Start GitHub's rendering of a large text in a thread while it is parsed and linted
    (the table view and the guard use it; cmark-gfm runs without the interpreter lock);
    returns what waits for that thread. For a ``fixed`` text (one the guard will judge,
    unless it is fixed again), also the rendering without positions the guard compares,
    derived from the first in a thread of its own once that is made (the same HTML,
    off the thread that lints); where only table ``rows`` changed (``_rows_only``), only
    that one, made of its pieces (``listlint.github.Pieces.render_plain``: the changed
    pieces rendered, without positions, which no view reads then)."""
    if len(text) >= _PREFETCH_SIZE and _MAY_HOLD_TABLE.search(text):
        from listlint.github import prefetch

        if fixed and rows:
            return prefetch(text, sourcepos=False)
        wait = prefetch(text, sourcepos=True)
        if not fixed:
            return wait
        plain = prefetch(text, sourcepos=False)

        def both() -> None:
            wait()
            plain()

        return both
    return _nothing


def _no_prefetch(text: str, fixed: bool = False, rows: bool = False) -> Callable[[], None]:
    return _nothing


def _nothing() -> None:
    pass


# The interpreter's switch interval while a fix's renderings run. A rendering thread takes
# the interpreter lock back after each call into cmark-gfm (a long text's changed pieces
# are rendered one by one: ``listlint.github.Pieces``), and while the lint runs Python it
# waits up to the interval for it each time: with the default 5 ms, the 60 table sections
# of a catalog whose every table was re-padded took 20 ms each (1 ms of work), and the
# second pass waited 40-80 ms for their rendering (none at this interval).
_SWITCH_INTERVAL = 0.0002


class _Short:
    """The short switch interval, shared by the fixes running at once (an editor's server
    may run several in threads): the first to ask sets it, the last to leave restores the
    interval there was before."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._before = 0.0

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._before = sys.getswitchinterval()
                sys.setswitchinterval(min(self._before, _SWITCH_INTERVAL))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._before)


_SHORT = _Short()


class _Ahead:
    """Starts the renderings of a fix's texts ahead (``_prefetch``, when ``on``), and
    waits for every one it started (``wait``); meanwhile the switch interval is short."""

    def __init__(self, on: bool) -> None:
        self.on = on
        self._started: list[Callable[[], None]] = []
        self._short = False  # whether this fix asked for the short interval

    def __call__(self, text: str, fixed: bool = False, rows: bool = False) -> None:
        if self.on:
            started = _prefetch(text, fixed, rows)
            if started is not _nothing and not self._short:
                _SHORT.enter()
                self._short = True
            self._started.append(started)

    def wait(self) -> None:
        try:
            for wait in self._started:
                wait()
        finally:
            self._started.clear()
            if self._short:
                self._short = False
                _SHORT.leave()


def _unit(trail: Trail, rule: str, origin: int) -> Withheld:
    return Withheld(rule, trail.original_line(origin))


def _blame(
    units: set[Withheld],
    current: FixRun,
    run: Callable[[Collection[str] | None, Callable[[Withheld], bool] | None], FixRun],
    judge: _Judge,
    local: _Local | None = None,
) -> set[Withheld]:
    """The units whose fixes change the rendering beyond their declaration."""
    order: list[str] = []
    for a in current.applied:
        if a.rule not in order:
            order.append(a.rule)

    def passes(subset: Collection[Withheld]) -> bool:
        names = {u.rule for u in subset}
        return judge.ok(run(names, lambda u: u in subset))

    def search(subset: list[Withheld], piece: _Piece | None = None) -> list[Withheld]:
        verdict = None if piece is None or local is None else local.passes(piece, subset)
        if verdict is None:
            verdict = passes(set(subset))
        if verdict:
            return []
        if len(subset) == 1:
            return subset
        half = len(subset) // 2
        bad = search(subset[:half], piece) + search(subset[half:], piece)
        return bad or subset  # only together: hold back the group

    bad: set[Withheld] = set()
    for rule in order:
        mine = sorted(u for u in units if u.rule == rule)
        groups = local.groups(rule, mine) if local is not None else None
        if groups is None:
            bad.update(search(mine))
            continue
        # The rule's fixes in one piece change nothing outside it: each piece's are
        # looked for on that piece alone (a fix there and one elsewhere change the
        # rendering each on its own or not at all).
        for piece, subset in groups:
            bad.update(search(subset, piece))
    if bad:
        return bad
    # Each rule is fine alone, not all together: keep rules while they still pass.
    kept: set[Withheld] = set()
    for rule in order:
        group = {u for u in units if u.rule == rule}
        if passes(kept | group):
            kept |= group
        else:
            bad |= group
    return bad


class _CannotApart(Exception):
    """A piece that cannot be fixed and judged on its own after all."""


class _Piece(NamedTuple):
    """A piece of the original text (``listlint.pieces``): its text, its first line, and
    whether it is the last of the text."""

    text: str
    line: int
    last: bool


_SENTINEL_HTML = "<h1>listlint</h1>\n"


class _Local:
    """Looking for the fixes to withhold piece by piece.

    A piece (``listlint.pieces``: from a top-level heading after a blank line to the next
    such heading) that closes everything it opens, in markdown-it-py and in cmark-gfm
    (checked with a sentinel heading after it, for the original piece and every fixed one),
    is parsed and rendered on its own as within its text, when the text defines no link
    references or footnotes (``]:``), holds no suppression comment, no CR and no byte-order
    mark, and no HTML comment left open in a piece's rendering. Then a rule whose findings
    depend on their piece alone (SCOPE "block") fixes a piece as it fixes it within the
    text, and the fixed text renders as the original but for that piece's HTML: a run that
    allows only fixes of one piece gives the whole run's text, and the guard's verdict on
    it (equal HTML, or equal once normalised, where every normalisation but the tree's
    ``toc-list`` and ``block-order`` is local to a tag or a text run), fixing and rendering
    only the piece. (Safe fixes only: unsafe ones are judged by words counted over the
    whole text, which fixes in two pieces may balance.)
    """

    def __init__(
        self, text: str, apart: Apart, judge: _Judge, render: Callable[[str], str]
    ) -> None:
        self.text = text
        self.apart = apart
        self.declared = judge.declared
        self.render = render
        self._pieces: list[_Piece] | None = None
        self._starts: list[int] = []
        self._judges: dict[int, _Judge] = {}
        self._first: dict[tuple[int, frozenset[str]], Sequence[Diagnostic] | None] = {}

    def groups(
        self, rule: str, units: list[Withheld]
    ) -> list[tuple[_Piece, list[Withheld]]] | None:
        """``units`` (sorted) by piece, or None when they cannot be looked for apart."""
        kinds = self.declared.get(rule, ())
        if rule not in self.apart.rules or any(
            k in ("toc-list", "block-order", "visible", "entry-removal") for k in kinds
        ):
            return None
        pieces = self.pieces()
        if pieces is None or len(pieces) < 2:
            return None
        from bisect import bisect_right

        out: list[tuple[_Piece, list[Withheld]]] = []
        for u in units:
            piece = pieces[bisect_right(self._starts, u.line) - 1]
            if out and out[-1][0] is piece:
                out[-1][1].append(u)
            else:
                out.append((piece, [u]))
        return out

    def pieces(self) -> list[_Piece] | None:
        """The text's pieces that close in both parsers, or None when the text does not
        render piece by piece."""
        if self._pieces is not None:
            return self._pieces or None
        self._pieces = []
        text = self.text
        if not _apart_text(text):
            return None
        from listlint.pieces import _cuts, _line_count

        cuts = _cuts(text)
        out: list[_Piece] = []
        line = 0
        k = 0
        while k < len(cuts) - 1:
            start, end = cuts[k], cuts[k + 1]
            step = 1
            while True:
                piece = text[start:end]
                last = end == len(text)
                html = self.render(piece) if last else self._closing_html(piece)
                if html is not None:
                    break
                k = min(k + step, len(cuts) - 2)  # runs on: with the next ones (twice
                step *= 2  # as many each time, as listlint.pieces does)
                end = cuts[k + 1]
            if not _comments_closed(html):
                return None
            out.append(_Piece(piece, line, last))
            line += _line_count(piece)
            k += 1
        self._pieces = out
        self._starts = [p.line for p in out]
        return out

    def _lint(self, text: str, names: Collection[str], last: bool) -> Sequence[Diagnostic] | None:
        """The named rules' findings on a piece of its own, parsed once (with the
        sentinel that tells whether it closes); None when it does not close, or a rule
        failed."""
        from listlint.pieces import _parse_piece

        tokens, closed = _parse_piece(text, last)
        return self.apart.lint(text, names, tokens) if closed else None

    def _closing_html(self, piece: str) -> str | None:
        """The piece's rendering when it closes everything it opens in both parsers (a
        sentinel heading after it is a top-level heading in each), else None."""
        from listlint.pieces import _parse_piece

        if not _parse_piece(piece, False)[1]:
            return None
        return self._closing_render(piece)

    def _closing_render(self, piece: str) -> str | None:
        """The piece's rendering when it closes in cmark-gfm, else None."""
        html = self.render(piece + "# listlint\n")
        return html[: -len(_SENTINEL_HTML)] if html.endswith(_SENTINEL_HTML) else None

    def passes(self, piece: _Piece, subset: Collection[Withheld]) -> bool | None:
        """Does the run allowing only ``subset`` (fixes of one rule in ``piece``) keep the
        rendering as declared? None when that cannot be told on the piece alone."""
        names = frozenset(u.rule for u in subset)
        allowed = set(subset)
        key = (piece.line, names)
        base = piece.line

        def lint(t: str) -> Sequence[Diagnostic]:
            if t == piece.text:
                if key not in self._first:
                    self._first[key] = self._lint(t, names, piece.last)
                found = self._first[key]
            else:
                found = self._lint(t, names, piece.last)
            if found is None:
                raise _CannotApart
            return found

        def allow(d: Diagnostic, trail: Trail) -> bool:
            return Withheld(d.rule, base + trail.origin_line(d.start)) in allowed

        try:
            fixed = run_fixes(piece.text, lint, unsafe=False, allow=allow)
        except _CannotApart:
            return None
        new = fixed.text
        if new == piece.text:
            return True
        if not _apart_text(new):
            return None
        # (The run linted the fixed piece last: it closes in markdown-it-py, or the run
        # would have raised _CannotApart.)
        html = self.render(new) if piece.last else self._closing_render(new)
        if html is None or not _comments_closed(html):
            return None
        judge = self._judges.get(piece.line)
        if judge is None:
            judge = self._judges[piece.line] = _Judge(piece.text, self.render, self.declared)
        return judge.ok(fixed)


def _apart_text(text: str) -> bool:
    """Does nothing in ``text`` reach across its pieces (see ``_Local``)?"""
    return not ("]:" in text or "listlint-" in text or "\r" in text or text.startswith("\ufeff"))


def _comments_closed(html: str) -> bool:
    """Is every HTML comment in ``html`` closed there (``normalise`` drops an open one
    to the end of the text)?"""
    pos = html.find("<!--")
    while pos != -1:
        end = html.find("-->", pos + 4)
        if end == -1:
            return False
        pos = html.find("<!--", end + 3)
    return True


class _Judge:
    """Compares renderings of fixed texts with the original's."""

    def __init__(
        self, text: str, render: Callable[[str], str], declared: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.text = text
        self.render = render
        self.declared = declared
        self._html: str | None = None
        self._normal: dict[frozenset[str], str] = {}
        self._words: Counter[str] | None = None
        self._lines: list[str] | None = None
        self._thread: threading.Thread | None = None

    def prefetch(self) -> None:
        """Render the original in a thread (cmark-gfm runs without the interpreter lock)
        while the fixes are applied; ``html`` waits for it."""
        if self._thread is None and self._html is None and len(self.text) > 50_000:
            import threading

            def work() -> None:
                self._html = self.render(self.text)

            self._thread = threading.Thread(target=work, daemon=True)
            self._thread.start()

    @property
    def html(self) -> str:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._html is None:
            self._html = self.render(self.text)
        return self._html

    def ok(self, run: FixRun) -> bool:
        if run.text == self.text:
            return True
        new = self.render(run.text)
        kinds: set[str] = set()
        unsafe = False
        for a in run.applied:
            kinds.update(self.declared.get(a.rule, ()))
            unsafe = unsafe or a.applicability == "unsafe"
        if unsafe or "visible" in kinds:
            return self._keeps_words(new, run, "toc-list" in kinds)
        if new == self.html:
            return True
        key = frozenset(kinds)
        if key <= _LOCAL_KINDS:
            # Tag-local changes: compare only the lines where the two renderings differ
            # (line by line when the lines correspond, else the span between the common
            # beginning and end).
            if self._lines is None:
                self._lines = self.html.split("\n")
            lines = new.split("\n")
            if len(lines) == len(self._lines):
                return all(
                    normalise(x, key) == normalise(y, key)
                    for x, y in zip(self._lines, lines, strict=True)
                    if x != y
                )
            old_part, new_part = _differing_lines(self.html, new)
            return normalise(old_part, key) == normalise(new_part, key)
        if key not in self._normal:
            self._normal[key] = normalise(self.html, key)
        return self._normal[key] == normalise(new, key)

    def _keeps_words(self, new: str, run: FixRun, toc: bool = False) -> bool:
        if toc:
            # A toc fix went in beside an unsafe one: the table of contents may change
            # (entries for absent headings dropped) as it may when the toc fix is judged
            # alone, so its words are compared on neither side.
            toc_only = frozenset(("toc-list",))
            if toc_only not in self._normal:
                self._normal[toc_only] = normalise(self.html, toc_only)
            lost = visible_words(self._normal[toc_only]) - visible_words(normalise(new, toc_only))
        else:
            if self._words is None:
                self._words = visible_words(self.html)
            lost = self._words - visible_words(new)
        if not lost:
            return True
        removed = [
            a.pass_text[e.start : e.end]
            for a in run.applied
            if "entry-removal" in self.declared.get(a.rule, ())
            for e in a.edits
        ]
        if removed:
            lost -= visible_words(self.render("\n\n".join(removed)))
        # Words a rule declares it rewrites ("text:REGEX") may go.
        patterns = [
            re.compile(k[5:], re.IGNORECASE)
            for a in run.applied
            for k in self.declared.get(a.rule, ())
            if k.startswith("text:")
        ]
        return not [w for w in lost if not any(p.fullmatch(w) for p in patterns)]


_LOCAL_KINDS = frozenset(("href-scheme", "arxiv-href"))
_BLOCK = 1 << 16


def _differing_lines(a: str, b: str) -> tuple[str, str]:
    """The lines of ``a`` and ``b`` between their common prefix and common suffix (whole
    lines: every tag-local normalisation sees its tags entire)."""
    n = min(len(a), len(b))
    p = 0
    while p + _BLOCK <= n and a[p : p + _BLOCK] == b[p : p + _BLOCK]:
        p += _BLOCK
    hi = min(n, p + _BLOCK)
    while p < hi and a[p] == b[p]:
        p += 1
    s = 0
    limit = n - p
    while s + _BLOCK <= limit and (
        a[len(a) - s - _BLOCK : len(a) - s] == b[len(b) - s - _BLOCK : len(b) - s]
    ):
        s += _BLOCK
    while s < limit and a[len(a) - s - 1] == b[len(b) - s - 1]:
        s += 1
    start = a.rfind("\n", 0, p) + 1
    cut = a.find("\n", len(a) - s)  # the first line break in the common suffix
    tail = len(a) - cut if cut != -1 else 0
    return a[start : len(a) - tail], b[start : len(b) - tail]


def visible_words(html: str) -> Counter[str]:
    """The words a reader sees in ``html`` (text and image descriptions), case-folded."""
    html = _COMMENT.sub(" ", html)
    alts = " ".join(_ALT.findall(html))
    text = htmllib.unescape(_TAG.sub(" ", html) + " " + alts)
    return Counter(_WORD.findall(text.casefold()))


def normalise(html: str, kinds: Collection[str]) -> str:
    """``html`` with the declared kinds of change undone (made the same on both sides);
    HTML comments, which GitHub does not show, left out."""
    if "<!--" in html:
        html = _COMMENT.sub("", html)
    if not kinds:
        return html
    if "href-scheme" in kinds:
        html = _HREF_HTTP.sub(r"\1https://", html)
    if "arxiv-href" in kinds:
        html = _HREF_ARXIV.sub(_arxiv_href, html)
    patterns = [re.compile(k[5:]) for k in sorted(kinds) if k.startswith("text:")]
    if patterns:

        def strip(m: re.Match[str]) -> str:
            run = htmllib.unescape(m.group())
            for p in patterns:
                run = p.sub("", run)
            return htmllib.escape(run, quote=False)

        html = _TEXT_RUN.sub(strip, html)
    if "toc-list" in kinds or "block-order" in kinds:
        tree = _parse(html)
        if "toc-list" in kinds:
            _drop_toc_lists(tree)
        html = _serialise(tree, "block-order" in kinds)
    return html


def _arxiv_href(m: re.Match[str]) -> str:
    from listlint.arxiv import parse_url

    url = parse_url(htmllib.unescape(m.group(2)))
    if url is None or not url.on_arxiv:
        return m.group()
    return f'{m.group(1)}arxiv:{url.id.canonical}"'


# -- a small tree of cmark-gfm's HTML (raw HTML passes through; unmatched tags are text) --
class _Node:
    __slots__ = ("children", "open", "tag")

    def __init__(self, tag: str, open_: str) -> None:
        self.tag = tag
        self.open = open_
        self.children: list[_Node | str] = []


def _parse(html: str) -> _Node:
    root = _Node("", "")
    stack = [root]
    for m in _TOKEN.finditer(html):
        token = m.group()
        name = _TAG_NAME.match(token) if token.startswith("<") else None
        if name is None or token.startswith("<!--"):
            stack[-1].children.append(token)
            continue
        tag = name.group(1).lower()
        if token.startswith("</"):
            for depth in range(len(stack) - 1, 0, -1):
                if stack[depth].tag == tag:
                    del stack[depth:]
                    break
            else:
                stack[-1].children.append(token)
            continue
        node = _Node(tag, token)
        stack[-1].children.append(node)
        if tag not in _VOID and not token.endswith("/>"):
            stack.append(node)
    return root


def _first_element(node: _Node) -> _Node | None:
    for child in node.children:
        if isinstance(child, str):
            if child.strip():
                return None
            continue
        return child
    return None


def _toc_item_link(li: _Node) -> str | None:
    """How a list item of a table of contents starts: "#" (an in-page link), "a" (a link
    to another page, such as Contributing), None (not with a link)."""
    first = _first_element(li)
    holder = first if first is not None and first.tag == "p" else li
    return _leading_link(holder, 2)


# Entries of a table of contents carry emoji, bold markup or badges around their link
# (`- 🔧 [Tools](#tools)`, `- **[Tools](#tools)**`): the first link decides, before any block.
_INLINE_WRAPPERS = frozenset(("strong", "em", "b", "i", "span", "sup", "sub", "g-emoji"))


def _nested_kinds(li: _Node) -> list[str | None]:
    """How ``li`` and the items of the lists nested in it start (see _toc_item_link)."""
    kinds = [_toc_item_link(li)]
    for child in li.children:
        if isinstance(child, _Node) and child.tag in ("ul", "ol"):
            for item in child.children:
                if isinstance(item, _Node) and item.tag == "li":
                    kinds.extend(_nested_kinds(item))
    return kinds


def _leading_link(node: _Node, depth: int) -> str | None:
    for child in node.children:
        if isinstance(child, str):
            continue
        if child.tag == "a":
            return "#" if 'href="#' in child.open else "a"
        if child.tag in _INLINE_WRAPPERS and depth:
            found = _leading_link(child, depth - 1)
            if found is not None:
                return found
            continue
        if child.tag not in ("img", "br"):
            return None
    return None


def _drop_toc_lists(node: _Node) -> None:
    kept: list[_Node | str] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag in ("ul", "ol"):
                items = [c for c in child.children if isinstance(c, _Node)]
                kinds = [_toc_item_link(c) if c.tag == "li" else None for c in items]
                # In-page links, and a few links to other pages among them (as toc reads
                # it: most of its entries, nested ones too, link in-page)
                if items and None not in kinds:
                    every = [k for c in items for k in _nested_kinds(c)]
                    if every.count("#") * 2 > len(every):
                        continue
            _drop_toc_lists(child)
        kept.append(child)
    node.children = kept


def _serialise(node: _Node, unordered: bool) -> str:
    parts = [c if isinstance(c, str) else _serialise(c, unordered) for c in node.children]
    if node.tag in _BLOCK_HOLDERS:  # the line breaks cmark-gfm writes between blocks
        parts = [p for p in parts if p.strip() or "\n" not in p]
    if unordered and node.tag in _ORDERED:
        parts = sorted(p for p in parts if p.strip())
    inner = "".join(parts)
    if not node.tag:
        return inner
    if node.tag in _VOID or node.open.endswith("/>"):
        return node.open + inner
    return f"{node.open}{inner}</{node.tag}>"
