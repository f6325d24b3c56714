"""The city lexicon's revision history: one row per saved version of a sign, in SQLite.

Revision n of a gloss (1, 2, ...; 0 is the shipped sign) records who saved it, when (UTC), why,
the consent of the signer of a recording ({signer, licence, consent: true}, or a licence alone),
the form hash (signavatar.lexicon.load.form_hash), the file's text, and for an imported sign where
it came from (`origin`: the package and the revisions it had there). Append-only. Schema 1 in
PRAGMA user_version; one connection per call, WAL (the service calls from several threads).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signavatar.sqlite_file import SqliteFile

REVISIONS_FILE = "revisions.sqlite"  # in the overlay folder
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS revisions (
    gloss TEXT NOT NULL,
    revision INTEGER NOT NULL,      -- 1, 2, ... per gloss
    editor TEXT NOT NULL,
    time TEXT NOT NULL,             -- ISO 8601, UTC
    reason TEXT NOT NULL,
    form TEXT NOT NULL,             -- the form hash of `sign`
    consent TEXT,                   -- JSON object or NULL
    origin TEXT,                    -- JSON object (imported signs) or NULL
    sign TEXT NOT NULL,             -- the sign file's text as written
    PRIMARY KEY (gloss, revision)
);
"""
_COLUMNS = "gloss, revision, editor, time, reason, form, consent, origin, sign"


@dataclass(frozen=True)
class Revision:
    gloss: str
    revision: int
    editor: str
    time: str
    reason: str
    form: str
    consent: dict[str, Any] | None
    origin: dict[str, Any] | None
    sign: str

    def to_dict(self) -> dict[str, Any]:
        """{revision, editor, time, reason, form, consent?, origin?} (the file's text left out)."""
        out: dict[str, Any] = {"revision": self.revision, "editor": self.editor, "time": self.time,
                               "reason": self.reason, "form": self.form}
        if self.consent is not None:
            out["consent"] = self.consent
        if self.origin is not None:
            out["origin"] = self.origin
        return out


@dataclass(frozen=True)
class NewRevision:
    """What to record; `write` puts the sign file in place (called inside the transaction)."""

    gloss: str
    editor: str
    time: str
    reason: str
    form: str
    consent: dict[str, Any] | None
    origin: dict[str, Any] | None
    sign: str


class RevisionStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = SqliteFile(self.path, _SCHEMA, SCHEMA_VERSION, "lexicon revisions")

    def revisions(self, gloss: str) -> list[Revision]:
        """The revisions of one gloss, oldest first."""
        if not self.path.exists():  # nothing saved yet: a read creates no file
            return []
        with self._db.connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM revisions WHERE gloss = ? ORDER BY revision",
                               (gloss,)).fetchall()
        return [_revision(row) for row in rows]

    def all(self) -> dict[str, list[Revision]]:
        """Gloss -> its revisions, oldest first."""
        if not self.path.exists():
            return {}
        with self._db.connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM revisions ORDER BY gloss, revision").fetchall()
        found: dict[str, list[Revision]] = {}
        for row in rows:
            rev = _revision(row)
            found.setdefault(rev.gloss, []).append(rev)
        return found

    def latest_numbers(self) -> dict[str, int]:
        """Gloss -> its latest revision number."""
        if not self.path.exists():
            return {}
        with self._db.connect() as con:
            return dict(con.execute("SELECT gloss, MAX(revision) FROM revisions GROUP BY gloss").fetchall())

    def add(self, items: Sequence[NewRevision], write: Callable[[NewRevision], None]) -> list[int]:
        """Record each item as its gloss's next revision and `write` its file, all in one transaction
        (other writers wait): when a write or the commit fails, nothing is recorded (the caller puts
        back the files already written). Returns the revision numbers."""
        numbers: list[int] = []
        with self._transaction() as con:
            for item in items:
                (last,) = con.execute("SELECT COALESCE(MAX(revision), 0) FROM revisions WHERE gloss = ?",
                                      (item.gloss,)).fetchone()
                number = int(last) + 1
                con.execute(
                    f"INSERT INTO revisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (item.gloss, number, item.editor, item.time, item.reason, item.form, _json(item.consent),
                     _json(item.origin), item.sign),
                )
                write(item)
                numbers.append(number)
        return numbers

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._db.connect() as con:
            con.execute("BEGIN IMMEDIATE")  # the next revision number is read and taken in one lock
            yield con


def _json(value: dict[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _revision(row: tuple[Any, ...]) -> Revision:
    gloss, number, editor, time, reason, form, consent, origin, sign = row
    return Revision(gloss, int(number), editor, time, reason, form,
                    None if consent is None else json.loads(consent),
                    None if origin is None else json.loads(origin), sign)
