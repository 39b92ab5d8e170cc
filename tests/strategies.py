"""Hypothesis strategies for the documents curated lists contain; shared by every test."""

from __future__ import annotations

from hypothesis import strategies as st

WORDS = st.sampled_from(
    [
        "Llama",
        "attention",
        "日本語",
        "模型",
        "🎉",
        "e\u0301",
        "x\u200by",
        "Ünïcödé",
        "a\\|b",
        "`code`",
        "`a|b`",
        "**bold**",
        "[link](https://example.org/p)",
        "<br>",
        "&amp;",
        "\\\\",
        "arXiv:2407.21783",
        "arxiv 2407.21783",
        "ArXiv: 2310.06825v2",
        "2401.99999",
        "2613.00001",
        "https://arxiv.org/pdf/2407.21783v2.pdf",
        "",
        " ",
        "*",
        "_",
        "[",
        "]",
        "(",
        ")",
    ]
)
CELL = st.lists(WORDS, max_size=3).map(" ".join)
ALIGN = st.sampled_from(["---", ":---", "---:", ":---:", "-", ":-:"])


@st.composite
def tables(draw: st.DrawFn) -> str:
    width = draw(st.integers(1, 5))
    pad = draw(st.sampled_from(["", " ", "  "]))
    outer = draw(st.booleans())

    def row(cells: list[str]) -> str:
        body = "|".join(f"{pad}{c}{pad}" for c in cells)
        return f"|{body}|" if outer or len(cells) == 1 else body

    lines = [row(draw(st.lists(CELL, min_size=width, max_size=width)))]
    lines.append(row(draw(st.lists(ALIGN, min_size=width, max_size=width))))
    for _ in range(draw(st.integers(0, 4))):
        n = draw(st.integers(max(1, width - 2), width + 2))
        lines.append(row(draw(st.lists(CELL, min_size=n, max_size=n))))
    return "\n".join(lines)


BLOCKS = st.one_of(
    tables(),
    st.builds(lambda lvl, t: "#" * lvl + " " + t, st.integers(1, 7), CELL),
    st.lists(
        st.builds(lambda m, t: f"{m} {t}", st.sampled_from(["-", "*", "1.", "  -", "\t-"]), CELL),
        min_size=1,
        max_size=4,
    ).map("\n".join),
    st.builds(lambda t: f"> {t}", tables()),
    st.builds(lambda t: "- item\n\n  " + t.replace("\n", "\n  "), tables()),
    st.builds(lambda t: f"```\n{t}\n```", tables()),
    st.just("<!-- listlint-disable table-format -->"),
    st.just("<!-- listlint-enable -->"),
    st.just("[ref]: https://example.org/ref"),
    st.builds(lambda t: f"See {t} and [ref] and <https://a.b/c>.", CELL),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


@st.composite
def documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(BLOCKS, max_size=6))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", "\r\n"]))
    text = sep.join(blocks)
    if draw(st.booleans()):
        text += draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    return text


NAMES = st.sampled_from(
    [
        "Apples",
        "bananas",
        "Contents",
        "License",
        "Contributing",
        "Émile",
        "Zeta 10",
        "Zeta 2",
        "日本",
        "The Tools",
    ]
)


@st.composite
def sectioned(draw: st.DrawFn) -> str:
    """A list with sections, entries (some with continuation lines and nested items)."""
    out = ["# Title", ""]
    for name in draw(st.lists(NAMES, min_size=1, max_size=6)):
        out += [f"## {name}", ""]
        for entry in draw(st.lists(NAMES, max_size=4)):
            out.append(f"- [{entry}](https://example.org/{len(out)}) - about {entry}")
            if draw(st.booleans()):
                out.append("  continued")
            if draw(st.integers(0, 4)) == 0:
                out.append(f"  - [{draw(NAMES)}](https://example.org/n{len(out)})")
        if draw(st.booleans()):
            out += ["", "| Name | Year |", "|---|---|"]
            out += [
                f"| {n} | {draw(st.integers(2000, 2030))} |"
                for n in draw(st.lists(NAMES, max_size=3))
            ]
        out.append("")
    return draw(st.sampled_from(["\n", "\r\n"])).join(out)


@st.composite
def entries(draw: st.DrawFn) -> str:
    """Link entries written every which way: separators, periods, nesting, badges, CRLF."""
    out = ["# List", "", "## Things", ""]
    for k in range(draw(st.integers(1, 6))):
        indent = draw(st.sampled_from(["", "", "  ", "    "]))
        marker = draw(st.sampled_from(["-", "*", "1."]))
        sep = draw(st.sampled_from([" - ", " — ", ": ", " -- ", "- ", " \\- ", " ", " | ", ""]))
        words = draw(st.lists(WORDS, max_size=4).map(" ".join))
        end = draw(st.sampled_from(["", ".", "!", " .", "**", ")", "."]))
        out.append(f"{indent}{marker} [{draw(NAMES)}](https://example.org/{k}){sep}{words}{end}")
        if draw(st.integers(0, 3)) == 0:
            out.append(f"{indent}  {draw(WORDS)}")
    return draw(st.sampled_from(["\n", "\r\n"])).join(out) + draw(st.sampled_from(["", "\n"]))


@st.composite
def edit_versions(draw: st.DrawFn, blocks_of: st.SearchStrategy[str], edits: int) -> list[str]:
    """Versions of one document made of ``blocks_of`` blocks, each version an edit (a block
    inserted, deleted or replaced) of the one before, with any of the newline styles."""
    blocks = draw(st.lists(blocks_of, min_size=1, max_size=10))
    sep = draw(st.sampled_from(["\n\n", "\r\n\r\n", "\n", "\r\r"]))
    out = [sep.join(blocks)]
    for _ in range(draw(st.integers(1, edits))):
        i = draw(st.integers(0, len(blocks)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        if kind == "insert":
            blocks.insert(i, draw(blocks_of))
        elif i < len(blocks):
            if kind == "delete":
                del blocks[i]
            else:
                blocks[i] = draw(blocks_of)
        out.append(sep.join(blocks) + draw(st.sampled_from(["", "\n"])))
    return out
