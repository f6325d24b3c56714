"""1 000 reproducible German test inputs for the robustness test (no download, fixed seed).

Real word forms come from simplemma's German dictionary (1.1 M forms shipped in the installed
package), set into sentence templates together with the lexicon's lemmas and the things office
texts contain: dates, clock times, money, phone numbers, e-mail and web addresses, emoji,
Leichte Sprache marks, very long sentences and lines with nothing to sign.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache

_TEMPLATES = (
    "{Pron} {word} {art} {Noun} {prep} {Noun}.",
    "{Noun} {word} am {day}.{month}.{year} um {hour}:{minute} Uhr {word}.",
    "Wann {word} {art} {Noun} {word}?",
    "{Art} {Noun} kostet {euro},{cent} € und {word} nicht {word}.",
    "Rufen Sie {phone} an oder schreiben Sie an {email} {emoji}",
    "Mehr unter {url} – {Noun} {word} {word}!",
    "{Wd}–{Wd} {hour}:00–{hour2}:30 Uhr: {Noun}·{noun} {word}",
    "- {Noun} {word}\n- {Noun} {word}\n\n{Pron} {word} keine {Noun}.",
    "{word} {word} {word} {word} {word} {word}",
    "{Noun}{noun} {word} {Noun}-{Noun} {number} {word}?!",
    "Können {pron} {art} {Noun} {word}?",
    "{emoji} {emoji}",
    "   ",
    "„{Noun}“ ({word}) – {word}; {word}: {word} … {number}%",
)
_PRONOUNS = ("Ich", "Sie", "Wir", "Er", "Du", "Ihr", "Es")
_ARTICLES = ("der", "die", "das", "ein", "eine", "keinen", "meinen", "Ihren")
_PREPOSITIONS = ("im", "in der", "mit", "für", "bei", "auf dem", "zum", "nach", "vor")
_EMOJI = ("😀", "👍", "🙏🏽", "✅", "❤️", "🇩🇪", "👩‍👩‍👧")
_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa")


@lru_cache(maxsize=1)
def _word_forms() -> tuple[list[str], list[str]]:
    """(lower-case word forms, capitalised forms) from simplemma's German data, sorted."""
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    forms = sorted(DefaultDictionaryFactory().get_dictionary("de").keys())
    lower = [f for f in forms if f[:1].islower() and f.isalpha()]
    upper = [f for f in forms if f[:1].isupper() and f.isalpha()]
    return lower, upper


def german_inputs(lemmas: list[str], count: int = 1000, seed: int = 4) -> list[str]:
    """`count` German inputs mixing real word forms, lexicon lemmas and office-text tokens."""
    rng = random.Random(seed)
    lower, upper = _word_forms()
    nouns = [lemma for lemma in lemmas if lemma[:1].isupper()] or upper

    def fill(template: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: str(value(m.group(1))), template)

    def value(name: str) -> object:  # a fresh draw for every placeholder, so "{word} {word}" differ
        values = {
            "Pron": rng.choice(_PRONOUNS), "pron": rng.choice(_PRONOUNS).lower(), "art": rng.choice(_ARTICLES),
            "Art": rng.choice(_ARTICLES).capitalize(), "prep": rng.choice(_PREPOSITIONS),
            "Noun": rng.choice(nouns if rng.random() < 0.5 else upper), "noun": rng.choice(lower),
            "word": rng.choice(lower if rng.random() < 0.7 else lemmas), "day": rng.randint(1, 31),
            "month": rng.randint(1, 12), "year": rng.randint(1990, 2030), "hour": rng.randint(0, 23),
            "hour2": rng.randint(12, 23), "minute": f"{rng.randint(0, 59):02d}", "euro": rng.randint(0, 2000),
            "cent": f"{rng.randint(0, 99):02d}",
            "phone": f"0{rng.randint(30, 9999)} {rng.randint(1000, 99999)}-{rng.randint(0, 999)}",
            "email": f"{rng.choice(lower)[:8]}@{rng.choice(lower)[:10]}.de",
            "url": f"https://www.{rng.choice(lower)[:10]}.de/{rng.choice(lower)}",
            "emoji": rng.choice(_EMOJI), "Wd": rng.choice(_WEEKDAYS), "number": rng.randint(0, 10**7),
        }
        return values[name]

    inputs = [fill(rng.choice(_TEMPLATES)) for _ in range(count - 10)]
    long_sentence = " ".join(fill("{Pron} {word} {art} {Noun} {prep} {Noun},") for _ in range(40))
    inputs += [long_sentence[:1990], "", "\n\n", "😀", "https://example.org", "info@example.org",
               "0,00 €", "12:00", "Mo–Fr", "Ä Ö Ü ß ẞ"]
    return inputs
