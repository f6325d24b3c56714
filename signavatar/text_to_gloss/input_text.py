"""Checking and cleaning the raw text a user typed, before anything else looks at it.

A bad input must fail here with a message the user can act on, not deep inside the tagger.
"""

from __future__ import annotations

import re
import unicodedata

from signavatar.errors import InvalidInputError

MAX_TEXT_CHARS = 2000
"""Longer texts are refused: a clip of a whole page is unwatchable and would block a worker."""

# ASCII control characters except \t and \n; pasted text often carries \r, NUL or form feeds.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: object, *, what: str = "text") -> str:
    """Return `text` NFC-normalised, without control characters, or raise InvalidInputError.

    NFC matters because macOS keyboards send "u" + combining diaeresis for "ü", which would
    otherwise miss every lexicon lookup. `what` names the input in messages ("text", "glosses").
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} must be a string, got {type(text).__name__}")
    cleaned = _CONTROL_CHARS.sub("", unicodedata.normalize("NFC", text))
    if not cleaned.strip():
        raise InvalidInputError(f"{what} is empty: give at least one word ({text[:20]!r} has none)")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise InvalidInputError(
            f"{what} is too long: {len(cleaned)} characters, the limit is {MAX_TEXT_CHARS}; "
            "split it into shorter parts"
        )
    return cleaned
