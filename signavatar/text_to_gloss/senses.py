"""The sense layer: a word without a sign of its own takes a sign of the same meaning, and a word
of several senses takes the sign its context asks for (data: glosses/senses.json, SENSES.md).

Lookup order for a unit: the lexicon (lemma or written form) -> this layer -> compound split ->
fingerspelling. The lexicon's own sign always wins over a synonym; only an entry with context cues
("Bescheid": the document, or "Bescheid geben" = INFORMIEREN) is decided here even when the
lexicon lists the lemma. Every sign this layer gives carries the rule "synonym" or "sense", a word
it leaves out "drop-sense", and `GlossToken.sense` names the entry so that --explain and the editor
can show the choice and its alternatives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from signavatar import messages
from signavatar.fingerspelling import fingerspell_gloss
from signavatar.text_to_gloss.sense_data import Cues, Sense, SenseChoice, SenseEntry, sense_table
from signavatar.text_to_gloss.signing_unit import Unit, dropped
from signavatar.text_to_gloss.tagging import TaggedWord
from signavatar.types import GlossToken

SYNONYM_RULE = "synonym"
SENSE_RULE = "sense"
DROP_RULE = "drop-sense"
# A determiner before a noun: "einen Bescheid" is the document, "Bescheid geben" is not.
_DETERMINER_TAGS = frozenset({"ART", "PPOSAT", "PDAT", "PIAT", "PIDAT", "PWAT", "APPRART"})
_BEFORE_WINDOW = 2


def clause_verbs_taken(clause: Sequence[TaggedWord]) -> frozenset[int]:
    """Positions of verbs that belong to a sense of another word ("Geben Sie uns Bescheid": geben)."""
    table = sense_table()
    taken: set[int] = set()
    for i, word in enumerate(clause):
        entry = table.get(word.key) or table.get(word.surface.lower())
        if entry is None or not entry.has_cues:
            continue
        sense = _first_matching(entry, clause, i)
        if sense is not None and sense.takes_verb:
            taken.update(_verb_positions(sense.cues, clause, i))
    return frozenset(taken)


def with_sense(unit: Unit, clause: Sequence[TaggedWord], i: int, vocabulary: Mapping[str, str],
               verbs_taken: frozenset[int] = frozenset()) -> Unit:
    """`unit` (of the word at clause position `i`) with the sense layer's decision: unchanged when
    the lexicon has the word or no entry applies, dropped ("drop-sense") for a sense that is not
    signed or a verb another word's sense took, else with `unit.sense` set for lookup."""
    if unit.role == "dropped" or unit.optional:  # function words and titles keep their own rules
        return unit
    if i in verbs_taken and unit.role == "verb":
        return dropped(unit.words, DROP_RULE)
    entry = _entry_for(unit.keys, vocabulary)
    if entry is None:
        return unit
    sense = _first_matching(entry, clause, i) if entry.has_cues else entry.senses[0]
    if sense is None:
        return unit
    if not sense.glosses:
        return dropped(unit.words, DROP_RULE)
    rule = SENSE_RULE if entry.has_cues else SYNONYM_RULE
    return replace(unit, sense=SenseChoice(entry.lemma, sense, rule))


