"""German grapheme -> phoneme for mouthing: a word as the IPA phonemes of its German pronunciation.

The tool is Debian's `espeak-ng` with its German voice (chosen over gruut-lang-de: it marks the stressed
syllable, which a short sign's mouthing needs, and got more of the Bürgeramt words right; BENCHMARKS.md,
benchmarks/g2p_compare.py). It runs as a subprocess, one call per text, with no audio
(`-q --ipa --sep=_`: IPA phonemes separated by `_`, the stress marks `ˈ`/`ˌ` before the stressed vowel).
Nothing is downloaded; when the binary is missing the error names the Debian package to install.

Before the tool sees it, a word is normalised the way it is mouthed: a number as its German number word
("17" -> "siebzehn", `german_number_word`) and a few written abbreviations as their words ("Nr." ->
"Nummer", `ABBREVIATIONS`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache

from signavatar.errors import InvalidInputError, SignavatarError

ESPEAK = "espeak-ng"
"""The binary (looked up on PATH) and the Debian package that holds it (scripts/setup-system.sh)."""
_TIMEOUT_S = 10.0

PRIMARY_STRESS = "ˈ"
SECONDARY_STRESS = "ˌ"
_LANGUAGE_SWITCH = re.compile(r"\([a-z-]+\)")
"""espeak-ng marks a word it reads with another language's rules, e.g. "(en)…(de)" around "online"."""

VOWEL_LETTERS = frozenset("aeiouyɛɪɔʊœøʏɐəɑɒæɜʌ")
"""IPA letters that make a phoneme a vowel (a syllable nucleus); a diphthong starts with one."""


class G2PToolMissingError(SignavatarError, RuntimeError):
    """The German grapheme-to-phoneme tool (espeak-ng) is not installed."""


@dataclass(frozen=True)
class Phoneme:
    """One phoneme in IPA (a long vowel keeps its `ː`, an affricate or diphthong is one phoneme)."""

    ipa: str
    stress: int = 0
    """2: primary stress, 1: secondary stress, 0: unstressed (only vowels carry stress)."""

    @property
    def is_vowel(self) -> bool:
        return self.ipa[0] in VOWEL_LETTERS

    @property
    def is_long(self) -> bool:
        return "ː" in self.ipa


ABBREVIATIONS: dict[str, str] = {
    "nr.": "nummer", "str.": "straße", "tel.": "telefon", "bzw.": "beziehungsweise", "z.b.": "zum beispiel",
    "usw.": "und so weiter", "ca.": "circa", "dr.": "doktor", "fr.": "frau", "hr.": "herr", "geb.": "geboren",
    "d.h.": "das heißt", "u.a.": "unter anderem", "e-mail": "email",
}
"""Written abbreviations as the words they are mouthed as (keys lower case)."""

_ONES = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
         "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn")
_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")
_MAX_NUMBER = 999_999


def german_number_word(n: int) -> str:
    """`n` (0 ≤ n ≤ 999 999) as one German number word: 17 -> "siebzehn", 21 -> "einundzwanzig",
    101 -> "hunderteins", 2024 -> "zweitausendvierundzwanzig"."""
    if not 0 <= n <= _MAX_NUMBER:
        raise InvalidInputError(f"german_number_word: {n} is outside 0..{_MAX_NUMBER}")
    if n == 0:
        return "null"
    return _below_million(n)


def _below_million(n: int) -> str:
    thousands, rest = divmod(n, 1000)
    head = "" if thousands == 0 else ("" if thousands == 1 else _prefix(thousands)) + "tausend"
    return head + ("" if rest == 0 else _below_thousand(rest))


def _prefix(n: int) -> str:
    """A count in front of "hundert"/"tausend": 1 reads "ein" inside a longer word ("einundzwanzigtausend")."""
    words = _below_thousand(n)
    return words[:-1] if words.endswith("eins") else words


def _below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    head = "" if hundreds == 0 else ("" if hundreds == 1 else _ONES[hundreds]) + "hundert"
    if rest == 0:
        return head
    if rest < 20:
        return head + _ONES[rest]
    tens, ones = divmod(rest, 10)
    if ones == 0:
        return head + _TENS[tens]
    unit = "ein" if ones == 1 else _ONES[ones]
    return head + unit + "und" + _TENS[tens]


def mouthed_text(word: str) -> str:
    """The words `word` is mouthed as: numbers as German number words (a number longer than six digits,
    like a phone number, digit by digit), known abbreviations written out, hyphens as word breaks."""
    out: list[str] = []
    for token in word.strip().lower().split():
        token = ABBREVIATIONS.get(token, token)
        for part in re.split(r"(\d+)", token.replace("-", " ")):
            if part.isdigit():
                out.append(german_number_word(int(part)) if len(part) <= 6 and not (len(part) > 1 and
                           part.startswith("0")) else " ".join(_ONES[int(d)] for d in part))
            elif part.strip():
                out.append(part.strip())
    return " ".join(out)


def espeak_binary(espeak: str = ESPEAK) -> str:
    """The path of the espeak-ng binary (`espeak` a name on PATH or a path); raises G2PToolMissingError."""
    found = shutil.which(espeak)
    if found is None:
        raise G2PToolMissingError(
            f"German phonemes for mouthing need the Debian package {ESPEAK!r} (not found: {espeak!r}); "
            f"install it with `apt-get install {ESPEAK}` or run scripts/setup-system.sh")
    return found


@lru_cache(maxsize=4096)
def german_phonemes(word: str, *, espeak: str = ESPEAK) -> tuple[Phoneme, ...]:
    """The German phonemes of `word` (normalised by `mouthed_text`), in order, with espeak-ng's stress
    marks. Several words come out as one sequence. Raises G2PToolMissingError without espeak-ng.

    Cached per (word, espeak): one subprocess per distinct word in a process, however many signs and
    clips mouth it (a failure is not cached)."""
    text = mouthed_text(word)
    binary = espeak_binary(espeak)
    if not text:
        return ()
    result = subprocess.run(  # noqa: S603 - a fixed binary, the text goes on stdin, never to a shell
        [binary, "-v", "de", "-q", "--ipa", "--sep=_"], input=text, capture_output=True, text=True,
        timeout=_TIMEOUT_S, check=False)
    if result.returncode != 0:
        raise SignavatarError(f"{ESPEAK} failed on {text!r}: {result.stderr.strip()[:200]}")
    return parse_espeak_ipa(result.stdout)


def parse_espeak_ipa(output: str) -> tuple[Phoneme, ...]:
    """espeak-ng's `--ipa --sep=_` output ("ʃ_t_ɾ_ˈɑː_s_ə", words separated by spaces) as phonemes."""
    phonemes: list[Phoneme] = []
    for token in _LANGUAGE_SWITCH.sub("_", output).replace("\n", " ").replace(" ", "_").split("_"):
        stress = 0
        while token and token[0] in (PRIMARY_STRESS, SECONDARY_STRESS):
            stress = max(stress, 2 if token[0] == PRIMARY_STRESS else 1)
            token = token[1:]
        token = token.replace("\u200d", "").replace("͡", "")
        if token:
            phonemes.append(Phoneme(token, stress))
    return tuple(phonemes)
