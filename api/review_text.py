"""Names and notes of editors (approver, rejecter, sign reviewer, memory editor) as request fields.

A name is shown to other editors (and was on the public embed page): a right-to-left override
(U+202E) once made "Anna" read as another name there, and zero-width or control characters can make
two names look alike. So names are NFC-normalised and refused (422, naming the character) when they
contain a character of the Unicode categories Cc, Cf (bidi controls, zero-width), Co, Cs, Zl or Zp,
or begin or end with whitespace. Comments and reasons are multi-line free text: NFC-normalised,
refused with control characters other than newline, carriage return and tab, or a bidi control.

`EditorName` and `EditorNote` are the annotated types the request bodies of api/review.py,
api/lexicon_api.py and POST /v1/memory (api/schemas.py) use.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

#: categories a name may not contain: controls, format (bidi, zero-width), private use, surrogates,
#: line and paragraph separators
NAME_REFUSED = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})
#: the bidirectional formatting characters (Unicode UAX #9): they reorder the text around them
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
NOTE_CONTROLS_ALLOWED = frozenset("\n\r\t")


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "") if unicodedata.category(ch) != "Cs" else "a lone surrogate"
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def check_name(value: str) -> str:
    """The name NFC-normalised; ValueError (a 422 naming the character) for a hidden or reordering
    character, or whitespace around it."""
    for ch in value:
        if unicodedata.category(ch) in NAME_REFUSED:
            raise ValueError(f"the name contains the invisible or control character {_describe(ch)}; "
                             "write the name in plain letters")
    if value != value.strip():
        raise ValueError("the name begins or ends with a space; remove it")
    name = unicodedata.normalize("NFC", value)
    if not name:
        raise ValueError("the name is empty: say who decides")
    return name


def check_note(value: str) -> str:
    """A comment or reason NFC-normalised; ValueError for a control character (but newline, tab)
    or a bidi control."""
    for ch in value:
        if ch in BIDI_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in NOTE_CONTROLS_ALLOWED):
            raise ValueError(f"the text contains the control character {_describe(ch)}; remove it")
        if unicodedata.category(ch) == "Cs":
            raise ValueError(f"the text contains {_describe(ch)}; send valid UTF-8 text")
    return unicodedata.normalize("NFC", value)


EditorName = Annotated[str, AfterValidator(check_name)]
EditorNote = Annotated[str, AfterValidator(check_note)]
