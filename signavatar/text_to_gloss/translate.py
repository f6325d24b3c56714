"""German text -> GlossSequence: the rule-based translator of this first version.

Pipeline per sentence: tokenise, tag with HanTa, split into clauses, drop what DGS does not
sign, reorder (time - place - topic/subject - object - verb - modal - negation - question word),
look each unit up in the vocabulary, split compounds or fingerspell what is missing. The rules
are in GLOSS_CONVENTIONS.md; `explain` also returns which rule produced or dropped each word.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from signavatar.errors import InvalidInputError
from signavatar.text_to_gloss.adjacent_repeats import merge_repeats
from signavatar.text_to_gloss.analysis_budget import unanalysed_positions
from signavatar.text_to_gloss.input_text import MAX_TEXT_CHARS, clean_text
from signavatar.text_to_gloss.lookup import unit_tokens
from signavatar.text_to_gloss.ordering import plan_sentence
from signavatar.text_to_gloss.pronoun_reference import Previous, they_positions
from signavatar.text_to_gloss.senses import describe
from signavatar.text_to_gloss.tagging import tag_tokens
from signavatar.text_to_gloss.tokenize import has_leichte_sprache_marks, split_sentences
from signavatar.types import GlossSequence, GlossToken, SentenceType


@dataclass(frozen=True)
class Explanation:
    """A translation with its reasons.

    dropped: (words, rule) for every word that gives no sign, e.g. (("das",), "drop-article").
    rules: every rule name that applied, sentence-level ones ("question-yn", "sentence-split")
        included; names and examples in rules.RULES.
    """

    sequence: GlossSequence
    dropped: tuple[tuple[tuple[str, ...], str], ...]
    rules: frozenset[str]

    def lines(self) -> list[str]:
        """One line per gloss (gloss, kind, words, rule, the sense taken: "erhalten → BEKOMMEN
        (Synonym)"), then one per dropped word (the warnings are printed by
        signavatar/translation_choice.py, which says which translator answered)."""
        lines = [f"{t.gloss:<18} {t.kind:<11} {' '.join(t.words) or '-':<24} {t.rule}  {describe(t)}".rstrip()
                 for t in self.sequence.tokens]
        lines.extend(f"{'(dropped)':<18} {'':<11} {' '.join(words):<24} {rule}" for words, rule in self.dropped)
        return lines


def text_to_gloss(text: str, vocabulary: Mapping[str, str], *, max_chars: int = MAX_TEXT_CHARS) -> GlossSequence:
    """Translate German text into DGS glosses.

    vocabulary: lower-case German lemma, word or two-word phrase -> lexicon gloss id, e.g.
    {"termin": "TERMIN", "nächste woche": "NÄCHSTE-WOCHE"}. Several sentences are translated one
    by one and concatenated; the sequence's sentence type is the first sentence's.
    Raises InvalidInputError for empty text, text over `max_chars` characters, or text with nothing
    to sign.
    """
    return explain(text, vocabulary, max_chars=max_chars).sequence


def explain(text: str, vocabulary: Mapping[str, str], *, max_chars: int = MAX_TEXT_CHARS) -> Explanation:
    """Translate like text_to_gloss and keep the reasons: the rule of each gloss and the dropped words."""
    cleaned = clean_text(text, max_chars=max_chars)
    tokens: list[GlossToken] = []
    warnings: dict[str, None] = {}  # ordered set: one warning per word, however often it occurs
    dropped: list[tuple[tuple[str, ...], str]] = []
    sentence_types: list[SentenceType] = []
    applied: set[str] = set()
    sentences = split_sentences(cleaned)
    tokens_of = [sentence.tokens + ((sentence.end,) if sentence.end else ()) for sentence in sentences]
    previous: Previous | tuple[()] = ()  # the sentence before: after a plural subject "Sie" may be "they"
    # the tagger's work is bounded per text, not per sentence: many sentences of long words add up
    for sentence, sentence_tokens, skip in zip(sentences, tokens_of, unanalysed_positions(tokens_of)):
        words = tag_tokens(sentence_tokens, skip)
        they = they_positions(words, previous)
        sentence_type, units = plan_sentence(words, sentence.end, vocabulary, they)
        previous = (words, they)
        sentence_types.append(sentence_type)
        for unit in units:
            unit_glosses, warning = unit_tokens(unit, vocabulary)
            tokens.extend(unit_glosses)
            if unit_glosses and unit.rule != "lexicon":  # ODER spelled for want of a sign: its rule still applied
                applied.add(unit.rule)
            if warning is not None:
                warnings[warning] = None
            if not unit_glosses and warning is None:
                dropped.append((unit.words, unit.rule if unit.role == "dropped" else unit.drop_rule))
    tokens, repeated = merge_repeats(tokens)
    dropped.extend((words, "no-repeat") for words in repeated)
    if not tokens:
        raise InvalidInputError(
            f"nothing to sign in {cleaned.strip()[:60]!r}: it has only words DGS leaves out "
            "(articles, auxiliaries, prepositions, punctuation)"
        )
    rules = {t.rule for t in tokens} | {rule for _, rule in dropped} | applied
    rules.update(kind for kind in sentence_types if kind != "statement")
    if len(sentence_types) > 1:
        rules.add("sentence-split")
    if has_leichte_sprache_marks(cleaned):
        rules.add("leichte-sprache")
    sequence = GlossSequence(
        tokens=tuple(tokens),
        sentence_type=sentence_types[0] if sentence_types else "statement",
        source_text=text,
        warnings=tuple(warnings),
    )
    return Explanation(sequence, tuple(dropped), frozenset(rules))
