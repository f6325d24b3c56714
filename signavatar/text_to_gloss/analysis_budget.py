"""How much of a text the tagger analyses: the bound on the work one request can cost.

HanTa's analysis of one word grows with the square of its length (measured on the 2-core machine:
10-30 µs × length², so a 63-letter word takes 30-80 ms and a 2,000-letter one 50 s), and it runs
under one process-wide lock (tagging.py). Two bounds keep a text of max_text_chars well under a
second:
- a token longer than MAX_WORD_CHARS is never analysed: the longest German words in use
  ("Rindfleischetikettierungsüberwachungsaufgabenübertragungsgesetz") have 63 letters, 65 with
  "ue" for "ü", so such a token is not a German word (a pasted hash, "Amt" × 666, a digit string);
- the tokens of one text give the tagger at most ANALYSIS_BUDGET squared characters in all; when
  they need more, the longest are left out until the rest fit. Ordinary German needs about 6 per
  character of text (11,500 for 2,000 characters of tests/text_to_gloss/buergeramt_sentences.tsv),
  so only texts built of long words lose analysis, and those words are still looked up, split as
  compounds and fingerspelled (word_units.unanalysed_unit).
Words too long to fingerspell and numbers too long to sign are refused (MAX_SPELLED_WORD_CHARS,
MAX_NUMBER_DIGITS) with a message that names the length and the limit.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_WORD_CHARS = 80
"""Tokens longer than this are not analysed: no tagger, no compound split (see the module doc)."""
MAX_SPELLED_WORD_CHARS = 200
"""Longer words are refused (InvalidInputError): fingerspelled at about 0.28 s a letter, one would
take the whole default clip (max_duration_s, 60 s) and still be unreadable."""
MAX_NUMBER_DIGITS = 32
"""Longer digit runs are refused (InvalidInputError): a count up to 12 digits is signed in groups
(25 TAUSEND, large_numbers.py), anything longer is a code signed digit by digit, so one of 2,000
digits would be planned (2 s) only to be refused as too long a clip. 32 digits hold any customer
number, file reference or IBAN; a phone number is signed in its groups (no limit)."""
ANALYSIS_BUDGET = 20_000
"""Squared characters of one text the tagger analyses: at most about 0.6 s of HanTa's time."""


def analysis_cost(token: str) -> int:
    """The tagger's work for one token, in squared characters (its cost grows with length²)."""
    return len(token) ** 2


def unanalysed_positions(sentences: Sequence[Sequence[str]]) -> list[frozenset[int]]:
    """Per sentence, the positions of the tokens the tagger must skip.

    Every token over MAX_WORD_CHARS, then the longest remaining tokens (of equally long ones the
    first in the text first) until the rest cost at most ANALYSIS_BUDGET. Linear in the number of
    tokens apart from one sort.
    """
    skipped: list[set[int]] = [set() for _ in sentences]
    candidates: list[tuple[int, int, int]] = []  # (-length, sentence, position)
    total = 0
    for s, tokens in enumerate(sentences):
        for i, token in enumerate(tokens):
            if len(token) > MAX_WORD_CHARS:
                skipped[s].add(i)
            else:
                total += analysis_cost(token)
                candidates.append((-len(token), s, i))
    if total > ANALYSIS_BUDGET:
        for negative_length, s, i in sorted(candidates):
            if total <= ANALYSIS_BUDGET:
                break
            skipped[s].add(i)
            total -= negative_length * negative_length
    return [frozenset(positions) for positions in skipped]
