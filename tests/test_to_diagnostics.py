"""``lint.to_diagnostics`` places each finding as ``Document.position`` and ``line`` do."""

from __future__ import annotations

from explore import explored
from hypothesis import given
from hypothesis import strategies as st

from listlint.diagnostic import Diagnostic, Edit, Finding, Fix
from listlint.document import Document
from listlint.lint import _declared, to_diagnostics
from listlint.registry import Rule

LINE = st.lists(
    st.sampled_from(
        ["a", "|", " ", "中", "<!-- listlint-disable-next-line x -->", "<!-- listlint-disable -->"]
    ),
    max_size=4,
).map("".join)
TEXT = st.tuples(
    st.sampled_from(["", "---\ntitle: x\n---\n", "\ufeff"]),
    st.lists(st.tuples(LINE, st.sampled_from(["\n", "\r\n", "\r"])), max_size=6),
    LINE,
).map(lambda t: t[0] + "".join(a + b for a, b in t[1]) + t[2])
FIX = st.sampled_from([None, Fix("f", (Edit(0, 0, "x"),)), Fix("u", (Edit(0, 0, "y"),), "unsafe")])


def _rule(name: str, fix: str) -> Rule:
    return Rule(name, "LL999", "s", "warning", False, fix, object, lambda d, o: iter(()), "test")


def _expected(doc: Document, rule: Rule, findings: list[Finding]) -> list[Diagnostic]:
    """to_diagnostics as it was written before its fast path (one finding at a time)."""
    out = []
    size = len(doc.text)
    suppressions = doc.suppressions
    for f in findings:
        start = min(max(f.start, 0), size)
        end = min(max(f.end, start), size)
        line, column = doc.position(start)
        if suppressions.suppressed(rule, line - 1):
            continue
        end_line, end_column = doc.position(end)
        out.append(
            Diagnostic(
                path=doc.path,
                rule=rule.name,
                code=rule.code,
                severity=f.severity or rule.severity,
                message=f.message,
                start=start,
                end=end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                fix=_declared(rule, f.fix),
                source=doc.line(line - 1),
            )
        )
    return out


@explored(300)
@given(
    TEXT,
    st.sampled_from(["safe", "sometimes", "unsafe", "none"]),
    st.sampled_from(["x", "y"]),
    st.lists(
        st.tuples(
            st.integers(-3, 60),
            st.integers(-3, 60),
            FIX,
            st.sampled_from([None, "error"]),
        ),
        max_size=8,
    ),
)
def test_positions_sources_and_fixes_as_the_document_gives_them(
    text: str, fix: str, name: str, spans: list[tuple[int, int, Fix | None, str | None]]
) -> None:
    rule = _rule(name, fix)
    findings = [Finding(s, e, "m", f, sev) for s, e, f, sev in spans]  # type: ignore[arg-type]
    doc = Document(text, "t.md")
    got = to_diagnostics(doc, rule, findings, doc.suppressions)
    again = Document(text, "t.md")
    expected = _expected(again, rule, findings)
    assert got == expected
    assert all(type(d) is Diagnostic for d in got)
    assert doc.suppressions.used == again.suppressions.used
