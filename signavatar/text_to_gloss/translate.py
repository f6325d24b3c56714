"""German text -> GlossSequence: the rule-based translator of this first version.

Pipeline per sentence: tokenise, tag with HanTa, split into clauses, drop what DGS does not
sign, reorder (time - topic/subject - object - verb - modal - negation - question word), look each
unit up in the vocabulary, fingerspell what is missing. The rules are in GLOSS_CONVENTIONS.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from signavatar.errors import InvalidInputError
from signavatar.text_to_gloss.input_text import clean_text
from signavatar.text_to_gloss.lookup import unit_tokens
from signavatar.text_to_gloss.ordering import plan_sentence
from signavatar.text_to_gloss.tagging import tag_tokens
from signavatar.text_to_gloss.tokenize import split_sentences
from signavatar.types import GlossSequence, GlossToken, SentenceType


def text_to_gloss(text: str, vocabulary: Mapping[str, str]) -> GlossSequence:
    """Translate German text into DGS glosses.

    vocabulary: lower-case German lemma, word or two-word phrase -> lexicon gloss id, e.g.
    {"termin": "TERMIN", "nächste woche": "NÄCHSTE-WOCHE"}. Several sentences are translated one
    by one and concatenated; the sequence's sentence type is the first sentence's.
    Raises InvalidInputError for empty or too long text, or text with nothing to sign.
    """
    cleaned = clean_text(text)
    tokens: list[GlossToken] = []
    warnings: dict[str, None] = {}  # ordered set: one warning per word, however often it occurs
    sentence_types: list[SentenceType] = []
    for sentence in split_sentences(cleaned):
        end = (sentence.end,) if sentence.end else ()
        sentence_type, units = plan_sentence(tag_tokens(sentence.tokens + end), sentence.end, vocabulary)
        sentence_types.append(sentence_type)
        for unit in units:
            unit_glosses, warning = unit_tokens(unit, vocabulary)
            tokens.extend(unit_glosses)
            if warning is not None:
                warnings[warning] = None
    if not tokens:
        raise InvalidInputError(
            f"nothing to sign in {cleaned.strip()[:60]!r}: it has only words DGS leaves out "
            "(articles, auxiliaries, prepositions, punctuation)"
        )
    return GlossSequence(
        tokens=tuple(tokens),
        sentence_type=sentence_types[0] if sentence_types else "statement",
        source_text=text,
        warnings=tuple(warnings),
    )
