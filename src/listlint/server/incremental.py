"""Check again only the part of a document that an edit changed.

The pieces (``listlint.pieces``: the parts of a document that begin at a top-level heading
after a blank line and are parsed on their own) are parsed again only where the text
changed (the fix loop uses them too, between its passes), and the rules whose findings
depend on one piece alone are run again only on the pieces that changed (``Lints``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from listlint.document import parse
from listlint.pieces import Pieces

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from markdown_it.token import Token

    from listlint.diagnostic import Finding
    from listlint.document import Document
    from listlint.lint import LintResult
    from listlint.registry import Rule
    from listlint.server.composed import Facts, Joined
    from listlint.views.structure import Heading

__all__ = ["Lints", "Pieces"]

# A blank line, then an ATX heading at the start of the next line: where a piece may begin
# (as listlint.pieces cuts).
_CUT = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)(?=#{1,6}(?:[ \t\r\n]|\Z))")


class Span(NamedTuple):
    """One piece: offsets into the body, first line, and where its tokens are in the
    document's."""

    start: int
    end: int
    line: int  # first line
    first_token: int
    end_token: int


def _line_count(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def pieces_of(body: str, tokens: list[Token]) -> list[Span]:
    """The pieces of ``body`` in its block tokens: a place where a piece may begin (a
    blank line, then a heading) begins one when a top-level heading starts on its line
    (then nothing before it runs on)."""
    starts: dict[int, int] = {}  # the line a possible cut starts -> its offset
    line = 0
    prev = 0
    for m in _CUT.finditer(body):
        line += _line_count(body[prev : m.end()])
        starts[line] = prev = m.end()
    out: list[Span] = []
    start, first, begin = 0, 0, 0
    if starts:
        for i, tok in enumerate(tokens):
            if tok.type != "heading_open" or tok.level != 0 or tok.map is None:
                continue
            end = starts.get(tok.map[0])
            if end is None:
                continue
            out.append(Span(start, end, first, begin, i))
            start, first, begin = end, tok.map[0], i
    out.append(Span(start, len(body), first, begin, len(tokens)))
    return out


# -- linting only what changed ------------------------------------------------------------
#
# A rule declares what its findings depend on (``SCOPE``, listlint.registry.SCOPES). The
# findings of a "block" rule on one piece depend on that piece's text alone, so they are
# kept by text between versions and only the pieces an edit touched are checked again, each
# as a document of its own (its offsets shifted into the whole text afterwards). A
# "section" rule also reads the headings that enclose the piece: it is checked on those
# headings' lines followed by the piece, and kept by both. "document" rules (the default,
# and what plugins get) run on the whole document, as ``lint_text`` runs them. Suppression
# comments are applied to every finding on the whole document, so that they (and
# unused-suppression) see what a whole lint sees. The result equals ``lint_text``'s
# (tested on generated edit sequences and on the corpus).

Key = tuple[str, str, str]  # rule, enclosing headings' lines, the piece's text
# What was found: the piece's first line when it was checked, and the findings, with offsets
# into the piece. Messages may name lines ("already listed at line 12"), so findings are
# kept for a piece that moved only when there were none.
Found = tuple[int, tuple["Finding", ...]]


def _shifted(findings: Sequence[Finding], by: int) -> list[Finding]:
    if not by:
        return list(findings)
    from listlint.diagnostic import Edit, Fix

    out = []
    for f in findings:
        fix = f.fix
        if fix is not None:
            edits = tuple(Edit(e.start + by, e.end + by, e.replacement) for e in fix.edits)
            fix = Fix(fix.title, edits, fix.applicability)
        out.append(f._replace(start=f.start + by, end=f.end + by, fix=fix))
    return out


class Lints:
    """The pieces of one document and its block and section rules' findings on each,
    kept between its versions (see ``Pieces`` for what a piece is)."""

    def __init__(self) -> None:
        self.pieces = Pieces()
        self._found: dict[Key, Found] = {}
        self._setup: tuple[Any, ...] | None = None  # what the kept findings were found with
        self._facts: dict[tuple[str, str], Facts] = {}  # by the piece's text and newline
        self._counts: dict[str, dict[str, int]] = {}  # duplicate-url's, by the piece's text
        self._seen: set[str] = set()  # the pieces of the last version
        # Check by pieces when at least this share of the text is in pieces of the last
        # version (the first version is always checked by pieces: then typing is cheap).
        self.reuse = 0.5
        self.checked = 0  # pieces checked by a rule in the last lint (the rest were kept)
        self.kept = 0
        self.by_piece: set[str] = set()  # the rules checked piece by piece in the last lint
        self.joined = False  # the last lint read document-wide views joined from pieces

    def tokens(self, doc: Document) -> list[Token]:
        """The document's block tokens, parsed again only where the text changed (for
        ``doc.tokens``)."""
        return self.pieces.parse(doc.text[doc.body_start :])

    def lint(
        self,
        doc: Document,
        rules: Sequence[Rule],
        options: Mapping[str, Any],
        cancelled: Callable[[], bool],
    ) -> LintResult | None:
        """``lint_text``'s result for ``doc``, or None when ``cancelled()`` says (between two
        rules or two pieces) that it is no longer wanted."""
        from listlint.lint import (
            LintResult,
            diagnostic_order,
            drop_deferred,
            lint_document,
            to_diagnostics,
        )

        body = doc.text[doc.body_start :]
        spans = pieces_of(body, doc.tokens)
        setup = (list(rules), dict(options), doc.path, doc.newline)
        if setup != self._setup:
            self._found = {}
            self._counts = {}
            self._setup = setup
        texts = [body[span.start : span.end] for span in spans]  # each hashed once
        seen, self._seen = self._seen, set(texts)
        local = len(spans) > 1 and _references_local(doc, spans)
        changed = sum(len(t) for t in texts if t not in seen)
        if local and seen and changed > (1 - self.reuse) * len(body):
            # Most of the text changed (or one piece is most of it): checking the pieces
            # costs more than the whole document. The kept findings stay for next time.
            local = False
        subdocs = _Subdocs(doc, spans)
        joined = self._join(doc, texts, spans, subdocs) if local else None
        # No definition: no reference link resolves, in the document or in a piece.
        undefined = local and "]:" not in doc.text
        result = LintResult(document=doc)
        suppressions = doc.suppressions
        suppressions.known.update(options)
        found: dict[Key, Found] = {}
        scopes = {r.name: r.scope_for(options[r.name]) for r in rules}
        contexts: list[Context] | None = None
        if local and "section" in scopes.values():
            contexts = _contexts(doc, spans)
        self.checked = self.kept = 0
        self.by_piece = set()
        self.joined = joined is not None
        try:
            for rule in sorted(rules, key=lambda r: r.runs_last):
                if cancelled():
                    return None
                own = options[rule.name]
                scope = scopes[rule.name]
                how = _by_pieces(rule, own, undefined) if scope == "document" else None
                if how == "facade" and joined is not None:
                    facade = _facade_findings(rule, own, doc, joined)
                    if facade is not None:
                        suppressions.judged[rule.name] = rule
                        result.diagnostics += to_diagnostics(doc, rule, facade, suppressions)
                        continue
                elif how in ("block", "combined"):
                    scope = "block"
                if not local or scope == "document" or rule.compares_files(own):
                    part = lint_document(doc, [rule], options)
                    result.diagnostics += part.diagnostics
                    result.errors += part.errors
                    continue
                findings: list[Finding] = []
                each: list[tuple[Finding, ...]] = []  # by piece
                apart = True  # every piece could be checked on its own
                for k, span in enumerate(spans):
                    context = contexts[k] if contexts else NO_CONTEXT
                    # A block rule's findings are the same after any context (the piece's
                    # own heading comes first): they are kept by the piece's text alone.
                    key = (
                        rule.name,
                        context.text if scope == "section" else "",
                        texts[k],
                    )
                    hit = found.get(key) or self._found.get(key)
                    if hit is not None and (hit[0] == span.line or not hit[1]):
                        self.kept += 1
                    else:
                        if cancelled():
                            return None
                        sub = subdocs.get(k, context)
                        checked = _check_piece(rule, own, sub, len(key[2]))
                        if checked is None:  # raised, or cannot be checked apart
                            apart = False
                            break
                        hit = (span.line, checked)
                        self.checked += 1
                    found[key] = hit
                    each.append(hit[1])
                    findings += _shifted(hit[1], doc.body_start + span.start)
                if how == "combined" and apart and findings:
                    exact = self._duplicates(rule, own, doc, spans, texts, each, subdocs)
                    if exact is None:
                        apart = False
                    else:
                        findings = exact
                if not apart:  # as lint_text runs it (and reports what it raised)
                    part = lint_document(doc, [rule], options)
                    result.diagnostics += part.diagnostics
                    result.errors += part.errors
                    continue
                self.by_piece.add(rule.name)
                suppressions.judged[rule.name] = rule
                result.diagnostics += to_diagnostics(doc, rule, findings, suppressions)
        finally:
            subdocs.release()
        self._found = found if local else self._found
        result.diagnostics = drop_deferred(result.diagnostics, rules)  # as lint_text does
        result.diagnostics.sort(key=diagnostic_order)
        return result

    def _join(
        self, doc: Document, texts: list[str], spans: list[Span], subdocs: _Subdocs
    ) -> Joined | None:
        """The document-wide views joined from the pieces' facts (``composed``), read
        again only for pieces whose text changed; installed as ``doc.structure``. None
        when a piece cannot be read apart."""
        from listlint.server.composed import join, read_facts

        old = self._facts
        facts: dict[tuple[str, str], Facts] = {}
        ordered: list[Facts] = []
        newline = doc.newline
        for k, span in enumerate(spans):
            key = (texts[k], newline)
            f = facts.get(key) or old.get(key)
            if f is None:
                sub = subdocs.get(k, NO_CONTEXT)
                try:
                    f = read_facts(sub, len(key[0]), span.line) if sub is not None else None
                except Exception:  # a rule raising on it says so, on the whole document
                    f = None
                if f is None:
                    self._facts = {}
                    return None
            f = f.moved(span.line)
            facts[key] = f
            ordered.append(f)
        self._facts = facts
        joined = join(doc, [span.start for span in spans], ordered)
        doc.__dict__["structure"] = joined.structure
        return joined

    def _duplicates(
        self,
        rule: Rule,
        options: Any,
        doc: Document,
        spans: list[Span],
        texts: list[str],
        each: list[tuple[Finding, ...]],
        subdocs: _Subdocs,
    ) -> list[Finding] | None:
        """duplicate-url's findings with the fixes the whole document gives them: its
        findings are those of the pieces, but whether a duplicate may be removed depends
        on how often the other pieces link the entry's other links. So each piece with a
        finding is checked again, told those counts (``duplicate_url.ELSEWHERE``); every
        piece's links are counted once, and kept by its text. None: a piece could not be
        checked apart."""
        from listlint.rules.duplicate_url import ELSEWHERE, key_counts

        counts: list[dict[str, int]] = []
        out: list[Finding] = []
        try:
            for k in range(len(spans)):
                c = self._counts.get(texts[k])
                if c is None:
                    sub = subdocs.get(k, NO_CONTEXT)
                    if sub is None:
                        return None
                    c = self._counts[texts[k]] = key_counts(sub, options)
                counts.append(c)
            for k, span in enumerate(spans):
                if not each[k]:
                    continue
                others = counts[:k] + counts[k + 1 :]
                sub = subdocs.get(k, NO_CONTEXT)
                if sub is None:
                    return None
                sub.__dict__[ELSEWHERE] = lambda key, o=others: sum(c.get(key, 0) for c in o)
                try:
                    checked = _check_piece(rule, options, sub, len(texts[k]))
                finally:
                    del sub.__dict__[ELSEWHERE]
                if checked is None:
                    return None
                out += _shifted(checked, doc.body_start + span.start)
        except Exception:  # raised on a piece: as lint_text runs it
            return None
        finally:
            if len(self._counts) > 2 * len(spans):  # texts no longer in the document
                wanted = set(texts)
                self._counts = {t: c for t, c in self._counts.items() if t in wanted}
        return out


# The document rules checked from the pieces when they can be (see ``_by_pieces``).
_COMBINED = "duplicate-url"


def _by_pieces(rule: Rule, options: Any, undefined: bool) -> str | None:
    """How a document rule can be checked without its whole-document views: "facade"
    (link-fragment, link-relative: on the joined structure and links, ``composed``),
    "block" (link-reference when nothing is defined: its findings are unresolved
    references, each in its piece), "combined" (duplicate-url, comparing entries within
    sections, when nothing is defined: the whole document has a duplicate only where a
    piece has one, but whether it may be removed depends on the other pieces: see
    ``Lints._duplicates``); None: on the whole document."""
    from listlint.server.composed import LINK_RULES

    if rule.origin != "builtin":
        return None
    if rule.name in LINK_RULES:
        return "facade"
    if not undefined:
        return None
    if rule.name == "link-reference":
        return "block"
    if (
        rule.name == _COMBINED
        and getattr(options, "scope", None) == "section"
        and not options.mentions
        and not options.mention_columns
    ):
        return "combined"
    return None


def _facade_findings(
    rule: Rule, options: Any, doc: Document, joined: Joined
) -> list[Finding] | None:
    """The rule's findings on the joined views; None when it reads more (or raises)."""
    from listlint.server.composed import Facade

    try:
        return list(rule.check(Facade(doc, joined), options))  # type: ignore[arg-type]
    except Exception:
        return None


class _Subdocs:
    """The pieces' own documents (``_subdoc``) in one lint, by piece and context, built
    when first needed and released together: the facts of ``composed``, the block rules
    of a piece without context and duplicate-url read one document, and its views."""

    def __init__(self, doc: Document, spans: list[Span]) -> None:
        self.doc = doc
        self.spans = spans
        self.made: dict[tuple[int, str], Document | None] = {}

    def get(self, k: int, context: Context) -> Document | None:
        key = (k, context.text)
        if key not in self.made:
            self.made[key] = _subdoc(self.doc, context, self.spans[k])
        return self.made[key]

    def release(self) -> None:
        for sub in self.made.values():
            if sub is not None:
                sub.release()
        self.made = {}


def _references_local(doc: Document, spans: list[Span]) -> bool:
    """Does every reference link resolve to a definition in its own piece (and is no label
    defined twice)? Then a piece's links are the same on its own as in the document."""
    if "]:" not in doc.text:  # no definition: no reference link resolves anywhere
        return True
    from bisect import bisect_right

    starts = [doc.body_start + span.start for span in spans]
    links = doc.links
    labels: set[str] = set()
    for d in links.definitions:
        if d.label in labels:
            return False
        labels.add(d.label)
    return all(
        bisect_right(starts, link.start) == bisect_right(starts, link.url_start)
        for link in links.links
        if link.kind == "reference"
    )


class Context(NamedTuple):
    """The headings that enclose a piece: their lines (each followed by a blank line), and
    their levels and texts as the document reads them."""

    text: str
    headings: tuple[tuple[int, str], ...]


NO_CONTEXT = Context("", ())


def _contexts(doc: Document, spans: list[Span]) -> list[Context]:
    """For each piece, what a section rule reads of the document before it."""
    headings = doc.structure.headings
    newline = doc.newline
    out: list[Context] = []
    stack: list[Heading] = []
    i = 0
    for span in spans:
        while i < len(headings) and headings[i].line < span.line:
            h = headings[i]
            while stack and stack[-1].level >= h.level:
                stack.pop()
            stack.append(h)
            i += 1
        text = "".join(
            newline.join(doc.line(n) for n in range(h.line, h.end_line)) + newline * 2
            for h in stack
        )
        out.append(Context(text, tuple((h.level, h.text) for h in stack)))
    return out


def _check_piece(
    rule: Rule, options: Any, sub: Document | None, size: int
) -> tuple[Finding, ...] | None:
    """The rule's findings on a piece's own document (``_subdoc``), with offsets into the
    piece (its last ``size`` characters); None when the rule raised or the piece cannot be
    checked apart."""
    if sub is None:
        return None
    try:
        findings = list(rule.check(sub, options))
    except Exception:
        return None
    skip = len(sub.text) - size
    return tuple(_shifted([f for f in findings if f.start >= skip], -skip))


def _subdoc(doc: Document, context: Context, span: Span) -> Document | None:
    """A document of one piece: the headings that enclose it, blank lines up to the
    piece's first line (so that line numbers are the document's), then the piece, with the
    document's tokens for it; None if the headings do not come out as they are in ``doc``."""
    from listlint.document import Document

    newline = doc.newline
    above = context.text.count(newline)  # the context is lines each ending with one
    if above > span.line:
        return None
    text = doc.text[doc.body_start + span.start : doc.body_start + span.end]
    sub = Document(context.text + newline * (span.line - above) + text, doc.path)
    sub.__dict__["newline"] = newline
    own = doc.tokens[span.first_token : span.end_token]
    sub.__dict__["tokens"] = parse(context.text) + own if context.text else own
    if context.headings:
        # The enclosing headings must come out as the document reads them, and alone.
        found = sub.structure.headings
        n = len(context.headings)
        ours = tuple((h.level, h.text) for h in found[:n])
        if ours != context.headings or (len(found) > n and found[n].start < len(context.text)):
            sub.release()
            return None
    return sub
