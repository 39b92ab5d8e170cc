"""Memory between runs: an SQLite file in the cache folder (``.listlint_cache/links.sqlite3``).

Per requested URL: the last answer (as JSON), when it was asked, its outcome (alive, dead,
unverifiable), the number of consecutive runs it was dead in (the failure streak) and the
outcomes of the last runs. Successes are trusted for ``max-age``; failures are asked again
every run. GitHub repositories asked through the API are kept the same way.

Two runs at once are safe: SQLite's write-ahead log, a busy timeout, and every write of a
run in one ``BEGIN IMMEDIATE`` transaction that reads the streaks it increments. A cache
that cannot be opened or written costs speed only (one warning line), never the run.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

FILE = "links.sqlite3"
HISTORY = 10  # outcomes kept per URL
_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY,
    checked REAL NOT NULL,
    outcome TEXT NOT NULL,
    answer TEXT NOT NULL,
    streak INTEGER NOT NULL,
    history TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS repos (
    name TEXT PRIMARY KEY,
    checked REAL NOT NULL,
    answer TEXT NOT NULL
);
"""


class Row(NamedTuple):
    checked: float
    outcome: str  # alive, dead, unverifiable
    answer: dict[str, Any]
    streak: int
    history: str  # one letter a run, oldest first: a(live), d(ead), u(nverifiable)


class Store:
    """The cache of one folder; ``warning`` says why it is not used, when it is not."""

    def __init__(self, folder: Path | None) -> None:
        self.warning = ""
        self._db: sqlite3.Connection | None = None
        if folder is None:
            return
        try:
            if not folder.exists():
                folder.mkdir(parents=True, exist_ok=True)
                (folder / ".gitignore").write_text("# Created by listlint.\n*\n")
            db = sqlite3.connect(folder / FILE, timeout=30, isolation_level=None)
            db.execute("PRAGMA busy_timeout = 30000")
            with contextlib.suppress(sqlite3.OperationalError):
                db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"link cache {folder / FILE} not used: {exc}"

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def urls(self, keys: Iterable[str]) -> dict[str, Row]:
        if self._db is None:
            return {}
        keys = list(keys)
        out: dict[str, Row] = {}
        try:
            for i in range(0, len(keys), 500):
                chunk = keys[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for url, checked, outcome, answer, streak, history in self._db.execute(
                    f"SELECT url, checked, outcome, answer, streak, history FROM urls "
                    f"WHERE url IN ({marks})",
                    chunk,
                ):
                    out[url] = Row(checked, outcome, json.loads(answer), streak, history)
        except (sqlite3.Error, ValueError) as exc:
            self.warning = f"link cache not read: {exc}"
            return {}
        return out

    def record(self, results: Mapping[str, tuple[str, dict[str, Any]]]) -> dict[str, Row]:
        """Store this run's outcome of each URL asked; return the rows with their streaks
        (without a usable cache: as if each URL had never been asked before)."""
        now = time.time()
        db = self._db
        old = self.urls(results) if db is not None else {}
        rows: dict[str, Row] = {}

        def new_rows(previous: Mapping[str, Row]) -> None:
            for url, (outcome, answer) in results.items():
                prev = previous.get(url)
                streak = (prev.streak if prev else 0) + 1 if outcome == "dead" else 0
                history = ((prev.history if prev else "") + outcome[0])[-HISTORY:]
                rows[url] = Row(now, outcome, answer, streak, history)

        if db is None:
            new_rows(old)
            return rows
        try:
            db.execute("BEGIN IMMEDIATE")
            new_rows(self.urls(results))  # read again inside the write lock
            db.executemany(
                "INSERT OR REPLACE INTO urls VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (url, r.checked, r.outcome, json.dumps(r.answer), r.streak, r.history)
                    for url, r in rows.items()
                ],
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self.warning = f"link cache not written: {exc}"
            if not rows:
                new_rows(old)
        return rows

    def repos(self, names: Iterable[str]) -> dict[str, tuple[float, dict[str, Any]]]:
        if self._db is None:
            return {}
        names = list(names)
        out: dict[str, tuple[float, dict[str, Any]]] = {}
        try:
            for i in range(0, len(names), 500):
                chunk = names[i : i + 500]
                marks = ",".join("?" * len(chunk))
                for name, checked, answer in self._db.execute(
                    f"SELECT name, checked, answer FROM repos WHERE name IN ({marks})", chunk
                ):
                    out[name] = (checked, json.loads(answer))
        except (sqlite3.Error, ValueError) as exc:
            self.warning = f"link cache not read: {exc}"
            return {}
        return out

    def record_repos(self, answers: Mapping[str, dict[str, Any]]) -> None:
        if self._db is None or not answers:
            return
        now = time.time()
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO repos VALUES (?, ?, ?)",
                [(name, now, json.dumps(a)) for name, a in answers.items()],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            self.warning = f"link cache not written: {exc}"


class Cached(NamedTuple):
    """What `listlint links` last found for one URL, as the language server shows it."""

    outcome: str  # alive, dead, unverifiable
    status: object  # the HTTP status (an int), or what happened instead (a string), or None
    checked: float  # when (seconds since the epoch)
    streak: int  # consecutive runs it failed in


def cached_verdict(start: Path, url: str) -> Cached | None:
    """The cached verdict for ``url`` in the nearest ``.listlint_cache/links.sqlite3`` at or
    above the folder ``start``, read only (nothing is created, nothing is locked for long);
    None when no run of `listlint links` has checked it."""
    from listlint.links.targets import request_key

    key = request_key(url)
    if key is None:
        return None
    for folder in (start, *start.parents):
        path = folder / ".listlint_cache" / FILE
        if not path.is_file():
            continue
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
            try:
                row = db.execute(
                    "SELECT outcome, answer, checked, streak FROM urls WHERE url = ?", (key[0],)
                ).fetchone()
            finally:
                db.close()
        except (sqlite3.Error, OSError):
            return None
        if row is None:
            return None
        try:
            answer = json.loads(row[1])
        except ValueError:
            answer = {}
        status = answer.get("status") if isinstance(answer, dict) else None
        return Cached(row[0], status, float(row[2]), int(row[3]))
    return None


def age(seconds: float) -> str:
    """A duration as people say it: 40 seconds, 5 minutes, 3 hours, 2 days."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    n = max(0, int(seconds))
    return f"{n} second{'s' if n != 1 else ''}"
