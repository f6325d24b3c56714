"""The German texts a user of the editor reads about a translation: the translator's warnings
(what was fingerspelled or left out, and why) and the notes on where glosses came from (the
translation memory, the trained model, the rules).

One module for all of them, at the foundation, so the translator, the translation memory, the
gloss model and the choice between them (signavatar/translation_choice.py) word things alike, and
a wording is changed in one place. Quotation marks are the German „…“. Errors (InvalidInputError)
stay English, like the rest of the API's error texts.
"""

from __future__ import annotations

# -- why a word is fingerspelled (Unit.reason; "„Vermieter“ ist nicht im Lexikon: wird gebuchstabiert")
NOT_IN_LEXICON = "ist nicht im Lexikon"
IS_NAME = "ist ein Name, nicht im Lexikon"
IS_STREET = "ist ein Straßenname, nicht im Lexikon"
IS_EMAIL = "ist eine E-Mail-Adresse (@ und Punkte werden nicht gebärdet)"
IS_URL = "ist eine Webadresse (nur die Domain wird buchstabiert, der Rest weggelassen)"
NOT_ANALYSED = "ist nicht im Lexikon (nicht analysiert: der Text hat mehr lange Wörter, als eine Anfrage analysiert)"


def sign_missing(sign: str) -> str:
    """The reason for a word whose meaning rule asks for a sign the lexicon lacks ("nur" -> NUR)."""
    return f"braucht die Gebärde {sign}, die nicht im Lexikon ist"


def too_long(length: int, limit: int) -> str:
    """The reason for a word longer than any German word."""
    return f"hat {length} Zeichen, mehr als jedes deutsche Wort (Grenze {limit}), und ist nicht im Lexikon"


def quoted(text: str) -> str:
    return f"„{text}“"


# -- the translator's warnings (text_to_gloss/lookup.py)
def fingerspelled(words: str, reason: str) -> str:
    return f"{quoted(words)} {reason}: wird gebuchstabiert"


def left_out(words: str) -> str:
    return f"{quoted(words)} hat keine Buchstaben zum Buchstabieren und ist nicht im Lexikon: weggelassen"


def compound_part_missing(words: str, missing: str) -> str:
    return f"{quoted(words)} ist nicht im Lexikon, der Wortteil {quoted(missing)} fehlt: wird gebuchstabiert"


def sense_sign_missing(words: str, glosses: str, label: str, missing: str) -> str:
    """A sign the sense layer chose (text_to_gloss/senses.py) that the lexicon does not have yet."""
    return (f"{quoted(words)} bedeutet hier {glosses} ({label}); die Gebärde {missing} fehlt im Lexikon: "
            "wird gebuchstabiert")


# -- where the glosses came from (translation memory, model, rules)
def date_of(iso: str) -> str:
    """"2026-12-07T10:00:00+00:00" -> "07.12.2026" (the date as German readers write it)."""
    year, month, day = iso[:10].split("-") if len(iso) >= 10 and iso[4] == "-" else ("", "", "")
    return f"{day}.{month}.{year}" if year else iso


def from_memory(approved_at: str, fuzzy_text: str | None) -> str:
    """The note a translation from the translation memory carries (fuzzy_text: the stored sentence
    of a fuzzy match, None for an exact one). It travels with the glosses to public callers (GET
    /v1/gloss, clip.json), so it does not name the editor: who approved is for editors only
    (GET /v1/memory with the editor key, `signavatar gloss --explain`)."""
    how = "" if fuzzy_text is None else f", ähnlicher Satz {quoted(fuzzy_text)}"
    return f"aus dem Übersetzungsgedächtnis (freigegeben am {date_of(approved_at)}{how})"


def memory_not_used(text: str, why: str) -> str:
    return f"Eintrag {quoted(text)} im Übersetzungsgedächtnis nicht verwendet: {why}"


def percent(share: float) -> str:
    return f"{round(100 * share)} %"


def from_model(confidence: float, known: int, words: int) -> str:
    """The note a translation by the trained (statistical) model carries."""
    return (f"vom statistischen Modell übersetzt (Sicherheit {percent(confidence)}: {known} von {words} "
            "Inhaltswörtern kennt das Modell)")


def model_not_used(confidence: float, threshold: float) -> str:
    return (f"statistisches Modell nicht verwendet: Sicherheit {percent(confidence)} unter der Schwelle "
            f"{percent(threshold)}; übersetzt nach den Regeln")


def model_glosses_unknown(glosses: str) -> str:
    return f"Glossen des Modells nicht im Lexikon: {glosses}"
