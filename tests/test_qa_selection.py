"""A rule's findings do not depend on which other rules run beside it, nor on their
options: views and URL readings that several rules share (issue 18's one URL read for the
link rules, the tables and headings read from cmark-gfm's tree) must be keyed by
everything that decides them. Each rule run alone (with the rules it defers to) finds on
a document what it finds among all the others, whatever options they have, and what it
found before the same text was linted with other options."""

from __future__ import annotations

from typing import Any

import pytest
from explore import explored
from helpers import all_rules, options_for
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from listlint.lint import lint_text

ALL = [r for r in all_rules() if not r.online]
BY_NAME = {r.name: r for r in ALL}
# Rules whose findings depend on the other rules' by design: a suppression comment for
# a rule that is not run is "unused", and one naming no loaded rule is "invalid".
DEPENDS = {"unused-suppression", "invalid-suppression"}

# The rules that read the links' URLs (issue 18 shares one reading among them), drawn
# as often as all the others together.
URL_READERS = ["duplicate-url", "link-url-form", "arxiv-id", "arxiv-link", "link-http",
               "link-empty", "link-reference", "arxiv-text-style", "link-relative"]  # fmt: skip
OTHERS = sorted(r.name for r in ALL if r.name not in DEPENDS and r.name not in URL_READERS)

