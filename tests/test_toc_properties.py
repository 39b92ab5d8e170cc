"""No toc fix removes a table-of-contents line whose target exists (issue 13 §3).

Generated documents hold a table of contents in one of the shapes lists use, headings
(repeated names, emoji, punctuation), HTML anchors GitHub keeps (before a heading, on its
line, in the middle of a section) and look-alikes it does not (in code, in comments), and
entries linking all of these, `#top` and anchors that exist nowhere. Which targets exist
is worked out here, independently of listlint: heading anchors with a plain re-statement
of github.com's rules for the ASCII names generated, HTML anchors from where the generator
put them. The fix (toc alone, and every default rule) must keep every entry whose target
exists, word for word, and be idempotent.
"""

from __future__ import annotations

import re

from explore import explored
from helpers import default_rules, options_for, rules_named
from hypothesis import example, given
from hypothesis import strategies as st

from listlint.fix import fix_to_fixed_point
from listlint.lint import lint_text

SETTINGS = explored(150)
OPTIONS = options_for()
LABELS = [
    "## Contents",
    "### Table of Contents",
    "## 📖 Contents",
    "## 目录",
    "**Contents**",
    "<details>\n<summary>Table of Contents</summary>",
    "<!-- toc -->",
]
NAMES = ["Tools", "Papers", "Data Sets", "C++ & Rust", "Foo", "Foo 1", "Q&A", "v2.0 (new)"]


def _slug(text: str) -> str:
    """github.com's anchor for the ASCII heading texts generated here."""
    return re.sub(r"[^a-z0-9 _-]", "", text.lower()).replace(" ", "-")


def _number(slugs: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for base in slugs:
        result = base
        while result in seen:
            seen[base] += 1
            result = f"{base}-{seen[base]}"
        seen[result] = 0
        out.append(result)
    return out


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A document and the ToC lines (link and the text around it) that must survive."""
    sections = draw(
        st.lists(
            st.tuples(
                st.sampled_from([2, 2, 3]),
                st.sampled_from(NAMES),
                st.sampled_from(["", "🚀 ", ":star: "]),  # decoration on the heading
                st.sampled_from(["none", "above", "inline", "middle", "code", "comment"]),
            ),
            min_size=1,
            max_size=6,
        )
    )
    label = draw(st.sampled_from(LABELS))
    texts = [deco + name for _, name, deco, _ in sections]
    # The ToC label heading takes part in the numbering when it is a Markdown heading.
    label_text = {"## Contents": "Contents", "### Table of Contents": "Table of Contents"}
    all_slugs = ["t"] + ([_slug(label_text[label])] if label in label_text else [])
    # A heading with an anchor element at its end has text "Tools ": its anchor ends in "-".
    all_slugs += [
        _slug(t.replace(":star:", "star")) + ("-" if kind == "inline" else "")
        for t, (_, _, _, kind) in zip(texts, sections, strict=True)
    ]
    anchors = _number(all_slugs)[-len(sections) :]
    html_anchors: list[str] = []  # real ones
    fake_anchors: list[str] = []  # in code or comments
    body: list[str] = []
    for i, ((level, _, _, anchor_kind), text) in enumerate(zip(sections, texts, strict=True)):
        name = f"a{i}"
        heading = "#" * level + " " + text
        if anchor_kind == "above":
            body += [f'<a name="{name}"></a>', ""]
            html_anchors.append(name)
        if anchor_kind == "inline":
            heading += f' <a id="{name}"></a>'
            html_anchors.append(name)
        body += [heading, "", f"- [Entry {i}](https://example.org/{i}) - An entry.", ""]
        if anchor_kind == "middle":
            body += [f'Some text <span id="{name}">here</span>.', ""]
            html_anchors.append(name)
        elif anchor_kind == "code":
            body += ["```html", f'<div id="{name}"></div>', "```", ""]
            fake_anchors.append(name)
        elif anchor_kind == "comment":
            body += [f'<!-- <a name="{name}"></a> -->', ""]
            fake_anchors.append(name)
    pool = [
        *(("heading", a) for a in anchors),
        *(("heading", "user-content-" + a) for a in anchors),
        *(("html", a) for a in html_anchors),
        *(("dead", a) for a in fake_anchors),
        ("top", "top"),
        ("dead", "gone"),
        ("dead", "old-name"),
        # Entries linking other pages: kept as written (a minority keeps the list a ToC).
        ("external", "https://github.com/o/r/blob/main/CONTRIBUTING.md"),
        ("external", "LICENSE"),
    ]
    picked = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=8))
    marker = draw(st.sampled_from(["- ", "* ", "+ ", "1. "]))
    toc: list[str] = []
    keep: list[str] = []
    for kind, anchor in picked:
        prefix = draw(st.sampled_from(["", "📄 ", "**"]))
        suffix = "**" if prefix == "**" else draw(st.sampled_from(["", " - about it"]))
        indent = draw(st.sampled_from(["", "  "])) if toc else ""
        link = f"[{anchor.title()}](#{anchor})"
        if kind == "external":
            link = f"[Contributing]({anchor})"
        toc.append(f"{indent}{marker}{prefix}{link}{suffix}")
        if kind != "dead":
            keep.append(f"{link}{suffix}")
    head = ["# T", "", label, ""]
    tail = ["", "<!-- tocstop -->"] if label == "<!-- toc -->" else [""]
    if label.startswith("<details>"):
        tail = ["", "</details>", ""]
    return "\n".join([*head, *toc, *tail, *body]), keep


def _fix(text: str, rules: list) -> str:  # type: ignore[type-arg]
    def lint(t: str) -> list:  # type: ignore[type-arg]
        result = lint_text(t, rules, OPTIONS)
        assert result.errors == []
        return result.diagnostics

    return fix_to_fixed_point(text, lint, unsafe=False)[0]


def _check(case: tuple[str, list[str]]) -> None:
    text, keep = case
    for rules in (rules_named("toc"), default_rules()):
        fixed = _fix(text, rules)
        for line in keep:
            assert line in fixed, f"lost {line!r}"
        assert _fix(fixed, rules) == fixed


@SETTINGS
@given(documents())
@example(
    (
        '# T\n\n## Contents\n\n- [Alpha](#alpha-id)\n\n<div id="alpha-id"></div>\n\n'
        "## Alpha\n\n## Beta\n",
        ["[Alpha](#alpha-id)"],
    )
)
def test_toc_fix_keeps_every_entry_whose_target_exists(case: tuple[str, list[str]]) -> None:
    _check(case)
