"""The rules of ``listlint links``: registered with the others (``listlint rules`` lists them,
``listlint rule NAME`` shows their page) but marked ``ONLINE``, so that check and fix never
select them; they report the verdicts of the run in progress and nothing otherwise."""

ONLINE: tuple[str, ...] = (
    "link_dead",
    "link_redirect",
    "link_unverifiable",
    "github_archived",
    "link_anchor",
)