HOSTS = st.sampled_from(
    ["example.org", "Example.ORG", "www.example.org", "arxiv.org", "export.arxiv.org",
     "github.com", "GitHub.com", "gitlab.com", "localhost", "intranet", "a b.org"]
)  # fmt: skip
PATHS = st.sampled_from(
    ["", "/", "/p", "/p/", "/p/index.html", "/abs/2401.00001", "/abs/2401.00001v2",
     "/pdf/2401.00001", "/pdf/2401.00001v1.pdf", "/abs/1234.99999", "/owner/repo",
     "/Owner/Repo.git", "/p?b=2&a=1", "/p?a=1&b=2", "/p?utm_source=x", "/p#frag", "/p#Frag"]
)  # fmt: skip
SCHEMES = st.sampled_from(["https://", "http://", "http//", "htps://", "", "HTTPS://"])
POOL = st.sampled_from(
    ["https://example.org/p", "https://example.org/p/", "http://example.org/p",
     "https://www.example.org/p#x", "https://Example.org/p?utm_source=a",
     "https://example.org/p/index.html", "https://arxiv.org/abs/2401.00001",
     "https://arxiv.org/abs/2401.00001v2", "http://arxiv.org/pdf/2401.00001.pdf",
     "https://export.arxiv.org/abs/2401.00001", "https://arxiv.org/pdf/2401.00001v1",
     "https://github.com/owner/repo", "https://github.com/Owner/Repo/",
     "https://gitlab.com/owner/repo"]
)  # fmt: skip
URLS = st.one_of(POOL, POOL, st.builds(lambda s, h, p: s + h + p, SCHEMES, HOSTS, PATHS))
NAMES = st.sampled_from(["A", "B", "arXiv:2401.00001", "arXiv 2401.00002", "Repo", ""])
ENTRY = st.one_of(
    st.builds(lambda n, u: f"- [{n}]({u}) - About it.", NAMES, URLS),
    st.builds(lambda n, u: f"| [{n}]({u}) | {n} |", NAMES, URLS),
    st.builds(lambda u: f"- <{u}>", URLS),
    st.builds(lambda u: f"- See {u} and arXiv:2401.00001.", URLS),
    st.builds(lambda n: f"[{n}]: https://example.org/{n}", NAMES),
    st.just("- [Top](#links)"),
    st.just("<!-- listlint-disable-next-line duplicate-url -->"),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    out = ["# List", "", "- [Links](#links)", "", "## Links", ""]
    table = False
    for _ in range(draw(st.integers(1, 3))):
        for line in draw(st.lists(ENTRY, min_size=1, max_size=8)):
            if line.startswith("|") and not table:
                out += ["", "| Name | What |", "| --- | --- |"]
                table = True
            elif not line.startswith("|") and table:
                out.append("")
                table = False
            out.append(line)
        out += ["", draw(st.sampled_from(["## More", "## Links", "### Deeper"])), ""]
        table = False
    return "\n".join(out) + "\n"


OPTION_TABLES = st.fixed_dictionaries(
    {},
    optional={
        "duplicate-url": st.fixed_dictionaries(
            {},
            optional={
                "scope": st.sampled_from(["section", "file"]),
                "ignore-fragments": st.booleans(),
                "sort-query": st.booleans(),
                "drop-tracking": st.booleans(),
                "case-insensitive-hosts": st.sampled_from([[], ["example.org"]]),
                "remove-directory-index": st.booleans(),
                "mentions": st.booleans(),
            },
        ),
        "arxiv-link": st.fixed_dictionaries(
            {},
            optional={
                "preferred-form": st.sampled_from(["any", "abs", "pdf"]),
                "version-policy": st.sampled_from(["any", "unversioned", "versioned"]),
                "canonical-host": st.booleans(),
                "today": st.just("2026-11-29"),
            },
        ),
        "arxiv-id": st.fixed_dictionaries(
            {}, optional={"archive-dates": st.booleans(), "today": st.just("2026-11-29")}
        ),
        "link-url-form": st.fixed_dictionaries(
            {}, optional={"single-label-hosts": st.sampled_from([[], ["localhost"]])}
        ),
    },
)


def _of(text: str, rules: list[Any], options: Any, name: str) -> list[tuple[Any, ...]]:
    result = lint_text(text, rules, options, "list.md")
    assert result.errors == []
    return [
        (d.line, d.column, d.end_line, d.end_column, d.message, d.fix)
        for d in result.diagnostics
        if d.rule == name
    ]


@explored(100, HealthCheck.data_too_large)
@given(documents(), OPTION_TABLES, OPTION_TABLES, st.data())
def test_a_rules_findings_do_not_depend_on_the_rules_beside_it(
    text: str, mine: dict[str, Any], theirs: dict[str, Any], data: st.DataObject
) -> None:
    name = data.draw(st.one_of(st.sampled_from(URL_READERS), st.sampled_from(OTHERS)))
    rule = BY_NAME[name]
    # the rule's own options from ``mine``; every other rule's from ``theirs``
    config = {k: v for k, v in theirs.items() if k != name}
    if name in mine:
        config[name] = mine[name]
    alone = [rule, *(BY_NAME[o] for o in rule.defers_to)]
    own = options_for({name: mine[name]} if name in mine else {})
    first = _of(text, alone, own, name)
    # the same text with other options for this rule too: nothing of it may stay behind
    _of(text, ALL, options_for(theirs), name)
    assert _of(text, ALL, options_for(config), name) == first
    assert _of(text, alone, own, name) == first


# An option that decides a finding, and a list on which it does: linted with the option
# set, then not, then set again, in one process and with every rule, the findings follow
# the option each time (a URL reading kept from the lint before, under other options,
# would not).
TOGGLES = [
    ("duplicate-url", {"ignore-fragments": True}, "https://example.org/p#a", "https://example.org/p#b"),
    ("duplicate-url", {"sort-query": True}, "https://example.org/p?a=1&b=2", "https://example.org/p?b=2&a=1"),
    ("duplicate-url", {"drop-tracking": True}, "https://example.org/p", "https://example.org/p?fbclid=x"),
    ("duplicate-url", {"case-insensitive-hosts": ["example.org"]}, "https://example.org/P", "https://example.org/p"),
    ("duplicate-url", {"remove-directory-index": True}, "https://example.org/p/", "https://example.org/p/index.html"),
    ("duplicate-url", {"fold-forges": True}, "https://gitlab.com/O/R", "https://gitlab.com/o/r"),
    ("duplicate-url", {"arxiv-versions": False}, "https://arxiv.org/abs/2401.00001v1", "https://arxiv.org/abs/2401.00001v2"),
    ("duplicate-url", {"scope": "file"}, "https://example.org/p", "https://example.org/p"),
    ("arxiv-link", {"preferred-form": "abs"}, "https://arxiv.org/pdf/2401.00001", "https://example.org/q"),
    ("arxiv-link", {"version-policy": "versioned"}, "https://arxiv.org/abs/2401.00001", "https://example.org/q"),
    ("arxiv-link", {"canonical-host": True}, "https://export.arxiv.org/abs/2401.00001", "https://example.org/q"),
    ("link-url-form", {"single-label-hosts": ["intranet"]}, "http://intranet/p", "https://example.org/q"),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "table", "first", "second"), TOGGLES)
def test_findings_follow_the_option_of_each_lint(
    rule: str, table: dict[str, Any], first: str, second: str
) -> None:
    text = f"# List\n\n## A\n\n- [One]({first}) - One.\n\n## B\n\n- [Two]({second}) - Two.\n"
    on, off = options_for({rule: table}), options_for()
    if rule == "duplicate-url" and "arxiv-versions" in table:
        on, off = off, options_for({rule: {"arxiv-versions": True}})
    if rule == "duplicate-url" and "scope" not in table:
        text = text.replace("\n## B\n\n", "")  # both in one section
    seen = [_of(text, ALL, options, rule) for options in (on, off, on, off)]
    assert seen[0] != seen[1], "the option decides a finding on this list"
    assert seen[2] == seen[0]
    assert seen[3] == seen[1]
