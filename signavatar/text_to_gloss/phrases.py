"""Fixed multi-word expressions that are one sign: "wie lange" -> WIE-LANGE, "zum Beispiel" ->
ZUM-BEISPIEL, "bis zu 3" -> BIS-ZU 3, "nach Hause" -> NACH-HAUSE.

The table is data, so the phrases are recognised whether or not the lexicon lists them: word by
word they would go wrong ("wie lange" -> WIE DAUERN, "zum Beispiel" read as a place, "nach Hause"
-> HAUS HAUS as a plural). A phrase whose sign the lexicon lacks is fingerspelled (lookup.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.signing_unit import Unit
from signavatar.text_to_gloss.tagging import TaggedWord


@dataclass(frozen=True)
class Phrase:
    """words: lower-case written words in order; sign: its gloss ("" for whatever the lexicon
    has under `key`); key: its lexicon lemma.

    question: a question word (moves last in a wh-question); before_number: only when a number
    follows ("bis zu 3 Fotos", not "bis zum Rathaus"); before: only before one of these words;
    rule: the rules.RULES name it is credited to.
    """

    words: tuple[str, ...]
    sign: str
    key: str
    question: bool = False
    before_number: bool = False
    before: frozenset[str] = frozenset()
    rule: str = "phrase"


PHRASES: tuple[Phrase, ...] = (
    Phrase(("wie", "lange"), "WIE-LANGE", "wie lange", question=True),
    Phrase(("zum", "beispiel"), "ZUM-BEISPIEL", "zum beispiel"),
    Phrase(("z.b.",), "ZUM-BEISPIEL", "zum beispiel"),
    Phrase(("z. b.",), "ZUM-BEISPIEL", "zum beispiel"),
    Phrase(("zb.",), "ZUM-BEISPIEL", "zum beispiel"),
    Phrase(("bis", "zu"), "BIS-ZU", "bis zu", before_number=True, rule="kept-preposition"),
    # "bis zum 31. Januar" is BIS + a date, not the lexicon's "bis zu" (zum = zu dem)
    Phrase(("bis",), "BIS", "bis", before=frozenset({"zum", "zur"}), rule="kept-preposition"),
    Phrase(("nach", "hause"), "NACH-HAUSE", "nach hause"),
    Phrase(("zu", "hause"), "", "zuhause"),  # the lexicon's ZUHAUSE/HAUS, once (not HAUS HAUS)
)
_BY_FIRST: dict[str, tuple[Phrase, ...]] = {
    first: tuple(p for p in PHRASES if p.words[0] == first) for first in {p.words[0] for p in PHRASES}
}


def phrase_at(clause: Sequence[TaggedWord], i: int, skip: set[int]) -> tuple[Phrase, Unit] | None:
    """The fixed phrase starting at `clause[i]` and its unit (role "content"), or None."""
    candidates = _BY_FIRST.get(clause[i].surface.lower())
    if candidates is None:
        return None
    for phrase in candidates:
        end = i + len(phrase.words)
        if end > len(clause) or any(k in skip for k in range(i, end)):
            continue
        if tuple(w.surface.lower() for w in clause[i:end]) != phrase.words:
            continue
        if phrase.before_number and not (end < len(clause) and wc.is_number(clause[end].surface)):
            continue
        if phrase.before and not (end < len(clause) and clause[end].surface.lower() in phrase.before):
            continue
        words = tuple(w.surface for w in clause[i:end])
        spell = phrase.sign or phrase.key
        return phrase, Unit(words, "content", (phrase.key,), spell, rule=phrase.rule, sign=phrase.sign)
    return None

