"""The review audit log: who approved, rejected or reviewed what, when, and why, in one SQLite file.

Append-only: a decision is never changed, a later one supersedes it; the current review state of a
subject is its latest entry's (a clip with no entry is a "draft"). Like the translation memory, one
connection per call, WAL journal and a busy timeout (the service calls from several threads).
Schema version 1 in PRAGMA user_version.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from signavatar.errors import InvalidInputError
from signavatar.sqlite_file import SqliteFile

REVIEW_FILENAME = "reviews.sqlite"  # under Settings.data_dir
SCHEMA_VERSION = 1
CLIP, SIGN = "clip", "sign"
Action = Literal["approved", "rejected", "reviewed"]
ACTIONS: dict[str, tuple[str, ...]] = {CLIP: ("approved", "rejected"), SIGN: ("reviewed",)}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of the decisions
    kind TEXT NOT NULL,                     -- 'clip' or 'sign'
    subject TEXT NOT NULL,                  -- clip id or gloss
    action TEXT NOT NULL,                   -- approved | rejected (clips), reviewed (signs)
    editor TEXT NOT NULL,
    time TEXT NOT NULL,                     -- ISO 8601, UTC
    note TEXT NOT NULL DEFAULT ''           -- the comment; for a rejection, the reason
);
CREATE INDEX IF NOT EXISTS reviews_subject ON reviews (kind, subject, seq);
"""


@dataclass(frozen=True)
class ReviewEntry:
    """One decision. note: the editor's comment, or the reason of a rejection."""

    kind: str
    subject: str
    action: str
    editor: str
    time: str
    note: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON form: the note is called "reason" on a rejection, "comment" otherwise."""
        key = "reason" if self.action == "rejected" else "comment"
        return {"action": self.action, "editor": self.editor, "time": self.time, key: self.note}


class ReviewLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = SqliteFile(self.path, _SCHEMA, SCHEMA_VERSION, "review log")

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.connect()

    def record(self, kind: str, subject: str, action: str, editor: str, note: str = "",
               when: datetime | None = None) -> ReviewEntry:
        """Append a decision (time: `when`, default now; UTC). InvalidInputError for an empty editor,
        an action the kind does not have, or a rejection without a reason."""
        if action not in ACTIONS.get(kind, ()):
            raise InvalidInputError(f"a {kind} can be {' or '.join(ACTIONS.get(kind, ()))}, not {action!r}")
        editor = " ".join(editor.split())
        if not editor:
            raise InvalidInputError("editor is empty: say who decides (a name)")
        note = note.strip()
        if action == "rejected" and not note:
            raise InvalidInputError("reason is empty: say why the clip is rejected, so it can be corrected")
        entry = ReviewEntry(
            kind=kind, subject=subject, action=action, editor=editor,
            time=(when or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds"), note=note,
        )
        with self._connect() as con:
            con.execute(
                "INSERT INTO reviews (kind, subject, action, editor, time, note) VALUES (?, ?, ?, ?, ?, ?)",
                (entry.kind, entry.subject, entry.action, entry.editor, entry.time, entry.note),
            )
        return entry

    def entries(self, kind: str, subject: str) -> list[ReviewEntry]:
        """The decisions on one subject, oldest first."""
        if not self.path.exists():  # nothing decided yet: do not create files on a read
            return []
        with self._connect() as con:
            rows = con.execute(
                "SELECT kind, subject, action, editor, time, note FROM reviews WHERE kind = ? AND subject = ? "
                "ORDER BY seq", (kind, subject),
            ).fetchall()
        return [ReviewEntry(*row) for row in rows]

    def latest(self, kind: str, subject: str) -> ReviewEntry | None:
        found = self.entries(kind, subject)
        return found[-1] if found else None

    def state(self, kind: str, subject: str) -> str:
        """The latest decision's action, or "draft" when there is none."""
        last = self.latest(kind, subject)
        return "draft" if last is None else last.action
