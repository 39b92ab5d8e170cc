"""Checks table cells against per-table column rules from the configuration."""

from __future__ import annotations

import fnmatch
from bisect import bisect_left, bisect_right
from collections.abc import Mapping  # at run time: the config reads the option types
from types import MappingProxyType
from typing import TYPE_CHECKING

from listlint.diagnostic import Finding
from listlint.records import NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterator

    from listlint.document import Document
    from listlint.views.tables import Cell, Table


class TableSchema(NamedTuple):
    """The column rules for the tables of one section (or every table)."""

    section: str = ""
    header: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    allowed_values: Mapping[str, tuple[str, ...]] = MappingProxyType({})
    link_columns: tuple[str, ...] = ()
    non_empty_columns: tuple[str, ...] = ()


NAME = "table-schema"
CODE = "LL105"
SUMMARY = "Table cell breaks a column rule from the configuration"
SEVERITY = "error"
DEFAULT = True
FIX = "none"
SCOPE = "section"


class Options(NamedTuple):
    """The options of table-schema, from [rules.table-schema] in the configuration."""

    tables: tuple[TableSchema, ...] = ()


def check(doc: Document, options: Options) -> Iterator[Finding]:
    if not options.tables:
        return
    headings = doc.structure.headings
    heading_lines = [h.line for h in headings]
    link_starts = [link.start for link in doc.links]
    for table in doc.tables:
        names = [c.text.strip("*_ ").casefold() for c in table.header.cells]
        sections = _sections(headings, heading_lines, table.header.line)
        for schema in options.tables:
            if _applies(schema, names, sections):
                yield from _check(doc, table, names, schema, link_starts)


def _sections(headings: list, lines: list[int], line: int) -> list[str]:  # type: ignore[type-arg]
    """Texts of the headings enclosing ``line``, innermost first."""
    out = []
    level = 7
    for h in reversed(headings[: bisect_right(lines, line)]):
        if h.level < level:
            out.append(h.text)
            level = h.level
    return out


def _applies(schema: TableSchema, names: list[str], sections: list[str]) -> bool:
    if schema.header and not all(h.casefold() in names for h in schema.header):
        return False
    return not schema.section or any(
        fnmatch.fnmatchcase(s.casefold(), schema.section.casefold()) for s in sections
    )


def _check(
    doc: Document, table: Table, names: list[str], schema: TableSchema, link_starts: list[int]
) -> Iterator[Finding]:
    header = table.header
    for required in schema.required_columns:
        if required.casefold() not in names:
            yield Finding(
                header.start,
                doc.line_ends[header.line],
                f"table has no `{required}` column, which the configuration requires",
            )

    def cells(column: str) -> Iterator[Cell]:
        if column.casefold() in names:
            i = names.index(column.casefold())
            yield from (row.cells[i] for row in table.body if i < len(row.cells))

    for column, values in schema.allowed_values.items():
        for cell in cells(column):
            if cell.text and cell.text not in values:
                allowed = ", ".join(f"`{v}`" for v in values)
                yield Finding(
                    cell.start,
                    cell.end,
                    f"`{cell.text}` is not an allowed value of column `{column}` ({allowed})",
                )
    for column in schema.link_columns:
        for cell in cells(column):
            k = bisect_left(link_starts, cell.start)
            if not (k < len(link_starts) and link_starts[k] < max(cell.end, cell.start + 1)):
                yield Finding(
                    cell.start,
                    max(cell.end, cell.start),
                    f"column `{column}` must hold a link, and this cell has none",
                )
    for column in schema.non_empty_columns:
        for cell in cells(column):
            if not cell.text:
                yield Finding(cell.start, cell.start, f"column `{column}` must not be empty")
