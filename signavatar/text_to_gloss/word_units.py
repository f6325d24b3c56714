"""The unit for one tagged word: drop it (and say by which rule), or what to look up and spell.

Clause-level decisions (order, phrases, places, ranges) are in units.py; this module only looks
at a word and its neighbours in the clause.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from signavatar import messages
from signavatar.errors import InvalidInputError
from signavatar.text_to_gloss import word_classes as wc
from signavatar.text_to_gloss.analysis_budget import MAX_SPELLED_WORD_CHARS, MAX_WORD_CHARS
from signavatar.text_to_gloss.conjunctions import connector_unit, not_only_unit
from signavatar.text_to_gloss.meaning_words import meaning_word_unit
from signavatar.text_to_gloss.particle_verbs import attach_particles, has_open_closed, particle_verb_keys
from signavatar.text_to_gloss.signing_unit import Unit, dedupe, dropped
from signavatar.text_to_gloss.special_tokens import starts_with_digit
from signavatar.text_to_gloss.tagging import TaggedWord


@dataclass(frozen=True)
class ClauseContext:
    """What the word rules need to know about the whole clause."""

    clause: Sequence[TaggedWord]
    particles: dict[int, int]
    haben_is_auxiliary: bool
    subjects: frozenset[str]
    persons: frozenset[str]
    vocabulary: Mapping[str, str]
    they: frozenset[int] = frozenset()  # sentence positions of a "Sie" that means "they" (pronoun_reference.py)

    @classmethod
    def of(
        cls, clause: Sequence[TaggedWord], vocabulary: Mapping[str, str], they: frozenset[int] = frozenset()
    ) -> ClauseContext:
        return cls(
            clause, attach_particles(clause), any(wc.is_participle(w.pos) for w in clause),
            frozenset(w.surface.lower() for w in clause if w.pos == "PPER"),
            frozenset("sie" if w.index in they else _person(w, clause) for w in clause if w.pos in ("PPER", "PRF")),
            vocabulary, they,
        )


def word_unit(word: TaggedWord, i: int, ctx: ClauseContext) -> Unit:
    """The unit for one word; role "dropped" when DGS does not sign it."""
    if not word.analysed:
        return unanalysed_unit(word)
    pos, key, lower = word.pos, word.key, word.surface.lower()
    words = (word.surface,)
    if pos == "ART":
        return dropped(words, "drop-article")
    meaning = meaning_word_unit(word, i, ctx.clause)
    if meaning is not None:
        return meaning
    if pos in wc.DROPPED_TAGS:
        return dropped(words, "drop-function-word")
    connector = connector_unit(word, i)
    if connector is not None:
        return connector
    if key in wc.UNSIGNED_WORDS:
        return dropped(words, "drop-function-word")
    if pos in wc.OPTIONAL_TAGS:
        return Unit(words, "content", dedupe(key, lower), word.lemma, optional=True)
    if key in wc.NEGATION_LEMMAS:  # "nicht nur": no negation of the verb (conjunctions.py)
        return not_only_unit(ctx.clause, i) or Unit(
            words, "negation", ("kein", "nicht") if key == "kein" else ("nicht",), key, rule="negation"
        )
    if wc.is_verb(pos):
        return _verb_unit(word, i, ctx)
    if pos == "PPER" and _possessive_ihr(word, i, ctx.clause):
        return _possessive_unit(replace(word, pos="PPOSAT"), ctx)
    if pos == "PRF" or pos == "PPER":
        return _pronoun_unit(word, ctx)
    if pos == "PPOSAT":
        return _possessive_unit(word, ctx)
    if pos == "PTKVZ":  # a particle whose verb could not take it ("ist ... offen")
        return Unit(words, "content", dedupe(key, lower), word.lemma, optional=True)
    if lower in wc.HONORIFICS and i + 1 < len(ctx.clause) and _is_name(ctx.clause[i + 1], ctx.vocabulary):
        return Unit(words, "content", (key,), word.surface, optional=True)
    if pos == "CARD" and lower in wc.NUMBER_WORDS:
        return Unit(words, "content", (lower,), word.surface, numbers=(wc.NUMBER_WORDS[lower],), rule="number")
    if pos in ("PDS", "PIS", "PIAT", "PDAT"):  # HanTa lemmatises "das" to "der": look up the word
        # inflected determiners: "jeden" (lemma "jed") is listed as "jede"; "diesem Tag" points at a
        # thing DGS places in space, not a sign of its own: signed only if the lexicon has it
        keys = dedupe(lower, key, key + "e") if key.isalpha() and not key.endswith("e") else dedupe(lower, key)
        if pos == "PDAT" and key in wc.ATTRIBUTIVE_DEMONSTRATIVES:
            return Unit(words, "content", keys, lower, optional=True, drop_rule="drop-demonstrative")
        return Unit(words, "content", keys, lower)
    return _content_unit(word, i, ctx)


def unanalysed_unit(word: TaggedWord) -> Unit:
    """A word the tagger did not analyse (analysis_budget.py): looked up as written, split as a
    compound unless it is longer than any German word, else fingerspelled.

    InvalidInputError for a word over MAX_SPELLED_WORD_CHARS: its fingerspelling alone would
    outlast a clip (about 0.28 s a letter), and it is no German word.
    """
    lower, length = word.surface.lower(), len(word.surface)
    if length > MAX_SPELLED_WORD_CHARS:
        raise InvalidInputError(
            f"the word {word.surface[:30]!r}... has {length} characters; a word may have at most "
            f"{MAX_SPELLED_WORD_CHARS} (German words have fewer than {MAX_WORD_CHARS}): split it or leave it out"
        )
    if length > MAX_WORD_CHARS:
        reason = messages.too_long(length, MAX_WORD_CHARS)
    else:
        reason = messages.NOT_ANALYSED
    keys = dedupe(lower, lower.replace("-", "")) if "-" in lower else (lower,)
    return Unit((word.surface,), "content", keys, word.surface, rule="fingerspell-unknown", reason=reason,
                compound=length <= MAX_WORD_CHARS, analysed=False)


def _content_unit(word: TaggedWord, i: int, ctx: ClauseContext) -> Unit:
    """Nouns, names, adjectives, adverbs: keys, plural, and how to spell it when unknown."""
    pos, key, lower = word.pos, word.key, word.surface.lower()
    # nouns are spelled as written; HanTa's "NNA" (a noun it reads as a nominalised adjective) too:
    # its lemma cuts "Gebärdensprachdolmetscher" to "...dolmetsche"
    spell = word.surface if pos in wc.SURFACE_SPELLED_TAGS or pos.startswith("NN") or pos == "CARD" else word.lemma
    # HanTa strips adjectives to a stem ("nächsten" -> "nächst") that lexicons list as "nächste".
    extra = (key + "e",) if pos.startswith("ADJ") and not key.endswith("e") else ()
    joined = (lower.replace("-", ""), key.replace("-", "")) if "-" in lower else ()  # Leichte Sprache "Bürger-Amt"
    # A verbal noun without a sign of its own takes its verb's: "Abholung" -> "abholen".
    verbal = (key[:-3] + "en", key[:-3] + "n") if pos == "NN" and key.endswith("ung") and len(key) > 6 else ()
    keys = dedupe(key, lower, *extra, *joined, *verbal)
    following = ctx.clause[i + 1] if i + 1 < len(ctx.clause) else None
    if _is_street(lower, following):
        return Unit((word.surface,), "content", keys, word.surface, rule="fingerspell-street",
                    reason=messages.IS_STREET)
    previous = ctx.clause[i - 1] if i > 0 else None
    if pos in wc.NAME_TAGS or (previous is not None and previous.surface.lower() in wc.HONORIFICS):
        return Unit((word.surface,), "content", keys, word.surface, rule="fingerspell-name",
                    reason=messages.IS_NAME, compound=pos in wc.NAME_TAGS and "-" not in lower)
    if pos != "NN":
        return Unit((word.surface,), "content", keys, spell)
    rule, repeat = _plural(word, i, ctx)
    return Unit((word.surface,), "content", keys, spell, rule=rule, repeat=repeat, compound=True)


def _plural(word: TaggedWord, i: int, ctx: ClauseContext) -> tuple[str, int]:
    """(rule, repeat) for a noun: a bare plural is signed twice, a counted one once.

    Plural is guessed from the form (HanTa gives no number): the written form differs from the
    lemma and is not a genitive -s. A lexicon that lists the plural form itself ("Kinder") or a
    noun in wc.PLURAL_SIGNS (Unterlagen, Kosten) has a sign that already means the plural.
    """
    lower, lemma = word.surface.lower(), word.lemma.lower()
    if lower == lemma or lemma in wc.PLURAL_SIGNS or lower in ctx.vocabulary:
        return "lexicon", 1
    previous = [w for w in ctx.clause[max(0, i - 3):i] if w.pos not in ("ADJ(A)", "ART")]
    if lower in (lemma + "s", lemma + "es") and any(w.surface.lower() in wc.GENITIVE_WORDS for w in ctx.clause[:i]):
        return "lexicon", 1
    if any(wc.is_number(w.surface) or w.key in wc.QUANTIFIERS
           for w in previous):
        return "plural-quantity", 1
    if any(w.surface.lower() in wc.GENITIVE_WORDS or w.key in wc.SINGULAR_DETERMINERS for w in previous[-1:]):
        return "lexicon", 1
    if _weak_singular(lower, lemma, ctx.clause[max(0, i - 3):i]):
        return "lexicon", 1
    return "lexicon", 2


def _weak_singular(lower: str, lemma: str, before: Sequence[TaggedWord]) -> bool:
    """A masculine noun of the weak declension in the singular: "meinen Namen", "dem Kunden", "einen
    Kollegen" (Name -> Namen looks like a plural). The nearest determiner decides: "-em" and "ein-"
    forms are singular; "-en" is the masculine accusative singular unless a dative preposition comes
    before it ("mit meinen Kollegen" is a plural)."""
    if not (lemma.endswith("e") and lower == lemma + "n"):
        return False
    determiners = [k for k, w in enumerate(before) if w.pos in ("ART", "PPOSAT", "PIAT", "PDAT")]
    if not determiners:
        return False
    k = determiners[-1]
    determiner = before[k].surface.lower()
    if determiner.endswith("em") or determiner in ("einen", "eines", "keinen"):
        return True
    dative = k > 0 and before[k - 1].surface.lower() in wc.DATIVE_PREPOSITIONS
    return determiner.endswith("en") and not dative


def _is_street(lower: str, following: TaggedWord | None) -> bool:
    """ "Goethestraße", "Goethestr.", "Lindenallee"; "…weg"/"…platz" only with a house number."""
    if any(lower.endswith(s) and len(lower) >= len(s) + 3 for s in wc.STREET_SUFFIXES):
        return True
    numbered = following is not None and starts_with_digit(following.surface)
    return numbered and any(lower.endswith(s) and len(lower) >= len(s) + 3 for s in wc.NUMBERED_STREET_SUFFIXES)


def _verb_unit(word: TaggedWord, i: int, ctx: ClauseContext) -> Unit:
    """Verbs: drop copula/auxiliaries, mark modals, join a separated particle ("an" + "melden")."""
    key, words = word.key, (word.surface,)
    if key == "werden" and ctx.haben_is_auxiliary:
        return dropped(words, "drop-auxiliary")
    if key in wc.COPULA_LEMMAS:
        return dropped(words, "drop-copula")
    if key == wc.HABEN and (ctx.haben_is_auxiliary or has_open_closed(ctx.clause) or _perfect(ctx.clause)):
        return dropped(words, "drop-auxiliary")  # also "hat ... zu" (closed)
    if word.surface.lower().startswith("möcht"):  # HanTa says "mögen"; the sign is MÖCHTEN
        return Unit(words, "modal", ("möchten", "mögen"), "möchten", rule="modal-after-verb")
    if key in wc.MODAL_LEMMAS:
        return Unit(words, "modal", dedupe(key, word.surface.lower()), key, rule="modal-after-verb")
    if i in ctx.particles:
        particle = ctx.clause[ctx.particles[i]]
        joined = particle.surface.lower() + key  # never the bare `key`: aufmachen is not MACHEN
        return Unit((word.surface, particle.surface), "verb", particle_verb_keys(joined), joined, rule="particle-verb")
    return Unit(words, "verb", dedupe(*particle_verb_keys(key), word.surface.lower()), word.lemma, rule="verb-last")


def _perfect(clause: Sequence[TaggedWord]) -> bool:
    """ "Wir haben Ihren Antrag erhalten.": a participle that looks like an infinitive (erhalten,
    bekommen; HanTa says VV(INF)) after finite haben, with no modal and no "zu" before it."""
    if not any(w.key == wc.HABEN and w.pos == "VA(FIN)" for w in clause):
        return False
    if any(w.pos.startswith("VM") for w in clause):
        return False
    return any(w.pos == "VV(INF)" and (k == 0 or clause[k - 1].pos != "PTKZU") for k, w in enumerate(clause))


def _pronoun_unit(word: TaggedWord, ctx: ClauseContext) -> Unit:
    """Personal and reflexive pronouns as the pointing sign of their person."""
    lower, words = word.surface.lower(), (word.surface,)
    if lower in wc.EXPLETIVES and word.pos == "PPER":
        return Unit(words, "content", (lower,), lower, optional=True)
    if word.pos == "PRF" and (lower == "sich" or wc.REFLEXIVE_SUBJECT.get(lower) in ctx.subjects):
        return dropped(words, "drop-reflexive")
    if word.index in ctx.they:
        return Unit(words, "content", ("sie",), "sie", rule="pronoun-they")
    if word.surface in wc.FORMAL_PRONOUNS and _formal(word, ctx.clause):
        return Unit(words, "content", wc.FORMAL_PRONOUN_KEYS, lower, rule="pronoun")
    key = wc.PRONOUN_KEYS.get(lower, lower)
    return Unit(words, "content", (key,), key, rule="pronoun")


def _possessive_ihr(word: TaggedWord, i: int, clause: Sequence[TaggedWord]) -> bool:
    """ "Ihr"/"ihr" right before a noun or an adjective is a possessive ("sonst verfällt Ihr Termin"),
    though HanTa sometimes tags it as the personal pronoun."""
    following = clause[i + 1] if i + 1 < len(clause) else None
    return word.surface.lower() == "ihr" and following is not None and following.pos in ("NN", "ADJ(A)", "ADJA")


def _possessive_unit(word: TaggedWord, ctx: ClauseContext) -> Unit:
    """mein/dein/Ihr...: the possessive sign if the lexicon has one, else the pointing sign of the
    owner; left out when that person is already pointed at in the clause ("Ich habe meinen
    Ausweis" -> ICH AUSWEIS HABEN, not ICH ICH AUSWEIS HABEN)."""
    formal = word.surface.startswith(wc.FORMAL_POSSESSIVE_PREFIX) and _formal(word, ctx.clause)
    own = wc.FORMAL_POSSESSIVE_KEYS[0] if formal else word.key
    person = "du" if formal else wc.POSSESSIVE_PERSON.get(word.key, "")
    if not person or person in ctx.persons:  # pointed at already: not signed again, not even as MEIN/DEIN
        return dropped((word.surface,), "pronoun")
    return Unit((word.surface,), "content", dedupe(own, person), word.lemma, rule="pronoun")


def _person(word: TaggedWord, clause: Sequence[TaggedWord]) -> str:
    """The pointing sign key of a personal pronoun: "mir" -> "ich", formal "Sie" -> "du"."""
    lower = word.surface.lower()
    if word.surface in wc.FORMAL_PRONOUNS and _formal(word, clause):
        return "du"
    return wc.PRONOUN_KEYS.get(lower, lower)


def _formal(word: TaggedWord, clause: Sequence[TaggedWord]) -> bool:
    """Is a capitalised Sie/Ihnen/Ihr- the formal "you"?

    Inside a sentence capitalisation decides. At the start it is ambiguous; official texts
    address the reader, so a following plural verb ("Sie müssen", "Sie sind") counts as formal.
    """
    if word.index > 0:
        return True
    position = next((k for k, w in enumerate(clause) if w is word), -1)
    if position < 0 or position + 1 >= len(clause):
        return word.pos == "PPOSAT"
    following = clause[position + 1]
    if word.pos == "PPOSAT":  # "Ihr Ausweis ...": in our domain the reader's, not "her" ID
        return True
    return wc.is_verb(following.pos) and (following.surface.endswith("n") or following.surface == "sind")


def _is_name(word: TaggedWord, vocabulary: Mapping[str, str]) -> bool:
    """A proper name, or a capitalised word the vocabulary does not know ("Frau Müller")."""
    if word.pos in wc.NAME_TAGS:
        return True
    known = word.key in vocabulary or word.surface.lower() in vocabulary
    return word.surface[:1].isupper() and not known
