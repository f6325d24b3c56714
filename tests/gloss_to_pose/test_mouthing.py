"""Mouth pictures: German phonemes by the real espeak-ng, visemes, timing inside the sign, gestures."""

import pytest

from signavatar.errors import InvalidInputError
from signavatar.gloss_to_pose.german_phonemes import (
    G2PToolMissingError,
    german_number_word,
    german_phonemes,
    mouthed_text,
)
from signavatar.gloss_to_pose.mouthing import (
    MIN_PHONEME_S,
    MOUTH_GESTURES,
    Viseme,
    VisemeKey,
    mouth_gesture,
    mouth_picture,
    stressed_syllable,
)


def ipa(word: str) -> list[str]:
    return [p.ipa for p in german_phonemes(word)]


def stressed_ipa(word: str) -> str:
    phonemes = german_phonemes(word)
    begin, end = stressed_syllable(phonemes)
    return "".join(p.ipa for p in phonemes[begin:end])


def test_phonemes_of_known_words() -> None:
    assert [p[0] for p in ipa("Mama")] == ["m", "ɑ", "m", "ɑ"]
    assert ipa("Straße")[0] == "ʃ"
    assert "ʃ" not in ipa("Pass") and ipa("Pass")[0] == "p"
    assert ipa("zwölf")[:2] == ["ts", "v"]  # German z is [ts], w is [v]
    assert "ç" not in ipa("danke") and "ŋ" in ipa("danke")


def test_stress_falls_where_german_puts_it() -> None:
    assert stressed_ipa("Termin") == "miːn"  # last syllable
    assert stressed_ipa("Formular").startswith("l")  # For-mu-LAR
    assert stressed_ipa("Montag").startswith("m")  # MON-tag
    assert stressed_ipa("Familie") == "miː"  # Fa-MI-lie
    assert stressed_ipa("Bürgeramt") == "byɾ"  # BÜR-ger-amt: the g begins the next syllable


def test_visemes_follow_the_table() -> None:
    def shapes(word: str) -> list[Viseme]:
        return [k.viseme for k in mouth_picture(word, 0.0, 5.0)]

    assert shapes("Mama") == [Viseme.CLOSED, Viseme.OPEN, Viseme.CLOSED, Viseme.OPEN]
    assert shapes("bitte") == [Viseme.CLOSED, Viseme.SPREAD, Viseme.TONGUE_TEETH, Viseme.NEUTRAL]
    assert shapes("Straße")[:2] == [Viseme.ROUNDED, Viseme.TONGUE_TEETH]
    assert shapes("Ausweis") == [Viseme.OPEN, Viseme.TONGUE_TEETH, Viseme.LIP_TEETH, Viseme.OPEN,
                                 Viseme.TONGUE_TEETH]
    assert Viseme.ROUNDED in shapes("Montag") and Viseme.ROUNDED in shapes("zwölf")


def test_neighbours_with_one_viseme_are_one_key() -> None:
    keys = mouth_picture("Amt", 0.0, 5.0)  # a m t: open, closed, tongue/teeth
    assert [k.phonemes for k in keys] == ["a", "m", "t"]
    (key,) = [k for k in mouth_picture("online", 0.0, 5.0) if k.phonemes == "nl"]
    assert key.viseme is Viseme.TONGUE_TEETH


@pytest.mark.parametrize("word", ["Termin", "Bürgeramt", "Straße", "Familie", "17", "Mama"])
@pytest.mark.parametrize(("start", "end"), [(0.0, 0.1), (2.0, 2.3), (1.0, 1.7), (0.5, 4.5)])
def test_keys_lie_inside_the_span_in_order(word: str, start: float, end: float) -> None:
    keys = mouth_picture(word, start, end)
    assert keys and keys[0].time_s == pytest.approx(start)
    times = [k.time_s for k in keys]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert all(start <= t < end for t in times)
    assert len(keys) <= max(1, int((end - start) / MIN_PHONEME_S + 1e-9)) or (end - start) / len(
        german_phonemes(word)) >= MIN_PHONEME_S


