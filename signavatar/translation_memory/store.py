"""The translation memory: approved glosses per sentence in one SQLite file.

One connection per call (sqlite3 connections must not be shared between threads without care,
and the service calls from several), WAL journal so readers never wait for a writer, and a
busy timeout so the CLI and a running server can write the same file. Schema version 1 in
PRAGMA user_version.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from signavatar import messages
from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import has_fingerspell_prefix, spelled_word
from signavatar.sqlite_file import SqliteFile
from signavatar.translation_memory.matching import MAX_FUZZY_TOKENS, fuzzy_ok, key_tokens, may_match, similarity

MEMORY_FILENAME = "translation_memory.sqlite"  # under Settings.data_dir
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS memory (
    key TEXT PRIMARY KEY,        -- normalised source text (matching.memory_key)
    text TEXT NOT NULL,          -- the text as the editor approved it
    glosses TEXT NOT NULL,       -- the approved gloss string, e.g. "TERMIN ICH BRAUCHEN"
    approved_by TEXT NOT NULL,
    approved_at TEXT NOT NULL,   -- ISO 8601, UTC
    comment TEXT NOT NULL DEFAULT '',
    n_tokens INTEGER NOT NULL    -- key tokens, to narrow the fuzzy search
)
"""
_COLUMNS = "key, text, glosses, approved_by, approved_at, comment"


@dataclass(frozen=True)
class MemoryEntry:
    key: str
    text: str
    glosses: str
    approved_by: str
    approved_at: str
    comment: str = ""


@dataclass(frozen=True)
class Match:
    """A stored entry reused for a text: `exact` (same key) or `fuzzy` (near-identical)."""

    entry: MemoryEntry
    kind: Literal["exact", "fuzzy"]
    similarity: float

    def note(self) -> str:
        """The warning a translation from memory carries (German: the editor shows it)."""
        fuzzy = None if self.kind == "exact" else self.entry.text
        return messages.from_memory(self.entry.approved_at, fuzzy)


class TranslationMemory:
    """Approved glosses keyed by normalised sentence; see matching.py for what matches."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = SqliteFile(self.path, _SCHEMA, SCHEMA_VERSION, "translation memory")

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.connect()

    def approve(self, text: str, glosses: str, editor: str, comment: str = "") -> MemoryEntry:
        """Store (or replace) the approved glosses of `text`. The caller checks that every gloss
        can be signed (Pipeline.parse_glosses); here only emptiness is refused."""
        tokens = key_tokens(text)
        if not [t for t in tokens if t not in "?!"]:
            raise InvalidInputError(f"text has no words: {text[:40]!r}")
        glosses = " ".join(glosses.split())
        if not glosses:
            raise InvalidInputError("glosses are empty: give the approved glosses, e.g. \"TERMIN ICH BRAUCHEN\"")
        editor = " ".join(editor.split())
        if not editor:
            raise InvalidInputError("editor is empty: say who approves these glosses")
        entry = MemoryEntry(
            key=" ".join(tokens), text=" ".join(text.split()), glosses=glosses, approved_by=editor,
            approved_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), comment=comment.strip(),
        )
        with self._connect() as con:
            con.execute(
                f"INSERT OR REPLACE INTO memory ({_COLUMNS}, n_tokens) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.key, entry.text, entry.glosses, entry.approved_by, entry.approved_at, entry.comment,
                    len(tokens),
                ),
            )
        return entry

    def lookup(self, text: str) -> Match | None:
        """The entry for `text`: exact key first, else the most similar allowed fuzzy match (texts
        of at most MAX_FUZZY_TOKENS key tokens)."""
        if not self.path.exists():  # nothing approved yet: do not create files on a read
            return None
        tokens = key_tokens(text)
        if not tokens:
            return None
        key = " ".join(tokens)
        slack = max(1, len(tokens) // 4)  # ratio >= 0.9 cannot bridge a larger length difference
        with self._connect() as con:
            row = con.execute(f"SELECT {_COLUMNS} FROM memory WHERE key = ?", (key,)).fetchone()
            if row is not None:
                return Match(MemoryEntry(*row), "exact", 1.0)
            if len(tokens) > MAX_FUZZY_TOKENS:  # a paragraph: exact only (matching.py)
                return None
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM memory WHERE n_tokens BETWEEN ? AND ?",
                (len(tokens) - slack, len(tokens) + slack),
            ).fetchall()
        best: Match | None = None
        for row in rows:
            entry = MemoryEntry(*row)
            old = entry.key.split()
            if may_match(old, tokens) and fuzzy_ok(old, tokens, _fingerspelled(entry.glosses)):
                score = similarity(old, tokens)
                if best is None or score > best.similarity:
                    best = Match(entry, "fuzzy", score)
        return best

    def entries(self) -> list[MemoryEntry]:
        if not self.path.exists():
            return []
        with self._connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM memory ORDER BY approved_at, key").fetchall()
        return [MemoryEntry(*row) for row in rows]

    def remove(self, text: str) -> bool:
        """Forget the entry whose key equals `text`'s; False when there was none."""
        if not self.path.exists():
            return False
        with self._connect() as con:
            return con.execute("DELETE FROM memory WHERE key = ?", (" ".join(key_tokens(text)),)).rowcount > 0


def _fingerspelled(glosses: str) -> set[str]:
    # a gloss may carry an editor's mouthing, `fs-MEIER{meier}` (text_to_gloss/mouthing_override.py):
    # the name is what comes before the brace
    return {spelled_word(g.split("{", 1)[0]).upper() for g in glosses.split() if has_fingerspell_prefix(g)}


