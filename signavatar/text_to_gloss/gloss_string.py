"""Reading a gloss sequence an editor wrote by hand ("TERMIN ICH BRAUCHEN", "fs-MEIER KOMMEN 17",
"TERMIN{termin} GUT{pf}" with the mouthing of a sign chosen, mouthing_override.py).

Editors correct machine translations by typing glosses; every token must be something the
renderer can sign, so an unknown gloss is an error here instead of a silent gap in the clip.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import replace

from signavatar.errors import UnknownGlossError
from signavatar.fingerspelling import (
    PREFIX,
    has_fingerspell_prefix,
    read_written_fingerspelling,
    spell_letters,
)
from signavatar.text_to_gloss.gloss_ids import is_number_gloss
from signavatar.text_to_gloss.input_text import MAX_TEXT_CHARS, clean_text
from signavatar.text_to_gloss.mouthing_override import split_mouthing
from signavatar.types import GlossSequence, GlossToken


def parse_gloss_string(glosses: str, known: Container[str], *, max_chars: int = MAX_TEXT_CHARS) -> GlossSequence:
    """Turn a whitespace-separated gloss string into a GlossSequence.

    Each token is, in this order: a lexicon gloss (in `known`, as written or upper-cased), a
    fingerspelling `fs-NAME` (normalised to upper case, ß kept), or a number (ASCII digits); each
    may carry an editor's mouthing in braces, `TERMIN{termin}`, `GUT{pf}` (GlossToken.mouthing).
    Anything else raises UnknownGlossError naming the token; empty input, input over `max_chars`
    characters or a malformed mouthing raises InvalidInputError.
    """
    text = clean_text(glosses, what="glosses", max_chars=max_chars)
    tokens = tuple(_parse_written(token, known) for token in text.split())
    return GlossSequence(tokens=tokens, sentence_type="statement")  # glosses, no German text


def _parse_written(written: str, known: Container[str]) -> GlossToken:
    gloss, mouthing = split_mouthing(written)
    token = _parse_token(gloss, known)
    return token if mouthing is None else replace(token, mouthing=mouthing)


def _parse_token(token: str, known: Container[str]) -> GlossToken:
    """Classify one hand-written gloss; raise UnknownGlossError when it cannot be signed."""
    if token in known:
        return GlossToken(gloss=token, kind="lexicon")
    upper = token.upper()
    if upper in known:
        return GlossToken(gloss=upper, kind="lexicon")
    if has_fingerspell_prefix(token):
        spelled = read_written_fingerspelling(token)
        if spelled is None:
            raise UnknownGlossError(
                f"cannot fingerspell {token!r}: write {PREFIX} followed by letters only (A-Z, Ä, Ö, Ü, ß)"
            )
        return GlossToken(gloss=spelled, kind="fingerspell")
    if is_number_gloss(token):
        return GlossToken(gloss=token, kind="number")
    raise UnknownGlossError(
        f"unknown gloss {token!r}: it is not in the lexicon; write {PREFIX}{spell_letters(token) or 'NAME'} "
        "to fingerspell it"
    )

