"""listlint: a linter and formatter for curated Markdown resource lists."""

__version__ = "0.1.0"
