"""Editors' review decisions on clips and lexicon signs: an append-only audit log in SQLite.

Public API: `ReviewLog(path)` with `record`, `entries`, `state`; `ReviewEntry`; `REVIEW_FILENAME`.
"""

from signavatar.review.store import CLIP, REVIEW_FILENAME, SIGN, ReviewEntry, ReviewLog

__all__ = ["CLIP", "REVIEW_FILENAME", "SIGN", "ReviewEntry", "ReviewLog"]
