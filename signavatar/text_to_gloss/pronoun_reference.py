"""Does a sentence-initial "Sie" mean "you" (formal, DU) or "they" (SIE)?

Official texts address the reader with "Sie" nearly everywhere, so DU stays the default. Inside a
sentence the spelling decides ("Sie" is the reader, "sie" a third person). Only at the start of a
sentence (or after a colon) is a capital "Sie" ambiguous; it is read as "they" when the sentence
before has a plural noun of persons as its subject, with a plural verb and no pronoun subject:
"Die Mitarbeiter helfen gern. Sie sprechen auch Englisch." -> ... SIE ENGLISCH SPRECHEN.
A "Sie" read as "they" is a plural subject again for the next sentence, so a chain of sentences
about the staff stays SIE. The context passed from one sentence to the next is that sentence's
tagged words and its "they" positions (`Previous`), read only when a "Sie" opens the next one.
"""

from __future__ import annotations

from collections.abc import Sequence

from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.tagging import TaggedWord

#: plural nouns of persons (lemmas, lower case) that are the usual subjects in service texts
PERSON_NOUNS = frozenset({
    "mitarbeiter", "mitarbeiterin", "kind", "eltern", "bürger", "bürgerin", "mensch", "leute", "kollege",
    "kollegin", "arzt", "ärztin", "schüler", "schülerin", "student", "studentin", "antragsteller",
    "antragstellerin", "nachbar", "nachbarin", "beamte", "beamter", "angehörige", "familie", "frau", "mann",
    "jugendliche", "senior", "seniorin", "besucher", "besucherin", "kunde", "kundin", "mieter", "mieterin",
    "vermieter", "vermieterin", "eigentümer", "eigentümerin", "ausländer", "ausländerin", "flüchtling",
    "geflüchtete", "berater", "beraterin", "helfer", "helferin", "betreuer", "betreuerin", "team",
    "beschäftigte", "erwachsene", "großeltern", "geschwister", "sachbearbeiter", "sachbearbeiterin",
    "bewohner", "bewohnerin", "einwohner", "einwohnerin", "lehrer", "lehrerin", "polizist", "polizistin",
    "dolmetscher", "dolmetscherin", "person", "bewerber", "bewerberin", "teilnehmer", "teilnehmerin",
})
#: endings of person nouns not in the list ("Bürgerinnen", "Fachleute", "Arbeitnehmer", "Studierende")
PERSON_SUFFIXES = ("innen", "leute", "nehmer", "geber", "arbeiter", "ierende", "ierenden")
_SUBJECT_PRONOUNS = frozenset({"ich", "du", "er", "es", "wir", "ihr", "sie", "man"})
_CLAUSE_OPENERS = frozenset({":"})


Previous = tuple[Sequence[TaggedWord], frozenset[int]]
"""The sentence before (its tagged words and its "they" positions); () before the first."""


def they_positions(words: Sequence[TaggedWord], previous: Previous | tuple[()]) -> frozenset[int]:
    """Sentence positions (TaggedWord.index) of a capital "Sie" that means "they": at the start of
    the sentence or after a colon, when the previous sentence (or the part before the colon) had
    a plural subject of persons. The sentence before is only looked at when a "Sie" opens this one."""
    positions: set[int] = set()
    start = 0
    for k, word in enumerate(words):
        if word.surface in _CLAUSE_OPENERS:
            start = k + 1
        elif k == start and word.surface == "Sie" and word.pos == "PPER" and _plural_verb_after(words, k):
            before = plural_person_subject(words[:k - 1], frozenset(positions)) if k else (
                bool(previous) and plural_person_subject(*previous))
            if before:
                positions.add(word.index)
    return frozenset(positions)


def plural_person_subject(words: Sequence[TaggedWord], they: frozenset[int]) -> bool:
    """Does the first clause of `words` have a plural subject of persons: a plural finite verb with
    no pronoun subject and a person noun in the plural before it (or right after it: "Heute helfen
    die Mitarbeiter"), or a "Sie" already read as "they" (`they`)?"""
    clause = _first_clause(words)
    if any(w.index in they for w in clause):
        return True
    finite = next((k for k, w in enumerate(clause) if wc.is_verb(w.pos) and w.pos.endswith("(FIN)")), None)
    if finite is None or not _is_plural_verb(clause[finite]):
        return False
    nouns = [w for w in clause[:finite] if w.pos in ("NN", "NE")]
    fronted = bool(nouns)
    if not nouns:
        nouns = [w for w in clause[finite + 1:finite + 4] if w.pos in ("NN", "NE")][:1]
    if any(_pronoun_subject(w, k, finite, clause, fronted) for k, w in enumerate(clause)):
        return False
    return any(_is_person_plural(w) for w in nouns)


def _pronoun_subject(word: TaggedWord, k: int, finite: int, clause: Sequence[TaggedWord], fronted: bool) -> bool:
    """Is `word` a pronoun that is the subject? A formal "Sie" right after a full verb, with a
    noun fronted before that verb, is its object ("Unsere Mitarbeiter beraten Sie gern"); after a
    modal or auxiliary it is the subject ("Die Kinder können Sie mitbringen")."""
    if word.pos != "PPER" or word.surface.lower() not in _SUBJECT_PRONOUNS:
        return False
    if word.surface != "Sie" or k < finite or not fronted:
        return True
    return not clause[finite].pos.startswith("VV")


def _first_clause(words: Sequence[TaggedWord]) -> Sequence[TaggedWord]:
    end = next((k for k, w in enumerate(words) if w.surface in wc.CLAUSE_SEPARATORS), len(words))
    return words[:end]


def _is_plural_verb(verb: TaggedWord) -> bool:
    """3rd person plural: "helfen", "sind", "haben", "können" (not "hilft", "ist")."""
    lower = verb.surface.lower()
    return lower == "sind" or lower.endswith("n")


def _plural_verb_after(words: Sequence[TaggedWord], k: int) -> bool:
    """ "Sie sprechen" / "Sie sind": a verb that agrees with a plural (no verb: also fine)."""
    following = words[k + 1] if k + 1 < len(words) else None
    return following is None or not wc.is_verb(following.pos) or _is_plural_verb(following)


def _is_person_plural(noun: TaggedWord) -> bool:
    """A person noun whose written form is plural (differs from the lemma, or is a plural-only or
    unchanged plural like "Mitarbeiter" with a plural verb: the caller checked the verb)."""
    lemma, lower = noun.key, noun.surface.lower()
    return lemma in PERSON_NOUNS or lower in PERSON_NOUNS or lower.endswith(PERSON_SUFFIXES)
