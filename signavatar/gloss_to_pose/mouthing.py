"""Mouth pictures (Mundbilder): a sign's mouthing word as visemes timed inside the sign.

German phonemes (german_phonemes.py, espeak-ng) -> visemes by `VISEMES`, a fixed table of what the
lips, teeth and jaw visibly do (what a viewer lip-reads; tongue and voicing are invisible, so b/p/m
look alike):

- CLOSED      m b p: both lips pressed together (bilabials).
- LIP_TEETH   f v pf: lower lip against the upper teeth (labiodentals; German "w" is [v]).
- ROUNDED     o u ö ü (ɔ ʊ œ ø y ʏ), the diphthong ɔʏ, and ʃ ʒ: the lips rounded and pushed forward
              (German ʃ is spoken with protruded lips).
- SPREAD      i e ɛ ɪ (and j, ç, whose tongue sits where i's does): lips spread, jaw nearly closed.
- OPEN        a ɑ, the vocalised r ɐ (espeak-ng writes ɜ in "-er") and the diphthongs aɪ aʊ (that open on a): jaw open.
- TONGUE_TEETH s z t d n l ts: teeth nearly together, the tongue tip at the teeth/ridge.
- NEUTRAL     everything made further back (k g ŋ x h ʁ r ʔ) and the reduced vowel ə: relaxed.

A short sign mouths only its stressed syllable (`mouth_picture`). Mouth gestures that are not words
("pf", "mm", "sch", "ts", "none") are `MOUTH_GESTURES`. What a token mouths is `chosen_mouthing`;
mouth_track.py turns the keys into the face's mouth channels over each sign's span (the sequencer
calls it for every track).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from signavatar.errors import InvalidInputError
from signavatar.fingerspelling import spelled_word
from signavatar.gloss_to_pose.fingerspelling import is_fingerspelled
from signavatar.gloss_to_pose.german_phonemes import ESPEAK, Phoneme, german_phonemes
from signavatar.types import GlossToken


class Viseme(str, Enum):
    CLOSED = "closed"
    LIP_TEETH = "lip_teeth"
    ROUNDED = "rounded"
    SPREAD = "spread"
    OPEN = "open"
    TONGUE_TEETH = "tongue_teeth"
    NEUTRAL = "neutral"
    PUFFED = "puffed"
    """Cheeks puffed with closed lips: only the "pf" mouth gesture, never a phoneme."""


_CONSONANTS: dict[str, Viseme] = {
    **dict.fromkeys(("m", "b", "p"), Viseme.CLOSED),
    **dict.fromkeys(("f", "v", "pf", "w"), Viseme.LIP_TEETH),
    **dict.fromkeys(("ʃ", "ʒ", "tʃ", "dʒ"), Viseme.ROUNDED),
    **dict.fromkeys(("s", "z", "t", "d", "n", "l", "ts", "θ", "ð"), Viseme.TONGUE_TEETH),
    **dict.fromkeys(("j", "ç"), Viseme.SPREAD),
}
_VOWEL_START: dict[str, Viseme] = {
    **dict.fromkeys("oɔuʊœøyʏɒ", Viseme.ROUNDED),
    **dict.fromkeys("ieɛɪæ", Viseme.SPREAD),
    **dict.fromkeys("aɑɐɜʌ", Viseme.OPEN),
}


def viseme(phoneme: Phoneme) -> Viseme:
    """The viseme of one phoneme (the table in the module docstring); a vowel by its first letter."""
    if phoneme.ipa in _CONSONANTS:
        return _CONSONANTS[phoneme.ipa]
    if phoneme.is_vowel:
        return _VOWEL_START.get(phoneme.ipa[0], Viseme.NEUTRAL)
    return Viseme.NEUTRAL


def stressed_syllable(phonemes: tuple[Phoneme, ...]) -> tuple[int, int]:
    """The [begin, end) phoneme indices of the primary-stressed syllable (the first primary stress;
    without one, the first vowel's syllable). Its onset is the consonants before the vowel back to
    the previous vowel, less one (the previous syllable's coda) when there are two or more after a
    vowel; its coda is the consonants up to the next vowel less the one that begins the next syllable
    (all of them at the end of the word). Without a vowel: the whole sequence."""
    vowels = [i for i, p in enumerate(phonemes) if p.is_vowel]
    if not vowels:
        return 0, len(phonemes)
    nucleus = next((i for i in vowels if phonemes[i].stress == 2), vowels[0])
    previous = max((i for i in vowels if i < nucleus), default=None)
    if previous is None:
        begin = 0
    else:
        onset = nucleus - previous - 1
        begin = nucleus - (onset - 1 if onset >= 2 else onset)
    following = min((i for i in vowels if i > nucleus), default=None)
    end = len(phonemes) if following is None else max(nucleus + 1, following - 1)
    return begin, end


@dataclass(frozen=True)
class VisemeKey:
    """The mouth reaches `viseme` at `time_s` and holds it until the next key (or the picture's end)."""

    time_s: float
    viseme: Viseme
    phonemes: str
    """The IPA phonemes this key shows (several when neighbours share a viseme), "" for a gesture."""


MIN_PHONEME_S = 0.12
"""Below this much time per phoneme a mouth cannot show every phoneme: the picture keeps only the
stressed syllable, and if that is still too dense, only as many of its visemes as fit, around the
stressed vowel."""

_WEIGHT_CONSONANT, _WEIGHT_VOWEL, _WEIGHT_LONG_VOWEL = 1.0, 1.5, 2.0


def mouth_picture(word: str, start_s: float, end_s: float, *, espeak: str = ESPEAK) -> tuple[VisemeKey, ...]:
    """The mouth picture of `word` spread over [start_s, end_s): keys in time order, each inside it.

    The rule: with `end_s - start_s >= MIN_PHONEME_S` per phoneme the whole word is shown; below that
    only its stressed syllable (`stressed_syllable`), and below `MIN_PHONEME_S` per phoneme of that
    syllable, first without its NEUTRAL consonants (made behind the lips: nothing to see), then only
    the `floor(span / MIN_PHONEME_S)` (at least one) of its visemes nearest the stressed vowel.
    Neighbouring phonemes with the same viseme are one key. The time is shared by weight: a consonant 1,
    a short vowel 1.5, a long vowel or diphthong 2; the first key sits at `start_s`.
    A word without phonemes (punctuation) gives no keys. Raises G2PToolMissingError without espeak-ng.
    """
    span = _span(start_s, end_s)
    phonemes = german_phonemes(word, espeak=espeak)
    if not phonemes:
        return ()
    if span / len(phonemes) < MIN_PHONEME_S:
        begin, end = stressed_syllable(phonemes)
        phonemes = phonemes[begin:end]
    groups = _merge(phonemes)
    fit = max(1, math.floor(span / MIN_PHONEME_S + 1e-9))
    if span / len(phonemes) < MIN_PHONEME_S and len(groups) > fit:
        # what cannot be seen goes first: consonants made behind the lips (k g h r ...) show nothing
        # a viewer can lip-read, while a bilabial or a rounded onset can (BAR keeps its b, not its r)
        visible = _merge(tuple(p for p in phonemes if p.is_vowel or viseme(p) != Viseme.NEUTRAL))
        groups = visible if visible else groups
    if span / len(phonemes) < MIN_PHONEME_S and len(groups) > fit:
        centre = next((i for i, g in enumerate(groups) if any(p.stress == 2 for p in g)),
                      next((i for i, g in enumerate(groups) if any(p.is_vowel for p in g)), 0))
        first = min(max(0, centre - (fit - 1) // 2), len(groups) - fit)
        groups = groups[first:first + fit]
    weights = [sum(_weight(p) for p in g) for g in groups]
    total = sum(weights)
    keys: list[VisemeKey] = []
    elapsed = 0.0
    for group, weight in zip(groups, weights, strict=True):
        keys.append(VisemeKey(start_s + span * elapsed / total, viseme(group[0]), "".join(p.ipa for p in group)))
        elapsed += weight
    return tuple(keys)


MOUTH_GESTURES: dict[str, tuple[Viseme, ...]] = {
    "pf": (Viseme.PUFFED, Viseme.LIP_TEETH),  # cheeks puffed, then the air released over the lower lip
    "mm": (Viseme.CLOSED,),                    # lips pressed together
    "sch": (Viseme.ROUNDED,),                  # lips rounded and pushed forward, as for ʃ
    "ts": (Viseme.TONGUE_TEETH, Viseme.SPREAD),  # teeth together, lips drawn back
    "none": (),                                # no mouth picture: the mouth stays neutral
}
"""The lexicon's mouth gestures (Mundgestik): shapes that are not German words."""


def mouth_gesture(name: str, start_s: float, end_s: float) -> tuple[VisemeKey, ...]:
    """The named mouth gesture (`MOUTH_GESTURES`) spread evenly over [start_s, end_s)."""
    span = _span(start_s, end_s)
    if name not in MOUTH_GESTURES:
        raise InvalidInputError(f"unknown mouth gesture {name!r}; known: {', '.join(MOUTH_GESTURES)}")
    shapes = MOUTH_GESTURES[name]
    return tuple(VisemeKey(start_s + span * i / len(shapes), v, "") for i, v in enumerate(shapes))


def _span(start_s: float, end_s: float) -> float:
    if not (math.isfinite(start_s) and math.isfinite(end_s) and end_s > start_s):
        raise InvalidInputError(f"a mouth picture needs start_s < end_s, got {start_s}..{end_s}")
    return end_s - start_s


def _merge(phonemes: tuple[Phoneme, ...]) -> list[tuple[Phoneme, ...]]:
    groups: list[list[Phoneme]] = []
    for p in phonemes:
        if groups and viseme(groups[-1][-1]) == viseme(p):
            groups[-1].append(p)
        else:
            groups.append([p])
    return [tuple(g) for g in groups]


def _weight(p: Phoneme) -> float:
    if not p.is_vowel:
        return _WEIGHT_CONSONANT
    return _WEIGHT_LONG_VOWEL if p.is_long or len(p.ipa) > 1 else _WEIGHT_VOWEL


NO_MOUTHING = "none"


def chosen_mouthing(token: GlossToken, lexicon_mouthing: str | None) -> str:
    """What the mouth shows with `token`: a German word, or a MOUTH_GESTURES name ("none": nothing).

    In this order: the editor's choice (`token.mouthing`); a fingerspelled word as the whole word
    (mouthed over its spelling); a number as itself (german_phonemes speaks it as its number word);
    the lexicon entry's `mouthing` (`lexicon_mouthing`); else the German word the gloss names
    (TERMIN -> "termin")."""
    if token.mouthing is not None:
        return token.mouthing
    if is_fingerspelled(token):
        return spelled_word(token.gloss).lower()
    if token.kind == "number" or token.gloss.isdigit():
        return token.gloss
    if lexicon_mouthing is not None:
        return lexicon_mouthing
    return token.gloss.lower()
