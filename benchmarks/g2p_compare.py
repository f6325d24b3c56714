"""German grapheme -> phoneme for mouthing: espeak-ng (Debian) against gruut + gruut-lang-de (PyPI).

On 22 mouthing words of the lexicon, each tool's phonemes are compared with a hand-written reference
(standard German as in the Duden pronunciation dictionary, one phoneme per token, `ˈ` before the
stressed vowel). Before comparing, both sides are normalised the same way: every r-sound (ɾ r ʁ ɐ̯) is
R, ɑ is a, ɡ is g, glottal stops, secondary stress and tie marks dropped. Three scores: phonemes exact,
visemes exact (signavatar.gloss_to_pose.mouthing.viseme on each phoneme: what the avatar shows) and
primary stress on the right vowel. Speed: the median of 3 passes over all words, one call per word.

gruut is not a dependency; to rerun its side: `.venv/bin/pip install gruut==2.4.0 gruut-lang-de==2.0.1`
(without it the script reports espeak-ng only).

usage: .venv/bin/python benchmarks/g2p_compare.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from signavatar.gloss_to_pose.german_phonemes import Phoneme, german_phonemes, mouthed_text
from signavatar.gloss_to_pose.mouthing import viseme

REFERENCE = {
    "Termin": "t ɛ R m ˈiː n", "Bürgeramt": "b ˈʏ R g ɐ a m t", "Ausweis": "ˈaʊ s v aɪ s",
    "bitte": "b ˈɪ t ə", "danke": "d ˈa ŋ k ə", "Pass": "p ˈa s", "Familie": "f a m ˈiː l i ə",
    "Formular": "f ɔ R m u l ˈaː R", "Montag": "m ˈoː n t aː k", "zwölf": "ts v ˈœ l f",
    "Straße": "ʃ t R ˈaː s ə", "Personalausweis": "p ɛ R z o n ˈaː l aʊ s v aɪ s",
    "Geburtsurkunde": "g ə b ˈuː R ts uː R k ʊ n d ə", "Führerschein": "f ˈyː R ɐ ʃ aɪ n",
    "Unterlagen": "ˈʊ n t ɐ l aː g ə n", "Wohnung": "v ˈoː n ʊ ŋ", "Mittwoch": "m ˈɪ t v ɔ x",
    "Bescheinigung": "b ə ʃ ˈaɪ n ɪ g ʊ ŋ", "heiraten": "h ˈaɪ R aː t ə n", "Euro": "ˈɔʏ R o",
    "Stunde": "ʃ t ˈʊ n d ə", "17": "z ˈiː p ts eː n",
}
_SAME = {"ɾ": "R", "r": "R", "ʁ": "R", "ɐ̯": "R", "ɑ": "a", "ɑː": "aː", "ɡ": "g", "ɜ": "ɐ"}


def normalise(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out = []
    for ipa, stressed in tokens:
        ipa = ipa.replace("̯", "").replace("͡", "").replace("‍", "")
        ipa = _SAME.get(ipa, ipa)
        if ipa and ipa != "ʔ":
            out.append((ipa, stressed))
    return out


def reference(word: str) -> list[tuple[str, bool]]:
    return normalise([(t.lstrip("ˈ"), t.startswith("ˈ")) for t in REFERENCE[word].split()])


def espeak(word: str) -> list[tuple[str, bool]]:
    return normalise([(p.ipa, p.stress == 2) for p in german_phonemes(word)])


def gruut_tool() -> Callable[[str], list[tuple[str, bool]]] | None:
    try:
        from gruut import sentences  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None

    def run(word: str) -> list[tuple[str, bool]]:
        tokens = []
        for sentence in sentences(mouthed_text(word), lang="de"):
            for w in sentence:
                for p in w.phonemes or ():
                    tokens.append((str(p).lstrip("ˈˌ"), str(p).startswith("ˈ")))
        return normalise(tokens)

    return run


def stressed_vowel(tokens: list[tuple[str, bool]]) -> int | None:
    """Which vowel of the word (0: the first) carries the primary stress; None: none marked."""
    vowels = [s for p, s in tokens if Phoneme(p).is_vowel]
    return vowels.index(True) if True in vowels else None


def score(tool: Callable[[str], list[tuple[str, bool]]]) -> tuple[int, int, int, list[str], float]:
    phonemes = visemes = stress = 0
    misses = []
    for word in REFERENCE:
        got, want = tool(word), reference(word)
        ok_ph = [p for p, _ in got] == [p for p, _ in want]
        ok_vis = [viseme(Phoneme(p)) for p, _ in got] == [viseme(Phoneme(p)) for p, _ in want]
        ok_st = stressed_vowel(got) is not None and stressed_vowel(got) == stressed_vowel(want)
        phonemes, visemes, stress = phonemes + ok_ph, visemes + ok_vis, stress + bool(ok_st)
        if not ok_ph:
            misses.append(f"{word}: {' '.join(('ˈ' if s else '') + p for p, s in got)}")
    passes = []
    for _ in range(3):
        t0 = time.perf_counter()
        for word in REFERENCE:
            tool(word)
        passes.append((time.perf_counter() - t0) / len(REFERENCE) * 1000)
    return phonemes, visemes, stress, misses, statistics.median(passes)


def main() -> None:
    tools: dict[str, Callable[[str], list[tuple[str, bool]]]] = {"espeak-ng": espeak}
    gruut = gruut_tool()
    if gruut is not None:
        gruut("Termin")  # loads its model once, as a server would
        tools["gruut-lang-de"] = gruut
    n = len(REFERENCE)
    print("| tool | phonemes exact | visemes exact | stress right | ms per word |\n|---|---|---|---|---|")
    report = {name: score(tool) for name, tool in tools.items()}
    for name, (ph, vis, st, _, ms) in report.items():
        print(f"| {name} | {ph}/{n} | {vis}/{n} | {st}/{n} | {ms:.1f} |")
    for name, (*_, misses, _ms) in report.items():
        print(f"\n{name} differs on: " + "; ".join(misses))


if __name__ == "__main__":
    main()
