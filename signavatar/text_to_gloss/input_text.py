"""Checking and cleaning the raw text a user typed, before anything else looks at it.

One cleaning for every way in (CLI, HTTP, preview, batch, Celery): `normalise_text` is what
jobs/request.py applies to a request, `clean_text` what the translator and the gloss parser apply
to what they are given. A bad input must fail here with a message the user can act on, not deep
inside the tagger.
"""

from __future__ import annotations

import re
import unicodedata

from signavatar.errors import InvalidInputError

MAX_TEXT_CHARS = 2000
"""The default limit (Settings.max_text_chars): a clip of a whole page is unwatchable and would block a worker."""

CONTROL_CHARS = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)
"""Controls (tab, newline and carriage return stay: they are whitespace), zero-width and bidi
formatting characters, and lone surrogates (JSON "\\ud800" decodes to one; it cannot be encoded as
UTF-8, so it would break hashing and storage). Pasted text often carries NUL or form feeds."""

OTHER_DIGITS = re.compile(r"(?![0-9])\d")
"""Decimal digits of other scripts ("٣", fullwidth "３"): read as the ASCII digit of their value, so
the number rules and the number signs, which sign ASCII digits only, see a number."""


def strip_controls(text: str) -> str:
    """`text` NFC-normalised, without CONTROL_CHARS, its OTHER_DIGITS as ASCII digits.

    NFC matters because macOS keyboards send "u" + combining diaeresis for "ü", which would
    otherwise miss every lexicon lookup."""
    text = unicodedata.normalize("NFC", CONTROL_CHARS.sub("", text))
    return OTHER_DIGITS.sub(lambda m: str(unicodedata.decimal(m.group())), text)


def normalise_text(value: str) -> str:
    """strip_controls, and whitespace collapsed to single spaces (no leading or trailing ones)."""
    return " ".join(strip_controls(value).split())


def check_length(what: str, value: str, max_chars: int, advice: str = "split it into shorter parts") -> str:
    """`value`, or InvalidInputError when it is longer than `max_chars` characters."""
    if len(value) > max_chars:
        raise InvalidInputError(f"{what} is {len(value)} characters; the limit is {max_chars}: {advice}")
    return value


def clean_text(text: object, *, what: str = "text", max_chars: int = MAX_TEXT_CHARS) -> str:
    """`text` through strip_controls, or InvalidInputError when it is not a string, has no word or
    is longer than `max_chars`. `what` names the input in messages ("text", "glosses")."""
    if not isinstance(text, str):
        raise InvalidInputError(f"{what} must be a string, got {type(text).__name__}")
    cleaned = strip_controls(text)
    if not cleaned.strip():
        raise InvalidInputError(f"{what} is empty: give at least one word ({text[:20]!r} has none)")
    return check_length(what, cleaned, max_chars)
