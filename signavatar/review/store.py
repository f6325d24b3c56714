"""The review audit log: who approved, rejected or proposed a fix for what, when, and why, in one SQLite file.

Append-only: a decision is never changed, a later one supersedes it; the current review state of a
clip is its latest entry's (a clip with no entry is a "draft"). A sign's decision is attached to the
sign's form (signavatar.lexicon.load.form_hash): it holds for that form only, so a new revision of
the sign starts unreviewed while the sign files are never written by a review (signs.py).
Like the translation memory, one connection per call, WAL journal and a busy timeout (the service
calls from several threads). Schema version 2 in PRAGMA user_version (1 had no form and comment:
upgraded in place; its sign entries, action "reviewed", are attached to no form).
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
SCHEMA_VERSION = 2
CLIP, SIGN = "clip", "sign"
Action = Literal["approved", "rejected", "proposed", "reviewed"]
#: what may be recorded now; a sign's "reviewed" (schema 1, no form) is only read
ACTIONS: dict[str, tuple[str, ...]] = {CLIP: ("approved", "rejected"), SIGN: ("approved", "rejected", "proposed")}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,  -- order of the decisions
    kind TEXT NOT NULL,                     -- 'clip' or 'sign'
    subject TEXT NOT NULL,                  -- clip id or gloss
    action TEXT NOT NULL,                   -- approved | rejected (clips, signs), proposed (signs)
    editor TEXT NOT NULL,
    time TEXT NOT NULL,                     -- ISO 8601, UTC
    note TEXT NOT NULL DEFAULT '',          -- the comment; a rejection's reason; a proposal's fix
    form TEXT NOT NULL DEFAULT '',          -- signs: the form hash the decision is about
    comment TEXT NOT NULL DEFAULT ''        -- a comment besides a reason or a proposal
);
CREATE INDEX IF NOT EXISTS reviews_subject ON reviews (kind, subject, seq);
"""
_UPGRADES = {1: """
ALTER TABLE reviews ADD COLUMN form TEXT NOT NULL DEFAULT '';
ALTER TABLE reviews ADD COLUMN comment TEXT NOT NULL DEFAULT '';
"""}
_COLUMNS = "kind, subject, action, editor, time, note, form, comment"
#: what a decision's note is called in its JSON form
NOTE_KEYS = {"rejected": "reason", "proposed": "proposal"}


@dataclass(frozen=True)
class ReviewEntry:
    """One decision. note: the editor's comment, the reason of a rejection or the fix a proposal
    asks for (in words); comment: a comment besides a reason or proposal; form: a sign's form hash."""

    kind: str
    subject: str
    action: str
    editor: str
    time: str
    note: str = ""
    form: str = ""
    comment: str = ""

    def to_dict(self) -> dict[str, str]:
        """The JSON form: the note is called "reason" on a rejection, "proposal" on a proposal,
        "comment" otherwise; "form" and a separate "comment" only when there are."""
        out = {"action": self.action, "editor": self.editor, "time": self.time,
               NOTE_KEYS.get(self.action, "comment"): self.note}
        if self.comment:
            out["comment"] = self.comment
        if self.form:
            out["form"] = self.form
        return out


class ReviewLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = SqliteFile(self.path, _SCHEMA, SCHEMA_VERSION, "review log", _UPGRADES)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.connect()

    def record(self, kind: str, subject: str, action: str, editor: str, note: str = "",
               when: datetime | None = None, form: str = "", comment: str = "") -> ReviewEntry:
        """Append a decision (time: `when`, default now; UTC). InvalidInputError for an empty editor,
        an action the kind does not have, a rejection without a reason, a proposal without its fix,
        or a sign's decision without the form it is about."""
        if action not in ACTIONS.get(kind, ()):
            raise InvalidInputError(f"a {kind} can be {' or '.join(ACTIONS.get(kind, ()))}, not {action!r}")
        editor = " ".join(editor.split())
        if not editor:
            raise InvalidInputError("editor is empty: say who decides (a name)")
        note, comment = note.strip(), comment.strip()
        if action == "rejected" and not note:
            raise InvalidInputError(f"reason is empty: say why the {kind} is rejected, so it can be corrected")
        if action == "proposed" and not note:
            raise InvalidInputError("proposal is empty: say in words what should change in the sign")
        if kind == SIGN and not form:
            raise InvalidInputError("a sign's review needs the form it is about (its form hash)")
        entry = ReviewEntry(
            kind=kind, subject=subject, action=action, editor=editor,
            time=(when or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds"), note=note,
            form=form, comment=comment,
        )
        with self._connect() as con:
            con.execute(
                f"INSERT INTO reviews ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.kind, entry.subject, entry.action, entry.editor, entry.time, entry.note, entry.form,
                 entry.comment),
            )
        return entry

    def entries(self, kind: str, subject: str) -> list[ReviewEntry]:
        """The decisions on one subject, oldest first."""
        if not self.path.exists():  # nothing decided yet: do not create files on a read
            return []
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM reviews WHERE kind = ? AND subject = ? ORDER BY seq", (kind, subject),
            ).fetchall()
        return [ReviewEntry(*row) for row in rows]

    def all_entries(self, kind: str) -> dict[str, list[ReviewEntry]]:
        """Subject -> its decisions, oldest first, for every subject of `kind` (one query)."""
        if not self.path.exists():
            return {}
        with self._connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM reviews WHERE kind = ? ORDER BY seq", (kind,)).fetchall()
        found: dict[str, list[ReviewEntry]] = {}
        for row in rows:
            entry = ReviewEntry(*row)
            found.setdefault(entry.subject, []).append(entry)
        return found

    def latest(self, kind: str, subject: str) -> ReviewEntry | None:
        found = self.entries(kind, subject)
        return found[-1] if found else None

    def state(self, kind: str, subject: str) -> str:
        """The latest decision's action, or "draft" when there is none."""
        last = self.latest(kind, subject)
        return "draft" if last is None else last.action
