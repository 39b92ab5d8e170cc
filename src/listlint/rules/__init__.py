"""Built-in rules. This tuple is the one place where a built-in rule is registered."""

BUILTIN: tuple[str, ...] = (
    "table_column_count",
    "table_broken",
    "table_pipe_in_code",
    "table_format",
    "table_schema",
    "duplicate_url",
    "link_empty",
    "link_url_form",
    "link_http",
    "link_reference",
    "link_fragment",
    "link_relative",
    "arxiv_id",
    "arxiv_link",
    "arxiv_date",
    "arxiv_text_style",
    "heading_increment",
    "section_order",
    "sort_entries",
    "toc",
)