def test_a_long_span_shows_the_whole_word() -> None:
    keys = mouth_picture("Termin", 0.0, 6 * MIN_PHONEME_S)
    assert "".join(k.phonemes for k in keys) == "tɛɾmiːn"


def test_a_short_span_shows_only_the_stressed_syllable() -> None:
    keys = mouth_picture("Termin", 0.0, 0.4)  # 6 phonemes, 0.067 s each: too fast
    assert "".join(k.phonemes for k in keys) == "miːn"
    assert [k.viseme for k in keys] == [Viseme.CLOSED, Viseme.SPREAD, Viseme.TONGUE_TEETH]


def test_a_very_short_span_keeps_the_stressed_vowel() -> None:
    (key,) = mouth_picture("Termin", 0.0, 0.1)
    assert key == VisemeKey(0.0, Viseme.SPREAD, "iː")


def test_long_vowels_get_more_time() -> None:
    keys = mouth_picture("Mama", 0.0, 2.0)  # m ˈɑ m ɑː
    lengths = [b.time_s - a.time_s for a, b in zip(keys, keys[1:], strict=False)] + [2.0 - keys[-1].time_s]
    assert lengths[0] < lengths[1] < lengths[3]


def test_numbers_are_mouthed_as_german_words() -> None:
    assert german_number_word(17) == "siebzehn"
    assert german_number_word(21) == "einundzwanzig"
    assert german_number_word(101) == "hunderteins"
    assert german_number_word(1000) == "tausend"
    assert german_number_word(2024) == "zweitausendvierundzwanzig"
    assert german_number_word(31000) == "einunddreißigtausend"
    assert mouthed_text("17") == "siebzehn"
    assert mouthed_text("Nr. 3") == "nummer drei"
    assert mouthed_text("0301234567") == "null drei null eins zwei drei vier fünf sechs sieben"
    assert ipa("17") == ipa("siebzehn")
    with pytest.raises(InvalidInputError):
        german_number_word(-1)


def test_a_word_without_sounds_has_no_keys() -> None:
    assert mouth_picture("...", 0.0, 1.0) == ()


def test_a_missing_tool_names_the_package() -> None:
    with pytest.raises(G2PToolMissingError, match="espeak-ng.*apt-get install espeak-ng"):
        german_phonemes("Termin", espeak="/nonexistent/espeak-ng")
    with pytest.raises(G2PToolMissingError):
        mouth_picture("Termin", 0.0, 1.0, espeak="/nonexistent/espeak-ng")


def test_an_empty_span_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        mouth_picture("Termin", 1.0, 1.0)
    with pytest.raises(InvalidInputError):
        mouth_gesture("mm", 2.0, 1.0)


def test_named_gestures() -> None:
    assert set(MOUTH_GESTURES) == {"pf", "mm", "sch", "ts", "none"}
    assert [k.viseme for k in mouth_gesture("mm", 1.0, 2.0)] == [Viseme.CLOSED]
    assert [k.viseme for k in mouth_gesture("sch", 1.0, 2.0)] == [Viseme.ROUNDED]
    puffed = mouth_gesture("pf", 1.0, 2.0)
    assert puffed[0].viseme is Viseme.PUFFED and all(1.0 <= k.time_s < 2.0 for k in puffed)
    assert mouth_gesture("none", 1.0, 2.0) == ()
    with pytest.raises(InvalidInputError, match="known: pf"):
        mouth_gesture("brrr", 0.0, 1.0)


def test_a_short_sign_drops_what_cannot_be_seen_before_what_can() -> None:
    # 0.35 s fits two visemes of "bar" (b, a, vocalised r): the r is made behind the lips, the b shows
    keys = mouth_picture("bar", 0.0, 0.35)
    assert [k.viseme for k in keys] == [Viseme.CLOSED, Viseme.OPEN]
    keys = mouth_picture("morgen", 0.0, 0.3)
    assert keys[0].viseme == Viseme.CLOSED and all(k.viseme != Viseme.NEUTRAL for k in keys)
