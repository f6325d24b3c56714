"""Editors' review decisions on clips and lexicon signs: an append-only audit log in SQLite.

Public API: `ReviewLog(path)` with `record`, `entries`, `all_entries`, `state`; `ReviewEntry`;
`REVIEW_FILENAME`; a sign's state for its current form: `sign_review`, `SignReview`.
"""

from signavatar.review.signs import SignReview, sign_review
from signavatar.review.store import CLIP, REVIEW_FILENAME, SIGN, ReviewEntry, ReviewLog

__all__ = ["CLIP", "REVIEW_FILENAME", "SIGN", "ReviewEntry", "ReviewLog", "SignReview", "sign_review"]