def phrase_keys(word: TaggedWord, following: TaggedWord | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(words, keys) when the two words are a phrase of the sense data ("nach Hause")."""
    if following is None:
        return None
    table = sense_table()
    for key in (f"{word.surface.lower()} {following.surface.lower()}", f"{word.key} {following.key}"):
        if key in table:
            return (word.surface, following.surface), (key,)
    return None


def sense_tokens(unit: Unit, known_glosses: frozenset[str]) -> tuple[list[GlossToken], str | None]:
    """The tokens of a unit the sense layer decided; a sign not (yet) in the lexicon is
    fingerspelled under its gloss name, with a German warning."""
    choice = unit.sense
    assert choice is not None
    glosses = choice.sense.glosses
    repeat = unit.repeat if len(glosses) == 1 else 1
    tokens: list[GlossToken] = []
    missing: list[str] = []
    for gloss in glosses:
        if gloss in known_glosses:
            tokens.append(GlossToken(gloss, unit.words, "lexicon", unit.nonmanual, choice.rule, sense=choice.lemma))
            continue
        spelled = fingerspell_gloss(gloss.replace("-", ""))
        if spelled is not None:
            tokens.append(GlossToken(spelled, unit.words, "fingerspell", unit.nonmanual, choice.rule,
                                     sense=choice.lemma))
            missing.append(gloss)
    warning = None
    if missing:
        warning = messages.sense_sign_missing(" ".join(unit.words), " ".join(glosses), choice.sense.label,
                                              ", ".join(missing))
    return tokens * repeat, warning


def describe(token: GlossToken) -> str:
    """German, for --explain: "erhalten → BEKOMMEN (Synonym)"; "" for a token not from this layer."""
    entry = sense_table().get(token.sense) if token.sense else None
    if entry is None:
        return ""
    sense = taken_sense(entry, token.gloss)
    signs = " ".join(sense.glosses) if sense is not None else token.gloss
    label = sense.label if sense is not None else "Bedeutung"
    return f"{entry.lemma} → {signs} ({label})"


def taken_sense(entry: SenseEntry, gloss: str) -> Sense | None:
    """The sense of `entry` that gave `gloss` (also when it was fingerspelled as fs-NAME)."""
    for sense in entry.senses:
        names = {g for g in sense.glosses} | {fingerspell_gloss(g.replace("-", "")) for g in sense.glosses}
        if gloss in names:
            return sense
    return None


def _entry_for(keys: Sequence[str], vocabulary: Mapping[str, str]) -> SenseEntry | None:
    """The entry for the first key that the lexicon or the data knows; None when the lexicon's
    sign comes first (its own sign wins over a synonym, not over an entry with cues)."""
    table = sense_table()
    for key in keys:
        entry = table.get(key)
        if entry is not None and (entry.has_cues or key not in vocabulary):
            return entry
        if key in vocabulary:
            return None
    return None


def _first_matching(entry: SenseEntry, clause: Sequence[TaggedWord], i: int) -> Sense | None:
    return next((sense for sense in entry.senses if _holds(sense.cues, clause, i)), None)


def _holds(cues: Cues, clause: Sequence[TaggedWord], i: int) -> bool:
    word = clause[i]
    others = [w for k, w in enumerate(clause) if k != i]
    if cues.verb and not _verb_positions(cues, clause, i):
        return False
    if cues.bare and not _bare(clause, i):
        return False
    if cues.before and not any(_is(w, cues.before) for w in clause[max(0, i - _BEFORE_WINDOW):i]):
        return False
    if cues.clause and not any(_is(w, cues.clause) for w in others):
        return False
    if cues.reflexive and not any(w.pos == "PRF" for w in others):
        return False
    return not cues.pos or word.pos.startswith(cues.pos)


def _verb_positions(cues: Cues, clause: Sequence[TaggedWord], i: int) -> list[int]:
    return [k for k, w in enumerate(clause) if k != i and w.pos.startswith("V") and _is(w, cues.verb)]


def _bare(clause: Sequence[TaggedWord], i: int) -> bool:
    """No article, determiner or possessive before the word (adjectives in between skipped)."""
    for word in reversed(clause[:i]):
        if word.pos.startswith("ADJ"):
            continue
        return word.pos not in _DETERMINER_TAGS
    return True


def _is(word: TaggedWord, names: frozenset[str]) -> bool:
    return word.key in names or word.surface.lower() in names


@dataclass(frozen=True)
class _Derived:
    """What one vocabulary implies for this layer: the glosses the lexicon has, and the vocabulary
    the compound splitter uses (with the data's default signs)."""

    vocabulary: Mapping[str, str]
    size: int
    glosses: frozenset[str]
    for_compounds: Mapping[str, str]


_last: list[_Derived] = []  # one slot, replaced whole (threads read it without a lock)


def _derived(vocabulary: Mapping[str, str]) -> _Derived:
    last = _last[0] if _last else None
    if last is not None and last.vocabulary is vocabulary and last.size == len(vocabulary):
        return last
    table = sense_table()
    glosses = frozenset(vocabulary.values())
    defaults = {lemma: sense.glosses[0] for lemma, entry in table.items()
                if (sense := _default_sense(entry)) is not None and " " not in lemma
                and len(sense.glosses) == 1 and sense.glosses[0] in glosses}
    synonyms = {lemma: gloss for lemma, gloss in defaults.items() if not table[lemma].has_cues}
    chosen = {lemma: gloss for lemma, gloss in defaults.items() if table[lemma].has_cues}
    derived = _Derived(vocabulary, len(vocabulary), glosses, {**synonyms, **vocabulary, **chosen})
    _last[:] = [derived]
    return derived


def known_glosses(vocabulary: Mapping[str, str]) -> frozenset[str]:
    """The glosses `vocabulary` maps to: the signs the lexicon has."""
    return _derived(vocabulary).glosses


def compound_vocabulary(vocabulary: Mapping[str, str]) -> Mapping[str, str]:
    """`vocabulary` with the data's default signs for compound parts ("Wohnsitzanmeldung" ->
    WOHNUNG ANMELDEN): a synonym where the lexicon has no sign, an entry with cues always (its
    sense without cues); only signs the lexicon has."""
    return _derived(vocabulary).for_compounds


def _default_sense(entry: SenseEntry) -> Sense | None:
    return next((sense for sense in entry.senses if sense.cues.empty and sense.glosses), None)


@dataclass(frozen=True)
class SenseOption:
    """One sense of an entry as the editor offers it: the signs as the gloss string writes them
    (a sign the lexicon lacks as fs-NAME), its German label, and whether the translation took it."""

    glosses: str
    label: str
    chosen: bool


def sense_options(token: GlossToken, known: frozenset[str]) -> tuple[str, str, list[SenseOption]] | None:
    """(lemma, label of the sense taken, the entry's senses that have signs) for a token of this
    layer, None for any other token (or an entry the data no longer has)."""
    entry = sense_table().get(token.sense) if token.sense else None
    if entry is None:
        return None
    taken = taken_sense(entry, token.gloss)
    options = [
        SenseOption(" ".join(g if g in known else fingerspell_gloss(g.replace("-", "")) or g for g in sense.glosses),
                    sense.label, sense is taken)
        for sense in entry.senses if sense.glosses
    ]
    return entry.lemma, taken.label if taken is not None else "", options
