"""A small SQLite file with a versioned schema, created on first use (WAL, 30 s busy timeout).

Used by the stores that keep editors' decisions (translation memory, review log): each opens a
connection per call, so threads and processes can share the file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from signavatar.errors import InvalidInputError


class SqliteFile:
    """`path` with `schema` (SQL script) at `version` (PRAGMA user_version); `what` names it in errors.
    `upgrades`: version n -> the SQL script that brings a file of version n to n + 1, run before `schema`."""

    def __init__(self, path: Path, schema: str, version: int, what: str,
                 upgrades: Mapping[int, str] | None = None) -> None:
        self.path = Path(path)
        self._schema, self._version, self._what = schema, version, what
        self._upgrades = dict(upgrades or {})
        self._lock = threading.Lock()
        self._ready = False

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=30)
        try:
            with con:
                con.execute("PRAGMA journal_mode=WAL")
                found = con.execute("PRAGMA user_version").fetchone()[0]
                while 0 < found < self._version and found in self._upgrades:
                    con.executescript(self._upgrades[found])
                    found += 1
                if found not in (0, self._version):
                    raise InvalidInputError(
                        f"{self.path}: {self._what} schema {found}, this version reads {self._version}")
                con.executescript(self._schema)
                con.execute(f"PRAGMA user_version={self._version}")
        finally:
            con.close()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in a transaction: committed on leaving, rolled back on an exception."""
        if not self._ready:
            with self._lock:
                if not self._ready:
                    self._create()
                    self._ready = True
        con = sqlite3.connect(self.path, timeout=30)
        try:
            with con:
                yield con
        finally:
            con.close()
