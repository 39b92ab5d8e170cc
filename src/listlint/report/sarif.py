"""SARIF 2.1.0: one run, the rules with help text and links, results with regions and, for
fixable findings, fixes (replacements given by character offset and length)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from listlint import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

    from listlint.diagnostic import Diagnostic
    from listlint.report import Context

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
DOCS = "https://github.com/listlint/listlint/blob/main/rules/{name}.md"


def render(diagnostics: Sequence[Diagnostic], context: Context) -> str:
    rules = list(context.rules)
    index = {r.name: i for i, r in enumerate(rules)}
    results = [_result(d, index.get(d.rule)) for d in diagnostics]
    driver: dict[str, Any] = {
        "name": "listlint",
        "version": __version__,
        "informationUri": "https://github.com/listlint/listlint",
        "rules": [
            {
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "helpUri": DOCS.format(name=r.name),
                "help": {"text": f"{r.summary}. See {DOCS.format(name=r.name)}"},
                "defaultConfiguration": {"level": r.severity},
            }
            for r in rules
        ],
    }
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                # Columns count code points (as Python's str does), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "invocations": [_invocation(context)],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _invocation(context: Context) -> dict[str, Any]:
    """Whether the run could check everything, and a notification per file it could not."""
    notes = []
    for path, message in context.errors:
        note: dict[str, Any] = {"level": "error", "message": {"text": message}}
        if path:
            note["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": path}}}]
        notes.append(note)
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _region(d: Diagnostic) -> dict[str, int]:
    return {
        "startLine": d.line,
        "startColumn": d.column,
        "endLine": d.end_line,
        "endColumn": max(d.end_column, d.column + 1) if d.end_line == d.line else d.end_column,
        "charOffset": d.start,
        "charLength": d.end - d.start,
    }


def _result(d: Diagnostic, rule_index: int | None) -> dict[str, Any]:
    location = {"artifactLocation": {"uri": d.path}}
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": d.severity,
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {**location, "region": _region(d)}}],
    }
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    if d.fix is not None:
        result["fixes"] = [
            {
                "description": {"text": f"{d.fix.title} ({d.fix.applicability})"},
                "artifactChanges": [
                    {
                        **location,
                        "replacements": [
                            {
                                "deletedRegion": {
                                    "charOffset": e.start,
                                    "charLength": e.end - e.start,
                                },
                                "insertedContent": {"text": e.replacement},
                            }
                            for e in d.fix.edits
                        ],
                    }
                ],
            }
        ]
    return result
