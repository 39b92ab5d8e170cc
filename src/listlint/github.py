"""GitHub's own renderer: cmark-gfm, through the ``cmarkgfm`` bindings, set up as github.com
renders a README (the table, autolink, strikethrough, tagfilter and tasklist extensions,
footnotes, raw HTML kept so that a change in it is seen).

This is the judge of what GitHub shows: the fix guard compares renderings with it and the
table view follows it where markdown-it-py disagrees. ``cmarkgfm`` is imported on first use,
so a run that never asks for GitHub's rendering does not pay for loading it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

BOM = "\ufeff"
EXTENSIONS = ("table", "autolink", "strikethrough", "tagfilter", "tasklist")


@lru_cache(maxsize=2)
def _renderer(sourcepos: bool) -> Callable[[str], str]:
    from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

    options = (
        Options.CMARK_OPT_UNSAFE
        | Options.CMARK_OPT_FOOTNOTES
        | Options.CMARK_OPT_GITHUB_PRE_LANG
        | (Options.CMARK_OPT_SOURCEPOS if sourcepos else 0)
    )

    def render(text: str) -> str:
        html: str = markdown_to_html_with_extensions(
            text, options=options, extensions=list(EXTENSIONS)
        )
        return html

    return render


def render_html(text: str, *, sourcepos: bool = False) -> str:
    """The HTML GitHub's renderer makes of ``text`` (a leading byte-order mark ignored).

    With ``sourcepos``, block elements carry ``data-sourcepos="L:C-L:C"``: 1-based lines,
    and columns counted in UTF-8 bytes of the line (cmark's unit), not code points.
    """
    return _renderer(sourcepos)(text[1:] if text.startswith(BOM) else text)
